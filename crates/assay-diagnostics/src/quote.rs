//! Input text in a message goes through [`quote`], [`code`] or [`plain`]:
//! the value is wrapped in private-use marker characters, and the engine's
//! redaction pass ([`crate::Secrets::render`]) decides how it is shown — in
//! full (cut to [`MAX_QUOTED_CHARS`] for [`quote_brief`]), or masked when it
//! holds a secret found anywhere in the input. A rule cannot tell whether a value is a secret
//! (the secret detectors run over the whole input, in parallel with it), so
//! it never decides: it only says "this is a value".

use std::fmt;

/// Opens a value shown in double quotes: `"value"`.
pub(crate) const OPEN_QUOTED: char = '\u{E000}';
/// Opens a value shown in backticks: `` `value` ``.
pub(crate) const OPEN_CODE: char = '\u{E001}';
/// Opens a value shown as written, without delimiters.
pub(crate) const OPEN_PLAIN: char = '\u{E002}';
/// Closes a value.
pub(crate) const CLOSE: char = '\u{E003}';
/// Opens a value shown in double quotes, cut to [`MAX_QUOTED_CHARS`].
pub(crate) const OPEN_BRIEF: char = '\u{E004}';

/// Longest [`quote_brief`] string a message shows, in characters; longer
/// ones end in `…`.
pub const MAX_QUOTED_CHARS: usize = 40;

pub(crate) fn is_marker(c: char) -> bool {
    matches!(c, OPEN_QUOTED | OPEN_CODE | OPEN_PLAIN | CLOSE | OPEN_BRIEF)
}

/// How a quoted value is delimited in the rendered message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Delimiter {
    Quotes,
    /// Double quotes, cut to [`MAX_QUOTED_CHARS`].
    BriefQuotes,
    Backticks,
    None,
}

impl Delimiter {
    pub(crate) fn of(open: char) -> Option<Self> {
        match open {
            OPEN_QUOTED => Some(Delimiter::Quotes),
            OPEN_BRIEF => Some(Delimiter::BriefQuotes),
            OPEN_CODE => Some(Delimiter::Backticks),
            OPEN_PLAIN => Some(Delimiter::None),
            _ => None,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Delimiter::Quotes | Delimiter::BriefQuotes => "\"",
            Delimiter::Backticks => "`",
            Delimiter::None => "",
        }
    }
}

/// A value from the input, to be shown in a message or fix.
#[derive(Clone, Copy)]
pub struct Quoted<'a> {
    value: &'a str,
    open: char,
}

/// Show `value` in double quotes (`found the string "abc"`).
#[must_use]
pub fn quote(value: &str) -> Quoted<'_> {
    Quoted {
        value,
        open: OPEN_QUOTED,
    }
}

/// Show `value` in double quotes, cut to [`MAX_QUOTED_CHARS`] (a value
/// described in passing: `found the string "…"`).
#[must_use]
pub fn quote_brief(value: &str) -> Quoted<'_> {
    Quoted {
        value,
        open: OPEN_BRIEF,
    }
}

/// Show `value` in backticks (`` image `nginx` ``).
#[must_use]
pub fn code(value: &str) -> Quoted<'_> {
    Quoted {
        value,
        open: OPEN_CODE,
    }
}

/// Show `value` as written (`the integer 42`, `node port 8080`).
#[must_use]
pub fn plain(value: &str) -> Quoted<'_> {
    Quoted {
        value,
        open: OPEN_PLAIN,
    }
}

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write as _;
        f.write_char(self.open)?;
        // Markers in the input cannot close the value early.
        for c in self.value.chars() {
            f.write_char(if is_marker(c) { '\u{FFFD}' } else { c })?;
        }
        f.write_char(CLOSE)
    }
}

impl fmt::Debug for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the raw value: a Debug print must not leak a secret either.
        write!(f, "Quoted({} chars)", self.value.chars().count())
    }
}
