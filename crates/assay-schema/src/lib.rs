//! Kubernetes schemas for assay: the OpenAPI-derived schemas of every bundled
//! Kubernetes minor version (embedded, decompressed lazily per version and per
//! definition), CustomResourceDefinition schemas, and a validator that reports
//! each mismatch at its YAML node with its JSON path.

mod bundle;
mod crd;
mod formats;
mod quantity;
mod schema;
mod validate;

pub use bundle::{Gvk, VersionSchemas, decoded_definitions, version, versions};
pub use crd::CrdSet;
pub use quantity::is_quantity;
pub use schema::Schema;
pub use validate::{MAX_ERRORS, SchemaError, Validation, validate};
