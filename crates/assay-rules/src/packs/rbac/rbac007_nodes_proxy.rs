use super::{Power, check_power};
use crate::rbac::{Permission, ROLE_KINDS};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// A Role or ClusterRole can use the nodes/proxy subresource
    ///
    /// ## What it checks
    /// Any verb on `nodes/proxy` of the core API group (by name, through
    /// `*/proxy` or through `*` resources). A grant limited by `resourceNames` to
    /// named nodes is reported as information.
    /// A rule with `*` in verbs, resources and API groups is left to
    /// `RBAC001`, which reports it once as an error.
    ///
    /// ## Why it matters
    /// `nodes/proxy` forwards requests to the kubelet API of a node: with it a
    /// subject can run commands in every pod of that node (`/exec`, `/run`),
    /// without admission control and without the API server's audit log seeing
    /// the command. Monitoring agents sometimes ask for it where `nodes/metrics`
    /// or `nodes/stats` would do (RBAC good practices, "Proxy subresource of
    /// Nodes"; CIS Kubernetes Benchmark 5.1.10).
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: metrics
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["nodes", "nodes/proxy"]
    ///     verbs: ["get"]
    /// ```
    ///
    /// ## Fix
    /// Scrape through the subresources that expose only metrics:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: metrics
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["nodes", "nodes/metrics", "nodes/stats"]
    ///     verbs: ["get"]
    /// ```
    ///
    /// ## References
    /// - Kubernetes, RBAC good practices, "Proxy subresource of Nodes": https://kubernetes.io/docs/concepts/security/rbac-good-practices/#proxy-subresource-of-nodes
    /// - Kubernetes, Kubelet authentication/authorization (kubelet API subresources): https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/
    /// - CIS Kubernetes Benchmark 5.1.10, minimize access to the proxy sub-resource of nodes: https://www.cisecurity.org/benchmark/kubernetes
    pub(crate) struct NodesProxy {
        id: "RBAC007",
        name: "nodes-proxy",
        severity: Warning,
        scope: Scope::Object(ROLE_KINDS),
        fix: Never,
        since: "0.1.0",
    }
}

const POWER: Power = Power {
    what: "reach the kubelet API of nodes (commands in any pod of the node)",
    needs: &[&[Permission {
        verbs: &["get", "create", "update", "patch", "delete"],
        group: "",
        resources: &["nodes/proxy"],
    }]],
    named: true,
    fix: "replace `nodes/proxy` with `nodes/metrics` (and `nodes/stats`, `nodes/log` where needed), which expose no command execution",
};

impl Rule for NodesProxy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, role: &ObjectView<'_>, out: &mut Findings<'_>) {
        check_power(ctx, role, &POWER, out);
    }
}
