//! The schema form the validator reads, built from the embedded data or from a
//! CustomResourceDefinition's `openAPIV3Schema`.

use assay_yaml::Value;

/// Schemas nest at most this deep; deeper nodes accept anything.
pub(crate) const MAX_SCHEMA_DEPTH: usize = 128;

/// JSON types, as bits.
pub(crate) mod ty {
    pub(crate) const OBJECT: u8 = 1;
    pub(crate) const ARRAY: u8 = 2;
    pub(crate) const STRING: u8 = 4;
    pub(crate) const INTEGER: u8 = 8;
    pub(crate) const NUMBER: u8 = 16;
    pub(crate) const BOOLEAN: u8 = 32;

    pub(crate) fn from_name(name: &str) -> u8 {
        match name {
            "object" => OBJECT,
            "array" => ARRAY,
            "string" => STRING,
            "integer" => INTEGER,
            "number" => NUMBER,
            "boolean" => BOOLEAN,
            _ => 0,
        }
    }

    /// `string or integer`.
    pub(crate) fn describe(bits: u8) -> String {
        let names: Vec<&str> = [
            (OBJECT, "object"),
            (ARRAY, "array"),
            (STRING, "string"),
            (INTEGER, "integer"),
            (NUMBER, "number"),
            (BOOLEAN, "boolean"),
        ]
        .iter()
        .filter(|(b, _)| bits & b != 0)
        .map(|(_, n)| *n)
        .collect();
        names.join(" or ")
    }
}

/// What other properties of an object may be.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) enum Additional {
    /// Anything (no `additionalProperties`, or `true`).
    #[default]
    Any,
    /// None: an unknown field is an error (strict field validation).
    Forbidden,
    /// Each must match this schema (a map).
    Schema(Box<Schema>),
}

/// A format the validator checks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Format {
    #[default]
    None,
    /// `int-or-string` / `x-kubernetes-int-or-string`.
    IntOrString,
    /// A `resource.Quantity` (`500m`, `1Gi`, `1e3`, or a number).
    Quantity,
    Int32,
    Int64,
}

/// One schema node.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Schema {
    /// Allowed JSON types as bits of `ty`; 0 = any.
    pub(crate) types: u8,
    /// Properties, sorted by name.
    pub(crate) properties: Vec<(Box<str>, Schema)>,
    pub(crate) required: Vec<Box<str>>,
    pub(crate) additional: Additional,
    pub(crate) items: Option<Box<Schema>>,
    pub(crate) enumeration: Vec<serde_json::Value>,
    pub(crate) format: Format,
    /// A definition to validate against instead (`$ref`).
    pub(crate) reference: Option<Box<str>>,
    /// `x-kubernetes-preserve-unknown-fields`.
    pub(crate) preserve_unknown: bool,
    /// `x-kubernetes-embedded-resource`: `apiVersion`, `kind` and `metadata` are implied.
    pub(crate) embedded: bool,
}

impl Schema {
    pub(crate) fn property(&self, name: &str) -> Option<&Schema> {
        self.properties
            .binary_search_by(|(k, _)| k.as_ref().cmp(name))
            .ok()
            .and_then(|i| self.properties.get(i))
            .map(|(_, s)| s)
    }

    /// A schema that only points at a definition.
    pub(crate) fn reference(name: &str) -> Schema {
        Schema {
            reference: Some(name.into()),
            ..Schema::default()
        }
    }

    fn sort(&mut self) {
        self.properties.sort_by(|a, b| a.0.cmp(&b.0));
        self.properties.dedup_by(|a, b| a.0 == b.0);
    }

