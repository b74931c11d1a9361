use super::{OPENAPI_DOCUMENTS, host_of, is_loopback, spec};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// The API is offered over plain HTTP (API8)
    ///
    /// ## What it checks
    /// OWASP API8:2023 Security Misconfiguration. `servers[].url` values
    /// (3.x) that start with `http://`, and `schemes` items `http` or `ws`
    /// (2.0). Servers on loopback (`localhost`, `127.0.0.1`, `[::1]`) are
    /// the developer's own machine and are skipped.
    ///
    /// What static analysis cannot see: TLS terminated by something the
    /// description does not list (then the `http://` URL is wrong, and
    /// clients following it send credentials in clear text).
    ///
    /// ## Why it matters
    /// Without TLS every credential, token and payload crosses the network
    /// in clear text and can be read or changed by anyone on the path.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1.0"}
    /// servers:
    ///   - url: http://api.example.com/v1
    /// paths: {}
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1.0"}
    /// servers:
    ///   - url: https://api.example.com/v1
    /// paths: {}
    /// ```
    ///
    /// ## References
    /// - OWASP API8:2023 Security Misconfiguration ("Transport Layer Security (TLS) is missing"): https://owasp.org/API-Security/editions/2023/en/0xa8-security-misconfiguration/
    /// - Spectral OWASP ruleset, `owasp:api8:2023-no-server-http`, `no-scheme-http`: https://github.com/stoplightio/spectral-owasp-ruleset
    pub(crate) struct PlainHttpServer {
        id: "OPENAPI021",
        name: "plain-http-server",
        severity: Error,
        scope: OPENAPI_DOCUMENTS,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for PlainHttpServer {
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
        let Some(spec) = spec(ctx, file, doc) else {
            return;
        };
        for server in spec.servers() {
            let lower = server.url.to_ascii_lowercase();
            let plain = lower.starts_with("http://") || lower.starts_with("ws://");
            if !plain || is_loopback(host_of(&server.url)) {
                continue;
            }
            let finding = out
                .at(
                    server.node.span(),
                    format!(
                        "{} is offered over plain HTTP at `{}`",
                        spec.display(),
                        server.url
                    ),
                )
                .object(spec.display())
                .fix("serve the API over HTTPS only and list `https://` URLs (`schemes: [https]` in 2.0)");
            out.push(finding);
        }
    }
}
