//! Source positions shared by every assay crate.
//!
//! Positions are stored as 1-based line and column (columns count Unicode scalar
//! values, not bytes), which is what the YAML parser reports and what every
//! reporter prints. Byte offsets are only needed to print a code frame; the
//! [`LineIndex`] recovers them from the text once per file, when printing.

use std::fmt;

/// Index of a source file in one run's source map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A position: 1-based line and 1-based column in characters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    #[must_use]
    pub const fn new(line: u32, col: u32) -> Self {
        Self { line, col }
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// A range within one file, start inclusive, end exclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    #[must_use]
    pub const fn new(start: Pos, end: Pos) -> Self {
        Self { start, end }
    }

    /// An empty span at `pos`.
    #[must_use]
    pub const fn point(pos: Pos) -> Self {
        Self {
            start: pos,
            end: pos,
        }
    }

    /// The smallest span covering both.
    #[must_use]
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    #[must_use]
    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// A span together with the file it is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileSpan {
    pub file: FileId,
    pub span: Span,
}

impl FileSpan {
    #[must_use]
    pub const fn new(file: FileId, span: Span) -> Self {
        Self { file, span }
    }
}

/// Byte offsets of line starts, built once per file when a reporter needs text.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    #[must_use]
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self {
            starts,
            len: text.len(),
        }
    }

    /// Number of lines (a trailing newline does not open a new line).
    #[must_use]
    pub fn line_count(&self) -> usize {
        match self.starts.last() {
            Some(&last) if last == self.len && self.starts.len() > 1 => self.starts.len() - 1,
            _ => self.starts.len(),
        }
    }

    /// The text of 1-based line `line`, without its line terminator.
    #[must_use]
    pub fn line_text<'t>(&self, text: &'t str, line: u32) -> Option<&'t str> {
        let idx = usize::try_from(line).ok()?.checked_sub(1)?;
        let start = *self.starts.get(idx)?;
        let end = self.starts.get(idx + 1).copied().unwrap_or(self.len);
        let raw = text.get(start..end)?;
        Some(raw.trim_end_matches(['\n', '\r']))
    }

    /// Byte offset of a position, if it lies in `text`.
    #[must_use]
    pub fn offset(&self, text: &str, pos: Pos) -> Option<usize> {
        let line_start = *self
            .starts
            .get(usize::try_from(pos.line).ok()?.checked_sub(1)?)?;
        let line = self.line_text(text, pos.line)?;
        let col = usize::try_from(pos.col).ok()?.checked_sub(1)?;
        let within = line
            .char_indices()
            .nth(col)
            .map_or(line.len(), |(byte, _)| byte);
        Some(line_start + within)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_text_and_offsets() {
        let text = "a: 1\nbé: 2\r\nc: 3";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        assert_eq!(index.line_text(text, 2), Some("bé: 2"));
        assert_eq!(index.line_text(text, 3), Some("c: 3"));
        assert_eq!(index.line_text(text, 4), None);
        assert_eq!(index.line_text(text, 0), None);
        // Column 3 of line 2 is the ':' after the two-byte 'é'.
        assert_eq!(index.offset(text, Pos::new(2, 3)), Some(8));
    }

    #[test]
    fn trailing_newline_is_not_a_line() {
        let index = LineIndex::new("a\nb\n");
        assert_eq!(index.line_count(), 2);
    }

    #[test]
    fn cover_and_contains() {
        let a = Span::new(Pos::new(1, 1), Pos::new(1, 5));
        let b = Span::new(Pos::new(2, 1), Pos::new(2, 3));
        let c = a.cover(b);
        assert!(c.contains(&a) && c.contains(&b));
        assert!(!a.contains(&b));
    }
}
