use super::{OPENAPI_DOCUMENTS, spec};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// An OAuth 2.0 scheme offers the implicit or password flow (API2)
    ///
    /// ## What it checks
    /// OWASP API2:2023 Broken Authentication. OAuth 2.0 security schemes
    /// with a `flows.implicit` or `flows.password` entry (3.x), or with
    /// `flow: implicit` or `flow: password` (2.0).
    ///
    /// What static analysis cannot see: whether the authorization server
    /// actually still grants these flows.
    ///
    /// ## Why it matters
    /// The OAuth 2.0 Security Best Current Practice (RFC 9700) says the
    /// implicit grant SHOULD NOT be used (access tokens in the URL fragment
    /// leak and cannot be sender-constrained) and the resource owner password
    /// credentials grant MUST NOT be used (the client sees the user's
    /// password, and multi-factor authentication is impossible).
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Photos, version: "1.0"}
    /// paths: {}
    /// components:
    ///   securitySchemes:
    ///     oauth:
    ///       type: oauth2
    ///       flows:
    ///         implicit:
    ///           authorizationUrl: https://auth.example.com/authorize
    ///           scopes: {read: read photos}
    /// ```
    ///
    /// ## Fix
    /// Use the authorization code flow (with PKCE):
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Photos, version: "1.0"}
    /// paths: {}
    /// components:
    ///   securitySchemes:
    ///     oauth:
    ///       type: oauth2
    ///       flows:
    ///         authorizationCode:
    ///           authorizationUrl: https://auth.example.com/authorize
    ///           tokenUrl: https://auth.example.com/token
    ///           scopes: {read: read photos}
    /// ```
    ///
    /// ## References
    /// - OWASP API2:2023 Broken Authentication: https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/
    /// - RFC 9700, OAuth 2.0 Security Best Current Practice, sections 2.1.2 and 2.4: https://www.rfc-editor.org/rfc/rfc9700
    /// - OpenAPI 3.1.0, OAuth Flows Object: https://spec.openapis.org/oas/v3.1.0#oauth-flows-object
    pub(crate) struct OAuth2DeprecatedFlow {
        id: "OPENAPI005",
        name: "oauth2-deprecated-flow",
        severity: Error,
        scope: OPENAPI_DOCUMENTS,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for OAuth2DeprecatedFlow {
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
            if scheme.kind() != "oauth2" {
                continue;
            }
            let mut found = Vec::new();
            for (name, key, _) in scheme
                .node
                .get("flows")
                .into_iter()
                .flat_map(|f| f.entries())
            {
                if matches!(name, "implicit" | "password") {
                    found.push((name, key));
                }
            }
            if let Some(flow) = scheme.node.get("flow")
                && let Some(name @ ("implicit" | "password")) = flow.value.as_str()
            {
                found.push((name, flow));
            }
            for (name, at) in found {
                let finding = out
                    .at(
                        at.span(),
                        format!(
                            "OAuth 2.0 scheme `{}` of {} offers the `{name}` flow, which RFC 9700 deprecates",
                            scheme.name,
                            spec.display()
                        ),
                    )
                    .object(spec.display())
                    .fix("offer the authorization code flow with PKCE (`authorizationCode`, `accessCode` in 2.0) for users, or client credentials for services");
                out.push(finding);
            }
        }
    }
}
