//! `$ref` resolution: JSON pointers within a document and relative files of
//! the model, followed lazily with cycle detection and a hop limit.

use assay_model::SourceFile;
use assay_span::{FileId, FileSpan};
use assay_yaml::{NodeId, Value};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

/// Most `$ref` → `$ref` hops followed from one node before giving up
/// (`max-ref-hops`). Real specs chain two or three.
pub const MAX_REF_HOPS: usize = 32;

/// A node together with the file it was written in.
#[derive(Clone, Copy, Debug)]
pub struct Located<'m> {
    pub file: &'m SourceFile,
    pub value: Value<'m>,
}

impl<'m> Located<'m> {
    #[must_use]
    pub fn new(file: &'m SourceFile, value: Value<'m>) -> Self {
        Self { file, value }
    }

    /// Where the node is written.
    #[must_use]
    pub fn span(self) -> FileSpan {
        FileSpan::new(self.file.id, self.value.span())
    }

    /// The child under `key`, in the same file.
    #[must_use]
    pub fn get(self, key: &str) -> Option<Located<'m>> {
        self.value.get(key).map(|v| Located::new(self.file, v))
    }

    /// The key node and the value node under `key`.
    #[must_use]
    pub fn entry(self, key: &str) -> Option<(Located<'m>, Located<'m>)> {
        self.value
            .entry(key)
            .map(|(k, v)| (Located::new(self.file, k), Located::new(self.file, v)))
    }

    #[must_use]
    pub fn get_str(self, key: &str) -> Option<&'m str> {
        self.value.get_str(key)
    }

    /// Entries of a mapping whose keys are strings.
    pub fn entries(self) -> impl Iterator<Item = (&'m str, Located<'m>, Located<'m>)> + 'm {
        let file = self.file;
        self.value.entries().filter_map(move |(k, v)| {
            Some((k.as_str()?, Located::new(file, k), Located::new(file, v)))
        })
    }

    /// Items of a sequence.
    pub fn items(self) -> impl Iterator<Item = Located<'m>> + 'm {
        let file = self.file;
        self.value.items().map(move |v| Located::new(file, v))
    }

    /// The `$ref` string of a reference object.
    #[must_use]
    pub fn reference(self) -> Option<&'m str> {
        if self.value.is_mapping() {
            self.value.get_str("$ref")
        } else {
            None
        }
    }

    /// Identity of the node (file and node id), for visited sets.
    #[must_use]
    pub fn key(self) -> (FileId, u32) {
        (self.file.id, self.value.id().0)
    }
}

/// One `$ref` followed on the way to a node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefStep {
    /// The reference as written (`#/components/schemas/Pet`, `common.yaml#/Id`).
    pub reference: String,
    /// Where the `$ref` is written.
    pub at: FileSpan,
}

/// Why a `$ref` could not be followed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefErrorKind {
    /// `http(s)://…` or `//host/…`: never fetched.
    Remote,
    /// A relative file that is not in the model (missing or unreadable).
    MissingFile(String),
    /// The pointer names nothing in the target document.
    MissingPointer,
    /// `$ref`s that lead back to themselves without ever reaching a value.
    Cycle,
    /// More than [`MAX_REF_HOPS`] references in a row.
    TooManyHops,
    /// `$ref` is not a string, or the fragment is not a JSON pointer.
    Malformed,
}

/// A `$ref` that could not be followed, located where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefError {
    pub reference: String,
    pub at: FileSpan,
    pub kind: RefErrorKind,
}

impl fmt::Display for RefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = &self.reference;
        match &self.kind {
            RefErrorKind::Remote => write!(
                f,
                "`$ref: {r}` points to a remote document, which assay never fetches: what it points to is not checked"
            ),
            RefErrorKind::MissingFile(path) => {
                write!(
                    f,
                    "`$ref: {r}` names the file `{path}`, which cannot be read"
                )
            }
            RefErrorKind::MissingPointer => {
                write!(f, "`$ref: {r}` points to nothing in its document")
            }
            RefErrorKind::Cycle => write!(
                f,
                "`$ref: {r}` is part of a reference cycle that never reaches a value"
            ),
            RefErrorKind::TooManyHops => write!(
                f,
                "`$ref: {r}` starts a chain of more than {MAX_REF_HOPS} references (limit `max-ref-hops`)"
            ),
            RefErrorKind::Malformed => write!(
                f,
                "`$ref: {r}` is not a relative file and/or a JSON pointer (`file.yaml#/a/b`)"
            ),
        }
    }
}

