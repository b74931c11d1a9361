//! Findings and how secrets are shown in them.

mod quote;
mod redact;
mod secrets;
mod suggest;

pub use quote::{MAX_QUOTED_CHARS, Quoted, code, plain, quote, quote_brief};
pub use redact::Redacted;
pub use secrets::{MIN_SECRET_CHARS, Secrets};
pub use suggest::closest;

use assay_span::FileSpan;
use std::fmt;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    #[must_use]
    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary location that explains a finding ("selected here", "first defined here").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub location: FileSpan,
    pub message: String,
}

/// Why a finding is not counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// Where the suppression was written (annotation value or comment).
    pub location: FileSpan,
    pub reason: String,
}

/// One problem found in the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Stable rule id, e.g. `SEC001`.
    pub rule: &'static str,
    pub severity: Severity,
    /// The exact node at fault.
    pub location: FileSpan,
    /// The object it belongs to, e.g. `Deployment shop/web`, when there is one.
    pub object: Option<String>,
    /// One lowercase sentence without a final period; never contains a secret value.
    pub message: String,
    /// What to do about it.
    pub fix: Option<String>,
    pub labels: Vec<Label>,
    /// Source ranges that hold secret values: any code frame masks them.
    pub secrets: Vec<FileSpan>,
    pub suppressed: Option<Suppression>,
}

impl Finding {
    #[must_use]
    pub fn new(
        rule: &'static str,
        severity: Severity,
        location: FileSpan,
        message: impl Into<String>,
    ) -> Self {
        Self {
            rule,
            severity,
            location,
            object: None,
            message: message.into(),
            fix: None,
            labels: Vec::new(),
            secrets: Vec::new(),
            suppressed: None,
        }
    }

    #[must_use]
    pub fn object(mut self, object: impl Into<String>) -> Self {
        self.object = Some(object.into());
        self
    }

    #[must_use]
    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    #[must_use]
    pub fn label(mut self, location: FileSpan, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            location,
            message: message.into(),
        });
        self
    }

    /// Mark a source range as holding a secret (masked in every code frame).
    #[must_use]
    pub fn secret(mut self, location: FileSpan) -> Self {
        self.secrets.push(location);
        self
    }

    /// Pass every text this finding carries (message, fix, object, labels,
    /// suppression reason) through [`Secrets::render`].
    pub fn redact(&mut self, secrets: &Secrets) {
        self.message = secrets.render(&self.message);
        if let Some(fix) = &mut self.fix {
            *fix = secrets.render(fix);
        }
        if let Some(object) = &mut self.object {
            *object = secrets.render(object);
        }
        for label in &mut self.labels {
            label.message = secrets.render(&label.message);
        }
        if let Some(suppressed) = &mut self.suppressed {
            suppressed.reason = secrets.render(&suppressed.reason);
        }
    }

    /// The order every report uses: file, line, column, rule id, then message.
    #[must_use]
    pub fn sort_key(&self) -> (FileSpan, &'static str, &str) {
        (self.location, self.rule, &self.message)
    }
}
