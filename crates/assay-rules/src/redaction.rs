//! What the engine masks in every finding of a run, whichever rules are
//! selected: the secret ranges the `SEC` rules found (they always run) and
//! the values of sensitive fields. Every finding's texts then pass through
//! [`Secrets::render`], so no rule can print one, by omission or otherwise.

use crate::packs::sec::sensitive_values;
use assay_diagnostics::{Finding, Secrets};
use assay_model::Model;
use assay_span::{FileId, FileSpan, LineIndex, Span};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// The secrets of a run, and the source ranges code frames must mask
/// besides those the reported findings carry.
pub(crate) fn secrets_of<'f>(
    model: &Model,
    findings: impl Iterator<Item = &'f Finding>,
) -> (Secrets, Vec<FileSpan>) {
    let mut by_file: BTreeMap<FileId, Vec<Span>> = BTreeMap::new();
    for span in findings.flat_map(|f| &f.secrets) {
        by_file.entry(span.file).or_default().push(span.span);
    }
    let mut values: Vec<String> = Vec::new();
    for (file, spans) in by_file {
        let Some(source) = model.file(file) else {
            continue;
        };
        let index = LineIndex::new(&source.text);
        for span in spans {
            let text = index
                .offset(&source.text, span.start)
                .zip(index.offset(&source.text, span.end))
                .and_then(|(start, end)| source.text.get(start..end));
            if let Some(text) = text {
                values.push(text.to_owned());
            }
        }
    }
    let sensitive: Vec<_> = model
        .files
        .par_iter()
        .flat_map_iter(|file| sensitive_values(model, file))
        .collect();
    let mut masked = Vec::new();
    for value in sensitive {
        masked.extend(value.location);
        values.push(value.text);
    }
    (Secrets::new(values), masked)
}
