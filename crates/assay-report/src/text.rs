//! Human output: findings grouped by file, each with a code frame pointing at
//! the node (rustc / ruff style), then one summary line.

use crate::mask::{SecretRanges, frame_line, printable, window};
use crate::statistics;
use crate::{Options, Report};
use assay_diagnostics::{Finding, Severity};
use assay_span::{FileId, LineIndex};
use std::collections::HashMap;
use std::io::{self, Write};

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn severity(&self, severity: Severity, text: &str) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        self.paint(code, text)
    }

    fn gutter(&self, text: &str) -> String {
        self.paint("1;34", text)
    }

    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
}

pub(crate) fn write(report: &Report<'_>, options: &Options, out: &mut dyn Write) -> io::Result<()> {
    let style = Style {
        color: options.color,
    };
    let secrets = SecretRanges::of(report.findings, report.masked);
    let mut indexes: HashMap<FileId, LineIndex> = HashMap::new();
    let mut current_file = None;
    for finding in report.shown(options.show_suppressed) {
        let file = finding.location.file;
        if options.concise {
            write_concise(report, &style, finding, out)?;
            continue;
        }
        if current_file != Some(file) {
            current_file = Some(file);
            writeln!(out, "{}", style.bold(&printable(&report.path(file))))?;
        }
        let index = indexes.entry(file).or_insert_with(|| {
            LineIndex::new(report.model.file(file).map_or("", |f| f.text.as_str()))
        });
        write_full(report, &style, &secrets, index, finding, out)?;
    }
    if options.concise && report.shown(options.show_suppressed).next().is_some() {
        writeln!(out)?;
    }
    write_overview(report, out)?;
    writeln!(out, "{}", summary_line(report))?;
    for note in notes(report) {
        writeln!(out, "{note}")?;
    }
    Ok(())
}

/// Rules listed in the overview; `--statistics` lists every one.
const OVERVIEW_RULES: usize = 10;
/// Objects listed in the overview.
const OVERVIEW_OBJECTS: usize = 5;

/// What to read first when there are many findings: the most frequent rules
/// and the objects with the most findings. Printed when findings come from
/// more than one rule or object (one finding needs no overview).
fn write_overview(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut rules = statistics::per_rule(report);
    // Errors first: what blocks a merge is read before hardening advice.
    rules.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.count.cmp(&a.count))
            .then(a.rule.cmp(b.rule))
    });
    let objects = statistics::per_object(report);
    if rules.len() < 2 && objects.len() < 2 {
        return Ok(());
    }
    let more = rules.len().saturating_sub(OVERVIEW_RULES);
    let tail = if more > 0 {
        format!(", {more} more: --statistics lists them all")
    } else {
        String::new()
    };
    writeln!(
        out,
        "findings by rule (errors first, then most frequent{tail}):"
    )?;
    let width = rules.first().map_or(1, |r| r.count.to_string().len());
    let shown = &rules[..rules.len().min(OVERVIEW_RULES)];
    let id_width = shown.iter().map(|r| r.rule.len()).max().unwrap_or(0);
    for r in shown {
        writeln!(
            out,
            "  {:>width$}  {:<7}  {:<id_width$}  {}",
            r.count,
            r.severity.as_str(),
            r.rule,
            statistics::rule_name(r.rule)
        )?;
    }
    if !objects.is_empty() {
        writeln!(out, "objects with the most findings:")?;
        let width = objects.first().map_or(1, |o| o.1.to_string().len());
        for (object, count) in objects.iter().take(OVERVIEW_OBJECTS) {
            writeln!(out, "  {count:>width$}  {}", printable(object))?;
        }
    }
    writeln!(out)
}

