use super::{Power, check_power};
use crate::rbac::{Permission, ROLE_KINDS};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// A Role or ClusterRole can create pods or workloads
    ///
    /// ## What it checks
    /// `create` on `pods` or on a kind that creates pods (`deployments`,
    /// `replicasets`, `statefulsets`, `daemonsets` of `apps`; `jobs`, `cronjobs`
    /// of `batch`; `replicationcontrollers`), by name or through wildcards. A rule
    /// with `resourceNames` grants no `create` (the API server cannot authorize a
    /// create by name), so it does not count.
    /// A rule with `*` in verbs, resources and API groups is left to
    /// `RBAC001`, which reports it once as an error.
    ///
    /// ## Why it matters
    /// Whoever can create a pod can run any image with any ServiceAccount of
    /// the namespace, mount any Secret, ConfigMap or volume of the namespace, and,
    /// unless Pod Security admission stops it, run privileged on a node: the RBAC
    /// good practices list it as a privilege-escalation path, and the CIS
    /// Kubernetes Benchmark control 5.1.4 asks to minimise it. Deployment tools
    /// and controllers need it; people and application workloads rarely do.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: ci
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: ["apps"]
    ///     resources: ["deployments"]
    ///     verbs: ["get", "create", "update"]
    /// ```
    ///
    /// ## Fix
    /// Let the pipeline update existing workloads only, and keep `create` to the deployment tool's own identity:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: ci
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: ["apps"]
    ///     resources: ["deployments"]
    ///     verbs: ["get", "update"]
    /// ```
    ///
    /// ## References
    /// - Kubernetes, RBAC good practices, "Workload creation": https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation
    /// - Kubernetes, Using RBAC Authorization, "Referring to resources" (no `create` by `resourceNames`): https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources
    /// - CIS Kubernetes Benchmark 5.1.4, minimize access to create pods: https://www.cisecurity.org/benchmark/kubernetes
    pub(crate) struct CreateWorkloads {
        id: "RBAC003",
        name: "create-workloads",
        severity: Warning,
        scope: Scope::Object(ROLE_KINDS),
        fix: Never,
        since: "0.1.0",
    }
}

const POWER: Power = Power {
    what: "create pods (any image, any ServiceAccount of the namespace)",
    needs: &[&[
        Permission {
            verbs: &["create"],
            group: "",
            resources: &["pods", "replicationcontrollers"],
        },
        Permission {
            verbs: &["create"],
            group: "apps",
            resources: &["deployments", "replicasets", "statefulsets", "daemonsets"],
        },
        Permission {
            verbs: &["create"],
            group: "batch",
            resources: &["jobs", "cronjobs"],
        },
    ]],
    named: false,
    fix: "remove `create` on pods and workload kinds unless the subject is a deployment tool or controller that must create them; Pod Security admission (`restricted`) then bounds what created pods can do",
};

impl Rule for CreateWorkloads {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, role: &ObjectView<'_>, out: &mut Findings<'_>) {
        check_power(ctx, role, &POWER, out);
    }
}
