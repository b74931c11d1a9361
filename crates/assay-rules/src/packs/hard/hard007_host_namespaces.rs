use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_compose::Service;
use assay_model::ObjectView;

use super::{POD_KINDS, is_true, pod_of, service_owner};

declare_rule! {
    /// The pod shares the node's network, PID or IPC namespace (Baseline)
    ///
    /// ## What it checks
    /// `hostNetwork: true`, `hostPID: true` and `hostIPC: true` in the pod spec
    /// of a workload, each reported once per workload at the value. The Baseline
    /// level of the Pod Security Standards ("Host Namespaces") allows only
    /// `false` or unset.
    ///
    /// Compose services: `network_mode`, `pid`, `ipc`, `uts` or `userns_mode` set
    /// to `host`.
    ///
    /// ## Why it matters
    /// - `hostNetwork` puts the pod on the node's network stack: it can bind any
    ///   node port, reach services listening on localhost (the kubelet, cloud
    ///   metadata endpoints) and bypasses NetworkPolicies.
    /// - `hostPID` shows every process of the node; with `SYS_PTRACE` or root it
    ///   can read their memory and environment (secrets) or `nsenter` the host.
    /// - `hostIPC` shares the node's System V IPC and POSIX shared memory.
    ///
    /// A namespace enforcing Baseline or Restricted rejects the pod.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: agent
    /// spec:
    ///   selector:
    ///     matchLabels: {app: agent}
    ///   template:
    ///     metadata:
    ///       labels: {app: agent}
    ///     spec:
    ///       hostPID: true
    ///       containers:
    ///         - name: agent
    ///           image: example/agent:3.2
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: agent
    /// spec:
    ///   selector:
    ///     matchLabels: {app: agent}
    ///   template:
    ///     metadata:
    ///       labels: {app: agent}
    ///     spec:
    ///       hostPID: false
    ///       containers:
    ///         - name: agent
    ///           image: example/agent:3.2
    /// ```
    ///
    /// ## References
    /// - Pod Security Standards, Baseline, "Host Namespaces": https://kubernetes.io/docs/concepts/security/pod-security-standards/
    /// - Pod Security admission check: https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_hostNamespaces.go
    /// - CIS Kubernetes Benchmark 5.2.3-5.2.5, host PID, IPC and network namespaces: https://www.cisecurity.org/benchmark/kubernetes
    /// - Compose Specification, services (`privileged`, `user`, `read_only`, `cap_add`, `security_opt`, …): https://docs.docker.com/reference/compose-file/services/
    pub(crate) struct HostNamespaces {
        id: "HARD007",
        name: "host-namespaces",
        severity: Error,
        scope: Scope::Object(POD_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for HostNamespaces {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(pod) = object.pod_spec() else {
            return;
        };
        for (key, what) in [
            (
                "hostNetwork",
                "the node's network namespace (every node port, localhost services, no NetworkPolicy)",
            ),
            (
                "hostPID",
                "the node's process namespace (every process on the node is visible)",
            ),
            (
                "hostIPC",
                "the node's IPC namespace (shared memory of host processes)",
            ),
        ] {
            let Some(value) = pod.get(key) else {
                continue;
            };
            if !is_true(Some(value)) {
                continue;
            }
            let f = out
                .at(
                    object.at(value.span()),
                    format!(
                        "{} sets `{key}: true` and shares {what}; the Baseline Pod Security Standard forbids it",
                        pod_of(object)
                    ),
                )
                .object(object.display())
                .fix(format!("remove `{key}: true` from the pod spec (or set `{key}: false`)"));
            out.push(f);
        }
    }

    fn check_service(&self, _ctx: &Context<'_>, s: &Service<'_>, out: &mut Findings<'_>) {
        for (key, what, instead) in [
            (
                "network_mode",
                "the host's network namespace (every host port and localhost service)",
                "; publish the ports the service needs with `ports:` instead",
            ),
            (
                "pid",
                "the host's process namespace (every host process is visible)",
                "",
            ),
            (
                "ipc",
                "the host's IPC namespace (shared memory of host processes)",
                " (`ipc: private` or `shareable` keep it apart)",
            ),
            (
                "uts",
                "the host's UTS namespace (it can change the host name)",
                "",
            ),
            (
                "userns_mode",
                "the host's user namespace (no user remapping)",
                "",
            ),
        ] {
            let Some(value) = s.get(key).filter(|v| v.as_str() == Some("host")) else {
                continue;
            };
            let f = out
                .at(
                    value.at,
                    format!("{} sets `{key}: host` and shares {what}", s.describe()),
                )
                .object(service_owner(s))
                .fix(format!("remove `{key}: host`{instead}"));
            out.push(f);
        }
    }
}
