//! Suppressions: `ignore.assay.dev/<ID>: "<reason>"` annotations on an object,
//! and `# assay:ignore <ID>[,<ID>…] <reason>` comments, on the offending line
//! (trailing) or alone on the line above it. Unused suppressions and ones
//! without a reason are findings themselves (SUP001, SUP002).

use crate::Selection;
use crate::packs::sup::{SuppressionWithoutReason, UnusedSuppression};
use assay_diagnostics::{Finding, Suppression};
use assay_model::{Model, ObjectView, SourceFile};
use assay_span::{FileSpan, Pos, Span};
use assay_yaml::{NodeId, ScalarStyle};

const ANNOTATION_PREFIX: &str = "ignore.assay.dev/";
const COMMENT_DIRECTIVE: &str = "assay:ignore";

struct Directive {
    location: FileSpan,
    codes: Vec<String>,
    reason: String,
    /// Findings on these lines (comments) or inside this span (annotations) are covered.
    covers: Cover,
    used: bool,
}

enum Cover {
    Line(u32),
    Object(Span),
}

impl Directive {
    fn covers(&self, finding: &Finding) -> bool {
        if finding.location.file != self.location.file {
            return false;
        }
        let rule = finding.rule;
        let pack = crate::rule::pack_of(rule);
        let named = self
            .codes
            .iter()
            .any(|c| c.eq_ignore_ascii_case(rule) || c.eq_ignore_ascii_case(pack));
        named
            && match self.covers {
                Cover::Line(line) => finding.location.span.start.line == line,
                Cover::Object(span) => span.contains(&finding.location.span),
            }
    }
}

/// Mark suppressed findings, add SUP findings; returns how many were suppressed.
pub(crate) fn apply(model: &Model, findings: &mut Vec<Finding>, selection: &Selection) -> usize {
    let mut directives = Vec::new();
    for file in &model.files {
        comment_directives(file, &mut directives);
    }
    for object in model.object_views() {
        annotation_directives(&object, &mut directives);
    }
    if directives.is_empty() {
        return 0;
    }
    let mut suppressed = 0;
    for finding in findings.iter_mut() {
        // Findings about suppressions cannot themselves be suppressed.
        if finding.rule.starts_with("SUP") {
            continue;
        }
        if let Some(d) = directives.iter_mut().find(|d| d.covers(finding)) {
            d.used = true;
            finding.suppressed = Some(Suppression {
                location: d.location,
                reason: d.reason.clone(),
            });
            suppressed += 1;
        }
    }
    for d in &directives {
        if d.reason.is_empty() && selection.enabled(SuppressionWithoutReason::META.id) {
            let meta = &SuppressionWithoutReason::META;
            findings.push(
                Finding::new(
                    meta.id,
                    meta.severity,
                    d.location,
                    format!("suppression of {} gives no reason", d.codes.join(", ")),
                )
                .fix("say why the finding does not apply, after the rule id"),
            );
        }
        let ran_any = d
            .codes
            .iter()
            .any(|c| selection.enabled(c) || crate::find_rule(c).is_none());
        if !d.used && ran_any && selection.enabled(UnusedSuppression::META.id) {
            let meta = &UnusedSuppression::META;
            findings.push(
                Finding::new(
                    meta.id,
                    meta.severity,
                    d.location,
                    format!("suppression of {} matches no finding", d.codes.join(", ")),
                )
                .fix("remove the suppression, or move it to the line of the finding (or the line above)"),
            );
        }
    }
    suppressed
}

