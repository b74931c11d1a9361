use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::code;
use assay_model::{DataView, ObjectView, k8s_bool};
use assay_yaml::Value;

declare_rule! {
    /// An env var or volume reads a ConfigMap or Secret key that is not there
    ///
    /// ## What it checks
    /// In each pod template (and Pod): `env[].valueFrom.configMapKeyRef` and
    /// `secretKeyRef` of every container, and `items[].key` of `configMap`
    /// and `secret` volumes (also inside `projected` volumes), whose
    /// ConfigMap or Secret is in the deliverable but has no such key in
    /// `data`, `binaryData` or (Secret) `stringData`. References marked
    /// `optional: true` are fine. A missing object is GRAPH009's finding;
    /// an object written with no data at all is taken to be filled by
    /// something else (an operator, a secrets manager) and is not checked;
    /// a `kubernetes.io/service-account-token` Secret gets its keys from
    /// the token controller.
    ///
    /// ## Why it matters
    /// The kubelet cannot build the container's environment and the pod
    /// stays in `CreateContainerConfigError` (`couldn't find key LOG_LEVEL
    /// in ConfigMap shop/web-config`); a volume item with a missing key
    /// fails the mount (`configmap references non-existent config key`)
    /// and keeps the pod in `ContainerCreating`. In a rollout, every new pod
    /// fails the same way: with `maxUnavailable: 0` the rollout stalls, and
    /// otherwise it takes old pods down first.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata: {name: web-config, namespace: shop}
    /// data: {log_level: info}
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
    ///         - name: web
    ///           image: "web:1.0"
    ///           env:
    ///             - name: LOG_LEVEL
    ///               valueFrom: {configMapKeyRef: {name: web-config, key: LOG_LEVEL}}
    /// ```
    ///
    /// ## Fix
    /// Read a key the object has (or add the key, or mark the reference
    /// `optional: true` when the application has a default):
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata: {name: web-config, namespace: shop}
    /// data: {log_level: info}
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
    ///         - name: web
    ///           image: "web:1.0"
    ///           env:
    ///             - name: LOG_LEVEL
    ///               valueFrom: {configMapKeyRef: {name: web-config, key: log_level}}
    /// ```
    ///
    /// ## References
    /// - Define container environment variables using ConfigMap data ("If the key doesn't exist ... the Pod won't start", `optional`): https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/#define-container-environment-variables-using-configmap-data
    /// - Using Secrets as environment variables and optional Secrets: https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables
    /// - Projected keys in volumes (`items`): https://kubernetes.io/docs/concepts/configuration/configmap/#using-configmaps-as-files-from-a-pod
    /// - kubernetes `pkg/kubelet/kubelet_pods.go` (`makeEnvironmentVariables`: "couldn't find key %v in ConfigMap %v/%v"): https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/kubelet_pods.go
    pub(crate) struct ConfigKeyMissing {
        id: "ROLLOUT009",
        name: "config-key-missing",
        severity: Error,
        scope: Scope::Object(&[
            "Pod",
            "Deployment",
            "StatefulSet",
            "DaemonSet",
            "ReplicaSet",
            "ReplicationController",
            "Job",
            "CronJob",
        ]),
        fix: Sometimes,
        since: "0.1.0",
    }
}

/// One keyed reference: the kind, the object's name and the `key` node.
struct KeyRef<'m> {
    kind: &'static str,
    name: &'m str,
    key: Value<'m>,
    /// A volume item (the mount fails) rather than an env var.
    volume: bool,
}

fn optional(source: Value<'_>) -> bool {
    source.get("optional").and_then(k8s_bool) == Some(true)
}

fn key_refs<'m>(object: &ObjectView<'m>) -> Vec<KeyRef<'m>> {
    let mut out = Vec::new();
    for container in object.containers() {
        for env in container.env() {
            for (kind, field) in [("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")] {
                let Some(source) = env.node.path(&["valueFrom", field]) else {
                    continue;
                };
                if optional(source) {
                    continue;
                }
                if let (Some(name), Some(key)) = (source.get_str("name"), source.get("key")) {
                    out.push(KeyRef {
                        kind,
                        name,
                        key,
                        volume: false,
                    });
                }
            }
        }
    }
    let volumes = object.pod_spec().and_then(|p| p.get("volumes"));
    let mut sources = Vec::new();
    for volume in volumes.into_iter().flat_map(Value::items) {
        sources.push(("ConfigMap", volume.get("configMap"), "name"));
        sources.push(("Secret", volume.get("secret"), "secretName"));
        for projected in volume
            .path(&["projected", "sources"])
            .into_iter()
            .flat_map(Value::items)
        {
            sources.push(("ConfigMap", projected.get("configMap"), "name"));
            sources.push(("Secret", projected.get("secret"), "name"));
        }
    }
    for (kind, source, name_key) in sources {
        let Some(source) = source.filter(|s| !optional(*s)) else {
            continue;
        };
        let Some(name) = source.get_str(name_key) else {
            continue;
        };
        for item in source.get("items").into_iter().flat_map(Value::items) {
            if let Some(key) = item.get("key") {
                out.push(KeyRef {
                    kind,
                    name,
                    key,
                    volume: true,
                });
            }
        }
    }
    out
}

/// The ConfigMap or Secret a reference names, in the object's namespace
/// (or written without one).
fn find_data<'m>(
    ctx: &Context<'m>,
    kind: &str,
    namespace: &str,
    name: &str,
) -> Option<DataView<'m>> {
    let model = ctx.model;
    // An unset namespace is `default` once applied (or the `-n` of the apply).
    let candidates: &[&str] = if matches!(namespace, "" | "default") {
        &["", "default"]
    } else {
        &[namespace, ""]
    };
    let index = candidates
        .iter()
        .find_map(|ns| model.index.find(kind, ns, name))?;
    DataView::new(ObjectView::new(model, model.objects.get(index)?)?)
}

impl Rule for ConfigKeyMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let namespace = object.object.namespace.as_deref().unwrap_or("");
        for reference in key_refs(object) {
            let Some(key) = reference.key.as_str() else {
                continue;
            };
            let Some(data) = find_data(ctx, reference.kind, namespace, reference.name) else {
                continue;
            };
            if data.object.root.get_str("type") == Some("kubernetes.io/service-account-token") {
                continue;
            }
            let entries = data.entries();
            if entries.is_empty() || entries.iter().any(|(k, _)| k.as_str() == Some(key)) {
                continue;
            }
            let mut keys: Vec<&str> = entries.iter().filter_map(|(k, _)| k.as_str()).collect();
            keys.sort_unstable();
            let guess = assay_diagnostics::closest(key, keys.iter().copied());
            let consequence = if reference.volume {
                "the volume cannot be mounted and the pod stays in `ContainerCreating`"
            } else {
                "the pod fails with `CreateContainerConfigError`"
            };
            let mut message = format!(
                "{} reads key {} of {}, which has no such key: {consequence}",
                object.display(),
                code(key),
                data.object.display()
            );
            let fix = match guess {
                Some(g) => {
                    message.push_str(&format!("; did you mean {}?", code(g)));
                    format!(
                        "write {}, or add the key to {}",
                        code(&format!("key: {g}")),
                        data.object.display()
                    )
                }
                None => format!(
                    "add the key to {} or mark the reference `optional: true`",
                    data.object.display()
                ),
            };
            out.push(
                out.at(object.at(reference.key.span()), message)
                    .object(object.display())
                    .fix(fix),
            );
        }
    }
}
