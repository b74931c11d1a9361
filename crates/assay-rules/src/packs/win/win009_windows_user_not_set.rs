use super::targets_windows;
use crate::packs::hard::pod_of;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{ObjectView, k8s_bool};
use assay_yaml::Value;

declare_rule! {
    /// A Windows pod that does not say which Windows user it runs as
    ///
    /// ## What it checks
    /// Pods that target Windows (`spec.os.name`, node selection, or a Windows
    /// image), are not HostProcess pods, and where some container has no
    /// `windowsOptions.runAsUserName` of its own nor from the pod's
    /// `securityContext`. This is the Windows counterpart of the Linux
    /// `runAsNonRoot` / `runAsUser` advice, which the HARD pack does not give
    /// for Windows pods. One finding per pod, at the pod spec's first key.
    ///
    /// ## Why it matters
    /// Without `runAsUserName` the container runs as the image's default user,
    /// which for many Windows images is `ContainerAdministrator`, an
    /// administrator inside the container. `ContainerUser` is the
    /// least-privileged account the Windows base images provide.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: app
    /// spec:
    ///   os:
    ///     name: windows
    ///   nodeSelector:
    ///     kubernetes.io/os: windows
    ///   containers:
    ///     - name: app
    ///       image: mcr.microsoft.com/windows/nanoserver:ltsc2022
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: app
    /// spec:
    ///   os:
    ///     name: windows
    ///   nodeSelector:
    ///     kubernetes.io/os: windows
    ///   securityContext:
    ///     windowsOptions:
    ///       runAsUserName: ContainerUser
    ///   containers:
    ///     - name: app
    ///       image: mcr.microsoft.com/windows/nanoserver:ltsc2022
    /// ```
    ///
    /// ## References
    /// - Configure RunAsUserName for Windows pods and containers: https://kubernetes.io/docs/tasks/configure-pod-container/configure-runasusername/
    /// - Windows containers security, user accounts: https://kubernetes.io/docs/concepts/windows/intro/#security
    pub(crate) struct WindowsUserNotSet {
        id: "WIN009",
        name: "windows-user-not-set",
        severity: Info,
        scope: Scope::Object(crate::packs::hard::POD_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for WindowsUserNotSet {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(pod) = object.pod_spec() else {
            return;
        };
        if !targets_windows(object) {
            return;
        }
        fn windows_option<'m>(sc: Option<Value<'m>>, key: &str) -> Option<Value<'m>> {
            sc.and_then(|sc| sc.path(&["windowsOptions", key]))
        }
        let pod_sc = pod.get("securityContext");
        let containers = object.containers();
        let host_process = windows_option(pod_sc, "hostProcess").and_then(k8s_bool) == Some(true)
            || containers.iter().any(|c| {
                windows_option(c.security_context(), "hostProcess").and_then(k8s_bool) == Some(true)
            });
        if host_process || windows_option(pod_sc, "runAsUserName").is_some() {
            return;
        }
        let unset: Vec<String> = containers
            .iter()
            .filter(|c| windows_option(c.security_context(), "runAsUserName").is_none())
            .map(|c| format!("`{}`", c.name().unwrap_or("<unnamed>")))
            .collect();
        if unset.is_empty() {
            return;
        }
        let location = pod
            .entries()
            .next()
            .map_or_else(|| object.anchor(), |(k, _)| object.at(k.span()));
        let f = out
            .at(
                location,
                format!(
                    "{} does not set `windowsOptions.runAsUserName` for container(s) {}: they run as the image's default user, often `ContainerAdministrator`",
                    pod_of(object),
                    unset.join(", ")
                ),
            )
            .object(object.display())
            .fix("set `securityContext: {windowsOptions: {runAsUserName: ContainerUser}}` in the pod spec");
        out.push(f);
    }
}
