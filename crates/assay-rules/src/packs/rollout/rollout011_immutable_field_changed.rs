use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::code;
use assay_model::{ObjectView, k8s_bool};
use assay_yaml::Value;

declare_rule! {
    /// A field the API server never lets change differs from the previous deliverable
    ///
    /// ## What it checks
    /// Runs with `--previous OLD` (or `previous:` in `.assay.yaml`): each
    /// object is compared with the object of the same kind, namespace and
    /// name in the previous deliverable, field by field, for the fields
    /// the API server's update validation forbids changing:
    ///
    /// - Deployment, ReplicaSet, DaemonSet: `spec.selector`;
    /// - StatefulSet: `spec.selector`, `spec.serviceName`,
    ///   `spec.volumeClaimTemplates`, `spec.podManagementPolicy` (only
    ///   `replicas`, `ordinals`, `template`, `updateStrategy`,
    ///   `revisionHistoryLimit`, `persistentVolumeClaimRetentionPolicy`
    ///   and `minReadySeconds` may change);
    /// - Job: `spec.selector`, `spec.template` (a Job's pod template is
    ///   fixed once created; a Job is usually deleted and re-created);
    /// - Service: `spec.clusterIP` / `spec.clusterIPs[0]` once written
    ///   (also turning a Service with an allocated address into a headless
    ///   one, `clusterIP: None`) and the primary family `spec.ipFamilies[0]`,
    ///   unless either version is of `type: ExternalName`;
    /// - PersistentVolumeClaim: `spec` other than `resources.requests`
    ///   and `volumeAttributesClassName` (`accessModes`, `storageClassName`,
    ///   `volumeMode`, `selector`, `volumeName`, `dataSource`,
    ///   `dataSourceRef`), and a smaller `resources.requests.storage`;
    /// - ConfigMap and Secret that were `immutable: true`: `data`,
    ///   `binaryData` (and a Secret's `stringData`), and `immutable` itself.
    ///
    /// Fields are compared as written: a field left out of either version
    /// is not compared (the server may have defaulted or allocated it).
    /// Messages name field paths, never values. Changes to the scheduling
    /// fields a suspended Job may change are reported like any other
    /// template change.
    ///
    /// ## Why it matters
    /// `kubectl apply` (and `helm upgrade`, Argo CD, Flux) sends the change,
    /// the API server rejects it (`spec.selector: Invalid value: ...: field
    /// is immutable`, `spec: Forbidden: updates to statefulset spec for
    /// fields other than ...`) and the release stops half-applied: objects
    /// before it in the stream are new, the rest old. The only way through
    /// is deleting and recreating the object (`kubectl delete statefulset
    /// --cascade=orphan`), which must be planned, not discovered in the
    /// pipeline.
    ///
    /// ## Example
    /// The text below `# --previous` stands for the previous deliverable
    /// given to `--previous` (in the tests; on the command line it is a
    /// separate folder):
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: web, tier: front}}
    ///   template:
    ///     metadata: {labels: {app: web, tier: front}}
    ///     spec: {containers: [{name: web, image: "web:1.1"}]}
    /// # --previous
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec: {containers: [{name: web, image: "web:1.0"}]}
    /// ```
    ///
    /// ## Fix
    /// Keep the immutable fields as they were (add labels to the pod
    /// template only), or plan a delete and re-create:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web, tier: front}}
    ///     spec: {containers: [{name: web, image: "web:1.1"}]}
    /// # --previous
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec: {containers: [{name: web, image: "web:1.0"}]}
    /// ```
    ///
    /// ## References
    /// - kubernetes `pkg/apis/apps/validation/validation.go`: `ValidateDeploymentUpdate`, `ValidateReplicaSetUpdate`, `ValidateDaemonSetUpdate` (`apimachineryvalidation.ValidateImmutableField` on `spec.selector`), `ValidateStatefulSetUpdate` ("updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"): https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/apps/validation/validation.go
    /// - kubernetes `pkg/apis/batch/validation/validation.go` (`ValidateJobSpecUpdate`: `selector` and `template` immutable): https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/batch/validation/validation.go
    /// - kubernetes `pkg/apis/core/validation/validation.go`: `ValidateServiceUpdate` (`clusterIP`, `clusterIPs[0]`, `ipFamilies[0]`), `ValidatePersistentVolumeClaimUpdate` ("spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"; "field can not be less than previous value"), `ValidateConfigMapUpdate` and `ValidateSecretUpdate` ("field is immutable when `immutable` is set"): https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go
    /// - Deployment, label selector updates ("In API version apps/v1, a Deployment's label selector is immutable after it gets created"): https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#label-selector-updates
    /// - Immutable ConfigMaps: https://kubernetes.io/docs/concepts/configuration/configmap/#configmap-immutable
    pub(crate) struct ImmutableFieldChanged {
        id: "ROLLOUT011",
        name: "immutable-field-changed",
        severity: Error,
        scope: Scope::Object(&[
            "Deployment",
            "ReplicaSet",
            "DaemonSet",
            "StatefulSet",
            "Job",
            "Service",
            "PersistentVolumeClaim",
            "ConfigMap",
            "Secret",
        ]),
        fix: Never,
        since: "0.1.0",
    }
}

