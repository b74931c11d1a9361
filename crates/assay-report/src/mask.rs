//! Source text leaves assay only through this module: secret ranges are
//! masked, control characters are neutralised, and very long lines (minified
//! JSON) are cut to a window around the node.

use assay_diagnostics::Finding;
use assay_span::{FileId, FileSpan, LineIndex};

/// Widest slice of one source line a code frame prints, in characters.
pub(crate) const MAX_FRAME_WIDTH: usize = 160;

/// The secret ranges of every finding, per file: a frame masks them whichever
/// finding it belongs to.
#[derive(Debug, Default)]
pub(crate) struct SecretRanges {
    spans: Vec<FileSpan>,
}

impl SecretRanges {
    pub(crate) fn of(findings: &[Finding], masked: &[FileSpan]) -> Self {
        let mut spans: Vec<FileSpan> = findings
            .iter()
            .flat_map(|f| f.secrets.iter().copied())
            .chain(masked.iter().copied())
            .collect();
        spans.sort();
        spans.dedup();
        Self { spans }
    }

    /// `line` (1-based) of `file` with every secret character replaced by `*`.
    pub(crate) fn mask_line(&self, file: FileId, line: u32, text: &str) -> String {
        let masked_cols: Vec<(u32, u32)> = self
            .spans
            .iter()
            .filter(|s| s.file == file && s.span.start.line <= line && line <= s.span.end.line)
            .map(|s| {
                let from = if s.span.start.line == line {
                    s.span.start.col
                } else {
                    1
                };
                let to = if s.span.end.line == line {
                    s.span.end.col
                } else {
                    u32::MAX
                };
                (from, to)
            })
            .collect();
        text.chars()
            .zip(1u32..)
            .map(|(c, col)| {
                if masked_cols
                    .iter()
                    .any(|&(from, to)| from <= col && col < to)
                    && !c.is_whitespace()
                {
                    '*'
                } else {
                    c
                }
            })
            .collect()
    }
}

/// Make text safe for a terminal or a log: tabs become a space, other control
/// characters (terminal escapes in a hostile file) become `�`.
pub(crate) fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' => ' ',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// The printable window of a line around columns `[from, to)` (1-based),
/// and the column the window starts at.
pub(crate) fn window(line: &str, from: u32, to: u32) -> (String, u32) {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= MAX_FRAME_WIDTH {
        return (chars.into_iter().collect(), 1);
    }
    let from = usize::try_from(from.max(1) - 1)
        .unwrap_or(0)
        .min(chars.len());
    let to = usize::try_from(to.max(1) - 1)
        .unwrap_or(0)
        .clamp(from, chars.len());
    let start = from
        .saturating_sub(40)
        .min(chars.len().saturating_sub(MAX_FRAME_WIDTH));
    let end = (start + MAX_FRAME_WIDTH)
        .min(chars.len())
        .max(to.min(start + MAX_FRAME_WIDTH));
    let mut text = String::new();
    if start > 0 {
        text.push('…');
    }
    text.extend(&chars[start..end]);
    if end < chars.len() {
        text.push('…');
    }
    (text, u32::try_from(start).unwrap_or(0) + 1)
}

/// One source line, masked and printable, for a code frame.
pub(crate) fn frame_line(
    secrets: &SecretRanges,
    index: &LineIndex,
    file_text: &str,
    file: FileId,
    line: u32,
) -> Option<String> {
    let text = index.line_text(file_text, line)?;
    Some(secrets.mask_line(file, line, text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use assay_diagnostics::Severity;
    use assay_span::{Pos, Span};

    fn finding_with_secret(span: Span) -> Finding {
        Finding::new(
            "SEC001",
            Severity::Error,
            FileSpan::new(FileId(0), span),
            "m",
        )
        .secret(FileSpan::new(FileId(0), span))
    }

    #[test]
    fn masks_only_the_secret_columns() {
        let secrets = SecretRanges::of(
            &[finding_with_secret(Span::new(
                Pos::new(2, 8),
                Pos::new(2, 12),
            ))],
            &[],
        );
        assert_eq!(
            secrets.mask_line(FileId(0), 2, "  key: abcd # c"),
            "  key: **** # c"
        );
        assert_eq!(
            secrets.mask_line(FileId(0), 1, "  key: abcd"),
            "  key: abcd"
        );
        assert_eq!(
            secrets.mask_line(FileId(1), 2, "  key: abcd"),
            "  key: abcd"
        );
    }

    #[test]
    fn masks_every_line_of_a_multi_line_secret() {
        let secrets = SecretRanges::of(
            &[finding_with_secret(Span::new(
                Pos::new(1, 6),
                Pos::new(3, 4),
            ))],
            &[],
        );
        assert_eq!(secrets.mask_line(FileId(0), 1, "key: |"), "key: *");
        assert_eq!(secrets.mask_line(FileId(0), 2, "  abc def"), "  *** ***");
        assert_eq!(secrets.mask_line(FileId(0), 3, "  abcdef"), "  *bcdef");
    }

    #[test]
    fn control_characters_are_neutralised() {
        assert_eq!(printable("a\u{1b}[31mb\tc"), "a\u{FFFD}[31mb c");
    }

    #[test]
    fn long_lines_are_windowed_around_the_node() {
        let line = "x".repeat(10_000);
        let (text, start) = window(&line, 5_000, 5_004);
        assert!(text.chars().count() <= MAX_FRAME_WIDTH + 2);
        assert!(start <= 5_000 && 5_004 <= start + MAX_FRAME_WIDTH as u32);
        assert_eq!(window("short", 1, 2), ("short".to_owned(), 1));
    }
}
