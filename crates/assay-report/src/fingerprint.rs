//! Stable finding identities for code-scanning tools (SARIF
//! `partialFingerprints`, the JSON `fingerprint`): they must survive edits
//! that only move a finding, so they hash what the finding *is* (rule, file,
//! object, message), never its line, and never source text (which may hold a
//! secret). Identical findings are told apart by their order in the file.

use crate::Report;
use assay_diagnostics::Finding;
use assay_span::FileId;
use std::collections::HashMap;

/// FNV-1a, 64 bits: tiny, stable across platforms and Rust versions (unlike
/// `std`'s `DefaultHasher`, whose algorithm is unspecified).
fn fnv1a(seed: u64, parts: &[&str]) -> u64 {
    let mut hash = seed;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// One fingerprint per finding of `report`, in the same order: 32 hex digits,
/// then `:N` for the N-th identical finding.
pub(crate) fn fingerprints(report: &Report<'_>) -> Vec<String> {
    fingerprints_with(report.findings, |file| report.path(file))
}

/// Fingerprints of `findings` with each file's path given by `path_of`
/// (a baseline names files relative to its own folder, whatever path was
/// passed to `check`).
pub fn fingerprints_with(findings: &[Finding], path_of: impl Fn(FileId) -> String) -> Vec<String> {
    let mut seen: HashMap<(u64, u64), usize> = HashMap::new();
    findings
        .iter()
        .map(|f| {
            let path = path_of(f.location.file);
            let parts = [
                f.rule,
                path.as_str(),
                f.object.as_deref().unwrap_or(""),
                f.message.as_str(),
            ];
            let key = (
                fnv1a(0xcbf2_9ce4_8422_2325, &parts),
                fnv1a(0x8422_2325_cbf2_9ce4, &parts),
            );
            let n = seen.entry(key).or_insert(0);
            *n += 1;
            format!("{:016x}{:016x}:{n}", key.0, key.1)
        })
        .collect()
}
