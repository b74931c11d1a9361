//! The `YAML` pack: what the loader found while reading the input, and YAML
//! that Kubernetes reads differently from what its author meant.

mod yaml001_syntax_error;
mod yaml002_duplicate_key;
mod yaml003_limit_exceeded;
mod yaml004_unreadable_file;
mod yaml005_unrecognised_document;
mod yaml006_ambiguous_scalar;
mod yaml007_quoted_number;
mod yaml008_incomplete_object_type;
mod yaml009_unrendered_template;

use crate::Pack;
use assay_model::SourceFile;
use assay_span::FileSpan;
use assay_yaml::{LoadError, LoadErrorKind};

pub(crate) const PACK: Pack = Pack {
    prefix: "YAML",
    folder: "yaml",
    title: "Reading the input",
    rules: &[
        &yaml001_syntax_error::SyntaxError,
        &yaml002_duplicate_key::DuplicateKey,
        &yaml003_limit_exceeded::LimitExceeded,
        &yaml004_unreadable_file::UnreadableFile,
        &yaml005_unrecognised_document::UnrecognisedDocument,
        &yaml006_ambiguous_scalar::AmbiguousScalar,
        &yaml007_quoted_number::QuotedNumber,
        &yaml008_incomplete_object_type::IncompleteObjectType,
        &yaml009_unrendered_template::UnrenderedTemplate,
    ],
};

/// Report the load errors of `file` that `wanted` accepts, each with its fix.
fn report_load_errors(
    file: &SourceFile,
    wanted: fn(&LoadErrorKind) -> bool,
    out: &mut crate::Findings<'_>,
    fix: fn(&SourceFile, &LoadError) -> String,
) {
    for error in file.errors.iter().filter(|e| wanted(&e.kind)) {
        let finding = out
            .at(FileSpan::new(file.id, error.span), error.message.clone())
            .fix(fix(file, error));
        out.push(finding);
    }
}