/// Deepest nesting compared (the loader's own `max-depth` default is 256).
const MAX_COMPARE_DEPTH: usize = 256;

/// Nodes visited per compared field at most: aliases are references, so a
/// "billion laughs" field would otherwise take exponential time. A field
/// too large to compare is not reported.
const MAX_COMPARED_NODES: usize = 100_000;

/// Where two versions of a field first differ: the dotted path below the
/// field and the node of the new version to point at (absent when the new
/// version dropped it).
struct Difference<'m> {
    path: String,
    node: Option<Value<'m>>,
}

/// Entries of a mapping with a non-null value, sorted by key.
fn live_entries(node: Value<'_>) -> Vec<(&str, Value<'_>)> {
    let mut entries: Vec<(&str, Value<'_>)> = node
        .entries()
        .filter(|(_, v)| !v.is_null())
        .filter_map(|(k, v)| Some((k.as_str()?, v)))
        .collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

/// The first place `new` differs from `old` (keys compared as sets, lists
/// in order, scalars by text as the API server compares parsed values).
fn first_difference<'m>(
    old: Value<'_>,
    new: Value<'m>,
    path: &str,
    depth: usize,
    budget: &mut usize,
) -> Option<Difference<'m>> {
    let differs = || {
        Some(Difference {
            path: path.to_owned(),
            node: Some(new),
        })
    };
    if depth > MAX_COMPARE_DEPTH || *budget == 0 {
        return None;
    }
    *budget -= 1;
    if old.is_mapping() && new.is_mapping() {
        let (old_entries, new_entries) = (live_entries(old), live_entries(new));
        for (key, new_value) in &new_entries {
            let child = format!("{path}.{key}");
            match old_entries.iter().find(|(k, _)| k == key) {
                Some((_, old_value)) => {
                    if let Some(d) =
                        first_difference(*old_value, *new_value, &child, depth + 1, budget)
                    {
                        return Some(d);
                    }
                }
                None => {
                    return Some(Difference {
                        path: child,
                        node: Some(*new_value),
                    });
                }
            }
        }
        return old_entries
            .iter()
            .find(|(k, _)| !new_entries.iter().any(|(n, _)| n == k))
            .map(|(key, _)| Difference {
                path: format!("{path}.{key}"),
                node: None,
            });
    }
    if old.is_sequence() && new.is_sequence() {
        for (i, (o, n)) in old.items().zip(new.items()).enumerate() {
            if let Some(d) = first_difference(o, n, &format!("{path}[{i}]"), depth + 1, budget) {
                return Some(d);
            }
        }
        return (old.len() != new.len()).then(differs).flatten();
    }
    if old.is_null() && new.is_null() {
        return None;
    }
    match (old.as_str(), new.as_str()) {
        (Some(a), Some(b)) if a == b => None,
        _ => differs(),
    }
}

/// One immutable field that changed.
struct Change<'m> {
    /// `spec.selector.matchLabels.tier`.
    path: String,
    /// The node of the new object to point at.
    node: Value<'m>,
    /// What the API server says, and why.
    why: &'static str,
}

/// Compare `field` (a path from the root) of both versions; a field left
/// out of either version is not compared.
fn compare<'m>(
    old: &ObjectView<'_>,
    new: &ObjectView<'m>,
    field: &[&str],
    why: &'static str,
    out: &mut Vec<Change<'m>>,
) {
    let (Some(old_value), Some(new_value)) = (old.root.path(field), new.root.path(field)) else {
        return;
    };
    let mut budget = MAX_COMPARED_NODES;
    if let Some(d) = first_difference(old_value, new_value, &field.join("."), 0, &mut budget) {
        out.push(Change {
            path: d.path,
            node: d.node.unwrap_or(new_value),
            why,
        });
    }
}

