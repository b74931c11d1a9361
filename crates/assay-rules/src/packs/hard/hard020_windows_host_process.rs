use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

use super::{POD_KINDS, is_true, security_contexts, whose};

declare_rule! {
    /// A Windows HostProcess container (Pod Security Standards: Baseline)
    ///
    /// ## What it checks
    /// `securityContext.windowsOptions.hostProcess: true` on the pod or on any
    /// container, init container or ephemeral container. The Baseline level of
    /// the Pod Security Standards ("HostProcess") allows only `false` or unset.
    ///
    /// ## Why it matters
    /// A HostProcess container runs directly on the Windows node, in the host's
    /// network namespace and with access to its filesystem, as a host user such
    /// as `NT AUTHORITY\SYSTEM`: it is the Windows equivalent of a privileged
    /// container with host namespaces.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: node-agent
    /// spec:
    ///   os:
    ///     name: windows
    ///   hostNetwork: true
    ///   securityContext:
    ///     windowsOptions:
    ///       hostProcess: true
    ///       runAsUserName: "NT AUTHORITY\\SYSTEM"
    ///   containers:
    ///     - name: agent
    ///       image: example/agent:3.2
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: node-agent
    /// spec:
    ///   os:
    ///     name: windows
    ///   securityContext:
    ///     windowsOptions:
    ///       runAsUserName: ContainerUser
    ///   containers:
    ///     - name: agent
    ///       image: example/agent:3.2
    /// ```
    ///
    /// ## References
    /// - Pod Security Standards, Baseline, "HostProcess": https://kubernetes.io/docs/concepts/security/pod-security-standards/
    /// - Pod Security admission check: https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_windowsHostProcess.go
    /// - Create a Windows HostProcess pod: https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/
    pub(crate) struct WindowsHostProcess {
        id: "HARD020",
        name: "windows-host-process",
        severity: Error,
        scope: Scope::Object(POD_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for WindowsHostProcess {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        if object.pod_spec().is_none() {
            return;
        }
        for (container, sc) in security_contexts(object) {
            let Some(v) = sc.path(&["windowsOptions", "hostProcess"]) else {
                continue;
            };
            if !is_true(Some(v)) {
                continue;
            }
            let f = out
                .at(
                    object.at(v.span()),
                    format!(
                        "{} runs as a Windows HostProcess container with full access to the node; the Baseline Pod Security Standard forbids it",
                        whose(object, container.as_ref())
                    ),
                )
                .object(object.display())
                .fix("remove `windowsOptions.hostProcess: true` (and `hostNetwork: true`); run node agents as a regular Windows container with only the mounts they need");
            out.push(f);
        }
    }
}
