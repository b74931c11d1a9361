use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_compose::Service;
use assay_model::ContainerView;

use super::{is_true, service_owner};

declare_rule! {
    /// A container runs privileged (Pod Security Standards: Baseline)
    ///
    /// ## What it checks
    /// `securityContext.privileged: true` on any container, init container or
    /// ephemeral container of a workload. The Baseline level of the Pod Security
    /// Standards ("Privileged Containers") allows only `false` or an unset field.
    ///
    /// Compose services: `privileged: true`.
    ///
    /// ## Why it matters
    /// A privileged container gets every capability, sees every host device and
    /// runs without the seccomp, AppArmor and SELinux confinement the runtime
    /// would apply: escaping to the node is trivial (mount the host disk, load a
    /// kernel module). A namespace enforcing the Baseline or Restricted level
    /// rejects the pod.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: debug
    /// spec:
    ///   containers:
    ///     - name: shell
    ///       image: busybox:1.36
    ///       securityContext:
    ///         privileged: true
    /// ```
    ///
    /// ## Fix
    /// Drop `privileged` and add only the capabilities the process needs:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: debug
    /// spec:
    ///   containers:
    ///     - name: shell
    ///       image: busybox:1.36
    ///       securityContext:
    ///         privileged: false
    /// ```
    ///
    /// ## References
    /// - Pod Security Standards, Baseline, "Privileged Containers": https://kubernetes.io/docs/concepts/security/pod-security-standards/
    /// - Pod Security admission check: https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_privileged.go
    /// - CIS Kubernetes Benchmark 5.2.2, minimize the admission of privileged containers: https://www.cisecurity.org/benchmark/kubernetes
    /// - Compose Specification, services (`privileged`, `user`, `read_only`, `cap_add`, `security_opt`, …): https://docs.docker.com/reference/compose-file/services/
    pub(crate) struct PrivilegedContainer {
        id: "HARD001",
        name: "privileged-container",
        severity: Error,
        scope: Scope::Container,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for PrivilegedContainer {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(&self, _ctx: &Context<'_>, c: &ContainerView<'_>, out: &mut Findings<'_>) {
        let Some(value) = c.container_setting("privileged") else {
            return;
        };
        if !is_true(Some(value)) {
            return;
        }
        let f = out
            .at(
                c.at(value.span()),
                format!(
                    "{} of {} runs privileged, which the Baseline Pod Security Standard forbids",
                    c.describe(),
                    c.owner()
                ),
            )
            .object(c.owner())
            .fix("set `privileged: false` (or remove the field) and add only the capabilities the process needs under `securityContext.capabilities.add`");
        out.push(f);
    }

    fn check_service(&self, _ctx: &Context<'_>, s: &Service<'_>, out: &mut Findings<'_>) {
        let Some(value) = s.get("privileged").filter(|v| v.as_bool() == Some(true)) else {
            return;
        };
        let f = out
            .at(value.at, format!("{} runs privileged: every capability, every host device, no seccomp or AppArmor confinement", s.describe()))
            .object(service_owner(s))
            .fix("remove `privileged: true` and add only the capabilities the process needs under `cap_add`");
        out.push(f);
    }
}
