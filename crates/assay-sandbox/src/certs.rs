//! A throwaway CA and the server, peer and client certificates signed by it,
//! generated for one sandbox run and never written outside its directory.

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};
use std::path::{Path, PathBuf};

/// A certificate and its key, as PEM files in the sandbox directory, plus
/// the DER forms the probes use.
pub(crate) struct Issued {
    pub(crate) cert_file: PathBuf,
    pub(crate) key_file: PathBuf,
    pub(crate) cert_der: Vec<u8>,
    pub(crate) key_der: Vec<u8>,
}

/// Every file the sandbox needs.
pub(crate) struct Pki {
    pub(crate) ca_file: PathBuf,
    pub(crate) ca_der: Vec<u8>,
    /// Serving certificate for 127.0.0.1 (client and peer ports).
    pub(crate) server: Issued,
    /// A client certificate signed by the sandbox CA (`assay-sandbox-client`).
    pub(crate) client: Issued,
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())
}

fn issue(
    dir: &Path,
    name: &str,
    common_name: &str,
    sans: Vec<String>,
    usages: Vec<ExtendedKeyUsagePurpose>,
    ca: &rcgen::Certificate,
    ca_key: &KeyPair,
) -> Result<Issued, String> {
    let key = KeyPair::generate().map_err(|e| format!("key generation: {e}"))?;
    let mut params = CertificateParams::new(sans).map_err(|e| format!("certificate: {e}"))?;
    params
        .distinguished_name
        .push(DnType::CommonName, common_name);
    params.extended_key_usages = usages;
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    let cert = params
        .signed_by(&key, ca, ca_key)
        .map_err(|e| format!("signing {name}: {e}"))?;
    let cert_file = dir.join(format!("{name}.crt"));
    let key_file = dir.join(format!("{name}.key"));
    write_private(&cert_file, &cert.pem()).map_err(|e| format!("{}: {e}", cert_file.display()))?;
    write_private(&key_file, &key.serialize_pem())
        .map_err(|e| format!("{}: {e}", key_file.display()))?;
    Ok(Issued {
        cert_file,
        key_file,
        cert_der: cert.der().to_vec(),
        key_der: key.serialize_der(),
    })
}

/// Generate the sandbox PKI into `dir` (files readable by the owner only).
pub(crate) fn generate(dir: &Path) -> Result<Pki, String> {
    let ca_key = KeyPair::generate().map_err(|e| format!("key generation: {e}"))?;
    let mut params =
        CertificateParams::new(Vec::<String>::new()).map_err(|e| format!("CA: {e}"))?;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(DnType::CommonName, "assay sandbox throwaway CA");
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca = params
        .self_signed(&ca_key)
        .map_err(|e| format!("CA: {e}"))?;
    let ca_file = dir.join("ca.crt");
    write_private(&ca_file, &ca.pem()).map_err(|e| format!("{}: {e}", ca_file.display()))?;
    let server = issue(
        dir,
        "server",
        "assay-sandbox-etcd",
        vec!["127.0.0.1".to_owned(), "localhost".to_owned()],
        vec![
            ExtendedKeyUsagePurpose::ServerAuth,
            ExtendedKeyUsagePurpose::ClientAuth,
        ],
        &ca,
        &ca_key,
    )?;
    let client = issue(
        dir,
        "client",
        "assay-sandbox-client",
        Vec::new(),
        vec![ExtendedKeyUsagePurpose::ClientAuth],
        &ca,
        &ca_key,
    )?;
    Ok(Pki {
        ca_file,
        ca_der: ca.der().to_vec(),
        server,
        client,
    })
}
