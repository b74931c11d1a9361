use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ContainerView;

declare_rule! {
    /// A container unmasks /proc (procMount other than Default; Baseline)
    ///
    /// ## What it checks
    /// `securityContext.procMount` on any container, init container or
    /// ephemeral container set to anything but `Default` (in practice
    /// `Unmasked`). The Baseline level of the Pod Security Standards
    /// ("/proc Mount Type") allows only `Default` or unset.
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
    /// - Pod Security admission check: https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_procMount.go
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

    fn check_container(&self, _ctx: &Context<'_>, c: &ContainerView<'_>, out: &mut Findings<'_>) {
        let Some(value) = c.container_setting("procMount").filter(|v| !v.is_null()) else {
            return;
        };
        let text = value.as_str().unwrap_or_default();
        if text == "Default" {
            return;
        }
        let f = out
            .at(
                c.at(value.span()),
                format!(
                    "{} of {} sets `procMount: {text}`, exposing the host kernel through /proc; the Baseline Pod Security Standard allows only `Default`",
                    c.describe(),
                    c.owner()
                ),
            )
            .object(c.owner())
            .fix("remove `procMount` or set `procMount: Default`");
        out.push(f);
    }
}
