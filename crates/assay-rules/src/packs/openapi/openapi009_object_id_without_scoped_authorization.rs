use super::{OPENAPI_DOCUMENTS, is_object_id, spec};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};
use assay_openapi::SecurityState;

declare_rule! {
    /// An operation on one object by id has no scoped authorization (API1)
    ///
    /// ## What it checks
    /// OWASP API1:2023 Broken Object Level Authorization. Operations under
    /// `paths` with an object-id path parameter (`id`, or a name ending in
    /// `Id`, `_id`, `-id`) whose security lets anonymous callers in
    /// (`security: []` on a read, or an empty requirement `{}` among the
    /// alternatives), or whose every alternative uses OAuth 2.0 / OpenID
    /// Connect schemes with an empty scope list. Operations with no security
    /// at all and public writes are OPENAPI002's.
    ///
    /// What static analysis cannot see: object-level authorization is
    /// enforced in code (does this caller own object `42`?), and no
    /// description can prove it. This rule finds the operations where the
    /// description itself says nobody (or any token) may address any object.
    ///
    /// ## Why it matters
    /// BOLA is the most common API vulnerability: a caller changes the id in
    /// the URL and reads or changes someone else's object. An operation that
    /// addresses objects by id without authentication, or with a token that
    /// carries no scope, invites exactly that.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Invoices, version: "1.0"}
    /// security:
    ///   - oauth: [invoices:read]
    /// paths:
    ///   /invoices/{invoiceId}:
    ///     get:
    ///       security:
    ///         - oauth: []
    ///       parameters:
    ///         - {name: invoiceId, in: path, required: true, schema: {type: string, format: uuid}}
    ///       responses:
    ///         "200": {description: ok}
    /// components:
    ///   securitySchemes:
    ///     oauth:
    ///       type: oauth2
    ///       flows:
    ///         clientCredentials:
    ///           tokenUrl: https://auth.example.com/token
    ///           scopes: {invoices:read: read invoices}
    /// ```
    ///
    /// ## Fix
    /// Require a scope that grants access to the objects:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Invoices, version: "1.0"}
    /// paths:
    ///   /invoices/{invoiceId}:
    ///     get:
    ///       security:
    ///         - oauth: [invoices:read]
    ///       parameters:
    ///         - {name: invoiceId, in: path, required: true, schema: {type: string, format: uuid}}
    ///       responses:
    ///         "200": {description: ok}
    /// components:
    ///   securitySchemes:
    ///     oauth:
    ///       type: oauth2
    ///       flows:
    ///         clientCredentials:
    ///           tokenUrl: https://auth.example.com/token
    ///           scopes: {invoices:read: read invoices}
    /// ```
    ///
    /// ## References
    /// - OWASP API1:2023 Broken Object Level Authorization: https://owasp.org/API-Security/editions/2023/en/0xa1-broken-object-level-authorization/
    /// - OpenAPI 3.1.0, Security Requirement Object (scopes): https://spec.openapis.org/oas/v3.1.0#security-requirement-object
    pub(crate) struct ObjectIdWithoutScopedAuthorization {
        id: "OPENAPI009",
        name: "object-id-without-scoped-authorization",
        severity: Warning,
        scope: OPENAPI_DOCUMENTS,
        fix: Sometimes,
        since: "0.1.0",
    }
}

impl Rule for ObjectIdWithoutScopedAuthorization {
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
        for op in spec.operations().iter().filter(|o| o.is_served()) {
            let parameters = op.parameters(&spec);
            let Some(id) = parameters
                .iter()
                .find(|p| p.location == "path" && is_object_id(p.name))
            else {
                continue;
            };
            let state = op.security(&spec);
            let problem = match state {
                SecurityState::Missing => continue,
                SecurityState::Disabled(at) if !op.is_write() => {
                    Some((at, "turns authentication off with `security: []`"))
                }
                SecurityState::Disabled(_) => continue,
                SecurityState::Applied { requirements, .. } => {
                    if state.allows_anonymous() {
                        if op.is_write() {
                            continue;
                        }
                        Some((
                            requirements,
                            "accepts anonymous callers (`{}` is one of its alternatives)",
                        ))
                    } else {
                        let scopeless = state.alternatives().iter().all(|alternative| {
                            alternative.entries().all(|(name, _, scopes)| {
                                let kind = spec.security_scheme(name).map(|s| s.kind());
                                matches!(kind, Some("oauth2" | "openIdConnect"))
                                    && scopes.value.is_empty()
                            })
                        });
                        scopeless.then_some((
                            requirements,
                            "requires OAuth 2.0 / OpenID Connect tokens with no scope, so any token may address any object",
                        ))
                    }
                }
            };
            let Some((at, what)) = problem else {
                continue;
            };
            let finding = out
                .at(
                    at.span(),
                    format!(
                        "{} addresses one object by `{}` and {what}",
                        op.display(),
                        id.name
                    ),
                )
                .object(op.display())
                .fix("require authentication with a scope that grants access to these objects, and check in code that the caller may access the object it names");
            out.push(finding);
        }
    }
}
