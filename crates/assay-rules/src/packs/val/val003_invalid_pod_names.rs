use super::{
    REJECTS, dns1123_label, env_var_name, first_error, k8s_str, nodes_at, pod_spec_path, port_name,
};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;
use assay_model::WORKLOAD_KINDS;
use assay_yaml::Value;
use std::collections::BTreeSet;

declare_rule! {
    /// A container, port, volume or env name the server rejects, or an unknown mount
    ///
    /// ## What it checks
    /// In every pod spec (Pods and workload templates): container names
    /// (DNS-1123 labels, unique across init, regular and ephemeral
    /// containers); container port names (IANA service names: at most 15
    /// characters of `a-z`, `0-9` and `-`, at least one letter, no `--`, not
    /// starting or ending with `-`), unique within a container; volume names
    /// (DNS-1123 labels, unique); every `volumeMounts[].name` is a declared
    /// volume, every `mountPath` unique within the container, every
    /// `subPath` relative and without `..`; environment variable names (up
    /// to 1.31: letters, digits, `_`, `-`, `.`, not starting with a digit;
    /// from 1.32, with `RelaxedEnvironmentVariableValidation` on by default:
    /// any printable ASCII but `=`; never `.`, `..` or starting with `..`).
    ///
    /// ## Why it matters
    /// Each is a `kubectl apply` failure the schema cannot see, e.g.
    /// `spec.template.spec.containers[0].volumeMounts[0].name: Not found:
    /// "config"` after a volume was renamed, or a port named `http-metrics-port`
    /// (16 characters).
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
    ///       volumeMounts:
    ///         - name: config
    ///           mountPath: /etc/nginx/conf.d
    ///   volumes:
    ///     - name: nginx-config
    ///       configMap:
    ///         name: nginx
    /// ```
    ///
    /// ## Fix
    /// Mount a volume the pod declares:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       volumeMounts:
    ///         - name: nginx-config
    ///           mountPath: /etc/nginx/conf.d
    ///   volumes:
    ///     - name: nginx-config
    ///       configMap:
    ///         name: nginx
    /// ```
    ///
    /// ## References
    /// - kubernetes `pkg/apis/core/validation/validation.go`: `ValidateVolumes` (names, "Duplicate value"), `validateContainerPorts` (`IsValidPortName`, "Duplicate value"), `ValidateVolumeMounts` ("Not found", "must be unique", `validateLocalDescendingPath`: "must be a relative path", "must not contain '..'"), `ValidateEnv` (`IsEnvVarName` / `IsRelaxedEnvVarName`), `validateContainers` / `validateInitContainers` (container names, unique across kinds): https://github.com/kubernetes/kubernetes
    /// - apimachinery `pkg/util/validation/validation.go` (`IsDNS1123Label`, `IsValidPortName`, `IsEnvVarName`, `IsRelaxedEnvVarName`): https://github.com/kubernetes/apimachinery
    /// - KEP-4369 (relaxed environment variable names): https://github.com/kubernetes/enhancements/issues/4369
    pub(crate) struct InvalidPodNames {
        id: "VAL003",
        name: "invalid-pod-names",
        severity: Error,
        scope: Scope::Object(WORKLOAD_KINDS),
        fix: Never,
        since: "0.1.0",
    }
}

fn names_of(list: Option<Value<'_>>) -> impl Iterator<Item = (usize, Value<'_>)> {
    list.into_iter()
        .flat_map(Value::items)
        .enumerate()
        .filter_map(|(i, item)| item.get("name").map(|n| (i, n)))
}

/// A duplicate in `seen`, in the server's `field.Duplicate` wording.
fn duplicate(seen: &mut BTreeSet<String>, path: &str, node: Value<'_>) -> Option<String> {
    let text = k8s_str(node)?;
    (!seen.insert(text.to_owned()))
        .then(|| format!("{path}: Duplicate value: \"{text}\"; {REJECTS}"))
}