/// A node reached by following zero or more `$ref`s.
#[derive(Clone, Debug)]
pub struct Resolved<'m> {
    pub target: Located<'m>,
    /// The references followed, in order (empty when the node was no reference).
    pub via: Vec<RefStep>,
}

/// One `$ref` target, by the file it is read from and the reference text.
type TargetKey = (FileId, String);

/// Follows `$ref`s over the files of one model. Each reference string is
/// looked up once per file and remembered: mapping lookups are linear, and a
/// large spec names the same schema from thousands of places.
#[derive(Clone, Debug)]
pub struct Resolver<'m> {
    files: &'m [SourceFile],
    targets: RefCell<HashMap<TargetKey, Result<Located<'m>, RefErrorKind>>>,
    /// Keys of the large mappings pointers walk through (`components.schemas`).
    indexes: RefCell<HashMap<(FileId, NodeId), KeyIndex<'m>>>,
}

/// The values of one mapping by key.
type KeyIndex<'m> = HashMap<&'m str, Value<'m>>;

/// Mappings with more entries than this are indexed on first lookup.
const INDEX_FROM: usize = 32;

impl<'m> Resolver<'m> {
    #[must_use]
    pub fn new(files: &'m [SourceFile]) -> Self {
        Self {
            files,
            targets: RefCell::new(HashMap::new()),
            indexes: RefCell::new(HashMap::new()),
        }
    }

    /// Follow `node` while it is a reference object; a node that is not one
    /// resolves to itself.
    ///
    /// # Errors
    /// The first reference that cannot be followed.
    pub fn resolve(&self, node: Located<'m>) -> Result<Resolved<'m>, RefError> {
        let mut current = node;
        let mut via: Vec<RefStep> = Vec::new();
        let mut seen: Vec<(FileId, u32)> = Vec::new();
        while current.value.is_mapping() {
            let Some((key, value)) = current.entry("$ref") else {
                break;
            };
            let at = key.span();
            let Some(reference) = value.value.as_str() else {
                return Err(RefError {
                    reference: String::from("<not a string>"),
                    at,
                    kind: RefErrorKind::Malformed,
                });
            };
            let error = |kind| RefError {
                reference: reference.to_owned(),
                at,
                kind,
            };
            if seen.contains(&current.key()) {
                return Err(error(RefErrorKind::Cycle));
            }
            if via.len() >= MAX_REF_HOPS {
                return Err(error(RefErrorKind::TooManyHops));
            }
            seen.push(current.key());
            via.push(RefStep {
                reference: reference.to_owned(),
                at,
            });
            current = self.cached_target(current.file, reference).map_err(error)?;
        }
        Ok(Resolved {
            target: current,
            via,
        })
    }

    fn cached_target(
        &self,
        file: &'m SourceFile,
        reference: &str,
    ) -> Result<Located<'m>, RefErrorKind> {
        let key = (file.id, reference.to_owned());
        if let Some(found) = self.targets.borrow().get(&key) {
            return found.clone();
        }
        let found = self.target(file, reference);
        self.targets.borrow_mut().insert(key, found.clone());
        found
    }

    /// What one `$ref` string, written in `file`, points to (one hop).
    ///
    /// # Errors
    /// Why the reference cannot be followed.
    pub fn target(
        &self,
        file: &'m SourceFile,
        reference: &str,
    ) -> Result<Located<'m>, RefErrorKind> {
        let (path, fragment) = match reference.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (reference, None),
        };
        if is_remote(path) {
            return Err(RefErrorKind::Remote);
        }
        let target_file = if path.is_empty() {
            file
        } else {
            let wanted = join_relative(&file.path, &percent_decode(path));
            self.files
                .iter()
                .find(|f| normalize(&f.path) == wanted)
                .ok_or(RefErrorKind::MissingFile(wanted))?
        };
        let doc = target_file
            .tree
            .documents()
            .first()
            .ok_or(RefErrorKind::MissingPointer)?;
        let root = Located::new(target_file, target_file.tree.value(doc.root));
        match fragment {
            None | Some("") => Ok(root),
            Some(pointer) => self.follow_pointer(root, pointer),
        }
    }
}