/// Lines after the summary: what was not checked or not shown, and why.
/// The CLI prints them to stderr for the other formats and `--statistics`,
/// so they are never silent.
pub fn notes(report: &Report<'_>) -> Vec<String> {
    let s = &report.summary;
    let mut notes = Vec::new();
    let ignored: Vec<String> = [
        (s.skipped_ignored, "file", "files"),
        (s.skipped_ignored_folders, "folder", "folders"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| plural(n, one, many))
    .collect();
    if !ignored.is_empty() || s.skipped_hidden > 0 {
        let mut parts = Vec::new();
        let mut flags = Vec::new();
        if !ignored.is_empty() {
            parts.push(format!(
                "{} ignored by .gitignore/.assayignore",
                ignored.join(" and ")
            ));
            flags.push("--no-ignore");
        }
        if s.skipped_hidden > 0 {
            let hidden = if parts.is_empty() {
                plural(s.skipped_hidden, "hidden file", "hidden files")
            } else {
                format!("{} hidden", s.skipped_hidden)
            };
            parts.push(hidden);
            flags.push("--hidden");
        }
        notes.push(format!(
            "not checked: {}; {} to include",
            parts.join(", "),
            flags.join("/")
        ));
    }
    if s.kustomize_patches > 0 {
        notes.push(format!(
            "{} checked as partial objects (rules about missing settings skipped)",
            plural(s.kustomize_patches, "kustomize patch", "kustomize patches")
        ));
    }
    if s.baselined > 0 {
        notes.push(format!(
            "{} in the baseline not shown",
            plural(s.baselined, "finding", "findings")
        ));
    }
    if s.baseline_stale > 0 {
        notes.push(format!(
            "info: {} no longer found (fixed or changed); --write-baseline to refresh it",
            plural(s.baseline_stale, "baseline entry", "baseline entries")
        ));
    }
    notes
}

fn header(style: &Style, finding: &Finding) -> String {
    let level = format!("{}[{}]", finding.severity, finding.rule);
    let suppressed = if finding.suppressed.is_some() {
        " (suppressed)"
    } else {
        ""
    };
    format!(
        "{}{suppressed}: {}",
        style.severity(finding.severity, &level),
        printable(&finding.message)
    )
}

fn write_concise(
    report: &Report<'_>,
    style: &Style,
    finding: &Finding,
    out: &mut dyn Write,
) -> io::Result<()> {
    let start = finding.location.span.start;
    let object = finding
        .object
        .as_deref()
        .map(|o| format!(" ({})", printable(o)))
        .unwrap_or_default();
    writeln!(
        out,
        "{}:{}:{}: {}{object}",
        printable(&report.path(finding.location.file)),
        start.line,
        start.col,
        header(style, finding)
    )
}

fn write_full(
    report: &Report<'_>,
    style: &Style,
    secrets: &SecretRanges,
    index: &LineIndex,
    finding: &Finding,
    out: &mut dyn Write,
) -> io::Result<()> {
    let file = finding.location.file;
    let span = finding.location.span;
    writeln!(out, "{}", header(style, finding))?;
    let width = span.start.line.to_string().len();
    let pad = " ".repeat(width);
    writeln!(
        out,
        "{pad}{} {}:{}:{}",
        style.gutter("-->"),
        printable(&report.path(file)),
        span.start.line,
        span.start.col
    )?;
    let text = report.model.file(file).map_or("", |f| f.text.as_str());
    if let Some(line) = frame_line(secrets, index, text, file, span.start.line) {
        let end_col = if span.end.line == span.start.line {
            span.end.col.max(span.start.col + 1)
        } else {
            u32::try_from(line.chars().count())
                .unwrap_or(u32::MAX)
                .max(span.start.col)
                + 1
        };
        let (shown, window_start) = window(&line, span.start.col, end_col);
        let lead = usize::from(window_start > 1);
        let caret_from = span.start.col.saturating_sub(window_start) as usize + lead;
        let caret_len = (end_col - span.start.col) as usize;
        let caret_len = caret_len
            .min(shown.chars().count().saturating_sub(caret_from))
            .max(1);
        writeln!(out, "{pad} {}", style.gutter("|"))?;
        writeln!(
            out,
            "{} {}",
            style.gutter(&format!("{:>width$}", span.start.line)),
            format_args!("{} {}", style.gutter("|"), printable(&shown))
        )?;
        writeln!(
            out,
            "{pad} {} {}{}",
            style.gutter("|"),
            " ".repeat(caret_from),
            style.severity(finding.severity, &"^".repeat(caret_len))
        )?;
    }
    if let Some(object) = &finding.object {
        writeln!(
            out,
            "{pad} {} object: {}",
            style.gutter("="),
            printable(object)
        )?;
    }
    if let Some(fix) = &finding.fix {
        writeln!(out, "{pad} {} fix: {}", style.gutter("="), printable(fix))?;
    }
    for label in &finding.labels {
        let at = label.location.span.start;
        writeln!(
            out,
            "{pad} {} note: {}:{}:{}: {}",
            style.gutter("="),
            printable(&report.path(label.location.file)),
            at.line,
            at.col,
            printable(&label.message)
        )?;
    }
    if let Some(suppression) = &finding.suppressed {
        let at = suppression.location.span.start;
        writeln!(
            out,
            "{pad} {} suppressed at {}:{}: {}",
            style.gutter("="),
            at.line,
            at.col,
            printable(&suppression.reason)
        )?;
    }
    writeln!(out)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `found 2 errors, 1 warning and 3 infos in 4 files (9 objects); 1 suppressed`.
pub(crate) fn summary_line(report: &Report<'_>) -> String {
    let s = &report.summary;
    let scope = format!(
        "{} ({})",
        plural(s.files, "file", "files"),
        plural(s.objects, "Kubernetes object", "Kubernetes objects")
    );
    let mut counts = Vec::new();
    for (n, one, many) in [
        (s.errors, "error", "errors"),
        (s.warnings, "warning", "warnings"),
        (s.infos, "info", "infos"),
    ] {
        if n > 0 {
            counts.push(plural(n, one, many));
        }
    }
    let mut line = match counts.as_slice() {
        [] => format!("no problems found in {scope}"),
        [one] => format!("found {one} in {scope}"),
        [init @ .., last] => format!("found {} and {last} in {scope}", init.join(", ")),
    };
    if s.suppressed > 0 {
        line.push_str(&format!("; {} suppressed", s.suppressed));
    }
    if s.not_validated > 0 {
        line.push_str(&format!(
            "; {} not validated (no schema)",
            plural(s.not_validated, "object", "objects")
        ));
    }
    line
}
