//! The sandbox's evidence: JSON for machines (`evidence/etcd-sandbox.json`)
//! and Markdown for people, with what the sandbox could not verify.

use crate::EtcdProfile;
use serde::Serialize;
use std::fmt::Write as _;

/// The result of one probe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Verdict {
    Pass,
    Fail,
}

impl Verdict {
    #[must_use]
    pub fn from_pass(pass: bool) -> Self {
        if pass { Verdict::Pass } else { Verdict::Fail }
    }
}

/// One probe: what was sent, what came back, what was expected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProbeRecord {
    pub name: String,
    pub sent: String,
    pub received: String,
    pub expected: String,
    pub verdict: Verdict,
}

/// Something a loopback sandbox cannot show, and how to check it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotVerified {
    pub what: String,
    pub why: String,
    pub command: String,
}

/// Everything one sandbox run established.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub schema: &'static str,
    pub source: String,
    pub etcd_binary: String,
    pub etcd_version: String,
    pub settings: EtcdProfile,
    pub probes: Vec<ProbeRecord>,
    /// `PASS` when every probe passed.
    pub result: Verdict,
    pub not_verified: Vec<NotVerified>,
}

impl Evidence {
    pub(crate) fn new(settings: EtcdProfile, etcd_binary: String, etcd_version: String) -> Self {
        Self {
            schema: "assay/etcd-sandbox/v1",
            source: settings.source.clone(),
            etcd_binary,
            etcd_version,
            settings,
            probes: Vec::new(),
            result: Verdict::Pass,
            not_verified: not_verified(),
        }
    }

    pub(crate) fn push(&mut self, probe: ProbeRecord) {
        self.probes.push(probe);
    }

    pub(crate) fn finish(&mut self) {
        self.result = Verdict::from_pass(self.probes.iter().all(|p| p.verdict == Verdict::Pass));
    }

    /// The evidence as pretty JSON (stable field order, newline-terminated).
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// A human summary in Markdown.
    #[must_use]
    pub fn to_markdown(&self) -> String {
        let mut md = String::new();
        let _ = writeln!(
            md,
            "# etcd sandbox: {}\n",
            match self.result {
                Verdict::Pass => "PASS",
                Verdict::Fail => "FAIL",
            }
        );
        let _ = writeln!(
            md,
            "Settings from {}; etcd {} (`{}`), on 127.0.0.1 with throwaway certificates.\n",
            self.source, self.etcd_version, self.etcd_binary
        );
        let _ = writeln!(
            md,
            "| probe | sent | received | expected | verdict |\n|---|---|---|---|---|"
        );
        for p in &self.probes {
            let cell = |t: &str| t.replace('|', "\\|").replace('\n', " ");
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                cell(&p.name),
                cell(&p.sent),
                cell(&p.received),
                cell(&p.expected),
                match p.verdict {
                    Verdict::Pass => "PASS",
                    Verdict::Fail => "**FAIL**",
                }
            );
        }
        let _ = writeln!(md, "\n## What the sandbox could not verify\n");
        for n in &self.not_verified {
            let _ = writeln!(
                md,
                "- **{}**: {}\n\n  ```sh\n  {}\n  ```",
                n.what, n.why, n.command
            );
        }
        md
    }
}

fn not_verified() -> Vec<NotVerified> {
    let item = |what: &str, why: &str, command: &str| NotVerified {
        what: what.to_owned(),
        why: why.to_owned(),
        command: command.to_owned(),
    };
    vec![
        item(
            "Encryption at rest",
            "the sandbox runs etcd alone; whether the API server encrypts Secrets before writing them shows only in a real cluster's etcd",
            "ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key get /registry/secrets/default/<name> | hexdump -C | head  # must start with k8s:enc:<provider>:v1:",
        ),
        item(
            "Real peers across hosts",
            "the sandbox runs one member on loopback; peer TLS between hosts, certificate names and firewalls need the real members",
            "ETCDCTL_API=3 etcdctl --endpoints=https://<member>:2379 --cacert=<ca> --cert=<cert> --key=<key> member list -w table; openssl s_client -connect <member>:2380 </dev/null  # must fail without a client certificate",
        ),
        item(
            "The deliverable's own certificates",
            "the sandbox used throwaway certificates in place of the files the deliverable names; their hosts, expiry and issuing CA (a CA for etcd alone) are unchecked",
            "openssl x509 -in /etc/kubernetes/pki/etcd/server.crt -noout -subject -issuer -enddate -ext subjectAltName",
        ),
        item(
            "Listen addresses on the node",
            "the sandbox rewrote every URL to 127.0.0.1; which interfaces etcd binds on the node is unchecked",
            "ss -tlnp | grep etcd",
        ),
    ]
}
