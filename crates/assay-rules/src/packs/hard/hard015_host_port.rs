use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::plain;
use assay_model::{ContainerView, k8s_int};
use assay_yaml::Value;

declare_rule! {
    /// A container binds a port on the node (hostPort; Baseline)
    ///
    /// ## What it checks
    /// `ports[].hostPort` set to anything but `0` on any container, init
    /// container or ephemeral container. The Baseline level of the Pod Security
    /// Standards ("Host Ports") allows only `0` or unset. (With
    /// `hostNetwork: true` every container port is a node port; HARD007 reports
    /// that.)
    ///
    /// ## Why it matters
    /// A host port publishes the container on every address of the node,
    /// around Services and NetworkPolicies. It also limits scheduling to one
    /// such pod per node and port, so rollouts stall when the port is taken.
    /// A namespace enforcing Baseline rejects the pod.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       ports:
    ///         - containerPort: 8080
    ///           hostPort: 80
    /// ```
    ///
    /// ## Fix
    /// Expose the port through a Service instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       ports:
    ///         - containerPort: 8080
    /// ```
    ///
    /// ## References
    /// - Pod Security Standards, Baseline, "Host Ports": https://kubernetes.io/docs/concepts/security/pod-security-standards/
    /// - Pod Security admission check: https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_hostPorts.go
    /// - Configuration best practices, avoid hostPort: https://kubernetes.io/docs/concepts/configuration/overview/#services
    pub(crate) struct HostPort {
        id: "HARD015",
        name: "host-port",
        severity: Warning,
        scope: Scope::Container,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for HostPort {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(&self, _ctx: &Context<'_>, c: &ContainerView<'_>, out: &mut Findings<'_>) {
        for port in c.node.get("ports").into_iter().flat_map(Value::items) {
            let Some(host_port) = port.get("hostPort").filter(|v| !v.is_null()) else {
                continue;
            };
            if k8s_int(host_port) == Some(0) {
                continue;
            }
            let text = host_port.as_str().unwrap_or_default();
            let f = out
                .at(
                    c.at(host_port.span()),
                    format!(
                        "{} of {} binds node port {} (`hostPort`); the Baseline Pod Security Standard forbids host ports",
                        c.describe(),
                        c.owner(),
                        plain(text)
                    ),
                )
                .object(c.owner())
                .fix("remove `hostPort` and expose the container port through a Service (NodePort or LoadBalancer if it must be reachable from outside)");
            out.push(f);
        }
    }
}
