//! The sandbox against the real etcd: a secure and an insecure deliverable.
//! Without an etcd binary (PATH or `ASSAY_ETCD_BIN`) the tests say so and
//! pass; CI installs Debian's `etcd-server` so they run there.

use assay_model::{Model, SourceFile};
use assay_sandbox::{Options, Verdict, find_etcd, run_etcd};
use assay_span::FileId;
use assay_yaml::Limits;
use std::path::PathBuf;
use std::time::Duration;

fn etcd() -> Option<PathBuf> {
    let found = std::env::var_os("ASSAY_ETCD_BIN")
        .map(PathBuf::from)
        .or_else(assay_sandbox::etcd_on_path);
    if found.is_none() {
        eprintln!("SKIPPED: no etcd binary (install Debian's etcd-server or set ASSAY_ETCD_BIN)");
    }
    found
}

fn model(text: &str) -> Model {
    let file = SourceFile::parse(
        FileId(0),
        "deliverable.yaml".to_owned(),
        text.as_bytes(),
        &Limits::default(),
    );
    Model::build(vec![file])
}

fn temp_parent(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("assay-sandbox-test-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn verdicts(evidence: &assay_sandbox::Evidence) -> Vec<(String, Verdict)> {
    evidence
        .probes
        .iter()
        .map(|p| (p.name.clone(), p.verdict))
        .collect()
}

#[test]
fn secure_settings_refuse_clients_without_a_certificate() {
    let Some(etcd_bin) = etcd() else { return };
    let model = model(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: etcd, namespace: kube-system}\nspec:\n  containers:\n  - name: etcd\n    image: registry.k8s.io/etcd:3.5.15-0\n    command:\n    - etcd\n    - --listen-client-urls=https://10.0.0.10:2379\n    - --cert-file=/etc/kubernetes/pki/etcd/server.crt\n    - --key-file=/etc/kubernetes/pki/etcd/server.key\n    - --client-cert-auth=true\n    - --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt\n    - --listen-peer-urls=https://10.0.0.10:2380\n    - --peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt\n    - --peer-key-file=/etc/kubernetes/pki/etcd/peer.key\n    - --peer-client-cert-auth=true\n    - --peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt\n",
    );
    let profiles = find_etcd(&model);
    assert_eq!(profiles.len(), 1);
    let parent = temp_parent("secure");
    let evidence = run_etcd(
        &profiles[0],
        &Options {
            etcd_bin,
            temp_parent: parent.clone(),
            start_timeout: Duration::from_secs(30),
        },
    )
    .unwrap();
    let json = evidence.to_json();
    assert_eq!(evidence.result, Verdict::Pass, "{json}");
    let names: Vec<String> = verdicts(&evidence).into_iter().map(|(n, _)| n).collect();
    for probe in [
        "start",
        "client port, plain HTTP",
        "client port, TLS without a client certificate",
        "client port, TLS with a client certificate",
        "v3 write and read",
        "peer port, plain HTTP",
        "peer port, TLS without a client certificate",
    ] {
        assert!(
            names.iter().any(|n| n == probe),
            "missing probe {probe}: {json}"
        );
    }
    assert!(
        json.contains("over TLS with the sandbox client certificate"),
        "{json}"
    );
    assert!(
        evidence
            .to_markdown()
            .contains("What the sandbox could not verify")
    );
    assert!(
        std::fs::read_dir(&parent).unwrap().next().is_none(),
        "the sandbox directory is left behind"
    );
    std::fs::remove_dir_all(parent).unwrap();
}

#[test]
fn insecure_settings_show_a_key_written_over_plain_http() {
    let Some(etcd_bin) = etcd() else { return };
    let model = model(
        "name: etcd0\nlisten-client-urls: http://0.0.0.0:2379\nadvertise-client-urls: http://etcd0:2379\nlisten-peer-urls: http://0.0.0.0:2380\n",
    );
    let profiles = find_etcd(&model);
    assert_eq!(profiles.len(), 1);
    let parent = temp_parent("insecure");
    let evidence = run_etcd(
        &profiles[0],
        &Options {
            etcd_bin,
            temp_parent: parent.clone(),
            start_timeout: Duration::from_secs(30),
        },
    )
    .unwrap();
    let json = evidence.to_json();
    assert_eq!(evidence.result, Verdict::Fail, "{json}");
    let write = evidence
        .probes
        .iter()
        .find(|p| p.name == "v3 write and read")
        .unwrap();
    assert_eq!(write.verdict, Verdict::Fail, "{json}");
    assert!(write.sent.contains("plain HTTP, no credentials"), "{json}");
    assert_eq!(
        write.received, "put: HTTP 200; range: HTTP 200, the value read back",
        "{json}"
    );
    let plain = evidence
        .probes
        .iter()
        .find(|p| p.name == "client port, plain HTTP")
        .unwrap();
    assert!(plain.received.contains("\"health\":\"true\""), "{json}");
    assert!(std::fs::read_dir(&parent).unwrap().next().is_none());
    std::fs::remove_dir_all(parent).unwrap();
}

#[test]
fn auto_tls_serves_a_certificate_nobody_can_verify() {
    let Some(etcd_bin) = etcd() else { return };
    let model = model(
        "listen-client-urls: https://10.0.0.10:2379\nadvertise-client-urls: https://10.0.0.10:2379\nclient-transport-security:\n  auto-tls: true\n  client-cert-auth: true\n",
    );
    let profiles = find_etcd(&model);
    let parent = temp_parent("autotls");
    let evidence = run_etcd(
        &profiles[0],
        &Options {
            etcd_bin,
            temp_parent: parent.clone(),
            start_timeout: Duration::from_secs(30),
        },
    )
    .unwrap();
    let json = evidence.to_json();
    let verdict = |name: &str| {
        evidence
            .probes
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.verdict)
    };
    assert_eq!(verdict("start"), Some(Verdict::Pass), "{json}");
    assert_eq!(
        verdict("client port, server certificate"),
        Some(Verdict::Fail),
        "{json}"
    );
    assert_eq!(
        verdict("client port, TLS without a client certificate"),
        Some(Verdict::Pass),
        "{json}"
    );
    assert_eq!(evidence.result, Verdict::Fail);
    assert!(std::fs::read_dir(&parent).unwrap().next().is_none());
    std::fs::remove_dir_all(parent).unwrap();
}
