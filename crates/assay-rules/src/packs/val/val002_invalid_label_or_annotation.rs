use super::{REJECTS, invalid, k8s_str, label_value, qualified_name};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;
use assay_yaml::Value;

declare_rule! {
    /// A label key or value, selector key or annotation key the API server rejects
    ///
    /// ## What it checks
    /// Label keys (an optional DNS subdomain prefix and `/`, then a name of
    /// at most 63 characters: alphanumerics, `-`, `_`, `.`, starting and
    /// ending with an alphanumeric) and label values (empty, or at most 63
    /// such characters) in `metadata.labels`, in a workload's pod template
    /// labels, in a Service's `spec.selector` and in the `matchLabels` and
    /// `matchExpressions[].key` of `spec.selector`; annotation keys (the
    /// same rule, case ignored) and the total size of an object's
    /// annotations (keys and values, at most 256 KiB).
    ///
    /// ## Why it matters
    /// The API server rejects the object (`metadata.labels: Invalid value:
    /// "release/v1.2/x": a valid label key must consist of ...`). A label
    /// value longer than 63 characters (a commit message, a URL) is a common
    /// cause in generated manifests; annotations over 256 KiB are the classic
    /// `kubectl apply` failure ("metadata.annotations: Too long") for big
    /// ConfigMaps and CRDs.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    ///   labels:
    ///     team: platform/core
    /// data:
    ///   mode: fast
    /// ```
    ///
    /// ## Fix
    /// Label values cannot contain `/`: use another character:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    ///   labels:
    ///     team: platform.core
    /// data:
    ///   mode: fast
    /// ```
    ///
    /// ## References
    /// - apimachinery `pkg/apis/meta/v1/validation/validation.go` (`ValidateLabels`, `ValidateLabelName`, `ValidateLabelSelector`): https://github.com/kubernetes/apimachinery
    /// - apimachinery `pkg/api/validation/objectmeta.go` (`ValidateAnnotations`, `TotalAnnotationSizeLimitB = 256 * (1 << 10)`)
    /// - apimachinery `pkg/api/validate/content/kube.go` (`IsLabelKey`, `IsLabelValue`)
    /// - Labels and selectors, syntax and character set: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
    pub(crate) struct InvalidLabelOrAnnotation {
        id: "VAL002",
        name: "invalid-label-or-annotation",
        severity: Error,
        scope: Scope::Object(&[]),
        fix: Never,
        since: "0.1.0",
    }
}

const MAX_ANNOTATIONS_BYTES: usize = 256 * 1024;

/// Label maps to check, with the path the server names.
fn label_maps<'m>(object: &ObjectView<'m>) -> Vec<(Value<'m>, String)> {
    let mut maps = Vec::new();
    let mut push = |node: Option<Value<'m>>, path: String| {
        if let Some(node) = node.filter(|n| n.is_mapping()) {
            maps.push((node, path));
        }
    };
    push(
        object.root.path(&["metadata", "labels"]),
        "metadata.labels".to_owned(),
    );
    if object.kind() != "Pod" {
        push(
            object.pod_metadata().and_then(|m| m.get("labels")),
            format!("{}.metadata.labels", template_path(object)),
        );
    }
    let selector = object.root.path(&["spec", "selector"]);
    if object.kind() == "Service" {
        push(selector, "spec.selector".to_owned());
    } else {
        push(
            selector.and_then(|s| s.get("matchLabels")),
            "spec.selector.matchLabels".to_owned(),
        );
    }
    maps
}

fn template_path(object: &ObjectView<'_>) -> &'static str {
    match object.kind() {
        "CronJob" => "spec.jobTemplate.spec.template",
        "PodTemplate" => "template",
        _ => "spec.template",
    }
}

impl Rule for InvalidLabelOrAnnotation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let mut found: Vec<(assay_span::Span, String)> = Vec::new();
        for (map, path) in label_maps(object) {
            for (key, value) in map.entries() {
                if let Some(k) = k8s_str(key) {
                    let errors = qualified_name(k);
                    if !errors.is_empty() {
                        found.push((key.span(), invalid(&path, k, &errors.join(", "))));
                    }
                }
                if let Some(v) = k8s_str(value) {
                    let errors = label_value(v);
                    if !errors.is_empty() {
                        found.push((
                            value.span(),
                            invalid(
                                &format!("{path}[{}]", key.as_str().unwrap_or_default()),
                                v,
                                &errors.join(", "),
                            ),
                        ));
                    }
                }
            }
        }
        let expressions = object
            .root
            .path(&["spec", "selector", "matchExpressions"])
            .into_iter()
            .flat_map(Value::items);
        for (index, expression) in expressions.enumerate() {
            if let Some(key) = expression.get("key")
                && let Some(k) = k8s_str(key)
            {
                let errors = qualified_name(k);
                if !errors.is_empty() {
                    found.push((
                        key.span(),
                        invalid(
                            &format!("spec.selector.matchExpressions[{index}].key"),
                            k,
                            &errors.join(", "),
                        ),
                    ));
                }
            }
        }
        let mut annotation_maps = vec![(
            object.root.path(&["metadata", "annotations"]),
            "metadata.annotations".to_owned(),
        )];
        if object.kind() != "Pod" {
            annotation_maps.push((
                object.pod_metadata().and_then(|m| m.get("annotations")),
                format!("{}.metadata.annotations", template_path(object)),
            ));
        }
        for (map, path) in annotation_maps {
            let Some(map) = map.filter(|m| m.is_mapping()) else {
                continue;
            };
            let mut total = 0usize;
            for (key, value) in map.entries() {
                let k = key.as_str().unwrap_or_default();
                total = total
                    .saturating_add(k.len())
                    .saturating_add(value.as_str().map_or(0, str::len));
                let errors = qualified_name(&k.to_ascii_lowercase());
                if !errors.is_empty() {
                    found.push((key.span(), invalid(&path, k, &errors.join(", "))));
                }
            }
            if total > MAX_ANNOTATIONS_BYTES {
                let at = object
                    .root
                    .path(&["metadata"])
                    .and_then(|m| m.entry("annotations"))
                    .filter(|_| path == "metadata.annotations")
                    .map_or(map.span(), |(k, _)| k.span());
                found.push((
                    at,
                    format!("{path}: Too long: may not be more than {MAX_ANNOTATIONS_BYTES} bytes (these are {total}); {REJECTS}"),
                ));
            }
        }
        for (span, message) in found {
            let finding = out
                .at(object.at(span), message)
                .object(object.display())
                .fix("label keys and values: at most 63 characters of letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit (a key may have a DNS prefix and `/`); move large data out of annotations");
            out.push(finding);
        }
    }
}