const SELECTOR: &str = "the selector is immutable (`field is immutable`)";
const STATEFULSET: &str = "a StatefulSet may only change `replicas`, `ordinals`, `template`, `updateStrategy`, `revisionHistoryLimit`, `persistentVolumeClaimRetentionPolicy` and `minReadySeconds`";
const JOB: &str = "a Job's selector and pod template are immutable";
const CLUSTER_IP: &str = "a Service's cluster IP cannot change once allocated";
const IP_FAMILY: &str = "a Service's primary IP family cannot change";
const CLAIM: &str = "a PersistentVolumeClaim's spec is immutable except `resources.requests` and `volumeAttributesClassName`";
const CLAIM_SHRINK: &str =
    "a claim's storage request may grow but `can not be less than previous value`";
const IMMUTABLE_DATA: &str = "the object was `immutable: true`: its data and the flag are `field is immutable when immutable is set`";

/// `spec.KEY`, or its first item when it is a list (`clusterIPs`, `ipFamilies`).
fn primary<'a>(o: &ObjectView<'a>, key: &str) -> Option<Value<'a>> {
    let node = o.root.path(&["spec", key])?;
    if node.is_sequence() {
        node.items().next()
    } else {
        Some(node)
    }
}

/// A claim's storage request and its node.
fn claim_size<'a>(o: &ObjectView<'a>) -> Option<(assay_profile::Milli, Value<'a>)> {
    let node = o.root.path(&CLAIM_STORAGE)?;
    Some((assay_profile::parse_quantity(node.as_str()?)?, node))
}

const CLAIM_STORAGE: [&str; 4] = ["spec", "resources", "requests", "storage"];

fn service_changes<'m>(old: &ObjectView<'_>, new: &ObjectView<'m>, out: &mut Vec<Change<'m>>) {
    let is_external = |o: &ObjectView<'_>| {
        o.root.path(&["spec", "type"]).and_then(Value::as_str) == Some("ExternalName")
    };
    if is_external(old) || is_external(new) {
        return;
    }
    for (key, path) in [
        ("clusterIP", "spec.clusterIP"),
        ("clusterIPs", "spec.clusterIPs[0]"),
    ] {
        let Some(new_ip) = primary(new, key) else {
            continue;
        };
        let new_text = new_ip.as_str().unwrap_or("");
        let changed = match primary(old, key).and_then(Value::as_str) {
            Some(old_text) => !old_text.is_empty() && !new_text.is_empty() && old_text != new_text,
            // An address the server allocated cannot become `None`.
            None => {
                new_text == "None"
                    && primary(old, "clusterIP").is_none()
                    && primary(old, "clusterIPs").is_none()
            }
        };
        if changed {
            out.push(Change {
                path: path.to_owned(),
                node: new_ip,
                why: CLUSTER_IP,
            });
            return;
        }
    }
    if let (Some(o), Some(n)) = (primary(old, "ipFamilies"), primary(new, "ipFamilies"))
        && o.as_str() != n.as_str()
    {
        out.push(Change {
            path: "spec.ipFamilies[0]".to_owned(),
            node: n,
            why: IP_FAMILY,
        });
    }
}

fn claim_changes<'m>(old: &ObjectView<'_>, new: &ObjectView<'m>, out: &mut Vec<Change<'m>>) {
    for field in [
        "accessModes",
        "storageClassName",
        "volumeMode",
        "selector",
        "volumeName",
        "dataSource",
        "dataSourceRef",
    ] {
        compare(old, new, &["spec", field], CLAIM, out);
    }
    if let (Some((before, _)), Some((after, node))) = (claim_size(old), claim_size(new))
        && after < before
    {
        out.push(Change {
            path: CLAIM_STORAGE.join("."),
            node,
            why: CLAIM_SHRINK,
        });
    }
}

fn data_changes<'m>(old: &ObjectView<'_>, new: &ObjectView<'m>, out: &mut Vec<Change<'m>>) {
    if old.root.get("immutable").and_then(k8s_bool) != Some(true) {
        return;
    }
    let before = out.len();
    for field in ["data", "binaryData", "stringData"] {
        let (o, n) = (old.root.get(field), new.root.get(field));
        match (o, n) {
            (Some(_), Some(_)) => compare(old, new, &[field], IMMUTABLE_DATA, out),
            (None, Some(n)) if !n.is_null() && !n.is_empty() => out.push(Change {
                path: field.to_owned(),
                node: n,
                why: IMMUTABLE_DATA,
            }),
            _ => {}
        }
    }
    if out.len() == before && new.root.get("immutable").and_then(k8s_bool) != Some(true) {
        let node = new.root.entry("immutable").map_or_else(
            || {
                new.metadata()
                    .and_then(|m| m.get("name"))
                    .unwrap_or(new.root)
            },
            |(key, _)| key,
        );
        out.push(Change {
            path: "immutable".to_owned(),
            node,
            why: IMMUTABLE_DATA,
        });
    }
}

