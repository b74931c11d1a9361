use super::{SETTINGS_DOCS, processes};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_controlplane::Component;
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// etcd allows weak TLS cipher suites or an unsupported TLS version
    ///
    /// ## What it checks
    /// `--cipher-suites` entries without forward secrecy (`TLS_RSA_*`) or with
    /// CBC, RC4 or 3DES (Go lists the RC4, 3DES and CBC-SHA256 suites in
    /// `tls.InsecureCipherSuites`); a `--tls-min-version` other than `TLS1.2`
    /// or `TLS1.3`, the only values etcd accepts (3.4.25, 3.5.8 and 3.6.0
    /// onward).
    ///
    /// ## Why it matters
    /// Suites without forward secrecy let a stolen server key decrypt every
    /// recorded session; CBC suites are exposed to padding-oracle attacks, RC4
    /// and 3DES are broken. An unknown TLS version stops etcd from starting.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// listen-client-urls: https://127.0.0.1:2379
    /// advertise-client-urls: https://127.0.0.1:2379
    /// cipher-suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_RSA_WITH_AES_128_CBC_SHA]
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// listen-client-urls: https://127.0.0.1:2379
    /// advertise-client-urls: https://127.0.0.1:2379
    /// cipher-suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]
    /// tls-min-version: TLS1.2
    /// ```
    ///
    /// ## References
    /// - etcd configuration flags (`--cipher-suites`, `--tls-min-version`): https://etcd.io/docs/v3.5/op-guide/configuration/
    /// - Go `crypto/tls` `InsecureCipherSuites`: https://pkg.go.dev/crypto/tls#InsecureCipherSuites
    /// - CIS Kubernetes Benchmark 1.2.29, strong cryptographic ciphers (API server): https://github.com/aquasecurity/kube-bench/blob/main/cfg/cis-1.12/master.yaml
    pub(crate) struct WeakTlsSettings {
        id: "ETCD011",
        name: "etcd-weak-tls-settings",
        severity: Warning,
        scope: Scope::Document(SETTINGS_DOCS),
        fix: Always,
        since: "0.1.0",
    }
}

/// Why a cipher suite is weak, by its IANA/Go name.
fn weakness(suite: &str) -> Option<&'static str> {
    let upper = suite.to_ascii_uppercase();
    if upper.contains("RC4") {
        Some("RC4 is broken")
    } else if upper.contains("3DES") {
        Some("3DES is broken (Sweet32)")
    } else if upper.starts_with("TLS_RSA_") {
        Some("RSA key exchange has no forward secrecy")
    } else if upper.contains("_CBC_") {
        Some("CBC mode is exposed to padding-oracle attacks")
    } else {
        None
    }
}

impl Rule for WeakTlsSettings {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_document(
        &self,
        ctx: &Context<'_>,
        file: &SourceFile,
        doc: &DocInfo,
        out: &mut Findings<'_>,
    ) {
        for p in processes(ctx, file, doc, Component::Etcd) {
            for (suite, span) in p.settings.list("cipher-suites") {
                let Some(why) = weakness(suite) else {
                    continue;
                };
                let f = out
                    .at(
                        p.at(span),
                        format!("{} allows cipher suite `{suite}`: {why}", p.subject),
                    )
                    .object(p.object.clone())
                    .fix("list only ECDHE suites with AES-GCM or ChaCha20-Poly1305 (e.g. `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`, `TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256`)");
                out.push(f);
            }
            if let Some(min) = p.settings.non_empty("tls-min-version")
                && !matches!(min.text(), "TLS1.2" | "TLS1.3")
            {
                let f = out
                    .at(
                        p.at(min.value_span),
                        format!(
                            "{} sets `{}` to `{}`, which etcd does not accept (only `TLS1.2` and `TLS1.3`)",
                            p.subject,
                            p.spelling("tls-min-version"),
                            min.text()
                        ),
                    )
                    .object(p.object.clone())
                    .fix("set the minimum TLS version to `TLS1.2` (or `TLS1.3`)");
                out.push(f);
            }
        }
    }
}
