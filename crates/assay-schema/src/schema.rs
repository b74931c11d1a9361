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
    /// base64 (`[]byte`).
    Byte,
    Date,
    DateTime,
    /// `uuid` (`None`), `uuid3`, `uuid4`, `uuid5`.
    Uuid(Option<u8>),
    Hostname,
    Ipv4,
    Ipv6,
    Cidr,
    Mac,
    Duration,
    BsonObjectId,
    HexColor,
}

impl Format {
    /// The name of a checked string format, for messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Format::Byte => "byte (base64)",
            Format::Date => "date (`2006-01-02`)",
            Format::DateTime => "date-time (RFC 3339, `2006-01-02T15:04:05Z`)",
            Format::Uuid(None) => "uuid",
            Format::Uuid(Some(3)) => "uuid3",
            Format::Uuid(Some(4)) => "uuid4",
            Format::Uuid(Some(_)) => "uuid5",
            Format::Hostname => "hostname",
            Format::Ipv4 => "ipv4",
            Format::Ipv6 => "ipv6",
            Format::Cidr => "cidr",
            Format::Mac => "mac",
            Format::Duration => "duration (`30s`, `1h30m`, `5 minutes`)",
            Format::BsonObjectId => "bsonobjectid",
            Format::HexColor => "hexcolor",
            Format::None
            | Format::IntOrString
            | Format::Quantity
            | Format::Int32
            | Format::Int64 => "",
        }
    }

    /// Whether a string value is valid in this format (`true` for the
    /// formats that are not string formats).
    pub(crate) fn accepts(self, s: &str) -> bool {
        use crate::formats as f;
        match self {
            Format::Byte => f::is_base64(s),
            Format::Date => f::is_date(s),
            Format::DateTime => f::is_date_time(s),
            Format::Uuid(v) => f::is_uuid(s, v),
            Format::Hostname => f::is_hostname(s),
            Format::Ipv4 => f::is_ipv4(s),
            Format::Ipv6 => f::is_ipv6(s),
            Format::Cidr => f::is_cidr(s),
            Format::Mac => f::is_mac(s),
            Format::Duration => f::is_duration(s),
            Format::BsonObjectId => f::is_bson_object_id(s),
            Format::HexColor => f::is_hex_color(s),
            Format::None
            | Format::IntOrString
            | Format::Quantity
            | Format::Int32
            | Format::Int64 => true,
        }
    }
}

/// A `pattern` (Go RE2 syntax, unanchored), compiled once; `None` when it
/// does not compile here (then it is not checked).
#[derive(Clone, Debug)]
pub(crate) struct Pattern {
    pub(crate) source: Box<str>,
    /// Compiled on first use: CRDs carry many patterns that no value reaches.
    regex: std::sync::OnceLock<Option<Compiled>>,
}

/// Unicode mode (`.` is a character, as in Go) when the pattern compiles so
/// without Unicode tables; otherwise ASCII mode over bytes, which gives Go's
/// ASCII `\b` and ASCII-only `(?i)` (the Unicode case and word tables would
/// add about 400 KB to the binary).
#[derive(Clone, Debug)]
enum Compiled {
    Unicode(regex::Regex),
    Ascii(regex::bytes::Regex),
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Pattern {
    pub(crate) fn new(source: &str) -> Pattern {
        Pattern {
            source: source.into(),
            regex: std::sync::OnceLock::new(),
        }
    }

    fn compile(source: &str) -> Option<Compiled> {
        const LIMIT: usize = 1 << 20;
        let rust = go_to_rust_regex(source);
        regex::RegexBuilder::new(&rust)
            .size_limit(LIMIT)
            .dfa_size_limit(LIMIT)
            .build()
            .map(Compiled::Unicode)
            .or_else(|_| {
                regex::bytes::RegexBuilder::new(&rust)
                    .unicode(false)
                    .size_limit(LIMIT)
                    .dfa_size_limit(LIMIT)
                    .build()
                    .map(Compiled::Ascii)
            })
            .ok()
    }

    /// `false` only when the pattern compiled and `text` does not match it.
    pub(crate) fn rejects(&self, text: &str) -> bool {
        match self.regex.get_or_init(|| Pattern::compile(&self.source)) {
            Some(Compiled::Unicode(r)) => !r.is_match(text),
            Some(Compiled::Ascii(r)) => !r.is_match(text.as_bytes()),
            None => false,
        }
    }
}

/// Go's `\d`, `\w`, `\s` (and their negations) are ASCII classes; Rust's
/// are Unicode ones. Spell them as ASCII classes (nested classes are unions).
fn go_to_rust_regex(go: &str) -> String {
    let mut out = String::with_capacity(go.len() + 8);
    let mut chars = go.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('d') => out.push_str("[0-9]"),
            Some('D') => out.push_str("[^0-9]"),
            Some('w') => out.push_str("[0-9A-Za-z_]"),
            Some('W') => out.push_str("[^0-9A-Za-z_]"),
            Some('s') => out.push_str("[\\t\\n\\x0C\\r ]"),
            Some('S') => out.push_str("[^\\t\\n\\x0C\\r ]"),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// A numeric bound (`minimum` / `maximum`, `exclusiveMinimum` / `exclusiveMaximum`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Bound {
    pub(crate) value: f64,
    pub(crate) exclusive: bool,
}

/// `x-kubernetes-list-type`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) enum ListType {
    #[default]
    Atomic,
    /// Items are unique scalars.
    Set,
    /// Items are objects, unique by these keys (`x-kubernetes-list-map-keys`).
    Map(Vec<Box<str>>),
}

