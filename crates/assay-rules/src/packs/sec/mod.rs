//! The `SEC` pack: credentials written into the deliverable.
//!
//! Who reports what, so one value is never reported by two rules:
//! - SEC001: Kubernetes container `env[].value` (formats, URL passwords, names).
//! - SEC002: `metadata.annotations` of any object and of pod templates, and
//!   ConfigMap `data` / `binaryData`.
//! - SEC003: every other string of every document (compose, OpenAPI, etcd,
//!   unrecognised YAML, and the rest of Kubernetes objects): formats and URL
//!   passwords only, plus compose `environment:` entries by name.
//! - SEC004: Secret `data` / `stringData`, as a whole.
//! - SEC005: Secrets consumed as environment variables (info).
//! - SEC006: encryption keys in an `EncryptionConfiguration`.

mod detect;
mod sec001_secret_in_env;
mod sec002_secret_in_configmap_or_annotation;
mod sec003_credential_in_yaml;
mod sec004_secret_manifest_with_literal_data;
mod sec005_secret_exposed_as_env_var;
mod sec006_encryption_key_in_config;

use crate::{Findings, Pack};
use assay_diagnostics::Redacted;
use assay_span::{FileId, FileSpan, Pos, Span};
use assay_yaml::Value;
pub(crate) use detect::sensitive_values;
use detect::{find_tokens, literal_secret, secret_assignment, secret_name};

pub(crate) const PACK: Pack = Pack {
    prefix: "SEC",
    folder: "sec",
    title: "Secrets in manifests and configuration",
    rules: &[
        &sec001_secret_in_env::SecretInEnv,
        &sec002_secret_in_configmap_or_annotation::SecretInConfigMapOrAnnotation,
        &sec003_credential_in_yaml::CredentialInYaml,
        &sec004_secret_manifest_with_literal_data::SecretManifestWithLiteralData,
        &sec005_secret_exposed_as_env_var::SecretExposedAsEnvVar,
        &sec006_encryption_key_in_config::EncryptionKeyInConfig,
    ],
};

/// What was found in one value: a label for the message, how many leading
/// characters are public, and every secret byte range (within the value).
#[derive(Debug)]
pub(crate) struct Detection {
    pub(crate) label: &'static str,
    pub(crate) prefix: usize,
    pub(crate) ranges: Vec<(usize, usize)>,
}

/// Token formats and URL passwords in `value`.
pub(crate) fn detect_formats(value: &str) -> Option<Detection> {
    let tokens = find_tokens(value);
    let first = tokens.first()?;
    Some(Detection {
        label: first.kind.label(),
        prefix: first.kind.public_prefix(),
        ranges: tokens.iter().map(|t| (t.start, t.end)).collect(),
    })
}

/// Formats first; failing that, a literal under a secret-looking `name`.
pub(crate) fn detect_named(name: Option<&str>, value: &str) -> Option<Detection> {
    if let Some(found) = detect_formats(value) {
        return Some(found);
    }
    let (class, label) = secret_name(name?)?;
    if value.contains('\n') || !literal_secret(class, value) {
        return None;
    }
    let start = value.len() - value.trim_start().len();
    let end = value.trim_end().len();
    Some(Detection {
        label,
        prefix: 0,
        ranges: vec![(start, end.max(start))],
    })
}

/// A config file held in a string: formats, then `password: literal` lines.
pub(crate) fn detect_config_text(value: &str) -> Option<Detection> {
    if let Some(found) = detect_formats(value) {
        return Some(found);
    }
    let mut ranges = Vec::new();
    let mut label = None;
    let mut line_start = 0;
    for line in value.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some((l, s, e)) = secret_assignment(content) {
            label.get_or_insert(l);
            ranges.push((line_start + s, line_start + e));
        }
        line_start += line.len();
    }
    Some(Detection {
        label: label?,
        prefix: 0,
        ranges,
    })
}

/// Byte offset of `pos` in `text`.
fn offset_of(text: &str, pos: Pos) -> Option<usize> {
    let mut line_start = 0;
    for _ in 1..pos.line {
        line_start += text.get(line_start..)?.find('\n')? + 1;
    }
    let line = text.get(line_start..)?;
    let line = line.split('\n').next().unwrap_or(line);
    let col = usize::try_from(pos.col).ok()?.checked_sub(1)?;
    Some(line_start + line.char_indices().nth(col).map_or(line.len(), |(b, _)| b))
}

/// Line and column of byte `offset` in `text`.
fn pos_of(text: &str, offset: usize) -> Pos {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    Pos::new(
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(col).unwrap_or(u32::MAX),
    )
}

/// The `k`-th (0-based) occurrence of `needle` in `hay`.
fn nth_find(hay: &str, needle: &str, k: usize) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    hay.match_indices(needle).nth(k).map(|(i, _)| i)
}

