use crate::packs::hard::container_image;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::code;
use assay_model::ContainerView;

declare_rule! {
    /// A moving image tag with `imagePullPolicy` that reuses a node's old copy
    ///
    /// ## What it checks
    /// A container whose image has no tag or the tag `latest`, no digest,
    /// and an explicit `imagePullPolicy: IfNotPresent` or `Never`. The tag
    /// itself is HARD012's finding; this rule reports what the pull policy
    /// does with it during rollouts and rollbacks.
    ///
    /// ## Why it matters
    /// Kubernetes defaults the policy of a `latest` image to `Always`; an
    /// explicit `IfNotPresent` turns that off. A node that pulled the tag
    /// last week starts the pod with last week's build, a node that never
    /// pulled it gets today's: replicas of one ReplicaSet run different
    /// code, and which one a user hits depends on scheduling. Pushing a new
    /// build and restarting rolls out nothing on nodes that have a copy,
    /// and `kubectl rollout undo` restores the same moving reference, so a
    /// rollback brings back whatever copy each node has, not the previous
    /// build.
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
    ///         - {name: web, image: "registry.example.com/web:latest", imagePullPolicy: IfNotPresent}
    /// ```
    ///
    /// ## Fix
    /// Deploy an immutable reference (a version tag, ideally with its
    /// digest); `IfNotPresent` is then safe and saves pulls:
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
    ///         - {name: web, image: "registry.example.com/web:1.4.2", imagePullPolicy: IfNotPresent}
    /// ```
    ///
    /// ## References
    /// - Image pull policy ("you should avoid using the `:latest` tag when deploying containers in production as it is harder to track which version of the image is running and more difficult to roll back properly"; `IfNotPresent` uses a local copy): https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy
    /// - Imagepullpolicy defaulting (`latest` or no tag: `Always`): https://kubernetes.io/docs/concepts/containers/images/#imagepullpolicy-defaulting
    /// - Rolling back a Deployment (a rollback restores the pod template, image reference included): https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-back-a-deployment
    pub(crate) struct StaleImageOnNode {
        id: "ROLLOUT007",
        name: "stale-image-on-node",
        severity: Warning,
        scope: Scope::Container,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for StaleImageOnNode {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(
        &self,
        _ctx: &Context<'_>,
        container: &ContainerView<'_>,
        out: &mut Findings<'_>,
    ) {
        let Some(policy) = container.node.get("imagePullPolicy") else {
            return;
        };
        let Some(written) = policy
            .as_str()
            .filter(|p| matches!(*p, "IfNotPresent" | "Never"))
        else {
            return;
        };
        let Some((_, image)) = container_image(container) else {
            return;
        };
        if image.digest.is_some() || image.tag.is_some_and(|t| t != "latest") {
            return;
        }
        let reference = image.tag.map_or_else(
            || "no tag (`latest`)".to_owned(),
            |_| "the tag `latest`".to_owned(),
        );
        let message = format!(
            "{} of {} runs {} with {reference} and `imagePullPolicy` set to {}: a node with an old copy starts the old build, replicas run different code, and `kubectl rollout undo` restores the same moving tag rather than the previous build",
            container.describe(),
            container.owner(),
            code(image.name),
            code(written)
        );
        out.push(
            out.at(container.at(policy.span()), message)
                .object(container.owner())
                .fix("deploy a version tag (ideally with its `@sha256:` digest) and keep `IfNotPresent`, or remove `imagePullPolicy` so `latest` is pulled on every start"),
        );
    }
}
