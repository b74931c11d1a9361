use super::{OPENAPI_DOCUMENTS, required_schemes, spec};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// A security scheme is defined but no operation requires it (API2)
    ///
    /// ## What it checks
    /// OWASP API2:2023 Broken Authentication. Every key of
    /// `components.securitySchemes` (`securityDefinitions` in 2.0) must be
    /// named by at least one `security` requirement, at the top level or on
    /// an operation, webhook or callback.
    ///
    /// ## Why it matters
    /// A defined scheme that nothing requires usually means a forgotten
    /// `security:` list: the authors meant the API to be protected, and the
    /// description says every operation is public. (Schemes kept for a
    /// documentation portal are the rare exception: suppress them there.)
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Notes, version: "1.0"}
    /// paths: {}
    /// components:
    ///   securitySchemes:
    ///     bearer: {type: http, scheme: bearer}
    /// ```
    ///
    /// ## Fix
    /// Require the scheme:
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
    /// - OpenAPI 3.1.0, Security Scheme Object and Security Requirement Object: https://spec.openapis.org/oas/v3.1.0#security-scheme-object
    pub(crate) struct UnusedSecurityScheme {
        id: "OPENAPI007",
        name: "unused-security-scheme",
        severity: Warning,
        scope: OPENAPI_DOCUMENTS,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for UnusedSecurityScheme {
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
        let used: Vec<&str> = required_schemes(&spec)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        for (name, key, _) in spec
            .security_schemes_node()
            .into_iter()
            .flat_map(|n| n.entries())
        {
            if used.contains(&name) {
                continue;
            }
            let finding = out
                .at(
                    key.span(),
                    format!(
                        "security scheme `{name}` of {} is defined but no operation requires it",
                        spec.display()
                    ),
                )
                .object(spec.display())
                .fix(format!("require it with a top-level `security: [{{{name}: []}}]` or on the operations it protects, or delete it"));
            out.push(finding);
        }
    }
}
