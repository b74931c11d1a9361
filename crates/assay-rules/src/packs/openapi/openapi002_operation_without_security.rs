use super::{OPENAPI_DOCUMENTS, spec};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};
use assay_openapi::SecurityState;

declare_rule! {
    /// An operation needs no authentication (API2)
    ///
    /// ## What it checks
    /// OWASP API2:2023 Broken Authentication. Each operation under `paths`,
    /// with the override rules of the Security Requirement Object: an
    /// operation's `security` replaces the top-level one, and `security: []`
    /// removes it. It reports:
    /// - an operation with no requirement at all (none at the top, none on the
    ///   operation);
    /// - `security: []` on a write operation (`POST`, `PUT`, `PATCH`,
    ///   `DELETE`): a deliberately public read is common, a public write is
    ///   rarely meant;
    /// - a write operation whose requirements include the empty requirement
    ///   `{}`, which lets anonymous callers in.
    ///
    /// When the document declares no security at all (no requirement, no
    /// scheme), one finding at `paths` counts the operations instead of one
    /// per operation. Webhooks and callbacks are requests the API sends, not
    /// receives, and are not checked here.
    ///
    /// What static analysis cannot see: a gateway in front of the API may
    /// enforce authentication the description does not mention. Then the
    /// description is wrong, and clients and reviewers are misled by it.
    ///
    /// ## Why it matters
    /// An operation without authentication can be called by anyone who can
    /// reach the server; for writes, that is anyone changing your data.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Orders, version: "1.0"}
    /// security:
    ///   - bearer: []
    /// paths:
    ///   /orders:
    ///     post:
    ///       security: []
    ///       responses:
    ///         "201": {description: created}
    /// components:
    ///   securitySchemes:
    ///     bearer: {type: http, scheme: bearer}
    /// ```
    ///
    /// ## Fix
    /// Remove the override so the top-level requirement applies:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Orders, version: "1.0"}
    /// security:
    ///   - bearer: []
    /// paths:
    ///   /orders:
    ///     post:
    ///       responses:
    ///         "201": {description: created}
    /// components:
    ///   securitySchemes:
    ///     bearer: {type: http, scheme: bearer}
    /// ```
    ///
    /// ## References
    /// - OWASP API2:2023 Broken Authentication: https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/
    /// - OpenAPI 3.1.0, Security Requirement Object: https://spec.openapis.org/oas/v3.1.0#security-requirement-object
    /// - Spectral OWASP ruleset, `owasp:api2:2023-write-restricted` and `read-restricted`: https://github.com/stoplightio/spectral-owasp-ruleset
    pub(crate) struct OperationWithoutSecurity {
        id: "OPENAPI002",
        name: "operation-without-security",
        severity: Error,
        scope: OPENAPI_DOCUMENTS,
        fix: Sometimes,
        since: "0.1.0",
    }
}

const ADD_REQUIREMENT: &str = "declare a security scheme under `components.securitySchemes` (`securityDefinitions` in 2.0) and require it with a top-level `security:` list, or on the operation";

impl Rule for OperationWithoutSecurity {
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
        let operations: Vec<_> = spec
            .operations()
            .into_iter()
            .filter(|o| o.is_served())
            .collect();
        let declares_nothing = spec.global_security().is_none()
            && spec.security_schemes_node().is_none()
            && operations.iter().all(|o| o.node.get("security").is_none());
        if declares_nothing {
            if let Some((key, _)) = spec.root.entry("paths")
                && !operations.is_empty()
            {
                let n = operations.len();
                let finding = out
                    .at(
                        key.span(),
                        format!(
                            "{} declares no security at all: none of its {n} operation{} requires authentication",
                            spec.display(),
                            if n == 1 { "" } else { "s" }
                        ),
                    )
                    .object(spec.display())
                    .fix(ADD_REQUIREMENT);
                out.push(finding);
            }
            return;
        }
        for op in &operations {
            let state = op.security(&spec);
            let (at, message, fix) = match state {
                SecurityState::Missing => (
                    op.key,
                    format!(
                        "operation {} has no security requirement: anyone who reaches the server can call it",
                        op.display()
                    ),
                    ADD_REQUIREMENT,
                ),
                SecurityState::Disabled(at) if op.is_write() => (
                    at,
                    format!(
                        "write operation {} turns authentication off with `security: []`",
                        op.display()
                    ),
                    "remove `security: []` so the top-level requirement applies, or require a scheme on the operation",
                ),
                SecurityState::Applied { requirements, .. }
                    if op.is_write() && state.allows_anonymous() =>
                {
                    let empty = state
                        .alternatives()
                        .into_iter()
                        .find(|r| r.value.is_mapping() && r.value.is_empty());
                    (
                        empty.unwrap_or(requirements),
                        format!(
                            "write operation {} accepts anonymous callers (an empty requirement `{{}}` is one of its alternatives)",
                            op.display()
                        ),
                        "remove the empty requirement `{}` from the operation's security alternatives",
                    )
                }
                _ => continue,
            };
            let finding = out.at(at.span(), message).object(op.display()).fix(fix);
            out.push(finding);
        }
    }
}
