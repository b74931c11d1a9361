//! `--format sarif`: SARIF 2.1.0 for code-scanning services. Rule metadata
//! comes from the same doc comments `assay explain` prints; columns count
//! Unicode code points (`columnKind`), as assay's positions do.

use crate::Report;
use crate::fingerprint::fingerprints;
use assay_diagnostics::{Finding, Severity};
use assay_rules::{Rule, all_rules, parse_doc};
use assay_span::FileSpan;
use serde_json::{Value, json};
use std::io::{self, Write};

const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The `partialFingerprints` key; versioned so the hash can change without
/// confusing trackers that stored the old one.
const FINGERPRINT_KEY: &str = "assayFindingHash/v1";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// SARIF messages are sentences: end them with a period.
fn sentence(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '!', '?']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

/// Plain text of a Markdown section: code fences and heading marks removed.
fn plain(markdown: &str) -> String {
    markdown
        .lines()
        .filter(|l| !l.trim_start().starts_with("```"))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

fn rule_descriptor(rule: &dyn Rule) -> Value {
    let meta = rule.meta();
    let doc = parse_doc(meta.doc);
    let full = doc
        .section("What it checks")
        .map_or_else(|| sentence(&doc.summary), plain);
    json!({
        "id": meta.id,
        "name": meta.name,
        "shortDescription": { "text": sentence(&doc.summary) },
        "fullDescription": { "text": full },
        "help": { "text": plain(meta.doc), "markdown": meta.doc },
        "defaultConfiguration": { "level": level(meta.severity) },
        "properties": {
            "tags": [meta.pack()],
            "fix": meta.fix.as_str(),
            "since": meta.since,
        },
    })
}

fn uri(report: &Report<'_>, at: FileSpan) -> String {
    let path = report.path(at.file);
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(byte));
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

fn physical_location(report: &Report<'_>, at: FileSpan) -> Value {
    let span = at.span;
    json!({
        "artifactLocation": { "uri": uri(report, at) },
        "region": {
            "startLine": span.start.line,
            "startColumn": span.start.col,
            "endLine": span.end.line,
            "endColumn": span.end.col.max(if span.end.line == span.start.line { span.start.col + 1 } else { 1 }),
        },
    })
}

fn result(report: &Report<'_>, f: &Finding, rule_index: Option<usize>, fingerprint: &str) -> Value {
    let mut text = match &f.object {
        Some(object) => format!("{object}: {}", sentence(&f.message)),
        None => sentence(&f.message),
    };
    if let Some(fix) = &f.fix {
        text.push_str(" Fix: ");
        text.push_str(&sentence(fix));
    }
    let mut location = json!({ "physicalLocation": physical_location(report, f.location) });
    if let Some(object) = &f.object {
        location["logicalLocations"] =
            json!([{ "fullyQualifiedName": object, "kind": "resource" }]);
    }
    let related: Vec<Value> = f
        .labels
        .iter()
        .zip(1..)
        .map(|(label, id)| {
            json!({
                "id": id,
                "physicalLocation": physical_location(report, label.location),
                "message": { "text": sentence(&label.message) },
            })
        })
        .collect();
    let suppressions: Vec<Value> = f
        .suppressed
        .iter()
        .map(|s| {
            json!({
                "kind": "inSource",
                "justification": s.reason,
                "location": { "physicalLocation": physical_location(report, s.location) },
            })
        })
        .collect();
    let mut result = json!({
        "ruleId": f.rule,
        "level": level(f.severity),
        "message": { "text": text },
        "locations": [location],
        "partialFingerprints": { FINGERPRINT_KEY: fingerprint },
        "suppressions": suppressions,
    });
    if let Some(index) = rule_index {
        result["ruleIndex"] = json!(index);
    }
    if !related.is_empty() {
        result["relatedLocations"] = Value::Array(related);
    }
    result
}

pub(crate) fn to_value(report: &Report<'_>) -> Value {
    // Only the rules that have results: what a consumer needs to show them,
    // and the log stays small.
    let rules: Vec<&dyn Rule> = all_rules()
        .filter(|r| report.findings.iter().any(|f| f.rule == r.meta().id))
        .collect();
    let descriptors: Vec<Value> = rules.iter().map(|r| rule_descriptor(*r)).collect();
    let fingerprints = fingerprints(report);
    let results: Vec<Value> = report
        .findings
        .iter()
        .zip(&fingerprints)
        .map(|(f, fp)| {
            let index = rules.iter().position(|r| r.meta().id == f.rule);
            result(report, f, index, fp)
        })
        .collect();
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "assay",
                    "version": report.tool_version,
                    "semanticVersion": report.tool_version,
                    "rules": descriptors,
                },
            },
            "invocations": [{ "executionSuccessful": true }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

pub(crate) fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &to_value(report))?;
    writeln!(out)
}
