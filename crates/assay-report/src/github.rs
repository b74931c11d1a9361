//! `--format github`: GitHub Actions workflow commands
//! (`::error file=…,line=…::message`), which the runner turns into
//! annotations on the pull request. Suppressed findings are not annotated.
//! Escaping follows the runner's `toolkit/core` command encoding.

use crate::Report;
use crate::text::summary_line;
use assay_diagnostics::Severity;
use std::io::{self, Write};

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

pub(crate) fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    for f in report.shown(false) {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let span = f.location.span;
        let name = assay_rules::find_rule(f.rule).map_or("", |r| r.meta().name);
        let mut message = match &f.object {
            Some(object) => format!("{object}: {}", f.message),
            None => f.message.clone(),
        };
        if let Some(fix) = &f.fix {
            message.push_str("\nfix: ");
            message.push_str(fix);
        }
        let mut properties = format!(
            "file={},line={},col={}",
            escape_property(&report.path(f.location.file)),
            span.start.line,
            span.start.col
        );
        if span.end.line > span.start.line {
            properties.push_str(&format!(",endLine={}", span.end.line));
        } else if span.end.col > span.start.col {
            properties.push_str(&format!(",endColumn={}", span.end.col));
        }
        properties.push_str(&format!(
            ",title={}",
            escape_property(&format!("{} {name}", f.rule))
        ));
        writeln!(out, "::{command} {properties}::{}", escape_data(&message))?;
    }
    writeln!(out, "{}", summary_line(report))
}