/// Where the bytes `start..end` of a scalar's `value` are written in the
/// file, within the node's span `node`. Falls back to the whole node when the
/// text cannot be found as written (escapes, folding).
pub(crate) fn locate(file_text: &str, node: Span, value: &str, start: usize, end: usize) -> Span {
    let found = (|| {
        let from = offset_of(file_text, node.start)?;
        let to = offset_of(file_text, node.end)?.max(from);
        let source = file_text.get(from..to)?;
        let piece = value.get(start..end)?;
        let before = value.get(..start)?;
        let first = piece.lines().next()?;
        let last = piece.lines().last()?;
        let k = before.matches(first).count();
        let s = nth_find(source, first, k)?;
        let e = if piece.contains('\n') {
            let rest = source.get(s + first.len()..)?;
            s + first.len() + rest.find(last)? + last.len()
        } else {
            s + first.len()
        };
        Some(Span::new(
            pos_of(file_text, from + s),
            pos_of(file_text, from + e),
        ))
    })();
    found.unwrap_or(node)
}

/// Where a finding about a secret value is reported.
#[derive(Clone, Copy)]
pub(crate) struct Site<'a> {
    pub(crate) file: FileId,
    pub(crate) file_text: &'a str,
    pub(crate) node: Value<'a>,
    /// The scalar's value (or a part of it) that `Detection` ranges index.
    pub(crate) value: &'a str,
    /// Offset of `value` within the scalar's text (for `KEY=value` items).
    pub(crate) base: usize,
    pub(crate) scalar: &'a str,
}

impl<'a> Site<'a> {
    pub(crate) fn new(file: FileId, file_text: &'a str, node: Value<'a>, value: &'a str) -> Self {
        Self {
            file,
            file_text,
            node,
            value,
            base: 0,
            scalar: value,
        }
    }
}

/// Report `found` at `site`: the message names `subject`, the kind, and the
/// redacted value; every secret range is marked for masking.
pub(crate) fn report(
    out: &mut Findings<'_>,
    site: Site<'_>,
    found: &Detection,
    subject: &str,
    object: Option<String>,
    fix: &str,
) {
    let Some(&(start, end)) = found.ranges.first() else {
        return;
    };
    let secret = site.value.get(start..end).unwrap_or_default();
    let redacted = Redacted::with_prefix(secret, found.prefix);
    let spans: Vec<Span> = found
        .ranges
        .iter()
        .map(|&(s, e)| {
            locate(
                site.file_text,
                site.node.span(),
                site.scalar,
                site.base + s,
                site.base + e,
            )
        })
        .collect();
    let location = spans.first().copied().unwrap_or_else(|| site.node.span());
    let more = match found.ranges.len() {
        1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    let mut finding = out
        .at(
            FileSpan::new(site.file, location),
            format!(
                "{subject}: {} written in plain text (`{redacted}`){more}",
                found.label
            ),
        )
        .fix(fix);
    if let Some(object) = object {
        finding = finding.object(object);
    }
    for span in spans {
        finding = finding.secret(FileSpan::new(site.file, span));
    }
    out.push(finding);
}

/// The fix shared by the rules that find a credential written in place.
pub(crate) const MOVE_TO_SECRET: &str = "rotate the credential (it is in version control now), keep it out of the deliverable (External Secrets Operator, Sealed Secrets or a SOPS-encrypted file), and mount the Secret as a read-only file or reference it with `valueFrom.secretKeyRef`";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_finds_the_piece_as_written() {
        let text = "a:\n  url: \"postgres://app:app@db/x\"\n";
        let node = Span::new(Pos::new(2, 8), Pos::new(2, 33));
        let value = "postgres://app:app@db/x";
        let span = locate(text, node, value, 15, 18);
        assert_eq!(span, Span::new(Pos::new(2, 24), Pos::new(2, 27)));
        // Multi-line piece in a block scalar: first line to last line.
        let text = "k: |\n  one\n  two\n  three\n";
        let node = Span::new(Pos::new(1, 4), Pos::new(5, 1));
        let value = "one\ntwo\nthree\n";
        let span = locate(text, node, value, 0, 13);
        assert_eq!(span, Span::new(Pos::new(2, 3), Pos::new(4, 8)));
        // Not found as written: the whole node.
        assert_eq!(locate(text, node, "zzz", 0, 3), node);
    }

    #[test]
    fn config_text_lines() {
        let found = detect_config_text("host: db\npassword: hunter2\nuser: app\n");
        assert_eq!(found.map(|f| f.ranges), Some(vec![(19, 26)]));
        assert!(detect_config_text("password: ${DB_PASSWORD}\n").is_none());
    }
}