/// The value validations of a CRD schema node (rare; boxed so that the
/// built-in schemas, which have none, stay small).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Constraints {
    pub(crate) pattern: Option<Pattern>,
    pub(crate) minimum: Option<Bound>,
    pub(crate) maximum: Option<Bound>,
    pub(crate) multiple_of: Option<f64>,
    pub(crate) min_length: Option<u64>,
    pub(crate) max_length: Option<u64>,
    pub(crate) min_items: Option<u64>,
    pub(crate) max_items: Option<u64>,
    pub(crate) unique_items: bool,
    pub(crate) min_properties: Option<u64>,
    pub(crate) max_properties: Option<u64>,
    pub(crate) list_type: ListType,
    pub(crate) all_of: Vec<Schema>,
    pub(crate) any_of: Vec<Schema>,
    pub(crate) one_of: Vec<Schema>,
    pub(crate) not: Option<Box<Schema>>,
}

/// What `null` means for a node.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Null {
    /// "Not set" (built-in types: Go decodes `null` as the zero value).
    #[default]
    Unset,
    /// A custom resource field with `nullable: true`: a valid value.
    Allowed,
    /// A custom resource field without `nullable`: an object field set to
    /// `null` is pruned (as if unset), but an array item or map value that is
    /// `null` fails the type check.
    Pruned,
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
    pub(crate) null: Null,
    /// A custom resource field with a `default` (applied before validation).
    pub(crate) has_default: bool,
    /// Value validations (custom resources only).
    pub(crate) constraints: Option<Box<Constraints>>,
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
        Self::from_openapi_at(value, 0, false)
    }

    fn from_openapi_at(value: Value<'_>, depth: usize, junctor: bool) -> Schema {
        let mut out = Schema::default();
        if depth > MAX_SCHEMA_DEPTH || !value.is_mapping() {
            return out;
        }
        let mut additional_set = false;
        let mut nullable = false;
        let mut c = Constraints::default();
        let mut map_keys: Vec<Box<str>> = Vec::new();
        let mut list_type = "";
        let sub = |v: Value<'_>| Schema::from_openapi_at(v, depth + 1, junctor);
        let junctors = |v: Value<'_>| -> Vec<Schema> {
            v.items()
                .map(|s| Schema::from_openapi_at(s, depth + 1, true))
                .collect()
        };
        for (key, v) in value.entries() {
            match key.as_str().unwrap_or_default() {
                "type" => out.types = ty::from_name(v.as_str().unwrap_or_default()),
                "properties" => {
                    for (name, prop) in v.entries() {
                        if let Some(name) = name.as_str() {
                            out.properties.push((name.into(), sub(prop)));
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
                        Additional::Schema(Box::new(sub(v)))
                    } else if v.as_str() == Some("false") {
                        Additional::Forbidden
                    } else {
                        Additional::Any
                    };
                }
                "items" => out.items = Some(Box::new(sub(v))),
                "enum" => {
                    out.enumeration = v.items().filter_map(scalar_json).collect();
                }
                "format" => {
                    let f = crd_format_of(v.as_str().unwrap_or_default());
                    if out.format == Format::None {
                        out.format = f;
                    }
                }
                "x-kubernetes-int-or-string" if is_true(v) => out.format = Format::IntOrString,
                "x-kubernetes-preserve-unknown-fields" if is_true(v) => {
                    out.preserve_unknown = true;
                }
                "x-kubernetes-embedded-resource" if is_true(v) => out.embedded = true,
                "nullable" => nullable = is_true(v),
                "default" => out.has_default = true,
                "pattern" => c.pattern = v.as_str().map(Pattern::new),
                "minimum" => {
                    c.minimum = number(v).map(|value| Bound {
                        value,
                        exclusive: false,
                    })
                }
                "maximum" => {
                    c.maximum = number(v).map(|value| Bound {
                        value,
                        exclusive: false,
                    })
                }
                "multipleOf" => c.multiple_of = number(v).filter(|f| *f > 0.0),
                "minLength" => c.min_length = count(v),
                "maxLength" => c.max_length = count(v),
                "minItems" => c.min_items = count(v),
                "maxItems" => c.max_items = count(v),
                "minProperties" => c.min_properties = count(v),
                "maxProperties" => c.max_properties = count(v),
                "uniqueItems" => c.unique_items = is_true(v),
                "x-kubernetes-list-type" => list_type = v.as_str().unwrap_or_default(),
                "x-kubernetes-list-map-keys" => {
                    map_keys = v
                        .items()
                        .filter_map(|k| k.as_str().map(Into::into))
                        .collect();
                }
                "allOf" => c.all_of = junctors(v),
                "anyOf" => c.any_of = junctors(v),
                "oneOf" => c.one_of = junctors(v),
                "not" => c.not = Some(Box::new(Schema::from_openapi_at(v, depth + 1, true))),
                _ => {}
            }
        }
        // OpenAPI 3.0: `exclusiveMinimum: true` qualifies `minimum`.
        if let Some(b) = &mut c.minimum {
            b.exclusive = value.get("exclusiveMinimum").is_some_and(is_true);
        }
        if let Some(b) = &mut c.maximum {
            b.exclusive = value.get("exclusiveMaximum").is_some_and(is_true);
        }
        c.list_type = match list_type {
            "set" => ListType::Set,
            "map" if !map_keys.is_empty() => ListType::Map(map_keys),
            _ => ListType::Atomic,
        };
        if out.format == Format::IntOrString {
            out.types = 0;
        }
        let object_like = out.types == ty::OBJECT || !out.properties.is_empty();
        if object_like && !additional_set && !out.preserve_unknown && !junctor {
            out.additional = Additional::Forbidden;
        }
        out.null = if nullable {
            Null::Allowed
        } else {
            Null::Pruned
        };
        if c != Constraints::default() {
            out.constraints = Some(Box::new(c));
        }
        out.sort();
        out
    }
}