/// Every immutable field of `new` that differs from `old`.
fn changes<'m>(old: &ObjectView<'_>, new: &ObjectView<'m>) -> Vec<Change<'m>> {
    let mut out = Vec::new();
    match new.kind() {
        "Deployment" | "ReplicaSet" | "DaemonSet" => {
            compare(old, new, &["spec", "selector"], SELECTOR, &mut out);
        }
        "StatefulSet" => {
            for field in [
                "selector",
                "serviceName",
                "volumeClaimTemplates",
                "podManagementPolicy",
            ] {
                compare(old, new, &["spec", field], STATEFULSET, &mut out);
            }
        }
        "Job" => {
            compare(old, new, &["spec", "selector"], JOB, &mut out);
            compare(old, new, &["spec", "template"], JOB, &mut out);
        }
        "Service" => service_changes(old, new, &mut out),
        "PersistentVolumeClaim" => claim_changes(old, new, &mut out),
        "ConfigMap" | "Secret" => data_changes(old, new, &mut out),
        _ => {}
    }
    out
}

/// What to do about a change the server refuses, per kind.
fn fix_for(kind: &str) -> &'static str {
    match kind {
        "StatefulSet" => {
            "keep the field as it was; to change it, delete the StatefulSet with `kubectl delete statefulset NAME --cascade=orphan` (pods and claims stay) and apply the new one"
        }
        "PersistentVolumeClaim" => {
            "keep the claim's spec as it was; a different class or mode needs a new claim and a data migration"
        }
        "ConfigMap" | "Secret" => {
            "give the changed object a new name (a version suffix) and point the pods at it; immutable objects are replaced, never edited"
        }
        "Service" => {
            "keep the address as it was, or delete and re-create the Service (its clients see a new address)"
        }
        _ => {
            "keep the field as it was; to change it, delete the object and apply the new one (plan the gap), or create it under a new name"
        }
    }
}

impl Rule for ImmutableFieldChanged {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(old) = ctx.previous_of(object) else {
            return;
        };
        for change in changes(&old, object) {
            let message = format!(
                "{} changes {} from the previous deliverable, which `kubectl apply` cannot do: {}",
                object.display(),
                code(&change.path),
                change.why
            );
            out.push(
                out.at(object.at(change.node.span()), message)
                    .object(object.display())
                    .fix(fix_for(object.kind())),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use assay_span::FileId;
    use assay_yaml::Limits;

    fn root(text: &str) -> assay_model::SourceFile {
        assay_model::SourceFile::parse(
            FileId(0),
            "t.yaml".to_owned(),
            text.as_bytes(),
            &Limits::default(),
        )
    }

    fn difference(old: &str, new: &str) -> Option<String> {
        let (old, new) = (root(old), root(new));
        fn value(f: &assay_model::SourceFile) -> Value<'_> {
            let doc = f.tree.documents().first().expect("one document");
            f.tree.value(doc.root)
        }
        let mut budget = MAX_COMPARED_NODES;
        first_difference(value(&old), value(&new), "x", 0, &mut budget).map(|d| d.path)
    }

    #[test]
    fn keys_are_sets_lists_are_ordered_nulls_are_absent() {
        assert_eq!(difference("{a: 1, b: 2}", "{b: 2, a: 1}"), None);
        assert_eq!(difference("{a: 1, b: null}", "{a: 1}"), None);
        assert_eq!(difference("{a: 1}", "{a: 2}").as_deref(), Some("x.a"));
        assert_eq!(difference("{a: 1}", "{a: 1, c: 3}").as_deref(), Some("x.c"));
        assert_eq!(difference("{a: 1, c: 3}", "{a: 1}").as_deref(), Some("x.c"));
        assert_eq!(difference("[1, 2]", "[2, 1]").as_deref(), Some("x[0]"));
        assert_eq!(difference("[1, 2]", "[1, 2, 3]").as_deref(), Some("x"));
    }

    #[test]
    fn alias_bombs_stop_at_the_node_budget() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..9 {
            let prev = level - 1;
            bomb.push_str(&format!(
                "l{level}: &l{level} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n",
                p = if prev == 0 { "a".to_owned() } else { format!("l{prev}") }
            ));
        }
        let started = std::time::Instant::now();
        assert_eq!(difference(&bomb, &bomb), None);
        assert!(
            started.elapsed().as_secs() < 5,
            "the budget bounds the walk"
        );
    }
}
