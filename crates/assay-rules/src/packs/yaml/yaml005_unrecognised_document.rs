use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{DocClass, DocInfo, SourceFile};
use assay_span::FileSpan;

declare_rule! {
    /// A document assay does not recognise, so no rule checked it
    ///
    /// ## What it checks
    /// Each document is classified: a Kubernetes object (`apiVersion` and
    /// `kind`), a `*List`, a Compose file, an OpenAPI or Swagger document, an
    /// etcd configuration, a Kustomization, or empty. Anything else is reported
    /// here, at info level, so that it is counted rather than silently dropped.
    /// A document with only one of `apiVersion` and `kind` is a broken
    /// manifest, reported as an error by `YAML008` instead.
    ///
    /// ## Why it matters
    /// A manifest with a misspelt `kind` key or a missing `apiVersion` is not a
    /// Kubernetes object to `kubectl` either; a peer that skips it reports a
    /// clean run (kube-linter needed `--fail-if-no-objects-found` for this).
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// replicaCount: 2
    /// image:
    ///   repository: nginx
    /// ```
    ///
    /// ## Fix
    /// Exclude files that are not part of the deliverable in `.assayignore`,
    /// or, if it was meant to be a manifest, write it as one:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: web
    /// data:
    ///   replicaCount: "2"
    /// ```
    ///
    /// ## References
    /// - Kubernetes object fields: https://kubernetes.io/docs/concepts/overview/working-with-objects/#required-fields
    pub(crate) struct UnrecognisedDocument {
        id: "YAML005",
        name: "unrecognised-document",
        severity: Info,
        scope: Scope::Document(&[DocClass::Other]),
        fix: Never,
        since: "0.1.0",
    }
}

impl Rule for UnrecognisedDocument {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_document(
        &self,
        ctx: &Context<'_>,
        file: &SourceFile,
        doc: &DocInfo,
        out: &mut Findings<'_>,
    ) {
        // A file an OpenAPI document reaches by `$ref` is part of that spec.
        if assay_openapi::is_referenced(&ctx.model.files, file) {
            return;
        }
        let root = file.tree.value(doc.root);
        let name = file.path.rsplit(['/', '\\']).next().unwrap_or(&file.path);
        if super::yaml008_incomplete_object_type::is_half_typed(root, name) {
            return;
        }
        let hint =
            if name.eq_ignore_ascii_case("chart.yaml") || name.eq_ignore_ascii_case("chart.yml") {
                "a Helm chart's `Chart.yaml` is not a manifest"
            } else if root.is_mapping() {
                "it has neither `apiVersion`/`kind`, nor `services`, `openapi` or etcd keys"
            } else {
                "its top level is not a mapping"
            };
        let first_key = root.entries().next().map_or(root, |(k, _)| k);
        let at = FileSpan::new(file.id, first_key.span());
        let finding = out
            .at(at, format!("document {} is not a recognised kind of document, so no rule checked it: {hint}", doc.index + 1))
            .fix("add the missing fields, or exclude the file in .assayignore if it is not part of the deliverable");
        out.push(finding);
    }
}
