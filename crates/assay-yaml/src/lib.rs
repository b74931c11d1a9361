//! Spanned YAML/JSON trees for assay.
//!
//! [`load`] decodes bytes ([`decode`]), parses every document of the stream into
//! one arena [`Tree`], and returns the problems it met as [`LoadError`]s beside
//! the documents that did parse, so one bad document never hides the others.

mod build;
mod decode;
mod error;
mod limits;
mod scalar;
mod tree;

pub use build::parse;
pub use decode::{Decoded, Encoding, decode};
pub use error::{LoadError, LoadErrorKind};
pub use limits::Limits;
pub use scalar::{ScalarType, resolve_yaml11, resolve_yaml12};
pub use tree::{Document, DuplicateKey, Node, NodeId, NodeKind, ScalarStyle, Tree, Value};

/// The result of loading one file: the tree of every document that parsed, and
/// every problem met on the way.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The decoded text (UTF-8, BOM removed); empty when decoding failed.
    pub text: String,
    pub tree: Tree,
    pub errors: Vec<LoadError>,
    pub encoding: Option<Encoding>,
}

/// Decode and parse one file's bytes.
#[must_use]
pub fn load(bytes: &[u8], limits: &Limits) -> Loaded {
    match decode(bytes, limits) {
        Ok(decoded) => {
            let (tree, errors) = parse(&decoded.text, limits);
            Loaded {
                text: decoded.text,
                tree,
                errors,
                encoding: Some(decoded.encoding),
            }
        }
        Err(err) => Loaded {
            errors: vec![err],
            ..Loaded::default()
        },
    }
}
