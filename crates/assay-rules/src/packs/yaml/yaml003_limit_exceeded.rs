use super::report_load_errors;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::SourceFile;
use assay_yaml::LoadErrorKind;

declare_rule! {
    /// The file exceeds one of assay's input limits
    ///
    /// ## What it checks
    /// assay reads every file within explicit limits, each configurable under
    /// `limits:` in `.assay.yaml`: file size (`max-file-size`, 64 MiB),
    /// documents per stream (`max-documents`, 10 000), nodes per file
    /// (`max-nodes`, 4 000 000), nesting depth (`max-depth`, 256), scalar size
    /// (`max-scalar-size`, 16 MiB) and nodes visited through aliases
    /// (`max-alias-expansion`, 100 000). The finding names the limit.
    ///
    /// ## Why it matters
    /// Hostile or generated input (a "billion laughs" alias bomb, a 10 000-deep
    /// nesting, a 200 MB file) must not hang or exhaust the machine that checks
    /// it. Documents read before the limit was reached are still checked.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: nested
    /// data: {}
    /// a: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]
    /// ```
    ///
    /// ## Fix
    /// Split or flatten the input; if the file is legitimate, raise the named
    /// limit in `.assay.yaml`:
    /// ```yaml
    /// limits:
    ///   max-depth: 512
    /// ```
    ///
    /// ## References
    /// - "Billion laughs" attack: https://en.wikipedia.org/wiki/Billion_laughs_attack
    pub(crate) struct LimitExceeded {
        id: "YAML003",
        name: "limit-exceeded",
        severity: Error,
        scope: Scope::File,
        fix: Never,
        since: "0.1.0",
    }
}

impl Rule for LimitExceeded {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, _ctx: &Context<'_>, file: &SourceFile, out: &mut Findings<'_>) {
        report_load_errors(
            file,
            |k| matches!(k, LoadErrorKind::Limit { .. }),
            out,
            |_, e| match e.kind {
                LoadErrorKind::Limit { limit, .. } => {
                    format!(
                        "split the input, or raise `limits.{limit}` in .assay.yaml if the file is legitimate"
                    )
                }
                _ => String::new(),
            },
        );
    }
}
