use crate::packs::hard::{POD_KINDS, pod_of};
use crate::windows::{os_name, selector_os};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::Severity;
use assay_model::ObjectView;

declare_rule! {
    /// `spec.os.name` missing on a Windows-pinned pod, or contradicting it
    ///
    /// ## What it checks
    /// - `spec.os.name` that names another OS than the pod's node selection
    ///   (`kubernetes.io/os` in `nodeSelector` or required node affinity):
    ///   error, at `os.name`.
    /// - A pod pinned to Windows nodes without `spec.os.name: windows`: info,
    ///   at the selector.
    ///
    /// ## Why it matters
    /// `spec.os.name` tells the API server and Pod Security admission which OS
    /// the pod is for: with `windows`, Linux-only fields are rejected up front
    /// (instead of being silently ignored on the node) and the Restricted
    /// standard's Linux-only controls are waived. Without it, a namespace that
    /// enforces Restricted rejects the Windows pod for lacking seccomp and
    /// capability settings it cannot have. A contradiction means the pod is
    /// validated for one OS and scheduled to the other.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: iis
    /// spec:
    ///   os:
    ///     name: linux
    ///   nodeSelector:
    ///     kubernetes.io/os: windows
    ///   containers:
    ///     - name: iis
    ///       image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: iis
    /// spec:
    ///   os:
    ///     name: windows
    ///   nodeSelector:
    ///     kubernetes.io/os: windows
    ///   containers:
    ///     - name: iis
    ///       image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
    /// ```
    ///
    /// ## References
    /// - Pod OS: https://kubernetes.io/docs/concepts/workloads/pods/#pod-os
    /// - Kubernetes, Windows containers user guide: https://kubernetes.io/docs/concepts/windows/user-guide/
    /// - Pod Security Standards, Windows pods exempt from Linux-only Restricted controls: https://kubernetes.io/docs/concepts/security/pod-security-standards/
    pub(crate) struct OsNameMissingOrContradicting {
        id: "WIN004",
        name: "os-name-missing-or-contradicting",
        severity: Error,
        scope: Scope::Object(POD_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for OsNameMissingOrContradicting {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(pod) = object.pod_spec() else {
            return;
        };
        let Some((selected, selector)) = selector_os(pod) else {
            return;
        };
        match os_name(pod) {
            Some((declared, node)) if declared != selected => {
                let f = out
                    .at(
                        object.at(node.span()),
                        format!(
                            "{} sets `spec.os.name: {declared}` but selects `kubernetes.io/os: {selected}` nodes: it is validated as a {declared} pod and scheduled to {selected} nodes",
                            pod_of(object)
                        ),
                    )
                    .object(object.display())
                    .fix(format!("set `spec.os.name: {selected}`, or select `{declared}` nodes"));
                out.push(f);
            }
            None if selected == "windows" => {
                let mut f = out
                    .at(
                        object.at(selector.span()),
                        format!(
                            "{} is pinned to Windows nodes but does not set `spec.os.name: windows`: Linux-only fields are not rejected up front and Pod Security admission treats it as a Linux pod",
                            pod_of(object)
                        ),
                    )
                    .object(object.display())
                    .fix("add `os: {name: windows}` to the pod spec");
                f.severity = Severity::Info;
                out.push(f);
            }
            _ => {}
        }
    }
}
