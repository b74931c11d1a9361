use super::{OPENAPI_DOCUMENTS, required_schemes, spec};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// A security requirement names a scheme that is not defined (API2)
    ///
    /// ## What it checks
    /// OWASP API2:2023 Broken Authentication. Every name in a `security`
    /// requirement (top level, operations, webhooks and callbacks) must be a
    /// key of `components.securitySchemes` (`securityDefinitions` in 2.0), as
    /// the Security Requirement Object requires.
    ///
    /// ## Why it matters
    /// A requirement on an unknown scheme is invalid: generators and gateways
    /// drop it or reject the document, so the operation may end up with no
    /// authentication at all while the description seems to require it.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Notes, version: "1.0"}
    /// security:
    ///   - bearerAuth: []
    /// paths: {}
    /// components:
    ///   securitySchemes:
    ///     bearer: {type: http, scheme: bearer}
    /// ```
    ///
    /// ## Fix
    /// Name the scheme as it is defined:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Notes, version: "1.0"}
    /// security:
    ///   - bearer: []
    /// paths: {}
    /// components:
    ///   securitySchemes:
    ///     bearer: {type: http, scheme: bearer}
    /// ```
    ///
    /// ## References
    /// - OWASP API2:2023 Broken Authentication: https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/
    /// - OpenAPI 3.1.0, Security Requirement Object ("Each name MUST correspond to a security scheme which is declared"): https://spec.openapis.org/oas/v3.1.0#security-requirement-object
    pub(crate) struct UndefinedSecurityScheme {
        id: "OPENAPI006",
        name: "undefined-security-scheme",
        severity: Error,
        scope: OPENAPI_DOCUMENTS,
        fix: Never,
        since: "0.1.0",
    }
}

impl Rule for UndefinedSecurityScheme {
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
        let defined: Vec<&str> = spec
            .security_schemes_node()
            .into_iter()
            .flat_map(|n| n.entries())
            .map(|(name, _, _)| name)
            .collect();
        for (name, key) in required_schemes(&spec) {
            if defined.contains(&name) {
                continue;
            }
            let known = if defined.is_empty() {
                "no scheme is defined".to_owned()
            } else {
                format!("defined: {}", defined.join(", "))
            };
            let finding = out
                .at(
                    key.span(),
                    format!(
                        "security requirement names `{name}`, which is not a security scheme of {} ({known})",
                        spec.display()
                    ),
                )
                .object(spec.display())
                .fix("define the scheme under `components.securitySchemes` (`securityDefinitions` in 2.0) or correct the name");
            out.push(finding);
        }
    }
}