impl<'m> Resolver<'m> {
    /// Follow a JSON pointer (`/components/schemas/Pet`, RFC 6901,
    /// percent-encoded as in a URI fragment) from `root`.
    fn follow_pointer(
        &self,
        root: Located<'m>,
        pointer: &str,
    ) -> Result<Located<'m>, RefErrorKind> {
        let Some(rest) = pointer.strip_prefix('/') else {
            // `#name` anchors and `$id`s are not JSON pointers.
            return Err(RefErrorKind::Malformed);
        };
        let mut current = root;
        for raw in rest.split('/') {
            let token = percent_decode(raw).replace("~1", "/").replace("~0", "~");
            let next = if current.value.is_sequence() {
                token
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| current.value.items().nth(i))
            } else {
                self.lookup(current, &token)
            };
            current = Located::new(current.file, next.ok_or(RefErrorKind::MissingPointer)?);
        }
        Ok(current)
    }

    /// `mapping.get(key)`, through an index for large mappings without merge keys.
    fn lookup(&self, mapping: Located<'m>, key: &str) -> Option<Value<'m>> {
        let value = mapping.value;
        if value.len() <= INDEX_FROM || value.get("<<").is_some() {
            return value.get(key);
        }
        let id = (mapping.file.id, value.id());
        if let Some(index) = self.indexes.borrow().get(&id) {
            return index.get(key).copied();
        }
        let mut index = HashMap::with_capacity(value.len());
        for (k, v) in value.entries() {
            if let Some(k) = k.as_str() {
                // The first of duplicate keys wins, as in `Value::get`.
                index.entry(k).or_insert(v);
            }
        }
        let found = index.get(key).copied();
        self.indexes.borrow_mut().insert(id, index);
        found
    }
}

/// `http://…`, `https://…`, `//host/…` or any other `scheme:` URI.
fn is_remote(path: &str) -> bool {
    if path.starts_with("//") {
        return true;
    }
    match path.split_once(':') {
        // A one-letter "scheme" is a Windows drive, not a URL.
        Some((scheme, _)) => {
            scheme.len() > 1
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Decode `%XX` escapes; anything malformed is kept as written.
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// `path` with `.` and `..` segments removed and `\` read as `/`.
pub(crate) fn normalize(path: &str) -> String {
    let path = path.replace('\\', "/");
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// `relative` read from the folder of the file `base`, normalized.
pub(crate) fn join_relative(base: &str, relative: &str) -> String {
    if relative.starts_with('/') {
        return normalize(relative);
    }
    let base = base.replace('\\', "/");
    let dir = base.rsplit_once('/').map_or("", |(d, _)| d);
    if dir.is_empty() {
        normalize(relative)
    } else {
        normalize(&format!("{dir}/{relative}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_and_normalize() {
        assert_eq!(
            join_relative("specs/api.yaml", "common.yaml"),
            "specs/common.yaml"
        );
        assert_eq!(join_relative("specs/api.yaml", "../x/./y.yaml"), "x/y.yaml");
        assert_eq!(join_relative("api.yaml", "./a.yaml"), "a.yaml");
        assert_eq!(join_relative("/abs/api.yaml", "/other.yaml"), "/other.yaml");
        assert_eq!(normalize("../../a"), "../../a");
        assert_eq!(normalize("/../a"), "/a");
    }

    #[test]
    fn remote_references_are_recognised() {
        assert!(is_remote("https://example.com/a.yaml"));
        assert!(is_remote("//example.com/a.yaml"));
        assert!(is_remote("urn:x:y"));
        assert!(!is_remote("C:/specs/a.yaml"));
        assert!(!is_remote("a.yaml"));
    }

    #[test]
    fn percent_decoding_keeps_malformed_escapes() {
        assert_eq!(percent_decode("%7Bid%7D"), "{id}");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
