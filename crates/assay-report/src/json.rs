//! `--format json`: the versioned report documented by
//! `docs/schema/report-v1.schema.json`. Suppressed findings are included,
//! marked, so tools can audit suppressions.

use crate::Report;
use crate::fingerprint::fingerprints;
use assay_diagnostics::Finding;
use assay_span::FileSpan;
use serde_json::{Value, json};
use std::io::{self, Write};

/// Bumped on any incompatible change to the report's shape.
pub const SCHEMA_VERSION: u32 = 1;

fn location(report: &Report<'_>, at: FileSpan) -> serde_json::Map<String, Value> {
    let mut map = serde_json::Map::new();
    map.insert("path".into(), json!(report.path(at.file)));
    map.insert("line".into(), json!(at.span.start.line));
    map.insert("column".into(), json!(at.span.start.col));
    map.insert("endLine".into(), json!(at.span.end.line));
    map.insert("endColumn".into(), json!(at.span.end.col));
    map
}

fn finding(report: &Report<'_>, f: &Finding, fingerprint: &str) -> Value {
    let mut map = location(report, f.location);
    let name = assay_rules::find_rule(f.rule).map(|r| r.meta().name);
    map.insert("rule".into(), json!(f.rule));
    map.insert("name".into(), json!(name));
    map.insert("severity".into(), json!(f.severity.as_str()));
    map.insert("object".into(), json!(f.object));
    map.insert("message".into(), json!(f.message));
    map.insert("fix".into(), json!(f.fix));
    let labels: Vec<Value> = f
        .labels
        .iter()
        .map(|l| {
            let mut label = location(report, l.location);
            label.insert("message".into(), json!(l.message));
            Value::Object(label)
        })
        .collect();
    map.insert("labels".into(), Value::Array(labels));
    let suppressed = f.suppressed.as_ref().map(|s| {
        let mut at = location(report, s.location);
        at.insert("reason".into(), json!(s.reason));
        Value::Object(at)
    });
    map.insert("suppressed".into(), json!(suppressed));
    map.insert("fingerprint".into(), json!(fingerprint));
    Value::Object(map)
}

pub(crate) fn to_value(report: &Report<'_>) -> Value {
    let s = &report.summary;
    let fingerprints = fingerprints(report);
    let findings: Vec<Value> = report
        .findings
        .iter()
        .zip(&fingerprints)
        .map(|(f, fp)| finding(report, f, fp))
        .collect();
    json!({
        "schemaVersion": SCHEMA_VERSION,
        "tool": { "name": "assay", "version": report.tool_version },
        "summary": {
            "files": s.files,
            "filesWithErrors": s.files_with_errors,
            "documents": s.documents,
            "objects": s.objects,
            "rulesRun": s.rules_run,
            "errors": s.errors,
            "warnings": s.warnings,
            "infos": s.infos,
            "suppressed": s.suppressed,
            "failOn": s.fail_on.map(|t| t.as_str()),
            "failed": s.failed,
        },
        "findings": findings,
    })
}

pub(crate) fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &to_value(report))?;
    writeln!(out)
}
