use assay_diagnostics::{Finding, Severity};
use assay_model::Model;
use std::collections::BTreeMap;

/// The rule that reports objects left unvalidated for want of a schema.
const NOT_VALIDATED_RULE: &str = "SCHEMA003";

/// Counts for the summary line and the machine formats.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    /// Files with a load error (syntax, encoding, limit, I/O).
    pub files_with_errors: usize,
    /// Documents per class (`kubernetes`, `compose`, `other`, …), sorted.
    pub documents: BTreeMap<&'static str, usize>,
    pub objects: usize,
    pub rules_run: usize,
    /// Unsuppressed findings per severity.
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub suppressed: usize,
    /// Objects no schema was available for (custom resources without a CRD,
    /// rule `SCHEMA003`): counted so that "no errors" never hides them.
    pub not_validated: usize,
    /// YAML and JSON files a folder walk left out because a `.gitignore` or
    /// `.assayignore` excludes them (`--no-ignore` includes them).
    pub skipped_ignored: usize,
    /// Folders a walk did not enter because an ignore file excludes them
    /// (their files are not counted one by one).
    pub skipped_ignored_folders: usize,
    /// Hidden YAML and JSON files (or files in hidden folders) a folder walk
    /// left out (`--hidden` includes them).
    pub skipped_hidden: usize,
    /// Kustomize patch files checked as partial objects (rules about
    /// something missing skipped on them).
    pub kustomize_patches: usize,
    /// Findings recorded in the `--baseline` file, not reported.
    pub baselined: usize,
    /// Baseline entries no finding matches any more (fixed or changed).
    pub baseline_stale: usize,
    /// The threshold in force (`None`: never fail).
    pub fail_on: Option<Severity>,
    /// `true` when an unsuppressed finding is at or above `fail_on`.
    pub failed: bool,
}

impl Summary {
    #[must_use]
    pub fn new(
        model: &Model,
        findings: &[Finding],
        rules_run: usize,
        fail_on: Option<Severity>,
    ) -> Self {
        let mut summary = Summary {
            files: model.files.len(),
            files_with_errors: model.files.iter().filter(|f| !f.errors.is_empty()).count(),
            objects: model.objects.len(),
            rules_run,
            fail_on,
            ..Summary::default()
        };
        for doc in &model.documents {
            *summary.documents.entry(doc.class.as_str()).or_default() += 1;
        }
        for f in findings {
            if f.rule == NOT_VALIDATED_RULE {
                summary.not_validated += 1;
            }
            if f.suppressed.is_some() {
                summary.suppressed += 1;
                continue;
            }
            match f.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
            if fail_on.is_some_and(|threshold| f.severity >= threshold) {
                summary.failed = true;
            }
        }
        summary
    }
}
