use super::report_load_errors;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::SourceFile;
use assay_yaml::LoadErrorKind;

declare_rule! {
    /// The file is not well-formed YAML or JSON
    ///
    /// ## What it checks
    /// Every input file is parsed as a YAML 1.2 stream (JSON is its flow
    /// subset). A syntax error — tab indentation, an unclosed bracket or quote,
    /// a bad indentation level, a truncated file — is reported at the line and
    /// column where the parser stopped. Documents before the error are still
    /// checked; documents after it cannot be read.
    ///
    /// ## Why it matters
    /// `kubectl apply` and `docker compose` reject the whole file, so nothing in
    /// it is deployed. Several peers skip such files silently and exit 0
    /// (checkov#7453, checkov#824); assay never does.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    /// data: {mode: "fast"
    /// ```
    ///
    /// ## Fix
    /// Close the flow mapping (and indent with spaces, never tabs):
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    /// data: {mode: "fast"}
    /// ```
    ///
    /// ## References
    /// - YAML 1.2.2 specification: https://yaml.org/spec/1.2.2/
    pub(crate) struct SyntaxError {
        id: "YAML001",
        name: "syntax-error",
        severity: Error,
        scope: Scope::File,
        fix: Never,
        since: "0.1.0",
    }
}

impl Rule for SyntaxError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, _ctx: &Context<'_>, file: &SourceFile, out: &mut Findings<'_>) {
        report_load_errors(
            file,
            |k| matches!(k, LoadErrorKind::Syntax),
            out,
            |file, _| {
                if file.text.contains("{{") && file.text.contains("}}") {
                    "this looks like an unrendered Helm or Go template: render it first \
                     (`helm template RELEASE CHART | assay check -`)"
                        .to_owned()
                } else {
                    "fix the syntax at this position; documents after it in this file were not checked"
                        .to_owned()
                }
            },
        );
    }
}
