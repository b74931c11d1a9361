use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{ContainerKind, ContainerView};

use super::{container_location, key_of, present};

declare_rule! {
    /// A container sets no CPU or memory request
    ///
    /// ## What it checks
    /// Every container and init container must request `cpu` and `memory`
    /// under `resources.requests`. A resource with a limit but no request is
    /// not reported: the API server defaults the request to the limit.
    /// Ephemeral containers are skipped (Kubernetes does not allow resources on
    /// them). One finding per container names what is missing. Not a Pod
    /// Security Standards control.
    ///
    /// ## Why it matters
    /// The scheduler places pods by their requests. Without them a pod is
    /// `BestEffort` (or under-requested `Burstable`): it lands on nodes that
    /// cannot carry it, is the first evicted under memory pressure and starves
    /// its neighbours of CPU. Horizontal autoscaling on CPU utilisation needs a
    /// CPU request to compute a percentage.
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
    ///       resources:
    ///         limits:
    ///           memory: 256Mi
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       resources:
    ///         requests:
    ///           cpu: 100m
    ///           memory: 256Mi
    ///         limits:
    ///           memory: 256Mi
    /// ```
    ///
    /// ## References
    /// - Resource management for pods and containers: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
    /// - Pod quality of service classes: https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/
    /// - Defaulting of requests to limits: https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/#if-you-do-not-specify-a-memory-request
    pub(crate) struct MissingResourceRequests {
        id: "HARD010",
        name: "missing-resource-requests",
        severity: Warning,
        scope: Scope::Container,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for MissingResourceRequests {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(&self, _ctx: &Context<'_>, c: &ContainerView<'_>, out: &mut Findings<'_>) {
        if c.kind == ContainerKind::Ephemeral {
            return;
        }
        let missing: Vec<&str> = ["cpu", "memory"]
            .into_iter()
            .filter(|r| {
                present(c.resource("requests", r)).is_none()
                    && present(c.resource("limits", r)).is_none()
            })
            .collect();
        if missing.is_empty() {
            return;
        }
        let resources = c.node.get("resources");
        let location = container_location(
            c,
            &[
                key_of(resources, "requests"),
                key_of(Some(c.node), "resources"),
            ],
        );
        let names = missing
            .iter()
            .map(|r| if *r == "cpu" { "CPU" } else { "memory" })
            .collect::<Vec<_>>()
            .join(" or ");
        let example = missing
            .iter()
            .map(|r| {
                if *r == "cpu" {
                    "cpu: 100m"
                } else {
                    "memory: 128Mi"
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let f = out
            .at(
                location,
                format!(
                    "{} of {} has no {names} request, so the scheduler cannot place it reliably and it is evicted first under pressure",
                    c.describe(),
                    c.owner()
                ),
            )
            .object(c.owner())
            .fix(format!(
                "set `resources.requests` to what the container uses under normal load, e.g. `requests: {{{example}}}`"
            ));
        out.push(f);
    }
}
