//! Baselines: `--write-baseline FILE` records today's findings,
//! `--baseline FILE` reports only the ones not recorded.
//!
//! The file is JSON, versioned and sorted (a diff of two baselines reads as
//! the findings fixed and added):
//!
//! ```json
//! {
//!   "schemaVersion": 1,
//!   "tool": "assay",
//!   "findings": [
//!     { "path": "deploy/web.yaml", "rule": "HARD010", "object": "Deployment shop/web",
//!       "fingerprint": "0f3c…:1" }
//!   ]
//! }
//! ```
//!
//! A finding matches an entry by fingerprint: a hash of rule, path, object
//! and message (not the line, so edits above a finding keep it matched; see
//! `assay_report::fingerprints_with`). Paths are relative to the baseline
//! file's folder, so the baseline matches whatever path is passed to
//! `check`. Suppressed findings are not recorded (they are already handled).

use anyhow::{Context as _, Result, bail};
use assay_diagnostics::Finding;
use assay_model::Model;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Bumped on any incompatible change to the file's shape.
const BASELINE_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct BaselineFile {
    schema_version: u32,
    tool: String,
    findings: Vec<Entry>,
}

#[derive(Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
struct Entry {
    path: String,
    rule: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    object: Option<String>,
    fingerprint: String,
}

/// What applying a baseline did.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Applied {
    /// Findings recorded in the baseline, removed from the report.
    pub(crate) baselined: usize,
    /// Entries no current finding matches (fixed, or changed).
    pub(crate) stale: usize,
}

/// The folder paths in a baseline are relative to.
fn base_folder(baseline: &Path) -> PathBuf {
    let parent = baseline
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent
        .canonicalize()
        .or_else(|_| std::path::absolute(parent))
        .unwrap_or_else(|_| parent.to_owned())
}

/// A file's path relative to `folder`, `/`-separated; the path as given when
/// it is not below `folder` (or is stdin's name).
fn relative_path(folder: &Path, path: &str) -> String {
    let given = Path::new(path);
    let absolute = given
        .canonicalize()
        .or_else(|_| std::path::absolute(given))
        .unwrap_or_else(|_| given.to_owned());
    absolute
        .strip_prefix(folder)
        .unwrap_or(given)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Per finding, its path relative to the baseline's folder and its fingerprint.
fn keyed(model: &Model, findings: &[Finding], baseline: &Path) -> Vec<(String, String)> {
    let folder = base_folder(baseline);
    let paths: Vec<String> = model
        .files
        .iter()
        .map(|f| relative_path(&folder, &f.path))
        .collect();
    let path_of = |file: assay_span::FileId| {
        paths
            .get(file.0 as usize)
            .cloned()
            .unwrap_or_else(|| "<unknown>".to_owned())
    };
    let fingerprints = assay_report::fingerprints_with(findings, path_of);
    findings
        .iter()
        .zip(fingerprints)
        .map(|(f, fingerprint)| (path_of(f.location.file), fingerprint))
        .collect()
}

/// Record the unsuppressed `findings` in `path`; returns how many.
///
/// # Errors
/// The file cannot be written.
pub(crate) fn write(path: &Path, model: &Model, findings: &[Finding]) -> Result<usize> {
    let mut entries: Vec<Entry> = findings
        .iter()
        .zip(keyed(model, findings, path))
        .filter(|(f, _)| f.suppressed.is_none())
        .map(|(f, (file, fingerprint))| Entry {
            path: file,
            rule: f.rule.to_owned(),
            object: f.object.clone(),
            fingerprint,
        })
        .collect();
    entries.sort();
    let count = entries.len();
    let file = BaselineFile {
        schema_version: BASELINE_VERSION,
        tool: "assay".to_owned(),
        findings: entries,
    };
    let mut text = serde_json::to_string_pretty(&file)?;
    text.push('\n');
    std::fs::write(path, text)
        .with_context(|| format!("cannot write the baseline {}", path.display()))?;
    Ok(count)
}

/// Remove from `findings` those recorded in the baseline at `path`.
///
/// # Errors
/// The file cannot be read, is not a baseline, or has another version.
pub(crate) fn apply(path: &Path, model: &Model, findings: &mut Vec<Finding>) -> Result<Applied> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the baseline {}", path.display()))?;
    let file: BaselineFile = serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not an assay baseline (write one with --write-baseline)",
            path.display()
        )
    })?;
    if file.schema_version != BASELINE_VERSION {
        bail!(
            "the baseline {} has schemaVersion {}; this assay reads version {BASELINE_VERSION} (rewrite it with --write-baseline)",
            path.display(),
            file.schema_version
        );
    }
    let recorded: BTreeSet<&str> = file
        .findings
        .iter()
        .map(|e| e.fingerprint.as_str())
        .collect();
    let keys = keyed(model, findings, path);
    let mut matched: BTreeSet<&str> = BTreeSet::new();
    let mut keep = Vec::with_capacity(findings.len());
    for (finding, (_, fingerprint)) in findings.drain(..).zip(&keys) {
        match recorded.get(fingerprint.as_str()) {
            Some(entry) if finding.suppressed.is_none() => {
                matched.insert(entry);
            }
            _ => keep.push(finding),
        }
    }
    *findings = keep;
    Ok(Applied {
        baselined: matched.len(),
        stale: recorded.len() - matched.len(),
    })
}