impl Rule for InvalidPodNames {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(pod) = object.pod_spec() else {
            return;
        };
        let base = pod_spec_path(object);
        let relaxed_env = ctx.kubernetes_version.minor >= 32 || ctx.kubernetes_version.major > 1;
        let mut found: Vec<(assay_span::Span, String)> = Vec::new();

        let mut volumes = BTreeSet::new();
        for (i, name) in names_of(pod.get("volumes")) {
            let path = format!("{base}.volumes[{i}].name");
            found.extend(first_error(name, &path, dns1123_label).map(|m| (name.span(), m)));
            found.extend(duplicate(&mut volumes, &path, name).map(|m| (name.span(), m)));
        }

        // A StatefulSet's claim templates are volumes of its pods too.
        if object.kind() == "StatefulSet" {
            for (name, _) in nodes_at(
                object.root,
                "",
                &["spec", "volumeClaimTemplates", "*", "metadata", "name"],
            ) {
                if let Some(text) = k8s_str(name) {
                    volumes.insert(text.to_owned());
                }
            }
        }
        let mut containers = BTreeSet::new();
        for list in ["initContainers", "containers", "ephemeralContainers"] {
            for (i, container) in pod.get(list).into_iter().flat_map(Value::items).enumerate() {
                let cpath = format!("{base}.{list}[{i}]");
                if let Some(name) = container.get("name") {
                    let path = format!("{cpath}.name");
                    found.extend(first_error(name, &path, dns1123_label).map(|m| (name.span(), m)));
                    found.extend(duplicate(&mut containers, &path, name).map(|m| (name.span(), m)));
                }
                let mut ports = BTreeSet::new();
                for (p, name) in names_of(container.get("ports")) {
                    let path = format!("{cpath}.ports[{p}].name");
                    found.extend(first_error(name, &path, port_name).map(|m| (name.span(), m)));
                    found.extend(duplicate(&mut ports, &path, name).map(|m| (name.span(), m)));
                }
                let mut mount_paths = BTreeSet::new();
                for (m, mount) in container
                    .get("volumeMounts")
                    .into_iter()
                    .flat_map(Value::items)
                    .enumerate()
                {
                    let mpath = format!("{cpath}.volumeMounts[{m}]");
                    if let Some(name) = mount.get("name")
                        && let Some(text) = k8s_str(name).filter(|n| !volumes.contains(*n))
                    {
                        found.push((
                            name.span(),
                            format!("{mpath}.name: Not found: \"{text}\"; {REJECTS}"),
                        ));
                    }
                    if let Some(mount_path) = mount.get("mountPath") {
                        found.extend(duplicate(&mut mount_paths, &format!("{mpath}.mountPath"), mount_path).map(|_| {
                            (mount_path.span(), format!("{mpath}.mountPath: Invalid value: \"{}\": must be unique; {REJECTS}", mount_path.as_str().unwrap_or_default()))
                        }));
                    }
                    if let Some(sub_path) = mount.get("subPath")
                        && let Some(text) = k8s_str(sub_path)
                    {
                        let problem = if text.starts_with('/') {
                            Some("must be a relative path")
                        } else if text.split('/').any(|part| part == "..") {
                            Some("must not contain '..'")
                        } else {
                            None
                        };
                        if let Some(problem) = problem {
                            found.push((
                                sub_path.span(),
                                super::invalid(&format!("{mpath}.subPath"), text, problem),
                            ));
                        }
                    }
                }
                for (e, name) in names_of(container.get("env")) {
                    let path = format!("{cpath}.env[{e}].name");
                    found.extend(
                        first_error(name, &path, |n| env_var_name(n, relaxed_env))
                            .map(|m| (name.span(), m)),
                    );
                }
            }
        }
        for (span, message) in found {
            let finding = out.at(object.at(span), message).object(object.display());
            out.push(finding);
        }
    }
}
