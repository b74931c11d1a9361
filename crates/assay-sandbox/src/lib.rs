//! Live sandboxes: the real component started from the deliverable's
//! settings, on loopback only, in a private temporary directory removed
//! afterwards, and probed. Each probe is evidence: what was sent, what came
//! back, what the settings promise, PASS or FAIL.
//!
//! Only etcd for now (`run_etcd`).

mod certs;
mod evidence;
mod probe;
mod process;
mod profile;

pub use evidence::{Evidence, NotVerified, ProbeRecord, Verdict};
pub use profile::{EtcdProfile, Side, find_etcd};

use probe::{Outcome, Transport, request, send};
use process::{EtcdProcess, SandboxDir};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How to run the sandbox.
#[derive(Clone, Debug)]
pub struct Options {
    /// The etcd binary (found on `PATH` by the caller, or `--etcd-bin`).
    pub etcd_bin: PathBuf,
    /// Where the private temporary directory is created.
    pub temp_parent: PathBuf,
    /// How long etcd may take to become healthy.
    pub start_timeout: Duration,
}

/// Why no evidence could be produced.
#[derive(Debug)]
pub enum SandboxError {
    /// The etcd binary cannot be run.
    EtcdMissing(String),
    /// The sandbox directory or its certificates could not be made.
    Setup(String),
}

impl std::fmt::Display for SandboxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SandboxError::EtcdMissing(why) => write!(
                f,
                "cannot run etcd ({why}); install it (Debian/Ubuntu: `sudo apt-get install etcd-server`, or a release from https://github.com/etcd-io/etcd/releases) or pass `--etcd-bin PATH`"
            ),
            SandboxError::Setup(why) => write!(f, "cannot prepare the sandbox: {why}"),
        }
    }
}

impl std::error::Error for SandboxError {}

/// `etcd` on `PATH`, if any.
#[must_use]
pub fn etcd_on_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("etcd"))
        .find(|candidate| candidate.is_file())
}

/// The version line of `etcd --version`, proving the binary runs.
fn etcd_version(etcd: &Path) -> Result<String, SandboxError> {
    let output = std::process::Command::new(etcd)
        .arg("--version")
        .output()
        .map_err(|e| SandboxError::EtcdMissing(format!("{}: {e}", etcd.display())))?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("etcd Version:"))
        .map(|v| v.trim().to_owned())
        .ok_or_else(|| {
            SandboxError::EtcdMissing(format!(
                "{} --version printed no etcd version",
                etcd.display()
            ))
        })
}

/// A free loopback port (the kernel's choice; released before etcd binds it).
fn free_port() -> Result<u16, SandboxError> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| SandboxError::Setup(format!("no free loopback port: {e}")))
}

/// etcd's command line for `profile`, on loopback, with the sandbox PKI in
/// place of the deliverable's certificate paths.
fn etcd_args(
    profile: &EtcdProfile,
    pki: &certs::Pki,
    dir: &Path,
    client: SocketAddr,
    peer: SocketAddr,
) -> Vec<String> {
    let path = |p: &Path| p.display().to_string();
    let client_url = format!("{}://{client}", profile.client.scheme);
    let peer_url = format!("{}://{peer}", profile.peer.scheme);
    let mut args = vec![
        "--name=sandbox".to_owned(),
        format!("--data-dir={}", path(&dir.join("data"))),
        format!("--listen-client-urls={client_url}"),
        format!("--advertise-client-urls={client_url}"),
        format!("--listen-peer-urls={peer_url}"),
        format!("--initial-advertise-peer-urls={peer_url}"),
        format!("--initial-cluster=sandbox={peer_url}"),
        "--initial-cluster-state=new".to_owned(),
        "--logger=zap".to_owned(),
    ];
    for (side, prefix) in [(&profile.client, ""), (&profile.peer, "peer-")] {
        if side.certificate {
            args.push(format!(
                "--{prefix}cert-file={}",
                path(&pki.server.cert_file)
            ));
            args.push(format!("--{prefix}key-file={}", path(&pki.server.key_file)));
        }
        if side.trusted_ca {
            args.push(format!("--{prefix}trusted-ca-file={}", path(&pki.ca_file)));
        }
        if side.client_cert_auth {
            args.push(format!("--{prefix}client-cert-auth=true"));
        }
        if side.auto_tls {
            args.push(format!("--{prefix}auto-tls=true"));
        }
    }
    if let Some(suites) = &profile.cipher_suites {
        args.push(format!("--cipher-suites={suites}"));
    }
    args
}

/// The transports a probe can use against one port.
struct Channels {
    /// TLS without a client certificate (`None` on a plain-HTTP port).
    anonymous_tls: Option<Transport>,
    /// What the intended client uses: plain HTTP, or TLS with the sandbox
    /// client certificate (not verifying the server under auto TLS).
    intended: Transport,
}

