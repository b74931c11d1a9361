use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::{code, quote};
use assay_model::ObjectView;
use assay_yaml::{ScalarType, Value, resolve_yaml11};

declare_rule! {
    /// An unquoted value Kubernetes reads as a boolean or number in a string field
    ///
    /// ## What it checks
    /// Fields the Kubernetes API types as strings — label and annotation values
    /// (of the object and of its pod template), `nodeSelector` values, container
    /// `env[].value`, `command` and `args` items, and ConfigMap `data` /
    /// Secret `stringData` values — written as plain scalars that YAML 1.1
    /// resolves to something else: `yes`, `no`, `on`, `off`, `y`, `n`,
    /// `true`, `false` (booleans), `1.0`, `0755`, `1e3` (numbers).
    ///
    /// ## Why it matters
    /// Kubernetes reads manifests through `sigs.k8s.io/yaml`, which follows
    /// YAML 1.1 (go-yaml v2). `DEBUG: on` becomes the boolean `true`, and the API
    /// server rejects the object: "cannot unmarshal bool into Go struct field
    /// EnvVar.value of type string". A number loses its spelling (`1.10` is
    /// `1.1`). Many editors and YAML 1.2 tools show these as strings, so the
    /// mistake survives review.
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
    ///       env:
    ///         - name: FEATURE_CACHE
    ///           value: on
    /// ```
    ///
    /// ## Fix
    /// Quote the value:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       env:
    ///         - name: FEATURE_CACHE
    ///           value: "on"
    /// ```
    ///
    /// ## References
    /// - sigs.k8s.io/yaml (YAML to JSON with go-yaml v2): https://github.com/kubernetes-sigs/yaml
    /// - YAML 1.1 boolean type: https://yaml.org/type/bool.html
    pub(crate) struct AmbiguousScalar {
        id: "YAML006",
        name: "ambiguous-scalar",
        severity: Error,
        scope: Scope::Object(&[]),
        fix: Always,
        since: "0.1.0",
    }
}

fn check_scalar(object: &ObjectView<'_>, field: &str, value: Value<'_>, out: &mut Findings<'_>) {
    let Some((text, style)) = value.as_scalar() else {
        return;
    };
    let read_as = match resolve_yaml11(text, style) {
        ScalarType::Bool(b) => format!("the boolean {b}"),
        ScalarType::Int | ScalarType::Float => "a number".to_owned(),
        ScalarType::Null | ScalarType::Str => return,
    };
    let finding = out
        .at(
            object.at(value.span()),
            format!("{field} {} is read by Kubernetes (YAML 1.1) as {read_as}, but the field is a string", code(text)),
        )
        .object(object.display())
        .fix(format!("quote it: {}", quote(text)));
    out.push(finding);
}

fn check_map_values(
    object: &ObjectView<'_>,
    field: &str,
    map: Option<Value<'_>>,
    out: &mut Findings<'_>,
) {
    for (key, value) in map.into_iter().flat_map(Value::entries) {
        let name = key.as_str().unwrap_or_default();
        check_scalar(object, &format!("{field} {} value", code(name)), value, out);
    }
}

impl Rule for AmbiguousScalar {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let mut metadatas = vec![object.metadata()];
        if object.kind() != "Pod" {
            metadatas.push(object.pod_metadata());
        }
        for metadata in metadatas.into_iter().flatten() {
            check_map_values(object, "label", metadata.get("labels"), out);
            check_map_values(object, "annotation", metadata.get("annotations"), out);
        }
        match object.kind() {
            "ConfigMap" => check_map_values(object, "data", object.root.get("data"), out),
            "Secret" => check_map_values(object, "stringData", object.root.get("stringData"), out),
            _ => {}
        }
        if let Some(pod) = object.pod_spec() {
            check_map_values(object, "nodeSelector", pod.get("nodeSelector"), out);
        }
        for container in object.containers() {
            for env in container.env() {
                if let Some(value) = env.value {
                    let name = env.name.unwrap_or("<unnamed>");
                    check_scalar(object, &format!("env {} value", code(name)), value, out);
                }
            }
            for list in ["command", "args"] {
                for item in container.node.get(list).into_iter().flat_map(Value::items) {
                    check_scalar(object, &format!("{list} item"), item, out);
                }
            }
        }
    }
}
