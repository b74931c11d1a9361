//! `--format json`: the versioned report documented by
//! `docs/schema/report-v1.schema.json`. Suppressed findings are included,
//! marked, so tools can audit suppressions. Serialised straight from borrowed
//! structs (no intermediate JSON tree): reports can hold many findings.

use crate::Report;
use crate::fingerprint::fingerprints;
use assay_diagnostics::Finding;
use assay_span::FileSpan;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Bumped on any incompatible change to the report's shape.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonReport<'a> {
    schema_version: u32,
    tool: Tool<'a>,
    summary: JsonSummary<'a>,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'static str,
    version: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonSummary<'a> {
    files: usize,
    files_with_errors: usize,
    documents: &'a BTreeMap<&'static str, usize>,
    objects: usize,
    rules_run: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    suppressed: usize,
    not_validated: usize,
    skipped_ignored: usize,
    skipped_ignored_folders: usize,
    skipped_hidden: usize,
    kustomize_patches: usize,
    baselined: usize,
    baseline_stale: usize,
    fail_on: Option<&'static str>,
    failed: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    path: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

impl Location {
    fn of(report: &Report<'_>, at: FileSpan) -> Self {
        Self {
            path: report.path(at.file),
            line: at.span.start.line,
            column: at.span.start.col,
            end_line: at.span.end.line,
            end_column: at.span.end.col,
        }
    }
}

#[derive(Serialize)]
struct Label<'a> {
    #[serde(flatten)]
    location: Location,
    message: &'a str,
}

#[derive(Serialize)]
struct Suppressed<'a> {
    #[serde(flatten)]
    location: Location,
    reason: &'a str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'static str,
    name: Option<&'static str>,
    severity: &'static str,
    #[serde(flatten)]
    location: Location,
    object: Option<&'a str>,
    message: &'a str,
    fix: Option<&'a str>,
    labels: Vec<Label<'a>>,
    suppressed: Option<Suppressed<'a>>,
    fingerprint: String,
}

fn finding<'a>(report: &Report<'_>, f: &'a Finding, fingerprint: String) -> JsonFinding<'a> {
    JsonFinding {
        rule: f.rule,
        name: assay_rules::find_rule(f.rule).map(|r| r.meta().name),
        severity: f.severity.as_str(),
        location: Location::of(report, f.location),
        object: f.object.as_deref(),
        message: &f.message,
        fix: f.fix.as_deref(),
        labels: f
            .labels
            .iter()
            .map(|l| Label {
                location: Location::of(report, l.location),
                message: &l.message,
            })
            .collect(),
        suppressed: f.suppressed.as_ref().map(|s| Suppressed {
            location: Location::of(report, s.location),
            reason: &s.reason,
        }),
        fingerprint,
    }
}

pub(crate) fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let s = &report.summary;
    let json = JsonReport {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "assay",
            version: report.tool_version,
        },
        summary: JsonSummary {
            files: s.files,
            files_with_errors: s.files_with_errors,
            documents: &s.documents,
            objects: s.objects,
            rules_run: s.rules_run,
            errors: s.errors,
            warnings: s.warnings,
            infos: s.infos,
            suppressed: s.suppressed,
            not_validated: s.not_validated,
            skipped_ignored: s.skipped_ignored,
            skipped_ignored_folders: s.skipped_ignored_folders,
            skipped_hidden: s.skipped_hidden,
            kustomize_patches: s.kustomize_patches,
            baselined: s.baselined,
            baseline_stale: s.baseline_stale,
            fail_on: s.fail_on.map(|t| t.as_str()),
            failed: s.failed,
        },
        findings: report
            .findings
            .iter()
            .zip(fingerprints(report))
            .map(|(f, fp)| finding(report, f, fp))
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    writeln!(out)
}
