use crate::packs::hard::{POD_KINDS, pod_of};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::Severity;
use assay_model::{ObjectView, k8s_bool};
use assay_yaml::Value;

/// Host accounts a HostProcess container may run as; any other name must be a
/// local group on the node, which a container account never is.
const HOST_ACCOUNTS: &[&str] = &[
    "nt authority\\system",
    "nt authority\\local service",
    "nt authority\\networkservice",
];

/// Accounts that only exist inside a container image.
const CONTAINER_ACCOUNTS: &[&str] = &["containeruser", "containeradministrator"];

fn host_process(sc: Option<Value<'_>>) -> Option<(bool, Value<'_>)> {
    let v = sc?.path(&["windowsOptions", "hostProcess"])?;
    Some((k8s_bool(v)?, v))
}

declare_rule! {
    /// A HostProcess pod that the API server rejects or that cannot start
    ///
    /// ## What it checks
    /// Pods with `windowsOptions.hostProcess: true` on the pod or a container:
    /// - every container (init and ephemeral too) must have the same effective
    ///   `hostProcess` (a container's value overrides the pod's): a mix is an
    ///   error at the container's value, or at the container;
    /// - `hostNetwork: true` is required: an error at `hostNetwork` or at the
    ///   `hostProcess` value;
    /// - `runAsUserName` must be a host account (`NT AUTHORITY\SYSTEM`,
    ///   `NT AUTHORITY\Local service`, `NT AUTHORITY\NetworkService`) or a
    ///   local group: a container account (`ContainerUser`,
    ///   `ContainerAdministrator`) is an error at its value.
    ///
    /// That HostProcess is privileged access to the node, and forbidden by
    /// the Baseline Pod Security Standard, is HARD020's finding.
    ///
    /// ## Why it matters
    /// The API server rejects a pod that mixes HostProcess and regular
    /// containers or lacks `hostNetwork: true`; a HostProcess container runs
    /// as a user of the node, so a container-only account makes it fail to
    /// start.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: csi-proxy
    /// spec:
    ///   selector:
    ///     matchLabels: {app: csi-proxy}
    ///   template:
    ///     metadata:
    ///       labels: {app: csi-proxy}
    ///     spec:
    ///       nodeSelector:
    ///         kubernetes.io/os: windows
    ///       securityContext:
    ///         windowsOptions:
    ///           hostProcess: true
    ///           runAsUserName: "NT AUTHORITY\\SYSTEM"
    ///       containers:
    ///         - name: csi-proxy
    ///           image: ghcr.io/kubernetes-sigs/sig-windows/csi-proxy:v1.1.2
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: csi-proxy
    /// spec:
    ///   selector:
    ///     matchLabels: {app: csi-proxy}
    ///   template:
    ///     metadata:
    ///       labels: {app: csi-proxy}
    ///     spec:
    ///       nodeSelector:
    ///         kubernetes.io/os: windows
    ///       hostNetwork: true
    ///       securityContext:
    ///         windowsOptions:
    ///           hostProcess: true
    ///           runAsUserName: "NT AUTHORITY\\SYSTEM"
    ///       containers:
    ///         - name: csi-proxy
    ///           image: ghcr.io/kubernetes-sigs/sig-windows/csi-proxy:v1.1.2
    /// ```
    ///
    /// ## References
    /// - Create a Windows HostProcess pod (requirements, choosing a user account): https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/
    /// - `validateWindowsHostProcessPod` in https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go
    pub(crate) struct HostProcessMisconfigured {
        id: "WIN006",
        name: "host-process-misconfigured",
        severity: Error,
        scope: Scope::Object(POD_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for HostProcessMisconfigured {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(pod) = object.pod_spec() else {
            return;
        };
        let pod_sc = pod.get("securityContext");
        let pod_level = host_process(pod_sc);
        let containers = object.containers();
        let effective: Vec<(bool, Option<Value<'_>>)> = containers
            .iter()
            .map(|c| match host_process(c.security_context()) {
                Some((b, v)) => (b, Some(v)),
                None => (pod_level.is_some_and(|(b, _)| b), None),
            })
            .collect();
        let Some(first_true) = pod_level
            .filter(|(b, _)| *b)
            .map(|(_, v)| v)
            .or_else(|| effective.iter().find(|(b, _)| *b).and_then(|(_, v)| *v))
        else {
            return;
        };
        let owner = object.display();
        for (c, (on, value)) in containers.iter().zip(&effective) {
            if !on {
                let location = value.map_or_else(|| c.anchor(), |v| c.at(v.span()));
                let f = out
                    .at(location, format!("{} of {owner} is not a HostProcess container while others in {} are; the API server rejects a pod that mixes them", c.describe(), pod_of(object)))
                    .object(owner.clone())
                    .fix("make every container HostProcess (set `windowsOptions.hostProcess: true` on the pod), or move this container to another pod");
                out.push(f);
            }
        }
        match pod.entry("hostNetwork") {
            Some((_, v)) if k8s_bool(v) == Some(true) => {}
            entry => {
                let location = entry.map_or_else(
                    || object.at(first_true.span()),
                    |(k, _)| object.at(k.span()),
                );
                let f = out
                    .at(location, format!("{} runs HostProcess containers without `hostNetwork: true`; the API server rejects it", pod_of(object)))
                    .object(owner.clone())
                    .fix("set `hostNetwork: true` in the pod spec");
                out.push(f);
            }
        }
        let users = pod_sc
            .and_then(|sc| sc.path(&["windowsOptions", "runAsUserName"]))
            .into_iter()
            .map(|v| (v, pod_of(object)))
            .chain(containers.iter().filter_map(|c| {
                let v = c
                    .security_context()?
                    .path(&["windowsOptions", "runAsUserName"])?;
                Some((v, format!("{} of {owner}", c.describe())))
            }));
        for (value, whose) in users {
            let name = value.as_str().unwrap_or_default();
            let lower = name.to_ascii_lowercase();
            if CONTAINER_ACCOUNTS.contains(&lower.as_str()) {
                let f = out
                    .at(object.at(value.span()), format!("{whose} runs a HostProcess container as `{name}`, an account that exists only inside container images; a HostProcess container runs as a user of the node and cannot start"))
                    .object(owner.clone())
                    .fix("use `NT AUTHORITY\\SYSTEM`, `NT AUTHORITY\\Local service`, `NT AUTHORITY\\NetworkService` or a local group of the node");
                out.push(f);
            } else if lower.starts_with("nt authority\\")
                && !HOST_ACCOUNTS.contains(&lower.as_str())
            {
                let mut f = out
                    .at(object.at(value.span()), format!("{whose} runs a HostProcess container as `{name}`, which is not one of the host accounts HostProcess supports (SYSTEM, Local service, NetworkService)"))
                    .object(owner.clone())
                    .fix("use `NT AUTHORITY\\SYSTEM`, `NT AUTHORITY\\Local service` or `NT AUTHORITY\\NetworkService`");
                f.severity = Severity::Warning;
                out.push(f);
            }
        }
    }
}
