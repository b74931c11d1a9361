use crate::{Context, Findings, KubernetesVersion, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::Severity;
use assay_model::{ContainerView, k8s_bool};

declare_rule! {
    /// A container unmasks /proc (procMount other than Default; Baseline)
    ///
    /// ## What it checks
    /// `securityContext.procMount` on any container, init container or
    /// ephemeral container set to anything but `Default` (in practice
    /// `Unmasked`). The Baseline level of the Pod Security Standards
    /// ("/proc Mount Type") allows only `Default` or unset; since the 1.35
    /// policy it allows any value in a pod with `hostUsers: false` (a user
    /// namespace), which the Restricted level still forbids: such a pod gets
    /// a warning naming Restricted when the target is 1.35 or newer.
    ///
    /// ## Why it matters
    /// The default /proc mount masks and makes read-only the paths that expose
    /// the host kernel (`/proc/kcore`, `/proc/sys`, `/proc/sysrq-trigger`, …).
    /// `Unmasked` removes that protection; it exists for nested container
    /// runtimes in user namespaces, not for applications.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: builder
    /// spec:
    ///   containers:
    ///     - name: builder
    ///       image: example/builder:2.0
    ///       securityContext:
    ///         procMount: Unmasked
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: builder
    /// spec:
    ///   containers:
    ///     - name: builder
    ///       image: example/builder:2.0
    ///       securityContext:
    ///         procMount: Default
    /// ```
    ///
    /// ## References
    /// - Pod Security Standards, Baseline, "/proc Mount Type": https://kubernetes.io/docs/concepts/security/pod-security-standards/
    /// - Pod Security admission check: https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_procMount_baseline.go (and `check_procMount_restricted.go`, `helpers.go` `relaxPolicyForUserNamespacePod`)
    /// - SecurityContext API reference, procMount: https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#security-context-1
    pub(crate) struct ProcMountUnmasked {
        id: "HARD017",
        name: "proc-mount-unmasked",
        severity: Error,
        scope: Scope::Container,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for ProcMountUnmasked {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(&self, ctx: &Context<'_>, c: &ContainerView<'_>, out: &mut Findings<'_>) {
        let Some(value) = c.container_setting("procMount").filter(|v| !v.is_null()) else {
            return;
        };
        let text = value.as_str().unwrap_or_default();
        if text == "Default" {
            return;
        }
        // Since the 1.35 policy, Baseline relaxes this for pods in a user
        // namespace (`hostUsers: false`); Restricted still forbids it.
        let user_namespace = c.pod.get("hostUsers").and_then(k8s_bool) == Some(false);
        let relaxed = user_namespace
            && ctx.kubernetes_version
                >= KubernetesVersion {
                    major: 1,
                    minor: 35,
                };
        let message = if relaxed {
            format!(
                "{} of {} sets `procMount: {text}`; the pod runs in a user namespace (`hostUsers: false`), which Baseline accepts since 1.35, but the Restricted Pod Security Standard allows only `Default`",
                c.describe(),
                c.owner()
            )
        } else {
            format!(
                "{} of {} sets `procMount: {text}`, exposing the host kernel through /proc; the Baseline Pod Security Standard allows only `Default`",
                c.describe(),
                c.owner()
            )
        };
        let mut f = out
            .at(c.at(value.span()), message)
            .object(c.owner())
            .fix("remove `procMount` or set `procMount: Default`");
        if relaxed {
            f.severity = Severity::Warning;
        }
        out.push(f);
    }
}
