use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::code;
use assay_model::{ObjectView, k8s_bool};
use assay_yaml::Value;

declare_rule! {
    /// Env reads a ConfigMap whose changes will not roll the pods
    ///
    /// ## What it checks
    /// A Deployment, StatefulSet or DaemonSet whose containers read a
    /// ConfigMap of the deliverable into environment variables
    /// (`env[].valueFrom.configMapKeyRef` or `envFrom[].configMapRef`)
    /// when nothing ties the pod template to the ConfigMap's content: the
    /// ConfigMap's name carries no version (no dash-separated last part
    /// with a digit, as in `web-config-v3` or kustomize's
    /// `web-config-7f9c8d6b5k`), it is not `immutable: true`, and the pod
    /// template has no annotation whose key mentions `checksum`, `hash` or
    /// `restartedAt` and the workload no Reloader annotation
    /// (`reloader.stakater.com/...`, `configmap.reloader.stakater.com/...`).
    ///
    /// ## Why it matters
    /// Environment variables are read once, when the container starts.
    /// Applying a changed ConfigMap changes nothing in the running pods, and
    /// because the pod template did not change no rollout starts: the new
    /// setting arrives pod by pod as pods happen to restart, so replicas
    /// run with different settings for days, and rolling back the
    /// Deployment does not bring the old values back.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata: {name: web-config, namespace: shop}
    /// data: {LOG_LEVEL: info}
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec:
    ///       containers:
    ///         - {name: web, image: "web:1.0", envFrom: [{configMapRef: {name: web-config}}]}
    /// ```
    ///
    /// ## Fix
    /// Version the ConfigMap's name (kustomize's `configMapGenerator` does
    /// it by hash), or annotate the pod template with a checksum of its
    /// content (Helm: `checksum/config: {{ include ... | sha256sum }}`):
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata: {name: web-config-v2, namespace: shop}
    /// data: {LOG_LEVEL: info}
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec:
    ///       containers:
    ///         - {name: web, image: "web:1.0", envFrom: [{configMapRef: {name: web-config-v2}}]}
    /// ```
    ///
    /// ## References
    /// - ConfigMaps consumed as environment variables are not updated automatically ("require a pod restart"): https://kubernetes.io/docs/concepts/configuration/configmap/#mounted-configmaps-are-updated-automatically
    /// - Deployment rollouts start only when the pod template changes: https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#updating-a-deployment
    /// - Helm, automatically roll deployments (`checksum/config` annotation): https://helm.sh/docs/howto/charts_tips_and_tricks/#automatically-roll-deployments
    /// - kustomize `configMapGenerator` (content hash suffix): https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/configmapgenerator/
    pub(crate) struct ConfigChangeDoesNotRoll {
        id: "ROLLOUT010",
        name: "config-change-does-not-roll",
        severity: Info,
        scope: Scope::Object(&["Deployment", "StatefulSet", "DaemonSet"]),
        fix: Sometimes,
        since: "0.1.0",
    }
}

/// `web-config-v3`, `web-config-7f9c8d6b5k`, `settings-2024-05`: the last
/// dash-separated part carries a digit.
fn versioned(name: &str) -> bool {
    name.rsplit_once(['-', '.'])
        .is_some_and(|(_, last)| last.chars().any(|c| c.is_ascii_digit()))
}

/// The pod template or workload says how config changes roll the pods.
fn rolls_on_change(object: &ObjectView<'_>) -> bool {
    let keys = |meta: Option<Value<'_>>| -> Vec<String> {
        meta.and_then(|m| m.get("annotations"))
            .into_iter()
            .flat_map(Value::entries)
            .filter_map(|(k, _)| k.as_str().map(str::to_ascii_lowercase))
            .collect()
    };
    keys(object.pod_metadata())
        .iter()
        .any(|k| k.contains("checksum") || k.contains("hash") || k.ends_with("restartedat"))
        || keys(object.metadata())
            .iter()
            .any(|k| k.contains("reloader"))
}

/// Name nodes of the ConfigMaps the containers read into env, in order.
fn env_config_maps<'m>(object: &ObjectView<'m>) -> Vec<Value<'m>> {
    let mut out = Vec::new();
    for container in object.containers() {
        for env in container.env() {
            out.extend(env.node.path(&["valueFrom", "configMapKeyRef", "name"]));
        }
        for source in container
            .node
            .get("envFrom")
            .into_iter()
            .flat_map(Value::items)
        {
            out.extend(source.path(&["configMapRef", "name"]));
        }
    }
    out.sort_by_key(|n| n.span().start);
    out
}

impl Rule for ConfigChangeDoesNotRoll {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        if rolls_on_change(object) {
            return;
        }
        let namespace = object.object.namespace.as_deref().unwrap_or("");
        let mut seen: Vec<&str> = Vec::new();
        for node in env_config_maps(object) {
            let Some(name) = node.as_str() else {
                continue;
            };
            if seen.contains(&name) || versioned(name) {
                continue;
            }
            seen.push(name);
            let model = ctx.model;
            let Some(config_map) = model
                .index
                .find("ConfigMap", namespace, name)
                .or_else(|| model.index.find("ConfigMap", "", name))
                .and_then(|i| model.objects.get(i))
                .and_then(|o| ObjectView::new(model, o))
            else {
                continue;
            };
            if config_map.root.get("immutable").and_then(k8s_bool) == Some(true) {
                continue;
            }
            let message = format!(
                "{} reads {} into environment variables, but nothing rolls its pods when the ConfigMap changes: running pods keep the old values until they restart",
                object.display(),
                config_map.display()
            );
            out.push(
                out.at(object.at(node.span()), message)
                    .object(object.display())
                    .fix(format!(
                        "version the ConfigMap's name (e.g. {}) or annotate the pod template with a checksum of its data (`checksum/config`)",
                        code(&format!("{name}-v2"))
                    )),
            );
        }
    }
}
