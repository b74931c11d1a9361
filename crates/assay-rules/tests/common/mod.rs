//! Helpers shared by the rule test suites.
#![allow(dead_code, unreachable_pub)]

pub mod fakes;

use assay_diagnostics::Finding;
use assay_model::{Model, SourceFile};
use assay_rules::{Engine, Selection};
use assay_span::{FileId, LineIndex};
use assay_yaml::Limits;
use std::fmt::Write as _;

/// The line that splits a fixture or doc example into the deliverable
/// (above) and the previous deliverable given to `--previous` (below).
pub const PREVIOUS_MARKER: &str = "# --previous";

/// Check one in-memory file with every rule. A line `# cluster-profile: NAME`
/// in the file checks it against that bundled profile (`--cluster-profile`);
/// the text below a line `# --previous` is the previous deliverable
/// (`--previous`), the text above it the one checked.
pub fn check(file_name: &str, bytes: &[u8]) -> (Model, Vec<Finding>) {
    let text = String::from_utf8_lossy(bytes);
    let split = text
        .match_indices(&format!("\n{PREVIOUS_MARKER}\n"))
        .next()
        .map(|(at, _)| at);
    let (bytes, previous) = match split {
        Some(at) => (
            &bytes[..=at],
            Some(text[at + PREVIOUS_MARKER.len() + 2..].to_owned()),
        ),
        None => (bytes, None),
    };
    let profile = String::from_utf8_lossy(bytes).lines().find_map(|line| {
        let name = line.trim().strip_prefix("# cluster-profile:")?.trim();
        Some(
            assay_profile::bundled(name)
                .unwrap_or_else(|| panic!("no bundled profile {name}"))
                .unwrap_or_else(|e| panic!("{e}")),
        )
    });
    let file = SourceFile::parse(FileId(0), file_name.to_owned(), bytes, &Limits::default());
    let model = Model::build(vec![file]);
    let mut engine = Engine::new(Selection::default());
    if let Some(profile) = profile {
        engine = engine.with_cluster_profile(profile);
    }
    if let Some(previous) = previous {
        let file = SourceFile::parse(
            FileId(0),
            format!("previous/{file_name}"),
            previous.as_bytes(),
            &Limits::default(),
        );
        engine = engine.with_previous(Model::build(vec![file]));
    }
    let (findings, _) = engine.run(&model);
    (model, findings)
}

/// Findings of one rule, as a stable plain-text listing with the source line
/// of each finding (secret ranges masked the way reporters mask them).
pub fn render(model: &Model, findings: &[Finding], rule: &str) -> String {
    let mut out = String::new();
    let Some(file) = model.files.first() else {
        return out;
    };
    let index = LineIndex::new(&file.text);
    let secrets: Vec<_> = findings
        .iter()
        .flat_map(|f| f.secrets.iter().copied())
        .collect();
    for f in findings.iter().filter(|f| f.rule == rule) {
        let start = f.location.span.start;
        let _ = writeln!(
            out,
            "{} {} {}:{}{}",
            f.rule,
            f.severity,
            start.line,
            start.col,
            f.object
                .as_deref()
                .map(|o| format!(" {o}"))
                .unwrap_or_default()
        );
        let _ = writeln!(out, "  message: {}", f.message);
        if let Some(fix) = &f.fix {
            let _ = writeln!(out, "  fix: {fix}");
        }
        for label in &f.labels {
            let _ = writeln!(
                out,
                "  label {}:{}: {}",
                label.location.span.start.line, label.location.span.start.col, label.message
            );
        }
        if let Some(s) = &f.suppressed {
            let _ = writeln!(out, "  suppressed: {}", s.reason);
        }
        if let Some(line) = index.line_text(&file.text, start.line) {
            let masked = mask(line, start.line, &secrets);
            let _ = writeln!(out, "  | {masked}");
        }
    }
    out
}

/// Replace every character of `line` that lies in a secret span with `*`.
pub fn mask(line: &str, line_no: u32, secrets: &[assay_span::FileSpan]) -> String {
    line.chars()
        .enumerate()
        .map(|(i, c)| {
            let col = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let pos = assay_span::Pos::new(line_no, col);
            let hidden = secrets.iter().any(|s| {
                let sp = s.span;
                sp.start <= pos && pos < sp.end
            });
            if hidden { '*' } else { c }
        })
        .collect()
}
