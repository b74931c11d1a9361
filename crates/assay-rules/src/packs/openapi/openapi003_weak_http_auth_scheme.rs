use super::{OPENAPI_DOCUMENTS, spec};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// A security scheme uses HTTP Basic, Digest, Negotiate or OAuth 1.0 (API2)
    ///
    /// ## What it checks
    /// OWASP API2:2023 Broken Authentication. Security schemes of
    /// `type: http` whose `scheme` is `basic`, `digest`, `negotiate` or
    /// `oauth` (case-insensitive, as HTTP auth scheme names are), and
    /// Swagger 2.0 schemes of `type: basic`.
    ///
    /// What static analysis cannot see: whether the scheme is only offered
    /// on a private network, or only used beside a stronger one.
    ///
    /// ## Why it matters
    /// Basic sends the password itself with every request (only base64
    /// encoded), so every proxy, log and client that sees a request holds a
    /// long-lived credential; it cannot be scoped, expired or revoked per
    /// client. Digest rests on MD5 and Negotiate/OAuth 1.0 are legacy schemes
    /// that clients and gateways support poorly.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Billing, version: "1.0"}
    /// security:
    ///   - basic: []
    /// paths: {}
    /// components:
    ///   securitySchemes:
    ///     basic: {type: http, scheme: basic}
    /// ```
    ///
    /// ## Fix
    /// Use short-lived tokens (OAuth 2.0 / OpenID Connect, or bearer tokens):
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Billing, version: "1.0"}
    /// security:
    ///   - bearer: []
    /// paths: {}
    /// components:
    ///   securitySchemes:
    ///     bearer: {type: http, scheme: bearer, bearerFormat: JWT}
    /// ```
    ///
    /// ## References
    /// - OWASP API2:2023 Broken Authentication: https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/
    /// - RFC 7617, The 'Basic' HTTP Authentication Scheme, Security Considerations: https://www.rfc-editor.org/rfc/rfc7617#section-4
    /// - IANA HTTP Authentication Scheme Registry: https://www.iana.org/assignments/http-authschemes/
    /// - Spectral OWASP ruleset, `owasp:api2:2023-no-http-basic`, `auth-insecure-schemes`: https://github.com/stoplightio/spectral-owasp-ruleset
    pub(crate) struct WeakHttpAuthScheme {
        id: "OPENAPI003",
        name: "weak-http-auth-scheme",
        severity: Warning,
        scope: OPENAPI_DOCUMENTS,
        fix: Never,
        since: "0.1.0",
    }
}

impl Rule for WeakHttpAuthScheme {
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
        for scheme in spec.security_schemes() {
            let (at, name) = match scheme.kind() {
                "basic" => (scheme.node.get("type"), "basic"),
                "http" => {
                    let Some(at) = scheme.node.get("scheme") else {
                        continue;
                    };
                    let written = at.value.as_str().unwrap_or_default().to_ascii_lowercase();
                    let Some(name) = ["basic", "digest", "negotiate", "oauth"]
                        .into_iter()
                        .find(|n| *n == written)
                    else {
                        continue;
                    };
                    (Some(at), name)
                }
                _ => continue,
            };
            let at = at.unwrap_or(scheme.key);
            let finding = out
                .at(
                    at.span(),
                    format!(
                        "security scheme `{}` of {} uses HTTP `{name}` authentication",
                        scheme.name,
                        spec.display()
                    ),
                )
                .object(spec.display())
                .fix("replace it with OAuth 2.0 (authorization code with PKCE, or client credentials), OpenID Connect, or short-lived bearer tokens");
            out.push(finding);
        }
    }
}