    /// From the generator's compact JSON form (see `tools/gen-k8s-schemas.py`).
    pub(crate) fn from_compact(value: &serde_json::Value, depth: usize) -> Schema {
        let mut out = Schema::default();
        let Some(map) = value.as_object() else {
            return out;
        };
        if depth > MAX_SCHEMA_DEPTH {
            return out;
        }
        for (key, v) in map {
            match key.as_str() {
                "t" => {
                    for t in v.as_array().into_iter().flatten() {
                        out.types |= ty::from_name(t.as_str().unwrap_or_default());
                    }
                }
                "p" => {
                    for (name, prop) in v.as_object().into_iter().flatten() {
                        out.properties
                            .push((name.as_str().into(), Schema::from_compact(prop, depth + 1)));
                    }
                }
                "r" => {
                    out.required = v
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|r| r.as_str().map(Into::into))
                        .collect();
                }
                "a" => {
                    out.additional = if v.is_object() {
                        Additional::Schema(Box::new(Schema::from_compact(v, depth + 1)))
                    } else {
                        Additional::Forbidden
                    };
                }
                "i" => out.items = Some(Box::new(Schema::from_compact(v, depth + 1))),
                "e" => out.enumeration = v.as_array().cloned().unwrap_or_default(),
                "f" => out.format = format_of(v.as_str().unwrap_or_default()),
                "$" => out.reference = v.as_str().map(Into::into),
                "u" => out.preserve_unknown = true,
                "m" => out.embedded = true,
                _ => {}
            }
        }
        out.sort();
        out
    }

    /// From a CRD's `openAPIV3Schema` (structural schema rules: an object
    /// without `additionalProperties` or `x-kubernetes-preserve-unknown-fields`
    /// has no other fields; the API server prunes them, strict validation rejects them).
    #[must_use]
    pub fn from_openapi(value: Value<'_>) -> Schema {
        Self::from_openapi_at(value, 0)
    }

    fn from_openapi_at(value: Value<'_>, depth: usize) -> Schema {
        let mut out = Schema::default();
        if depth > MAX_SCHEMA_DEPTH || !value.is_mapping() {
            return out;
        }
        let mut additional_set = false;
        for (key, v) in value.entries() {
            match key.as_str().unwrap_or_default() {
                "type" => out.types = ty::from_name(v.as_str().unwrap_or_default()),
                "properties" => {
                    for (name, prop) in v.entries() {
                        if let Some(name) = name.as_str() {
                            out.properties
                                .push((name.into(), Schema::from_openapi_at(prop, depth + 1)));
                        }
                    }
                }
                "required" => {
                    out.required = v
                        .items()
                        .filter_map(|r| r.as_str().map(Into::into))
                        .collect();
                }
                "additionalProperties" => {
                    additional_set = true;
                    out.additional = if v.is_mapping() {
                        Additional::Schema(Box::new(Schema::from_openapi_at(v, depth + 1)))
                    } else if v.as_str() == Some("false") {
                        Additional::Forbidden
                    } else {
                        Additional::Any
                    };
                }
                "items" => out.items = Some(Box::new(Schema::from_openapi_at(v, depth + 1))),
                "enum" => {
                    out.enumeration = v.items().filter_map(scalar_json).collect();
                }
                "format" => {
                    let f = format_of(v.as_str().unwrap_or_default());
                    if out.format == Format::None {
                        out.format = f;
                    }
                }
                "x-kubernetes-int-or-string" if is_true(v) => out.format = Format::IntOrString,
                "x-kubernetes-preserve-unknown-fields" if is_true(v) => {
                    out.preserve_unknown = true;
                }
                "x-kubernetes-embedded-resource" if is_true(v) => out.embedded = true,
                _ => {}
            }
        }
        if out.format == Format::IntOrString {
            out.types = 0;
        }
        let object_like = out.types == ty::OBJECT || !out.properties.is_empty();
        if object_like && !additional_set && !out.preserve_unknown {
            out.additional = Additional::Forbidden;
        }
        out.sort();
        out
    }
}

fn is_true(v: Value<'_>) -> bool {
    matches!(v.as_str(), Some("true" | "True" | "TRUE"))
}

fn format_of(name: &str) -> Format {
    match name {
        "ios" | "int-or-string" => Format::IntOrString,
        "q" => Format::Quantity,
        "int32" => Format::Int32,
        "int64" => Format::Int64,
        _ => Format::None,
    }
}

/// An enum value written in YAML, as JSON (plain scalars resolved like YAML 1.1).
fn scalar_json(v: Value<'_>) -> Option<serde_json::Value> {
    let (text, style) = v.as_scalar()?;
    Some(match assay_yaml::resolve_yaml11(text, style) {
        assay_yaml::ScalarType::Null => serde_json::Value::Null,
        assay_yaml::ScalarType::Bool(b) => serde_json::Value::Bool(b),
        assay_yaml::ScalarType::Int | assay_yaml::ScalarType::Float => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| serde_json::Value::String(text.to_owned()), Into::into),
        assay_yaml::ScalarType::Str => serde_json::Value::String(text.to_owned()),
    })
}
