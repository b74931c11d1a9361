use super::report_load_errors;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::SourceFile;
use assay_yaml::LoadErrorKind;

declare_rule! {
    /// The file could not be read as text
    ///
    /// ## What it checks
    /// Files are read as UTF-8 (a byte-order mark is removed; UTF-16 with a
    /// byte-order mark is transcoded). Invalid UTF-8 is reported at the line and
    /// column of the first bad byte; a file with NUL bytes in its first 8 KiB is
    /// binary and skipped; an I/O error (permissions, a vanished file) is
    /// reported on the file.
    ///
    /// ## Why it matters
    /// The Kubernetes API server, kubectl and Compose read UTF-8 only. A file
    /// saved in another encoding, or a binary file with a `.yaml` name, is
    /// rejected at deploy time; assay says so instead of skipping it silently.
    ///
    /// ## Example
    /// A binary or Latin-1 file cannot be shown as YAML text here; the fixtures
    /// `tests/fixtures/yaml/YAML004/` build them from bytes. A readable file:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: café
    /// ```
    ///
    /// ## Fix
    /// Re-save the file as UTF-8 (`iconv -f latin1 -t utf-8`), or remove the
    /// binary file from the deliverable (or list it in `.assayignore`).
    ///
    /// ## References
    /// - YAML 1.2.2 §5.2 Character Encodings: https://yaml.org/spec/1.2.2/#52-character-encodings
    pub(crate) struct UnreadableFile {
        id: "YAML004",
        name: "unreadable-file",
        severity: Error,
        scope: Scope::File,
        fix: Never,
        since: "0.1.0",
    }
}

impl Rule for UnreadableFile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, _ctx: &Context<'_>, file: &SourceFile, out: &mut Findings<'_>) {
        report_load_errors(
            file,
            |k| {
                matches!(
                    k,
                    LoadErrorKind::Encoding | LoadErrorKind::Binary | LoadErrorKind::Io
                )
            },
            out,
            |_, e| match e.kind {
                LoadErrorKind::Io => "check that the file exists and is readable".to_owned(),
                LoadErrorKind::Binary => {
                    "remove the binary file from the deliverable or list it in .assayignore"
                        .to_owned()
                }
                _ => "re-save the file as UTF-8".to_owned(),
            },
        );
    }
}
