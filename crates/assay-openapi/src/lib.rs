//! OpenAPI views for assay.
//!
//! A [`Spec`] is a read-only view over one OpenAPI 3.0/3.1 or Swagger 2.0
//! document of the model: servers, operations (paths, webhooks, callbacks),
//! parameters, request bodies, responses, security requirements and schemes.
//! Nothing is copied: every value is a [`Located`] node of a parsed file, and
//! `$ref`s are followed lazily by the [`Resolver`] (local pointers and
//! relative files already in the model; remote references are never fetched),
//! with cycle detection and explicit limits. Files that are only reached by
//! `$ref` are read before the model is built with [`load_referenced_files`].

mod files;
mod operation;
mod refs;
mod schema;
mod spec;

pub use files::{
    MAX_REFERENCED_FILES, is_referenced, load_referenced_files, referenced_files, referenced_paths,
};
pub use operation::{
    HTTP_METHODS, Operation, OperationOrigin, Parameter, RequestBody, Response, SecurityState,
};
pub use refs::{Located, MAX_REF_HOPS, RefError, RefErrorKind, RefStep, Resolved, Resolver};
pub use schema::{MAX_SCHEMA_VISITS, SchemaVisit, Trail, schema_types, walk_schema};
pub use spec::{SecurityScheme, Server, Spec, Version};
