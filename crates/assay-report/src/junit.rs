//! `--format junit`: one test suite per checked file, one failing test case
//! per finding (CI systems render these as test failures); a file without
//! findings is one passing case. Suppressed findings are skipped cases.

use crate::Report;
use assay_diagnostics::Finding;
use std::io::{self, Write};

/// Escape for XML text and attribute values. Characters XML 1.0 cannot hold
/// at all (most C0 controls) become U+FFFD.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn case_name(f: &Finding) -> String {
    let start = f.location.span.start;
    match &f.object {
        Some(object) => format!("{} {}:{} {object}", f.rule, start.line, start.col),
        None => format!("{} {}:{}", f.rule, start.line, start.col),
    }
}

pub(crate) fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut suites: Vec<(String, Vec<&Finding>)> = report
        .model
        .files
        .iter()
        .map(|file| {
            let findings = report
                .findings
                .iter()
                .filter(|f| f.location.file == file.id)
                .collect();
            (report.path(file.id), findings)
        })
        .collect();
    suites.sort_by(|a, b| a.0.cmp(&b.0));
    let failures = report.summary.errors + report.summary.warnings + report.summary.infos;
    let tests: usize = suites.iter().map(|(_, f)| f.len().max(1)).sum();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="assay" tests="{tests}" failures="{failures}" errors="0" skipped="{}">"#,
        report.summary.suppressed
    )?;
    for (path, findings) in &suites {
        let failed = findings.iter().filter(|f| f.suppressed.is_none()).count();
        let skipped = findings.len() - failed;
        writeln!(
            out,
            r#"  <testsuite name="{}" tests="{}" failures="{failed}" errors="0" skipped="{skipped}">"#,
            xml(path),
            findings.len().max(1)
        )?;
        if findings.is_empty() {
            writeln!(
                out,
                r#"    <testcase name="assay check" classname="{}"/>"#,
                xml(path)
            )?;
        }
        for f in findings {
            writeln!(
                out,
                r#"    <testcase name="{}" classname="{}" file="{}" line="{}">"#,
                xml(&case_name(f)),
                xml(path),
                xml(path),
                f.location.span.start.line
            )?;
            if let Some(s) = &f.suppressed {
                writeln!(
                    out,
                    r#"      <skipped message="suppressed: {}"/>"#,
                    xml(&s.reason)
                )?;
            } else {
                let start = f.location.span.start;
                let mut body = format!(
                    "{path}:{}:{}: {}[{}] {}",
                    start.line, start.col, f.severity, f.rule, f.message
                );
                if let Some(fix) = &f.fix {
                    body.push_str("\nfix: ");
                    body.push_str(fix);
                }
                writeln!(
                    out,
                    r#"      <failure type="{}" message="{}">{}</failure>"#,
                    f.severity,
                    xml(&f.message),
                    xml(&body)
                )?;
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}
