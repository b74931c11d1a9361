use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::code;
use assay_model::SourceFile;
use assay_span::FileSpan;

declare_rule! {
    /// A mapping has the same key twice
    ///
    /// ## What it checks
    /// Every mapping in every document, at any depth: a key written twice
    /// (`image:` twice in one container, `env` twice in a pod spec). The finding
    /// points at the second occurrence and labels the first.
    ///
    /// ## Why it matters
    /// YAML forbids duplicate keys, but readers disagree on what to do: the
    /// Kubernetes API server's strict field validation rejects the object
    /// ("duplicate field"), `kubectl` in its default mode warns and keeps the
    /// last value, Compose refuses the file. Either way one of the two values is
    /// not what somebody meant.
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
    ///       image: nginx:1.25
    ///       image: nginx:1.27
    /// ```
    ///
    /// ## Fix
    /// Keep one of them:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    ///
    /// ## References
    /// - YAML 1.2.2 §3.2.1.1 (mapping keys are unique): https://yaml.org/spec/1.2.2/#3211-nodes
    /// - Kubernetes field validation: https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
    pub(crate) struct DuplicateKey {
        id: "YAML002",
        name: "duplicate-key",
        severity: Error,
        scope: Scope::File,
        fix: Sometimes,
        since: "0.1.0",
    }
}

impl Rule for DuplicateKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, _ctx: &Context<'_>, file: &SourceFile, out: &mut Findings<'_>) {
        for dup in file.tree.duplicate_keys() {
            let finding = out
                .at(
                    FileSpan::new(file.id, dup.duplicate),
                    format!(
                        "key {} is written twice in the same mapping",
                        code(&dup.key)
                    ),
                )
                .label(FileSpan::new(file.id, dup.first), "first written here")
                .fix(format!(
                    "keep one {} entry; readers disagree on which one wins",
                    code(&dup.key)
                ));
            out.push(finding);
        }
    }
}
