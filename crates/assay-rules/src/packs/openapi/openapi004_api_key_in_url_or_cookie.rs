use super::{OPENAPI_DOCUMENTS, spec};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_diagnostics::Severity;
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// An API key is sent in the query string or a cookie (API2)
    ///
    /// ## What it checks
    /// OWASP API2:2023 Broken Authentication. Security schemes of
    /// `type: apiKey` with `in: query` (error) or `in: cookie` (warning).
    ///
    /// What static analysis cannot see: whether the cookie is `Secure`,
    /// `HttpOnly` and `SameSite`, or whether query strings are scrubbed from
    /// the logs of every proxy on the way.
    ///
    /// ## Why it matters
    /// URLs are written to access logs, proxy logs, browser history and
    /// `Referer` headers, so a key in the query string leaks to everyone who
    /// reads them. A key in a cookie is sent by the browser on every request
    /// to the host, including forged cross-site ones (CSRF).
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Weather, version: "1.0"}
    /// security:
    ///   - key: []
    /// paths: {}
    /// components:
    ///   securitySchemes:
    ///     key: {type: apiKey, in: query, name: api_key}
    /// ```
    ///
    /// ## Fix
    /// Send the key in a header:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Weather, version: "1.0"}
    /// security:
    ///   - key: []
    /// paths: {}
    /// components:
    ///   securitySchemes:
    ///     key: {type: apiKey, in: header, name: X-API-Key}
    /// ```
    ///
    /// ## References
    /// - OWASP API2:2023 Broken Authentication: https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/
    /// - OWASP Cheat Sheet, REST Security, "Sensitive information in HTTP requests": https://cheatsheetseries.owasp.org/cheatsheets/REST_Security_Cheat_Sheet.html#sensitive-information-in-http-requests
    /// - Spectral OWASP ruleset, `owasp:api2:2023-no-api-keys-in-url`: https://github.com/stoplightio/spectral-owasp-ruleset
    pub(crate) struct ApiKeyInUrlOrCookie {
        id: "OPENAPI004",
        name: "api-key-in-url-or-cookie",
        severity: Error,
        scope: OPENAPI_DOCUMENTS,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for ApiKeyInUrlOrCookie {
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
            if scheme.kind() != "apiKey" {
                continue;
            }
            let Some(at) = scheme.node.get("in") else {
                continue;
            };
            let (place, severity) = match at.value.as_str() {
                Some("query") => ("the query string, where URLs are logged", Severity::Error),
                Some("cookie") => (
                    "a cookie, which browsers send cross-site",
                    Severity::Warning,
                ),
                _ => continue,
            };
            let mut finding = out
                .at(
                    at.span(),
                    format!(
                        "API key scheme `{}` of {} is sent in {place}",
                        scheme.name,
                        spec.display()
                    ),
                )
                .object(spec.display())
                .fix("send the key in a request header (`in: header`, e.g. `name: X-API-Key`)");
            finding.severity = severity;
            out.push(finding);
        }
    }
}