/// A number written in a CRD schema.
fn number(v: Value<'_>) -> Option<f64> {
    v.as_str()
        .and_then(|t| t.parse::<f64>().ok())
        .filter(|f| f.is_finite())
}

fn count(v: Value<'_>) -> Option<u64> {
    v.as_str().and_then(|t| t.parse::<u64>().ok())
}

/// The formats the API server checks in custom resources (others, `int32`
/// and `int64` included, are dropped from CRD schemas and never checked).
fn crd_format_of(name: &str) -> Format {
    match name.replace('-', "").as_str() {
        "intorstring" => Format::IntOrString,
        "byte" => Format::Byte,
        "date" => Format::Date,
        "datetime" => Format::DateTime,
        "uuid" => Format::Uuid(None),
        "uuid3" => Format::Uuid(Some(3)),
        "uuid4" => Format::Uuid(Some(4)),
        "uuid5" => Format::Uuid(Some(5)),
        "hostname" => Format::Hostname,
        "ipv4" => Format::Ipv4,
        "ipv6" => Format::Ipv6,
        "cidr" => Format::Cidr,
        "mac" => Format::Mac,
        "duration" => Format::Duration,
        "bsonobjectid" => Format::BsonObjectId,
        "hexcolor" => Format::HexColor,
        _ => Format::None,
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
        "byte" => Format::Byte,
        "date-time" => Format::DateTime,
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
