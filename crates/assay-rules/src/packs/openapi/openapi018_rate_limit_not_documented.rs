use super::{OPENAPI_DOCUMENTS, spec};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};
use assay_openapi::{Operation, Response};

declare_rule! {
    /// Operations document no rate limiting (no 429, no RateLimit headers) (API4)
    ///
    /// ## What it checks
    /// OWASP API4:2023 Unrestricted Resource Consumption. An operation
    /// documents rate limiting when one of its responses is `429` (or
    /// `4XX`) or has a rate-limit header (`RateLimit`, `RateLimit-Policy`,
    /// `RateLimit-Limit`, `X-RateLimit-Limit`, `X-Rate-Limit-Limit`,
    /// `Retry-After`). When no served operation of the document does, one
    /// finding at `paths` counts them; when some do, each served operation
    /// that does not is reported. A `429` response without a `Retry-After`
    /// header is reported too: clients cannot back off correctly.
    ///
    /// What static analysis cannot see: limits enforced by a gateway that
    /// the description does not mention. Documenting them tells clients how
    /// to behave and reviewers that they exist.
    ///
    /// ## Why it matters
    /// Without rate limiting one client can exhaust the API's capacity (or
    /// its paid third-party quotas), brute-force credentials, or scrape
    /// data. A documented `429` with `Retry-After` is also what lets
    /// well-behaved clients back off instead of retrying in a loop.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Search, version: "1.0"}
    /// paths:
    ///   /search:
    ///     get:
    ///       responses:
    ///         "200": {description: ok}
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Search, version: "1.0"}
    /// paths:
    ///   /search:
    ///     get:
    ///       responses:
    ///         "200": {description: ok}
    ///         "429":
    ///           description: too many requests
    ///           headers:
    ///             Retry-After:
    ///               schema: {type: integer, minimum: 0, maximum: 3600}
    /// ```
    ///
    /// ## References
    /// - OWASP API4:2023 Unrestricted Resource Consumption: https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/
    /// - RFC 6585, 429 Too Many Requests: https://www.rfc-editor.org/rfc/rfc6585#section-4
    /// - IETF draft, RateLimit header fields for HTTP: https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/
    /// - Spectral OWASP ruleset, `owasp:api4:2023-rate-limit`, `rate-limit-retry-after`, `rate-limit-responses-429`: https://github.com/stoplightio/spectral-owasp-ruleset
    pub(crate) struct RateLimitNotDocumented {
        id: "OPENAPI018",
        name: "rate-limit-not-documented",
        severity: Warning,
        scope: OPENAPI_DOCUMENTS,
        fix: Always,
        since: "0.1.0",
    }
}

/// Rate-limit response headers, lower case.
const RATE_LIMIT_HEADERS: &[&str] = &[
    "ratelimit",
    "ratelimit-policy",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-rate-limit-limit",
    "x-rate-limit-remaining",
    "x-rate-limit-reset",
    "retry-after",
];

fn documents_rate_limit(responses: &[Response<'_>]) -> bool {
    responses.iter().any(|r| {
        matches!(r.code, "429" | "4XX" | "4xx")
            || r.header_names()
                .iter()
                .any(|h| RATE_LIMIT_HEADERS.contains(&h.to_ascii_lowercase().as_str()))
    })
}

const FIX: &str = "document a `429` response with a `Retry-After` header (and `RateLimit` headers on success responses), and enforce the limit";

impl Rule for RateLimitNotDocumented {
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
        let operations: Vec<(Operation<'_>, Vec<Response<'_>>)> = spec
            .operations()
            .into_iter()
            .filter(|o| o.is_served())
            .map(|o| {
                let responses = o.responses(&spec);
                (o, responses)
            })
            .collect();
        let undocumented: Vec<&Operation<'_>> = operations
            .iter()
            .filter(|(_, r)| !documents_rate_limit(r))
            .map(|(o, _)| o)
            .collect();
        if !operations.is_empty() && undocumented.len() == operations.len() {
            if let Some((key, _)) = spec.root.entry("paths") {
                let n = operations.len();
                let finding = out
                    .at(
                        key.span(),
                        format!(
                            "{} documents no rate limiting: none of its {n} operation{} has a 429 response or rate-limit headers",
                            spec.display(),
                            if n == 1 { "" } else { "s" }
                        ),
                    )
                    .object(spec.display())
                    .fix(FIX);
                out.push(finding);
            }
        } else {
            for op in undocumented {
                let finding = out
                    .at(
                        op.responses_anchor().span(),
                        format!(
                            "{} documents no rate limiting (no 429 response, no rate-limit headers), unlike other operations of {}",
                            op.display(),
                            spec.display()
                        ),
                    )
                    .object(op.display())
                    .fix(FIX);
                out.push(finding);
            }
        }
        for (op, responses) in &operations {
            for response in responses.iter().filter(|r| r.code == "429") {
                let has_retry_after = response
                    .header_names()
                    .iter()
                    .any(|h| h.eq_ignore_ascii_case("retry-after"));
                if has_retry_after {
                    continue;
                }
                let finding = out
                    .at(
                        response.key.span(),
                        format!(
                            "the 429 response of {} has no `Retry-After` header: clients cannot tell when to retry",
                            op.display()
                        ),
                    )
                    .object(op.display())
                    .fix("add a `Retry-After` header to the 429 response");
                out.push(finding);
            }
        }
    }
}
