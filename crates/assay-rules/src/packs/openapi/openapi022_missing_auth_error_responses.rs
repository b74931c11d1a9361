use super::{OPENAPI_DOCUMENTS, spec};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// A secured operation documents no 401 response (API8)
    ///
    /// ## What it checks
    /// OWASP API8:2023 Security Misconfiguration. Operations under `paths`
    /// that require authentication (a security requirement applies and
    /// none of its alternatives is the anonymous `{}`) and list neither a
    /// `401` nor a `4XX` response. When no secured operation of the
    /// document lists one, one finding at `paths` counts them.
    ///
    /// What static analysis cannot see: what the server really returns.
    ///
    /// ## Why it matters
    /// An API whose authentication failures are not described tends to
    /// answer them inconsistently (a `200` with an error body, a `500` with
    /// a stack trace, a redirect to a login page), which clients cannot
    /// handle and scanners cannot test. A documented `401` (and `403` for
    /// missing scopes) is the contract the server's error handling is
    /// reviewed against.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Notes, version: "1.0"}
    /// security:
    ///   - bearer: []
    /// paths:
    ///   /notes:
    ///     get:
    ///       responses:
    ///         "200": {description: ok}
    /// components:
    ///   securitySchemes:
    ///     bearer: {type: http, scheme: bearer}
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Notes, version: "1.0"}
    /// security:
    ///   - bearer: []
    /// paths:
    ///   /notes:
    ///     get:
    ///       responses:
    ///         "200": {description: ok}
    ///         "401": {description: missing or invalid token}
    ///         "403": {description: the token lacks the scope}
    /// components:
    ///   securitySchemes:
    ///     bearer: {type: http, scheme: bearer}
    /// ```
    ///
    /// ## References
    /// - OWASP API8:2023 Security Misconfiguration: https://owasp.org/API-Security/editions/2023/en/0xa8-security-misconfiguration/
    /// - RFC 9110, 401 Unauthorized and 403 Forbidden: https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2
    /// - Spectral OWASP ruleset, `owasp:api8:2023-define-error-responses-401`: https://github.com/stoplightio/spectral-owasp-ruleset
    pub(crate) struct MissingAuthErrorResponses {
        id: "OPENAPI022",
        name: "missing-auth-error-responses",
        severity: Warning,
        scope: OPENAPI_DOCUMENTS,
        fix: Always,
        since: "0.1.0",
    }
}

const FIX: &str = "document a `401` response (and `403` where scopes or roles are checked) with the error body the server returns";

impl Rule for MissingAuthErrorResponses {
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
        let secured: Vec<_> = spec
            .operations()
            .into_iter()
            .filter(|o| o.is_served() && !o.security(&spec).allows_anonymous())
            .collect();
        let missing: Vec<_> = secured
            .iter()
            .filter(|o| {
                !o.responses(&spec)
                    .iter()
                    .any(|r| matches!(r.code, "401" | "4XX" | "4xx"))
            })
            .collect();
        if !secured.is_empty() && missing.len() == secured.len() && secured.len() > 1 {
            if let Some((key, _)) = spec.root.entry("paths") {
                let finding = out
                    .at(
                        key.span(),
                        format!(
                            "none of the {} secured operations of {} documents a 401 response",
                            secured.len(),
                            spec.display()
                        ),
                    )
                    .object(spec.display())
                    .fix(FIX);
                out.push(finding);
            }
            return;
        }
        for op in missing {
            let finding = out
                .at(
                    op.responses_anchor().span(),
                    format!(
                        "{} requires authentication but documents no 401 response",
                        op.display()
                    ),
                )
                .object(op.display())
                .fix(FIX);
            out.push(finding);
        }
    }
}
