use assay_span::FileId;
use assay_yaml::{Limits, LoadError, Loaded, Tree};

/// One input file, decoded and parsed once.
#[derive(Debug)]
pub struct SourceFile {
    pub id: FileId,
    /// The path as the user gave it (relative paths stay relative); `-` for stdin.
    pub path: String,
    pub text: String,
    pub tree: Tree,
    pub errors: Vec<LoadError>,
}

impl SourceFile {
    /// Decode and parse `bytes`.
    #[must_use]
    pub fn parse(id: FileId, path: String, bytes: &[u8], limits: &Limits) -> Self {
        let Loaded {
            text, tree, errors, ..
        } = assay_yaml::load(bytes, limits);
        Self {
            id,
            path,
            text,
            tree,
            errors,
        }
    }

    /// A file that could not be read at all (I/O error, over the size limit).
    #[must_use]
    pub fn unreadable(id: FileId, path: String, error: LoadError) -> Self {
        Self {
            id,
            path,
            text: String::new(),
            tree: Tree::default(),
            errors: vec![error],
        }
    }

    /// `true` for `.json` files, which are parsed as YAML flow syntax.
    #[must_use]
    pub fn is_json(&self) -> bool {
        std::path::Path::new(&self.path)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    }
}
