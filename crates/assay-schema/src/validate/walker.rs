//! The state of one validation: where `$ref`s resolve, which values may be
//! secrets, the paths visited and the errors found so far.

use super::paths::Paths;
use super::{MAX_ERRORS, SchemaError, Validation};
use crate::bundle::VersionSchemas;
use crate::schema::{Additional, Format, Null, Schema, ty};
use assay_span::Span;

const OBJECT_META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

/// A key that names a secret value (`password`, `apiToken`, `client_secret`):
/// broader than the `SEC` rules' reading, since it only decides whether this
/// one message describes the value instead of quoting it.
fn names_a_secret(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    [
        "password",
        "passwd",
        "passphrase",
        "secret",
        "token",
        "credential",
        "apikey",
        "api_key",
        "privatekey",
        "private_key",
    ]
    .iter()
    .any(|word| lower.contains(word))
}

pub(super) static ANY: Schema = Schema {
    types: 0,
    properties: Vec::new(),
    required: Vec::new(),
    additional: Additional::Any,
    items: None,
    enumeration: Vec::new(),
    format: Format::None,
    reference: None,
    preserve_unknown: false,
    embedded: false,
    null: Null::Unset,
    has_default: false,
    constraints: None,
};

static STRING: Schema = Schema {
    types: ty::STRING,
    properties: Vec::new(),
    required: Vec::new(),
    additional: Additional::Any,
    items: None,
    enumeration: Vec::new(),
    format: Format::None,
    reference: None,
    preserve_unknown: false,
    embedded: false,
    null: Null::Unset,
    has_default: false,
    constraints: None,
};

pub(super) struct Walker<'t, 's> {
    pub(super) defs: Option<&'static VersionSchemas>,
    /// Validating a `kind: Secret`: its `data` and `stringData` values are secrets.
    pub(super) secret_object: bool,
    /// Everything validated may be a secret (a sub-validation of a
    /// sensitive value, for `allOf` / `anyOf` / `oneOf` / `not`).
    pub(super) all_sensitive: bool,
    pub(super) paths: Paths<'t>,
    pub(super) out: Validation,
    pub(super) _schemas: std::marker::PhantomData<&'s Schema>,
}

impl<'t, 's> Walker<'t, 's> {
    pub(super) fn resolve(&self, mut schema: &'s Schema) -> &'s Schema {
        for _ in 0..16 {
            let Some(name) = &schema.reference else {
                return schema;
            };
            match self.defs.and_then(|d| d.definition(name)) {
                Some(target) => schema = target,
                None => return &ANY,
            }
        }
        &ANY
    }

    /// Whether the value at `path` may be a secret.
    pub(super) fn is_sensitive(&self, path: u32) -> bool {
        if self.all_sensitive {
            return true;
        }
        let keys = self.paths.keys(path);
        (self.secret_object
            && keys
                .last()
                .is_some_and(|top| matches!(*top, "data" | "stringData")))
            || keys.iter().any(|k| names_a_secret(k))
    }

    pub(super) fn error(&mut self, span: Span, path: u32, message: String, fix: Option<String>) {
        self.error_with(span, path, message, fix, (false, false));
    }

    pub(super) fn error_with(
        &mut self,
        span: Span,
        path: u32,
        message: String,
        fix: Option<String>,
        (yaml11_non_string, quoted_number): (bool, bool),
    ) {
        if self.out.errors.len() >= MAX_ERRORS {
            self.out.truncated = true;
            return;
        }
        let (field, parent) = self.paths.field_and_parent(path);
        let sensitive = self.is_sensitive(path);
        self.out.errors.push(SchemaError {
            span,
            path: self.paths.render(path),
            message,
            fix,
            field,
            parent,
            yaml11_non_string,
            quoted_number,
            sensitive,
        });
    }

    pub(super) fn push_error(&mut self, error: SchemaError) {
        if self.out.errors.len() >= MAX_ERRORS {
            self.out.truncated = true;
            return;
        }
        self.out.errors.push(error);
    }

    pub(super) fn full(&self) -> bool {
        self.out.truncated
    }

    /// The schema of property `name` of an object schema (embedded resources imply some).
    pub(super) fn property(&self, schema: &'s Schema, name: &str) -> Option<&'s Schema> {
        if let Some(p) = schema.property(name) {
            return Some(p);
        }
        if schema.embedded {
            return match name {
                "apiVersion" | "kind" => Some(&STRING),
                "metadata" => Some(
                    self.defs
                        .and_then(|d| d.definition(OBJECT_META))
                        .unwrap_or(&ANY),
                ),
                _ => None,
            };
        }
        None
    }
}
