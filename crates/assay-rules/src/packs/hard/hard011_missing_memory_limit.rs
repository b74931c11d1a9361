use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_compose::Service;
use assay_model::{ContainerKind, ContainerView};

use super::{container_location, key_of, present, service_location, service_owner};

declare_rule! {
    /// A container sets no memory limit
    ///
    /// ## What it checks
    /// Every container and init container must set `resources.limits.memory`.
    /// Ephemeral containers are skipped (Kubernetes does not allow resources on
    /// them). CPU limits are deliberately not required: CPU is compressible and
    /// a CPU limit mostly adds throttling. Not a Pod Security Standards control.
    ///
    /// Compose services: neither `deploy.resources.limits.memory` nor
    /// `mem_limit`; the fix uses the syntax the service already uses.
    ///
    /// ## Why it matters
    /// Memory is not compressible. A container without a memory limit can grow
    /// until the node runs out of memory; the kernel's OOM killer then picks
    /// victims among all pods on the node, not only the one that leaks. A
    /// `LimitRange` may add a default, but the deliverable should not rely on
    /// one existing in every target namespace.
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
    ///         requests:
    ///           cpu: 100m
    ///           memory: 128Mi
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
    ///           memory: 128Mi
    ///         limits:
    ///           memory: 256Mi
    /// ```
    ///
    /// ## References
    /// - Resource management for pods and containers: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
    /// - Assign memory resources to containers: https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/
    /// - Node-pressure eviction and OOM behaviour: https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/
    /// - Compose Specification, services (`privileged`, `user`, `read_only`, `cap_add`, `security_opt`, …): https://docs.docker.com/reference/compose-file/services/
    pub(crate) struct MissingMemoryLimit {
        id: "HARD011",
        name: "missing-memory-limit",
        severity: Warning,
        scope: Scope::Container,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for MissingMemoryLimit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(&self, _ctx: &Context<'_>, c: &ContainerView<'_>, out: &mut Findings<'_>) {
        if c.kind == ContainerKind::Ephemeral || present(c.resource("limits", "memory")).is_some() {
            return;
        }
        let resources = c.node.get("resources");
        let location = container_location(
            c,
            &[
                key_of(resources, "limits"),
                key_of(Some(c.node), "resources"),
            ],
        );
        let suggestion = present(c.resource("requests", "memory"))
            .and_then(|v| v.as_str())
            .map(|m| format!(" (at least the request, {m})"))
            .unwrap_or_default();
        let f = out
            .at(
                location,
                format!(
                    "{} of {} sets no memory limit, so it can exhaust the node's memory and trigger OOM kills of other pods",
                    c.describe(),
                    c.owner()
                ),
            )
            .object(c.owner())
            .fix(format!(
                "set `resources.limits.memory` to the most the container should ever use{suggestion}, e.g. `limits: {{memory: 256Mi}}`"
            ));
        out.push(f);
    }

    fn check_service(&self, _ctx: &Context<'_>, s: &Service<'_>, out: &mut Findings<'_>) {
        if s.memory_limit().is_some() {
            return;
        }
        let (location, fix) = if s.uses_deploy_limits() {
            (
                s.get("deploy")
                    .and_then(|d| d.get("resources"))
                    .and_then(|r| r.entry("limits"))
                    .map_or_else(|| service_location(s, "deploy"), |l| l.key_at),
                "set `deploy.resources.limits.memory` (e.g. `256M`), as the file's other limits do",
            )
        } else {
            (
                s.name_at(),
                "set `mem_limit` (e.g. `256m`), as the file's other limits do",
            )
        };
        let f = out
            .at(location, format!("{} sets no memory limit, so it can exhaust the host's memory and trigger OOM kills of other containers", s.describe()))
            .object(service_owner(s))
            .fix(fix);
        out.push(f);
    }
}