fn comment_directives(source: &SourceFile, out: &mut Vec<Directive>) {
    let (file, text) = (source.id, source.text.as_str());
    if !text.contains(COMMENT_DIRECTIVE) {
        return;
    }
    let strings = string_spans(source);
    for (idx, line) in text.lines().enumerate() {
        let Some(at) = line.find(COMMENT_DIRECTIVE) else {
            continue;
        };
        let Some(hash) = line.get(..at).and_then(|before| before.rfind('#')) else {
            continue;
        };
        let before_hash = line.get(..hash).unwrap_or_default();
        let line_no = u32::try_from(idx + 1).unwrap_or(u32::MAX);
        let col = u32::try_from(before_hash.chars().count() + 1).unwrap_or(u32::MAX);
        if strings.iter().any(|s| s.holds(Pos::new(line_no, col))) {
            continue;
        }
        let between = line.get(hash + 1..at).unwrap_or_default();
        // A comment starts at `#` preceded by white space or the line start.
        if !between.trim().is_empty()
            || !(before_hash.is_empty() || before_hash.ends_with([' ', '\t']))
        {
            continue;
        }
        let rest = line.get(at + COMMENT_DIRECTIVE.len()..).unwrap_or_default();
        if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
            continue;
        }
        let rest = rest.trim();
        let (codes, reason) = rest.split_once([' ', '\t']).unwrap_or((rest, ""));
        let end = u32::try_from(line.chars().count() + 1).unwrap_or(u32::MAX);
        let own_line = before_hash.trim().is_empty();
        out.push(Directive {
            location: FileSpan::new(
                file,
                Span::new(Pos::new(line_no, col), Pos::new(line_no, end)),
            ),
            codes: codes
                .split(',')
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect(),
            reason: reason.trim().to_owned(),
            covers: Cover::Line(if own_line {
                line_no.saturating_add(1)
            } else {
                line_no
            }),
            used: false,
        });
    }
}

/// Where a `#` is text, not a comment: inside a quoted scalar, or in the
/// content of a block scalar (the header line, `key: | # …`, may hold a
/// comment). Plain scalars cannot hold ` #`.
struct StringSpan {
    span: Span,
    block: bool,
}

impl StringSpan {
    fn holds(&self, pos: Pos) -> bool {
        // A block scalar's span starts at its content, below the header.
        let start = if self.block {
            Pos::new(self.span.start.line, 1)
        } else {
            self.span.start
        };
        start <= pos && pos < self.span.end
    }
}

fn string_spans(source: &SourceFile) -> Vec<StringSpan> {
    let tree = &source.tree;
    (0..tree.node_count())
        .filter_map(|index| {
            let node = tree.value(NodeId(u32::try_from(index).ok()?));
            if node.is_alias() {
                return None;
            }
            let (_, style) = node.as_scalar()?;
            let block = matches!(style, ScalarStyle::Literal | ScalarStyle::Folded);
            (block || !style.is_plain()).then_some(StringSpan {
                span: node.span(),
                block,
            })
        })
        .collect()
}

fn annotation_directives(object: &ObjectView<'_>, out: &mut Vec<Directive>) {
    let Some(annotations) = object.metadata().and_then(|m| m.get("annotations")) else {
        return;
    };
    for (key, value) in annotations.entries() {
        let Some(code) = key.as_str().and_then(|k| k.strip_prefix(ANNOTATION_PREFIX)) else {
            continue;
        };
        out.push(Directive {
            location: object.at(key.span().cover(value.span())),
            codes: vec![code.to_owned()],
            reason: value.as_str().unwrap_or_default().trim().to_owned(),
            covers: Cover::Object(object.root.span()),
            used: false,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use assay_span::FileId;
    use assay_yaml::Limits;

    #[test]
    fn only_real_comments_suppress() {
        let text = "\
data:
  a: \"x # assay:ignore YAML002 in a double-quoted string\"
  b: 'x # assay:ignore YAML002 in a single-quoted string'
  c: |
    # assay:ignore YAML002 in a block scalar
  d: \"two
    lines # assay:ignore YAML002 in a multi-line string\"
  e: x # assay:ignore YAML002 after a plain value
  f: | # assay:ignore YAML002 after a block indicator
    text
# assay:ignore YAML002 on its own line
g: >-
  folded # assay:ignore YAML002 in a folded scalar
";
        let file = SourceFile::parse(
            FileId(0),
            "t.yaml".to_owned(),
            text.as_bytes(),
            &Limits::default(),
        );
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        let mut out = Vec::new();
        comment_directives(&file, &mut out);
        let lines: Vec<u32> = out.iter().map(|d| d.location.span.start.line).collect();
        assert_eq!(lines, [8, 9, 11]);
    }
}
