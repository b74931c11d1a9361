use super::{Power, check_power};
use crate::rbac::{Permission, ROLE_KINDS};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// A Role or ClusterRole can exec into, attach to or port-forward pods
    ///
    /// ## What it checks
    /// `create` on the `pods/exec`, `pods/attach` or `pods/portforward`
    /// subresources of the core API group, by name, through `*/exec`-style
    /// subresource wildcards or through `*` resources. A grant limited by
    /// `resourceNames` to named pods is reported as information.
    /// A rule with `*` in verbs, resources and API groups is left to
    /// `RBAC001`, which reports it once as an error.
    ///
    /// ## Why it matters
    /// `exec` and `attach` run commands inside a running container with its
    /// ServiceAccount token, its mounted Secrets and its network identity;
    /// `portforward` reaches ports no Service or NetworkPolicy exposes. All three
    /// bypass what admission checks at pod creation. The RBAC good practices warn
    /// that they allow reading the container's Secrets and escalating to its
    /// rights.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: debugger
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods", "pods/exec"]
    ///     verbs: ["get", "create"]
    /// ```
    ///
    /// ## Fix
    /// Grant read access for debugging and keep `exec` for break-glass accounts (or ephemeral debug containers under admission control):
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: debugger
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods", "pods/log"]
    ///     verbs: ["get"]
    /// ```
    ///
    /// ## References
    /// - Kubernetes, RBAC good practices, "Privilege escalation risks": https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks
    /// - Kubernetes, Using RBAC Authorization, "Referring to resources" (subresources): https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources
    /// - CIS Kubernetes Benchmark 5.1.4, minimize access to create pods (exec and attach create sessions in pods): https://www.cisecurity.org/benchmark/kubernetes
    pub(crate) struct PodExecAttach {
        id: "RBAC004",
        name: "pod-exec-attach",
        severity: Warning,
        scope: Scope::Object(ROLE_KINDS),
        fix: Never,
        since: "0.1.0",
    }
}

const POWER: Power = Power {
    what: "run commands in or forward ports of running pods",
    needs: &[&[Permission {
        verbs: &["create"],
        group: "",
        resources: &["pods/exec", "pods/attach", "pods/portforward"],
    }]],
    named: true,
    fix: "remove `pods/exec`, `pods/attach` and `pods/portforward` from the role; give them to a break-glass role bound only when needed",
};

impl Rule for PodExecAttach {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, role: &ObjectView<'_>, out: &mut Findings<'_>) {
        check_power(ctx, role, &POWER, out);
    }
}
