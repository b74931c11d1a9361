use crate::{Context, Findings, KubernetesVersion, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ContainerView;

declare_rule! {
    /// A probe or lifecycle handler targets another host (Baseline since 1.34)
    ///
    /// ## What it checks
    /// The `host` field of `httpGet` and `tcpSocket` in a container's
    /// `livenessProbe`, `readinessProbe` and `startupProbe` and in its
    /// `lifecycle.postStart` and `lifecycle.preStop` handlers, on every
    /// container, init container and ephemeral container. The Baseline level
    /// of the Pod Security Standards ("Probes and Lifecycle Hooks") allows it
    /// only empty or unset, from the 1.34 policy on; for older targets Pod
    /// Security admission does not check it and neither does this rule.
    ///
    /// ## Why it matters
    /// The kubelet sends the probe or hook request from the node, so a `host`
    /// lets a pod make the node reach any address (cloud metadata services,
    /// the API server, other nodes): a server-side request forgery with the
    /// node's network position. A namespace enforcing Baseline at 1.34 or
    /// newer rejects the pod.
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
    ///       livenessProbe:
    ///         httpGet:
    ///           host: 169.254.169.254
    ///           path: /latest/meta-data/
    ///           port: 80
    /// ```
    ///
    /// ## Fix
    /// Probe the pod itself (leave `host` out; the pod's IP is used):
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       livenessProbe:
    ///         httpGet:
    ///           path: /healthz
    ///           port: 80
    /// ```
    ///
    /// ## References
    /// - Pod Security Standards, Baseline, "Probes and Lifecycle Hooks": https://kubernetes.io/docs/concepts/security/pod-security-standards/
    /// - Pod Security admission check (`MinimumVersion: 1.34`): https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_hostProbesAndhostLifecycle.go
    pub(crate) struct ProbeOrLifecycleHost {
        id: "HARD022",
        name: "probe-or-lifecycle-host",
        severity: Error,
        scope: Scope::Container,
        fix: Always,
        since: "0.1.0",
    }
}

const HANDLERS: &[&[&str]] = &[
    &["livenessProbe"],
    &["readinessProbe"],
    &["startupProbe"],
    &["lifecycle", "postStart"],
    &["lifecycle", "preStop"],
];

impl Rule for ProbeOrLifecycleHost {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(&self, ctx: &Context<'_>, c: &ContainerView<'_>, out: &mut Findings<'_>) {
        if ctx.kubernetes_version
            < (KubernetesVersion {
                major: 1,
                minor: 34,
            })
        {
            return;
        }
        for handler in HANDLERS {
            let Some(node) = c.node.path(handler) else {
                continue;
            };
            for action in ["httpGet", "tcpSocket"] {
                let Some(host) = node.path(&[action, "host"]).filter(|h| !h.is_null()) else {
                    continue;
                };
                let text = host.as_str().unwrap_or_default();
                if text.is_empty() {
                    continue;
                }
                let f = out
                    .at(
                        c.at(host.span()),
                        format!(
                            "{} of {} sends its `{}` {action} to host `{text}` from the node; the Baseline Pod Security Standard forbids a probe or lifecycle host since 1.34",
                            c.describe(),
                            c.owner(),
                            handler.join(".")
                        ),
                    )
                    .object(c.owner())
                    .fix(format!("remove `host: {text}` so the kubelet targets the pod's own IP"));
                out.push(f);
            }
        }
    }
}
