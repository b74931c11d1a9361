//! Files reached only through `$ref`: found before the model is built and
//! read through the same loader and limits as every input file.

use crate::refs::{join_relative, normalize};
use assay_model::SourceFile;
use assay_span::FileId;
use assay_yaml::{Limits, Value};
use std::collections::BTreeSet;

/// Most files read because a `$ref` names them (`max-referenced-files`).
pub const MAX_REFERENCED_FILES: usize = 512;

/// The relative files that the `$ref`s of `file` name, joined to its folder
/// and normalized (remote references and local pointers excluded).
#[must_use]
pub fn referenced_paths(file: &SourceFile) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack: Vec<Value<'_>> = file
        .tree
        .documents()
        .iter()
        .map(|d| file.tree.value(d.root))
        .collect();
    while let Some(node) = stack.pop() {
        if node.is_alias() {
            continue;
        }
        if node.is_mapping() {
            for (key, value) in node.entries() {
                if key.as_str() == Some("$ref")
                    && let Some(reference) = value.as_str()
                {
                    let path = reference.split('#').next().unwrap_or_default();
                    if !path.is_empty() && !path.contains(':') && !path.starts_with("//") {
                        out.insert(join_relative(&file.path, path));
                    }
                } else {
                    stack.push(value);
                }
            }
        } else if node.is_sequence() {
            stack.extend(node.items());
        }
    }
    out
}

/// The files of `files` that `file` reaches by relative `$ref`, transitively
/// (itself excluded), in the order they are first reached.
#[must_use]
pub fn referenced_files<'m>(files: &'m [SourceFile], file: &SourceFile) -> Vec<&'m SourceFile> {
    let mut out: Vec<&'m SourceFile> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::from([normalize(&file.path)]);
    let mut pending: Vec<String> = referenced_paths(file).into_iter().collect();
    while let Some(path) = pending.pop() {
        if out.len() >= MAX_REFERENCED_FILES || !seen.insert(path.clone()) {
            continue;
        }
        if let Some(found) = files.iter().find(|f| normalize(&f.path) == path) {
            pending.extend(referenced_paths(found));
            out.push(found);
        }
    }
    out
}

/// Whether an OpenAPI document of `files` reaches `file` by relative `$ref`
/// (a schema fragment is part of the spec, not an unrecognised document).
#[must_use]
pub fn is_referenced(files: &[SourceFile], file: &SourceFile) -> bool {
    files
        .iter()
        .filter(|f| f.id != file.id && is_openapi(f))
        .any(|f| referenced_files(files, f).iter().any(|r| r.id == file.id))
}

fn is_openapi(file: &SourceFile) -> bool {
    file.tree.documents().iter().any(|d| {
        let root = file.tree.value(d.root);
        root.get("openapi").is_some() || root.get("swagger").is_some()
    })
}

/// Read the files that the OpenAPI documents of `files` reach by relative
/// `$ref` (transitively) and that are not among `files` yet, and append them
/// with the next ids. A file that cannot be read is left out: the `$ref`
/// naming it is then reported where it is written. At most
/// [`MAX_REFERENCED_FILES`] files are added.
pub fn load_referenced_files(files: &mut Vec<SourceFile>, limits: &Limits) {
    let mut known: BTreeSet<String> = files.iter().map(|f| normalize(&f.path)).collect();
    let mut pending: Vec<usize> = (0..files.len())
        .filter(|&i| files.get(i).is_some_and(is_openapi))
        .collect();
    let mut added = 0;
    while let Some(index) = pending.pop() {
        let Some(file) = files.get(index) else {
            continue;
        };
        for path in referenced_paths(file) {
            if added >= MAX_REFERENCED_FILES || !known.insert(path.clone()) {
                continue;
            }
            let readable = std::fs::metadata(&path)
                .is_ok_and(|m| m.is_file() && m.len() <= limits.max_file_bytes);
            let Some(bytes) = readable.then(|| std::fs::read(&path).ok()).flatten() else {
                continue;
            };
            let id = FileId(u32::try_from(files.len()).unwrap_or(u32::MAX));
            files.push(SourceFile::parse(id, path, &bytes, limits));
            pending.push(files.len() - 1);
            added += 1;
        }
    }
}
