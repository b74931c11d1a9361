use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ContainerView;

declare_rule! {
    /// A probe names a port the container does not declare
    ///
    /// ## What it checks
    /// `httpGet.port` and `tcpSocket.port` of each container's
    /// `livenessProbe`, `readinessProbe` and `startupProbe` when written as
    /// a port name: the container's `ports[]` must have an entry of that
    /// `name`. (Numbers are not checked: a container may listen on a port it
    /// does not list.)
    ///
    /// ## Why it matters
    /// The API server accepts any well-formed name, but the kubelet resolves
    /// it against the container's own ports and fails every probe with
    /// `couldn't find port`. A readiness probe that never passes stalls the
    /// rollout with no pod ever ready; a liveness probe restarts the
    /// container in a loop.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: "web:1.0"
    ///           ports: [{name: http, containerPort: 8080}]
    ///           readinessProbe:
    ///             httpGet: {path: /ready, port: web}
    /// ```
    ///
    /// ## Fix
    /// Name a declared port (or write the number):
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: "web:1.0"
    ///           ports: [{name: http, containerPort: 8080}]
    ///           readinessProbe:
    ///             httpGet: {path: /ready, port: http}
    /// ```
    ///
    /// ## References
    /// - Configure liveness, readiness and startup probes (named ports for HTTP and TCP probes): https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#use-a-named-port
    /// - kubernetes `pkg/kubelet/prober/prober.go` and `pkg/probe/util.go` (`ResolveContainerPort`, `findPortByName`: "couldn't find port"): https://github.com/kubernetes/kubernetes
    pub(crate) struct ProbePortNotDeclared {
        id: "ROLLOUT002",
        name: "probe-port-not-declared",
        severity: Error,
        scope: Scope::Container,
        fix: Sometimes,
        since: "0.1.0",
    }
}

const PROBES: &[&str] = &["livenessProbe", "readinessProbe", "startupProbe"];

impl Rule for ProbePortNotDeclared {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(
        &self,
        _ctx: &Context<'_>,
        container: &ContainerView<'_>,
        out: &mut Findings<'_>,
    ) {
        for which in PROBES {
            let Some(probe) = container.probe(which) else {
                continue;
            };
            for handler in ["httpGet", "tcpSocket"] {
                let Some(port) = probe.path(&[handler, "port"]) else {
                    continue;
                };
                // Digits-only strings are numbers to the reader; VAL reports
                // them if the server rejects them.
                let Some(name) = port
                    .as_str()
                    .filter(|n| n.chars().any(|c| c.is_ascii_alphabetic()))
                else {
                    continue;
                };
                if container.port_named(name).is_some() {
                    continue;
                }
                let declared: Vec<String> = container
                    .ports()
                    .iter()
                    .filter_map(|p| p.get_str("name").map(|n| format!("`{n}`")))
                    .collect();
                let mut message = format!(
                    "{which} of {} of {} uses port `{name}`, which the container does not declare: the kubelet fails the probe every time",
                    container.describe(),
                    container.owner()
                );
                if declared.is_empty() {
                    message.push_str("; it declares no named port");
                } else {
                    message.push_str(&format!("; declared: {}", declared.join(", ")));
                }
                let fix = match declared.as_slice() {
                    [only] => format!(
                        "write `port: {}` if the probe meant that port, or add a `ports` entry named `{name}`",
                        only.trim_matches('`')
                    ),
                    _ => format!(
                        "add a `ports` entry named `{name}` to the container, or write the port number"
                    ),
                };
                out.push(
                    out.at(container.at(port.span()), message)
                        .object(container.owner())
                        .fix(fix),
                );
            }
        }
    }
}
