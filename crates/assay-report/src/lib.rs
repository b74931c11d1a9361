//! Reporters: one finished run in, one output format out.
//!
//! A reporter never re-parses input and never runs rules: it reads the
//! [`Report`] (model, sorted findings, summary) and writes bytes. Every format
//! is deterministic (same input, same bytes) and masks secrets: source text is
//! only ever printed through the `mask` module, and messages never hold secret values
//! (rules build them with `assay_diagnostics::Redacted`).

mod fingerprint;
mod github;
mod json;
mod junit;
mod mask;
mod sarif;
mod statistics;
mod summary;
mod text;

pub use fingerprint::fingerprints_with;
pub use json::SCHEMA_VERSION;
pub use statistics::write_statistics;
pub use summary::Summary;
pub use text::notes;

use assay_diagnostics::Finding;
use assay_model::Model;

/// Output formats of `assay check --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Junit,
    Github,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Text,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Github,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Github => "github",
        }
    }

    #[must_use]
    pub fn parse(text: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == text)
    }
}

/// Presentation options (only the text format reads them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// ANSI colour (the CLI turns it on only for a terminal).
    pub color: bool,
    /// Print suppressed findings too (they are always counted).
    pub show_suppressed: bool,
    /// One line per finding, no code frames (logs, screen readers).
    pub concise: bool,
}

/// One finished run: what was read, what was found, and the counts.
#[derive(Debug)]
pub struct Report<'a> {
    pub model: &'a Model,
    /// Sorted by file, line, column, rule id (the engine's order).
    pub findings: &'a [Finding],
    pub summary: Summary,
    /// Secret ranges to mask besides the findings' own (found by secret rules
    /// that were not selected: `RunStats::masked`).
    pub masked: &'a [assay_span::FileSpan],
    /// `assay` version, written into machine formats.
    pub tool_version: &'a str,
}

/// Write `report` in `format`.
///
/// # Errors
/// Only the writer's own I/O errors.
pub fn write(
    report: &Report<'_>,
    format: Format,
    options: &Options,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Text => text::write(report, options, out),
        Format::Json => json::write(report, out),
        Format::Sarif => sarif::write(report, out),
        Format::Junit => junit::write(report, out),
        Format::Github => github::write(report, out),
    }
}

impl Report<'_> {
    /// The path of a finding's file as the user gave it (`-` reads as the
    /// stdin name), with `/` separators in every format.
    fn path(&self, file: assay_span::FileId) -> String {
        self.model
            .file(file)
            .map_or_else(|| "<unknown>".to_owned(), |f| f.path.replace('\\', "/"))
    }

    /// Findings a report shows: unsuppressed ones, plus suppressed ones on request.
    fn shown<'r>(&'r self, show_suppressed: bool) -> impl Iterator<Item = &'r Finding> + 'r {
        self.findings
            .iter()
            .filter(move |f| show_suppressed || f.suppressed.is_none())
    }
}
