//! Counts per rule: `--statistics` (one line per rule, like ruff's) and the
//! overview printed above the text report's summary line.

use crate::Report;
use assay_diagnostics::{Finding, Severity};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Findings of one rule.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct RuleCount {
    pub(crate) rule: &'static str,
    pub(crate) count: usize,
    /// The highest severity among them.
    pub(crate) severity: Severity,
}

fn unsuppressed<'r>(report: &'r Report<'_>) -> impl Iterator<Item = &'r Finding> + 'r {
    report.findings.iter().filter(|f| f.suppressed.is_none())
}

/// Unsuppressed findings per rule, most frequent first (ties by rule id).
pub(crate) fn per_rule(report: &Report<'_>) -> Vec<RuleCount> {
    let mut counts: BTreeMap<&'static str, (usize, Severity)> = BTreeMap::new();
    for f in unsuppressed(report) {
        let entry = counts.entry(f.rule).or_insert((0, f.severity));
        entry.0 += 1;
        entry.1 = entry.1.max(f.severity);
    }
    let mut rules: Vec<RuleCount> = counts
        .into_iter()
        .map(|(rule, (count, severity))| RuleCount {
            rule,
            count,
            severity,
        })
        .collect();
    rules.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(b.rule)));
    rules
}

/// Unsuppressed findings per object (`Deployment shop/web`), most first
/// (ties by name).
pub(crate) fn per_object<'r>(report: &'r Report<'_>) -> Vec<(&'r str, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for f in unsuppressed(report) {
        if let Some(object) = f.object.as_deref() {
            *counts.entry(object).or_default() += 1;
        }
    }
    let mut objects: Vec<(&str, usize)> = counts.into_iter().collect();
    objects.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    objects
}

pub(crate) fn rule_name(rule: &str) -> &'static str {
    assay_rules::find_rule(rule).map_or("", |r| r.meta().name)
}

/// `[*]` every finding of the rule says exactly what to write, `[~]` some
/// do, blank otherwise.
fn fixable_mark(rule: &str) -> &'static str {
    match assay_rules::find_rule(rule).map(|r| r.meta().fix) {
        Some(assay_rules::FixAvailability::Always) => "[*]",
        Some(assay_rules::FixAvailability::Sometimes) => "[~]",
        _ => "   ",
    }
}

#[derive(Serialize)]
struct JsonRuleCount {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    count: usize,
    fixable: &'static str,
}

/// `--statistics`: one line per rule with unsuppressed findings, most
/// frequent first: count, id, fixability mark, name. With `json`, an array
/// of `{code, name, severity, count, fixable}` (`fixable`: always,
/// sometimes or never).
///
/// # Errors
/// Only the writer's own I/O errors.
pub fn write_statistics(report: &Report<'_>, json: bool, out: &mut dyn Write) -> io::Result<()> {
    let rules = per_rule(report);
    if json {
        let rows: Vec<JsonRuleCount> = rules
            .iter()
            .map(|r| JsonRuleCount {
                code: r.rule,
                name: rule_name(r.rule),
                severity: r.severity.as_str(),
                count: r.count,
                fixable: assay_rules::find_rule(r.rule)
                    .map_or("never", |rule| rule.meta().fix.as_str()),
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        return writeln!(out);
    }
    let width = rules.first().map_or(1, |r| r.count.to_string().len());
    for r in &rules {
        writeln!(
            out,
            "{:>width$}\t{}\t{} {}",
            r.count,
            r.rule,
            fixable_mark(r.rule),
            rule_name(r.rule)
        )?;
    }
    Ok(())
}
