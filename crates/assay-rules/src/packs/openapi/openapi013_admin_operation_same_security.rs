use super::{OPENAPI_DOCUMENTS, spec};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};
use assay_openapi::{Operation, SecurityState, Spec};

declare_rule! {
    /// An admin operation needs no more than ordinary ones (API5)
    ///
    /// ## What it checks
    /// OWASP API5:2023 Broken Function Level Authorization. Operations whose
    /// path has a segment starting with `admin` (or equal to `internal`,
    /// `management`, `manage`, `sudo`, `superuser`) and whose security
    /// requirements — the same schemes with the same scopes — are exactly
    /// those of at least one ordinary operation of the document.
    /// Operations with no security at all are OPENAPI002's.
    ///
    /// What static analysis cannot see: role checks in code (the token may
    /// carry an `admin` role the description does not mention). Then the
    /// description hides the only thing that separates the functions.
    ///
    /// ## Why it matters
    /// When administrative functions accept the same credential as ordinary
    /// ones, any user who finds the admin URL can call it: a classic
    /// privilege escalation.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Shop, version: "1.0"}
    /// security:
    ///   - oauth: [shop]
    /// paths:
    ///   /orders:
    ///     get:
    ///       responses:
    ///         "200": {description: ok}
    ///   /admin/users:
    ///     delete:
    ///       responses:
    ///         "204": {description: deleted}
    /// components:
    ///   securitySchemes:
    ///     oauth:
    ///       type: oauth2
    ///       flows:
    ///         clientCredentials:
    ///           tokenUrl: https://auth.example.com/token
    ///           scopes: {shop: use the shop, admin: administer the shop}
    /// ```
    ///
    /// ## Fix
    /// Require an administrative scope (or a separate scheme):
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Shop, version: "1.0"}
    /// security:
    ///   - oauth: [shop]
    /// paths:
    ///   /orders:
    ///     get:
    ///       responses:
    ///         "200": {description: ok}
    ///   /admin/users:
    ///     delete:
    ///       security:
    ///         - oauth: [admin]
    ///       responses:
    ///         "204": {description: deleted}
    /// components:
    ///   securitySchemes:
    ///     oauth:
    ///       type: oauth2
    ///       flows:
    ///         clientCredentials:
    ///           tokenUrl: https://auth.example.com/token
    ///           scopes: {shop: use the shop, admin: administer the shop}
    /// ```
    ///
    /// ## References
    /// - OWASP API5:2023 Broken Function Level Authorization: https://owasp.org/API-Security/editions/2023/en/0xa5-broken-function-level-authorization/
    /// - Spectral OWASP ruleset, `owasp:api5:2023-admin-security-unique`: https://github.com/stoplightio/spectral-owasp-ruleset
    pub(crate) struct AdminOperationSameSecurity {
        id: "OPENAPI013",
        name: "admin-operation-same-security",
        severity: Warning,
        scope: OPENAPI_DOCUMENTS,
        fix: Always,
        since: "0.1.0",
    }
}

/// A path segment that names an administrative function.
fn is_admin_path(path: &str) -> bool {
    path.split('/').any(|segment| {
        let segment = segment.to_ascii_lowercase();
        segment.starts_with("admin")
            || matches!(
                segment.as_str(),
                "internal" | "management" | "manage" | "sudo" | "superuser"
            )
    })
}

/// The security in force, as a comparable value: each alternative as its
/// sorted `scheme:scope,scope` items, alternatives sorted. `None` when no
/// security applies.
fn security_key<'m>(spec: &Spec<'m>, op: &Operation<'m>) -> Option<Vec<Vec<String>>> {
    let state = op.security(spec);
    if !matches!(state, SecurityState::Applied { .. }) {
        return None;
    }
    let mut alternatives: Vec<Vec<String>> = state
        .alternatives()
        .into_iter()
        .map(|alternative| {
            let mut items: Vec<String> = alternative
                .entries()
                .map(|(name, _, scopes)| {
                    let mut scopes: Vec<&str> =
                        scopes.items().filter_map(|s| s.value.as_str()).collect();
                    scopes.sort_unstable();
                    format!("{name}:{}", scopes.join(","))
                })
                .collect();
            items.sort();
            items
        })
        .collect();
    alternatives.sort();
    Some(alternatives)
}

impl Rule for AdminOperationSameSecurity {
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
        let ordinary: Vec<(Vec<Vec<String>>, String)> = operations
            .iter()
            .filter(|o| !is_admin_path(o.path))
            .filter_map(|o| Some((security_key(&spec, o)?, o.display())))
            .collect();
        for op in operations.iter().filter(|o| is_admin_path(o.path)) {
            let Some(key) = security_key(&spec, op) else {
                continue;
            };
            let Some((_, same)) = ordinary.iter().find(|(k, _)| *k == key) else {
                continue;
            };
            let at = op.node.entry("security").map_or(op.key, |(k, _)| k);
            let finding = out
                .at(
                    at.span(),
                    format!(
                        "admin operation {} accepts the same credentials as the ordinary operation {same}",
                        op.display()
                    ),
                )
                .object(op.display())
                .fix("require an administrative scope or a separate security scheme on admin operations");
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_admin_path;

    #[test]
    fn admin_paths() {
        assert!(is_admin_path("/admin/users"));
        assert!(is_admin_path("/v1/administration"));
        assert!(is_admin_path("/internal/metrics"));
        assert!(!is_admin_path("/users/{adminId}/settings"));
        assert!(!is_admin_path("/badminton"));
    }
}
