use assay_span::Span;
use std::fmt;

/// What went wrong while loading a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadErrorKind {
    /// The YAML (or JSON) is malformed.
    Syntax,
    /// The bytes are not valid UTF-8 (or UTF-16 with a BOM).
    Encoding,
    /// The file looks binary (NUL bytes near the start).
    Binary,
    /// The file could not be read (permissions, vanished, not a regular file).
    Io,
    /// A named limit was exceeded.
    Limit { limit: &'static str, max: u64 },
}

/// A located problem met while loading a file. Documents before it are kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub kind: LoadErrorKind,
    pub span: Span,
    pub message: String,
}

impl LoadError {
    pub(crate) fn limit(limit: &'static str, max: u64, span: Span, what: &str) -> Self {
        Self {
            kind: LoadErrorKind::Limit { limit, max },
            span,
            message: format!("{what} exceeds the limit {limit} = {max}"),
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.span.start, self.message)
    }
}
