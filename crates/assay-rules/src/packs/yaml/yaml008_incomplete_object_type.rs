use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{DocClass, DocInfo, SourceFile};
use assay_span::FileSpan;
use assay_yaml::Value;

declare_rule! {
    /// A manifest with `kind` but no `apiVersion`, or `apiVersion` but no `kind`
    ///
    /// ## What it checks
    /// A document whose top-level mapping has one of `apiVersion` and `kind`
    /// but lacks the other, or has it empty or not a string. The finding
    /// names what is missing. A document with neither is not a manifest at
    /// all and stays the info `YAML005`; a Helm `Chart.yaml` (which has an
    /// `apiVersion` of its own and no `kind`) is not reported.
    ///
    /// ## Why it matters
    /// `kubectl apply` refuses the whole file ("apiVersion not set" or "kind
    /// not set"), so nothing in it is applied; a checker that merely counts
    /// the document as unrecognised lets the deliverable pass with exit 0.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// ```
    ///
    /// ## Fix
    /// Add what is missing:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// ```
    ///
    /// ## References
    /// - Required fields of an object: https://kubernetes.io/docs/concepts/overview/working-with-objects/#required-fields
    /// - The errors `kubectl` gives: `apimachinery` `pkg/runtime/serializer/json/meta.go` (`Interpret`: "Object 'Kind' is missing"), `pkg/runtime/scheme.go` (`missingVersionErr`): https://github.com/kubernetes/apimachinery
    pub(crate) struct IncompleteObjectType {
        id: "YAML008",
        name: "incomplete-object-type",
        severity: Error,
        scope: Scope::Document(&[DocClass::Other]),
        fix: Never,
        since: "0.1.0",
    }
}

/// Whether `root` is half a Kubernetes object: one of `apiVersion` and
/// `kind` written, the pair not both non-empty strings. `YAML005` leaves
/// these to this rule.
pub(super) fn is_half_typed(root: Value<'_>, file_name: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    if lower == "chart.yaml" || lower == "chart.yml" {
        return false;
    }
    root.get("kind").is_some() || root.get("apiVersion").is_some()
}

fn named(root: Value<'_>, key: &str) -> bool {
    root.get_str(key).is_some_and(|v| !v.is_empty())
}

impl Rule for IncompleteObjectType {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_document(
        &self,
        _ctx: &Context<'_>,
        file: &SourceFile,
        doc: &DocInfo,
        out: &mut Findings<'_>,
    ) {
        let root = file.tree.value(doc.root);
        let name = file.path.rsplit(['/', '\\']).next().unwrap_or(&file.path);
        if !is_half_typed(root, name) {
            return;
        }
        let missing: Vec<&str> = ["apiVersion", "kind"]
            .into_iter()
            .filter(|k| !named(root, k))
            .collect();
        // The empty key when there is one, else the key that is there.
        let key_at = root
            .entries()
            .filter(|(k, _)| matches!(k.as_str(), Some("kind" | "apiVersion")))
            .min_by_key(|(k, _)| k.as_str().is_some_and(|k| named(root, k)))
            .map_or(root, |(k, _)| k);
        let what = missing
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(" and ");
        let fix = match missing.as_slice() {
            ["kind"] => "write the `kind` of the object (e.g. `kind: ConfigMap`)",
            ["apiVersion"] => {
                "write the `apiVersion` that serves the kind (e.g. `apiVersion: apps/v1` for a Deployment)"
            }
            _ => "write both `apiVersion` and `kind` (e.g. `apiVersion: v1` and `kind: ConfigMap`)",
        };
        let object = root
            .get("metadata")
            .and_then(|m| m.get_str("name"))
            .map(str::to_owned);
        let mut finding = out
            .at(
                FileSpan::new(file.id, key_at.span()),
                format!(
                    "document {} has no {what} (or an empty one): kubectl and the API server refuse it",
                    doc.index + 1
                ),
            )
            .fix(fix);
        if let Some(name) = object {
            finding = finding.object(name);
        }
        out.push(finding);
    }
}
