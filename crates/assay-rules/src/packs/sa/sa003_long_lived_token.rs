use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::{Severity, code};
use assay_model::{ObjectView, ServiceAccountView};

declare_rule! {
    /// A long-lived ServiceAccount token Secret, or a legacy list of them
    ///
    /// ## What it checks
    /// Secrets of `type: kubernetes.io/service-account-token` (a warning at
    /// the `type`; the message names the ServiceAccount of their
    /// `kubernetes.io/service-account.name` annotation, and says when the
    /// annotation, which the API server requires, is missing), and
    /// ServiceAccounts with a non-empty `secrets` list (information at the
    /// list), unless the ServiceAccount sets the
    /// `kubernetes.io/enforce-mountable-secrets: "true"` annotation, which
    /// gives the list its meaning of "the only Secrets pods may mount".
    ///
    /// ## Why it matters
    /// The token controller fills such a Secret with a token that never
    /// expires and stays valid until the Secret is deleted: anyone who reads
    /// it once (from a backup, a `kubectl get secret -o yaml`, a log) keeps
    /// the ServiceAccount's rights. Since Kubernetes 1.24 pods get
    /// short-lived, audience-bound tokens from the TokenRequest API and no
    /// token Secret is created; since 1.29 unused legacy token Secrets are
    /// cleaned up. A ServiceAccount's `secrets` list is the legacy record of
    /// such Secrets.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: ci-token
    ///   namespace: tools
    ///   annotations:
    ///     kubernetes.io/service-account.name: ci
    /// type: kubernetes.io/service-account-token
    /// ```
    ///
    /// ## Fix
    /// Delete the Secret; where something outside the cluster needs a
    /// token, issue a short-lived one (`kubectl create token ci --duration=1h`)
    /// or use workload identity federation. A plain ServiceAccount:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: ci
    ///   namespace: tools
    /// ```
    ///
    /// ## References
    /// - Kubernetes, Service Accounts, "Manually create a long-lived API token for a ServiceAccount" (and why not to): https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#manually-create-an-api-token-for-a-serviceaccount
    /// - Kubernetes, Managing Service Accounts, "Legacy ServiceAccount token cleaner": https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#legacy-serviceaccount-token-cleaner
    /// - Kubernetes, Secrets, "Service account token Secrets": https://kubernetes.io/docs/concepts/configuration/secret/#serviceaccount-token-secrets
    /// - CIS Kubernetes Benchmark 5.1.6, ensure that Service Account Tokens are only mounted where necessary: https://www.cisecurity.org/benchmark/kubernetes
    pub(crate) struct LongLivedToken {
        id: "SA003",
        name: "long-lived-token",
        severity: Warning,
        scope: Scope::Object(&["Secret", "ServiceAccount"]),
        fix: Never,
        since: "0.1.0",
    }
}

const TOKEN_TYPE: &str = "kubernetes.io/service-account-token";
const ACCOUNT_ANNOTATION: &str = "kubernetes.io/service-account.name";
const ENFORCE_MOUNTABLE: &str = "kubernetes.io/enforce-mountable-secrets";

fn annotation<'m>(object: &ObjectView<'m>, key: &str) -> Option<&'m str> {
    object
        .metadata()
        .and_then(|m| m.get("annotations"))
        .and_then(|a| a.get_str(key))
}

impl Rule for LongLivedToken {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        if let Some(account) = ServiceAccountView::new(*object) {
            check_account(account, out);
            return;
        }
        let Some(kind) = object
            .root
            .get("type")
            .filter(|t| t.as_str() == Some(TOKEN_TYPE))
        else {
            return;
        };
        let owner = match annotation(object, ACCOUNT_ANNOTATION) {
            Some(name) => format!("of ServiceAccount {}", code(name)),
            None => {
                format!("without the `{ACCOUNT_ANNOTATION}` annotation the API server requires")
            }
        };
        let f = out
            .at(
                object.at(kind.span()),
                format!(
                    "{} is a long-lived ServiceAccount token {owner}: it never expires and stays valid until the Secret is deleted",
                    object.display()
                ),
            )
            .object(object.display())
            .fix("delete the Secret: pods get short-lived tokens from the TokenRequest API; for a client outside the cluster issue one with `kubectl create token NAME --duration=…`");
        out.push(f);
    }
}

fn check_account(account: ServiceAccountView<'_>, out: &mut Findings<'_>) {
    let object = account.object;
    let Some((key, list)) = object.root.entry("secrets") else {
        return;
    };
    if list.is_empty() || annotation(&object, ENFORCE_MOUNTABLE) == Some("true") {
        return;
    }
    let names = crate::rbac::list_of(list.items().filter_map(|s| s.get_str("name")));
    let mut f = out
        .at(
            object.at(key.span()),
            format!(
                "{} lists Secrets {names} in `secrets`, the legacy record of long-lived token Secrets; pods get short-lived tokens from the TokenRequest API since Kubernetes 1.24",
                object.display()
            ),
        )
        .object(object.display())
        .fix("remove the `secrets` list and the token Secrets it names (keep it only with the `kubernetes.io/enforce-mountable-secrets: \"true\"` annotation, where it limits what pods may mount)");
    f.severity = Severity::Info;
    out.push(f);
}
