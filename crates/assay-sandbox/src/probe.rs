//! Minimal HTTP/1.1 clients over plain TCP and TLS (rustls), each bounded by
//! a timeout, returning what came back as text for the evidence.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme, StreamOwned};
use std::io::Read as _;
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

/// Connect, read and write timeout of one probe.
pub(crate) const PROBE_TIMEOUT: Duration = Duration::from_secs(5);
/// The most of a response a probe keeps.
const MAX_RESPONSE: u64 = 64 * 1024;

/// How a probe reaches the port.
#[derive(Clone)]
pub(crate) enum Transport {
    Plain,
    Tls(Arc<ClientConfig>),
}

/// What came back: an HTTP status and body, or why there was none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Http { status: u16, body: String },
    Refused(String),
}

impl Outcome {
    pub(crate) fn describe(&self) -> String {
        match self {
            Outcome::Http { status, body } => {
                let body = body.trim();
                let shown: String = body.chars().take(200).collect();
                format!("HTTP {status} {shown}")
            }
            Outcome::Refused(why) => format!("no HTTP response: {why}"),
        }
    }

    pub(crate) fn is_ok(&self) -> bool {
        matches!(self, Outcome::Http { status: 200, .. })
    }
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A TLS client trusting `ca_der`, presenting `client` (certificate and
/// PKCS#8 key) when given.
pub(crate) fn tls_config(
    ca_der: &[u8],
    client: Option<(&[u8], &[u8])>,
) -> Result<Arc<ClientConfig>, String> {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from(ca_der.to_vec()))
        .map_err(|e| format!("sandbox CA: {e}"))?;
    let builder = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?
        .with_root_certificates(roots);
    let config = match client {
        Some((cert, key)) => builder
            .with_client_auth_cert(
                vec![CertificateDer::from(cert.to_vec())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.to_vec())),
            )
            .map_err(|e| format!("client certificate: {e}"))?,
        None => builder.with_no_client_auth(),
    };
    Ok(Arc::new(config))
}

/// A TLS client that accepts any server certificate (to see what an etcd
/// with `--auto-tls` serves to a client that does not verify), presenting
/// `client` when given.
pub(crate) fn tls_config_unverified(
    client: Option<(&[u8], &[u8])>,
) -> Result<Arc<ClientConfig>, String> {
    let provider = provider();
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(provider)));
    let config = match client {
        Some((cert, key)) => builder
            .with_client_auth_cert(
                vec![CertificateDer::from(cert.to_vec())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.to_vec())),
            )
            .map_err(|e| format!("client certificate: {e}"))?,
        None => builder.with_no_client_auth(),
    };
    Ok(Arc::new(config))
}

#[derive(Debug)]
struct AcceptAnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// The request line and headers of a request with an optional JSON body.
pub(crate) fn request(method: &str, path: &str, body: Option<&str>) -> String {
    let mut text = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: assay-sandbox\r\nConnection: close\r\n"
    );
    if let Some(body) = body {
        text.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ));
    } else {
        text.push_str("\r\n");
    }
    text
}

/// Send `request` to `addr` and read the response.
pub(crate) fn send(addr: SocketAddr, transport: &Transport, request: &str) -> Outcome {
    let stream = match TcpStream::connect_timeout(&addr, PROBE_TIMEOUT) {
        Ok(s) => s,
        Err(e) => return Outcome::Refused(format!("connect: {e}")),
    };
    let _ = stream.set_read_timeout(Some(PROBE_TIMEOUT));
    let _ = stream.set_write_timeout(Some(PROBE_TIMEOUT));
    let mut raw = Vec::new();
    let result = match transport {
        Transport::Plain => exchange(stream, request, &mut raw),
        Transport::Tls(config) => {
            let Ok(name) = ServerName::try_from("127.0.0.1") else {
                return Outcome::Refused("server name".to_owned());
            };
            match ClientConnection::new(config.clone(), name) {
                Ok(conn) => exchange(StreamOwned::new(conn, stream), request, &mut raw),
                Err(e) => Err(format!("TLS: {e}")),
            }
        }
    };
    match (result, parse_response(&raw)) {
        (_, Some(outcome)) => outcome,
        (Err(why), None) => Outcome::Refused(why),
        (Ok(()), None) if raw.is_empty() => {
            Outcome::Refused("connection closed without a response".to_owned())
        }
        (Ok(()), None) => Outcome::Refused(format!(
            "not HTTP: {}",
            String::from_utf8_lossy(&raw)
                .chars()
                .take(80)
                .collect::<String>()
        )),
    }
}

fn exchange(
    mut stream: impl std::io::Read + std::io::Write,
    request: &str,
    raw: &mut Vec<u8>,
) -> Result<(), String> {
    stream
        .write_all(request.as_bytes())
        .and_then(|()| stream.flush())
        .map_err(|e| e.to_string())?;
    // A peer that closes without TLS close_notify ends the read with an
    // error after the response: keep what was read.
    match stream.take(MAX_RESPONSE).read_to_end(raw) {
        Ok(_) => Ok(()),
        Err(e) if raw.is_empty() => Err(e.to_string()),
        Err(_) => Ok(()),
    }
}

/// Status and body of an HTTP/1.x response (chunked bodies decoded).
fn parse_response(raw: &[u8]) -> Option<Outcome> {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n")?;
    let status = head
        .lines()
        .next()?
        .strip_prefix("HTTP/1.")?
        .get(2..5)?
        .parse()
        .ok()?;
    let chunked = head.lines().any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_owned()
    };
    Some(Outcome::Http { status, body })
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 {
            break;
        }
        out.push_str(rest.get(..size).unwrap_or(rest));
        body = rest
            .get(size..)
            .unwrap_or_default()
            .trim_start_matches("\r\n");
    }
    out
}

/// Standard base64 (etcd's JSON gateway takes keys and values in base64).
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                let index = usize::try_from((n >> (18 - 6 * i)) & 63).unwrap_or(0);
                out.push(char::from(ALPHABET.get(index).copied().unwrap_or(b'A')));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses() {
        let raw = b"HTTP/1.1 200 OK\r\nContent-Type: x\r\n\r\n{\"health\":\"true\"}";
        assert_eq!(
            parse_response(raw),
            Some(Outcome::Http {
                status: 200,
                body: "{\"health\":\"true\"}".to_owned()
            })
        );
        let raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n2\r\nef\r\n0\r\n\r\n";
        assert_eq!(
            parse_response(raw),
            Some(Outcome::Http {
                status: 200,
                body: "abcdef".to_owned()
            })
        );
        assert_eq!(parse_response(b"\x15\x03\x01"), None);
    }

    #[test]
    fn base64_padding() {
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
    }
}