fn channels(side: &Side, pki: &certs::Pki) -> Result<Channels, SandboxError> {
    if !side.is_https() {
        return Ok(Channels {
            anonymous_tls: None,
            intended: Transport::Plain,
        });
    }
    let client = Some((
        pki.client.cert_der.as_slice(),
        pki.client.key_der.as_slice(),
    ));
    let (anonymous, intended) = if side.auto_tls {
        (
            probe::tls_config_unverified(None),
            probe::tls_config_unverified(client),
        )
    } else {
        (
            probe::tls_config(&pki.ca_der, None),
            probe::tls_config(&pki.ca_der, client),
        )
    };
    Ok(Channels {
        anonymous_tls: Some(Transport::Tls(anonymous.map_err(SandboxError::Setup)?)),
        intended: Transport::Tls(intended.map_err(SandboxError::Setup)?),
    })
}

/// How etcd came up.
enum Started {
    /// `/health` answered `"health":"true"` on the intended channel.
    Healthy,
    /// etcd logged that it serves clients, but the intended client got this.
    ServingOthers(Outcome),
}

/// Wait until the client port answers `/health` on the intended channel (or
/// etcd logs that it serves clients while refusing that channel), etcd
/// exits, or the timeout passes.
fn wait_started(
    process: &EtcdProcess,
    addr: SocketAddr,
    intended: &Transport,
    timeout: Duration,
) -> Result<Started, String> {
    let started = Instant::now();
    let health = request("GET", "/health", None);
    // A short grace after etcd says it serves, for the first election.
    let mut serving_since: Option<Instant> = None;
    loop {
        if started.elapsed() > timeout {
            return Err(format!(
                "etcd was not healthy after {} s",
                timeout.as_secs()
            ));
        }
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            let outcome = send(addr, intended, &health);
            if let Outcome::Http { status: 200, body } = &outcome
                && body.contains("true")
            {
                return Ok(Started::Healthy);
            }
            if process.log_mentions("serving client") {
                let since = *serving_since.get_or_insert_with(Instant::now);
                if since.elapsed() > Duration::from_secs(2) {
                    return Ok(Started::ServingOthers(outcome));
                }
            }
        } else if started.elapsed() > Duration::from_secs(1) && !process.etcd_running() {
            return Err("etcd exited".to_owned());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Start etcd from `profile` on loopback, probe it, stop it, and return the
/// evidence. The temporary directory is gone when this returns (or unwinds).
pub fn run_etcd(profile: &EtcdProfile, options: &Options) -> Result<Evidence, SandboxError> {
    let version = etcd_version(&options.etcd_bin)?;
    let dir = SandboxDir::create(&options.temp_parent)
        .map_err(|e| SandboxError::Setup(format!("{}: {e}", options.temp_parent.display())))?;
    let pki = certs::generate(dir.path()).map_err(SandboxError::Setup)?;
    let client_addr = SocketAddr::from((Ipv4Addr::LOCALHOST, free_port()?));
    let peer_addr = SocketAddr::from((Ipv4Addr::LOCALHOST, free_port()?));
    let args = etcd_args(profile, &pki, dir.path(), client_addr, peer_addr);
    let client = channels(&profile.client, &pki)?;
    let peer = channels(&profile.peer, &pki)?;
    let mut evidence = Evidence::new(
        profile.clone(),
        options.etcd_bin.display().to_string(),
        version,
    );

    let process = EtcdProcess::start(&options.etcd_bin, &args, dir.path())
        .map_err(|e| SandboxError::Setup(format!("starting etcd: {e}")))?;
    let started = wait_started(
        &process,
        client_addr,
        &client.intended,
        options.start_timeout,
    );
    evidence.push(ProbeRecord {
        name: "start".to_owned(),
        sent: format!(
            "etcd with the deliverable's security settings (client {}, peer {}) on 127.0.0.1, throwaway certificates",
            profile.client.scheme, profile.peer.scheme
        ),
        received: match &started {
            Ok(Started::Healthy) => "GET /health answered {\"health\":\"true\"}".to_owned(),
            Ok(Started::ServingOthers(outcome)) => format!(
                "etcd serves clients, but the intended client's GET /health got: {}",
                outcome.describe()
            ),
            Err(why) => format!("{why}; etcd log: {}", process.log_tail(5)),
        },
        expected: "etcd starts and becomes healthy".to_owned(),
        verdict: Verdict::from_pass(started.is_ok()),
    });
    if started.is_ok() {
        probe_client(&mut evidence, profile, &client, client_addr);
        probe_peer(&mut evidence, profile, &peer, peer_addr);
    }
    drop(process);
    drop(dir);
    evidence.finish();
    Ok(evidence)
}

fn probe_client(
    evidence: &mut Evidence,
    profile: &EtcdProfile,
    channels: &Channels,
    addr: SocketAddr,
) {
    let health = request("GET", "/health", None);
    let side = &profile.client;
    let plain = send(addr, &Transport::Plain, &health);
    let plain_served = plain.is_ok();
    evidence.push(ProbeRecord {
        name: "client port, plain HTTP".to_owned(),
        sent: "GET /health over plain HTTP to the client port".to_owned(),
        received: plain.describe(),
        expected: "refused: the client port must speak TLS only".to_owned(),
        verdict: Verdict::from_pass(!plain_served),
    });
    let mut anonymous_served = false;
    if let Some(anonymous) = &channels.anonymous_tls {
        let outcome = send(addr, anonymous, &health);
        anonymous_served = outcome.is_ok();
        evidence.push(ProbeRecord {
            name: "client port, TLS without a client certificate".to_owned(),
            sent: "GET /health over TLS, no client certificate".to_owned(),
            received: outcome.describe(),
            expected: "refused: `client-cert-auth` must require a client certificate".to_owned(),
            verdict: Verdict::from_pass(!anonymous_served),
        });
        let outcome = send(addr, &channels.intended, &health);
        let expected = if side.client_cert_auth && !side.trusted_ca {
            "served; the deliverable sets no `trusted-ca-file`, so etcd checks client certificates against the system roots and refuses a private CA's"
        } else {
            "served: the intended client (certificate from the etcd CA) is accepted"
        };
        evidence.push(ProbeRecord {
            name: "client port, TLS with a client certificate".to_owned(),
            sent: "GET /health over TLS with a client certificate from the sandbox CA".to_owned(),
            received: outcome.describe(),
            expected: expected.to_owned(),
            verdict: Verdict::from_pass(outcome.is_ok()),
        });
        if side.auto_tls {
            evidence.push(ProbeRecord {
                name: "client port, server certificate".to_owned(),
                sent: "TLS handshake verifying the server certificate".to_owned(),
                received: "`auto-tls`: etcd serves a self-signed certificate no client can verify"
                    .to_owned(),
                expected: "a certificate from a CA the clients trust".to_owned(),
                verdict: Verdict::Fail,
            });
        }
    }
    // The write goes over the least-credentialed channel that was served: an
    // insecure deliverable shows its insecurity, a secure one shows that the
    // intended client works.
    let (transport, how, by_anyone) = if plain_served {
        (Transport::Plain, "plain HTTP, no credentials", true)
    } else if anonymous_served {
        match &channels.anonymous_tls {
            Some(t) => (t.clone(), "TLS without a client certificate", true),
            None => (channels.intended.clone(), "the intended client", false),
        }
    } else {
        (
            channels.intended.clone(),
            "TLS with the sandbox client certificate",
            false,
        )
    };
    let key = probe::base64(b"assay-sandbox/probe");
    let value = probe::base64(b"written-by-assay-sandbox");
    let put = send(
        addr,
        &transport,
        &request(
            "POST",
            "/v3/kv/put",
            Some(&format!("{{\"key\":\"{key}\",\"value\":\"{value}\"}}")),
        ),
    );
    let range = send(
        addr,
        &transport,
        &request(
            "POST",
            "/v3/kv/range",
            Some(&format!("{{\"key\":\"{key}\"}}")),
        ),
    );
    let read_back = matches!(&range, Outcome::Http { status: 200, body } if body.contains(&value));
    let written = put.is_ok() && read_back;
    evidence.push(ProbeRecord {
        name: "v3 write and read".to_owned(),
        sent: format!("POST /v3/kv/put then /v3/kv/range of key `assay-sandbox/probe` over {how}"),
        received: format!(
            "put: {}; range: {}",
            status_of(&put),
            match (&range, read_back) {
                (_, true) => "HTTP 200, the value read back".to_owned(),
                (outcome, false) => outcome.describe(),
            }
        ),
        expected: if by_anyone {
            "refused: a client without credentials must not write or read keys".to_owned()
        } else {
            "the intended client writes the key and reads it back".to_owned()
        },
        verdict: Verdict::from_pass(if by_anyone { !written } else { written }),
    });
}

/// A response's status only (etcd's bodies carry random cluster ids), or why
/// there was none.
fn status_of(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Http { status, .. } => format!("HTTP {status}"),
        Outcome::Refused(_) => outcome.describe(),
    }
}

fn probe_peer(
    evidence: &mut Evidence,
    profile: &EtcdProfile,
    channels: &Channels,
    addr: SocketAddr,
) {
    let version = request("GET", "/version", None);
    let plain = send(addr, &Transport::Plain, &version);
    evidence.push(ProbeRecord {
        name: "peer port, plain HTTP".to_owned(),
        sent: "GET /version over plain HTTP to the peer port".to_owned(),
        received: plain.describe(),
        expected: "refused: the peer port must speak TLS only".to_owned(),
        verdict: Verdict::from_pass(!plain.is_ok()),
    });
    if let Some(anonymous) = &channels.anonymous_tls {
        let outcome = send(addr, anonymous, &version);
        evidence.push(ProbeRecord {
            name: "peer port, TLS without a client certificate".to_owned(),
            sent: "GET /version over TLS to the peer port, no client certificate".to_owned(),
            received: outcome.describe(),
            expected: if profile.peer.client_cert_auth {
                "refused: `peer-client-cert-auth` requires a member certificate".to_owned()
            } else {
                "refused: only members with a certificate may talk to the peer port".to_owned()
            },
            verdict: Verdict::from_pass(!outcome.is_ok()),
        });
    }
}
