//! Validate a spanned YAML value against a [`Schema`], the way the API server
//! reads it: YAML 1.1 scalars (`sigs.k8s.io/yaml`), the last of duplicate
//! keys wins, `null` means "not set", and unknown fields are errors (field
//! validation `Strict`). Iterative: an explicit stack, never recursion.

use crate::bundle::VersionSchemas;
use crate::quantity::is_quantity;
use crate::schema::{Additional, Constraints, Format, ListType, Null, Schema, ty};
use assay_span::Span;
use assay_yaml::{ScalarStyle, ScalarType, Value, resolve_yaml11};
use std::collections::HashMap;

/// At most this many errors are reported per object.
pub const MAX_ERRORS: usize = 20;

const OBJECT_META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

/// One place where a value does not match its schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError {
    /// The node at fault: the value, the key of an unknown field, or the key
    /// of the mapping that misses a required field.
    pub span: Span,
    /// JSON path of the value (`spec.template.spec.containers[0].image`).
    pub path: String,
    /// `expected integer, found the string "three"`.
    pub message: String,
    pub fix: Option<String>,
    /// The last key of the path (empty for an array item).
    pub field: String,
    /// The key above `field`, array indices skipped (`env` for `env[0].value`).
    pub parent: String,
    /// A plain scalar that YAML 1.1 reads as a boolean or number, where the
    /// schema wants a string (`enabled: yes`).
    pub yaml11_non_string: bool,
    /// A quoted string of digits where the schema wants an integer (`replicas: "3"`).
    pub quoted_number: bool,
    /// The value may be a secret (a Secret's data, a field named like a
    /// password or token): the message does not quote it, and reporters
    /// should mask its span.
    pub sensitive: bool,
}

/// The errors of one validation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Validation {
    pub errors: Vec<SchemaError>,
    /// More errors were found than [`MAX_ERRORS`].
    pub truncated: bool,
}

/// What a YAML node is, read as Kubernetes reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Found {
    Null,
    Bool(bool),
    Int,
    Float,
    Str,
    Object,
    Array,
}

fn classify(v: Value<'_>) -> Found {
    if v.is_mapping() {
        return Found::Object;
    }
    if v.is_sequence() {
        return Found::Array;
    }
    let Some((text, style)) = v.as_scalar() else {
        return Found::Null;
    };
    let style = match v.tag() {
        Some("!!str" | "tag:yaml.org,2002:str") => return Found::Str,
        Some("!!int" | "tag:yaml.org,2002:int") => return Found::Int,
        Some("!!float" | "tag:yaml.org,2002:float") => return Found::Float,
        Some("!!null" | "tag:yaml.org,2002:null") => return Found::Null,
        _ => style,
    };
    match resolve_yaml11(text, style) {
        ScalarType::Null => Found::Null,
        ScalarType::Bool(b) => Found::Bool(b),
        ScalarType::Int => Found::Int,
        ScalarType::Float => Found::Float,
        ScalarType::Str => Found::Str,
    }
}

fn is_integral_float(text: &str) -> bool {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    clean
        .parse::<f64>()
        .is_ok_and(|f| f.is_finite() && f.fract() == 0.0)
}

/// What was found, for a message; `hidden` (the value may be a secret)
/// describes a string without quoting it.
fn describe(found: Found, v: Value<'_>, hidden: bool) -> String {
    let text = v.as_str().unwrap_or_default();
    let shown: String = if text.chars().count() > 40 {
        text.chars().take(40).chain("…".chars()).collect()
    } else {
        text.to_owned()
    };
    match found {
        Found::Null => "null".to_owned(),
        Found::Bool(b) if matches!(text, "true" | "false") => format!("the boolean {b}"),
        Found::Bool(b) => format!("`{shown}`, the boolean {b} in YAML 1.1"),
        Found::Int => format!("the integer {shown}"),
        Found::Float => format!("the number {shown}"),
        Found::Str if hidden => "a string (not shown: it may be a secret)".to_owned(),
        Found::Str => format!("the string \"{shown}\""),
        Found::Object => "a mapping".to_owned(),
        Found::Array => "a sequence".to_owned(),
    }
}

/// A key that names a secret value (`password`, `apiToken`, `client_secret`).
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

/// One step of a JSON path.
#[derive(Clone, Copy, Debug)]
enum Seg<'t> {
    Root,
    Key(&'t str),
    Index(usize),
}

struct Paths<'t> {
    nodes: Vec<(u32, Seg<'t>)>,
}

impl<'t> Paths<'t> {
    fn push(&mut self, parent: u32, seg: Seg<'t>) -> u32 {
        let id = u32::try_from(self.nodes.len()).unwrap_or(u32::MAX);
        self.nodes.push((parent, seg));
        id
    }

    /// (last key, the key above it), indices skipped for the parent.
    /// The keys from `id` up to the root (innermost first).
    fn keys(&self, mut id: u32) -> Vec<&'t str> {
        let mut keys = Vec::new();
        while let Some(&(parent, seg)) = self.nodes.get(id as usize) {
            match seg {
                Seg::Root => break,
                Seg::Key(k) => keys.push(k),
                Seg::Index(_) => {}
            }
            id = parent;
        }
        keys
    }

    fn field_and_parent(&self, id: u32) -> (String, String) {
        let mut keys = Vec::new();
        let mut id = id;
        let mut first = true;
        while let Some(&(parent, seg)) = self.nodes.get(id as usize) {
            match seg {
                Seg::Root => break,
                Seg::Key(k) => keys.push(k),
                Seg::Index(_) if first => keys.push(""),
                Seg::Index(_) => {}
            }
            first = false;
            if keys.len() == 2 {
                break;
            }
            id = parent;
        }
        let field = keys.first().copied().unwrap_or_default().to_owned();
        let parent = keys.get(1).copied().unwrap_or_default().to_owned();
        (field, parent)
    }

    fn render(&self, mut id: u32) -> String {
        let mut segs = Vec::new();
        while let Some(&(parent, seg)) = self.nodes.get(id as usize) {
            if matches!(seg, Seg::Root) {
                break;
            }
            segs.push(seg);
            id = parent;
        }
        let mut out = String::new();
        for seg in segs.iter().rev() {
            match seg {
                Seg::Key(k) if is_plain_key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Seg::Key(k) => {
                    out.push_str("[\"");
                    out.push_str(k);
                    out.push_str("\"]");
                }
                Seg::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
                Seg::Root => {}
            }
        }
        if out.is_empty() {
            "<root>".to_owned()
        } else {
            out
        }
    }
}

fn is_plain_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$')
}

/// The entries of a mapping as Kubernetes sees them: the last of duplicate
/// keys wins, `<<` merges add the keys not written directly.
fn effective_entries<'t>(map: Value<'t>) -> Vec<(&'t str, Value<'t>, Value<'t>)> {
    let mut out: Vec<(&'t str, Value<'t>, Value<'t>)> = Vec::with_capacity(map.len());
    // Small mappings (nearly all) are scanned; large ones get an index.
    let mut index: Option<HashMap<&'t str, usize>> = (map.len() > 16).then(HashMap::new);
    let mut merges = false;
    for (k, v) in map.entries() {
        let Some((text, style)) = k.as_scalar() else {
            continue;
        };
        if text == "<<" && style == ScalarStyle::Plain {
            merges = true;
            continue;
        }
        let seen = match &index {
            Some(index) => index.get(text).copied(),
            None => out.iter().position(|(t, _, _)| *t == text),
        };
        match seen.and_then(|i| out.get_mut(i)) {
            Some(slot) => *slot = (text, k, v),
            None => {
                if let Some(index) = &mut index {
                    index.insert(text, out.len());
                }
                out.push((text, k, v));
            }
        }
    }
    if merges {
        for (k, v) in map.merged_entries() {
            let Some(text) = k.as_str() else {
                continue;
            };
            if !out.iter().any(|(t, _, _)| *t == text) {
                out.push((text, k, v));
            }
        }
    }
    out
}

static ANY: Schema = Schema {
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

struct Walker<'t, 's> {
    defs: Option<&'static VersionSchemas>,
    /// Validating a `kind: Secret`: its `data` and `stringData` values are secrets.
    secret_object: bool,
    /// Everything validated may be a secret (a sub-validation of a
    /// sensitive value, for `allOf` / `anyOf` / `oneOf` / `not`).
    all_sensitive: bool,
    paths: Paths<'t>,
    out: Validation,
    _schemas: std::marker::PhantomData<&'s Schema>,
}

impl<'t, 's> Walker<'t, 's> {
    fn resolve(&self, mut schema: &'s Schema) -> &'s Schema {
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
    fn is_sensitive(&self, path: u32) -> bool {
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

    fn error(&mut self, span: Span, path: u32, message: String, fix: Option<String>) {
        self.error_with(span, path, message, fix, (false, false));
    }

    fn error_with(
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

    fn push_error(&mut self, error: SchemaError) {
        if self.out.errors.len() >= MAX_ERRORS {
            self.out.truncated = true;
            return;
        }
        self.out.errors.push(error);
    }

    fn full(&self) -> bool {
        self.out.truncated
    }

    /// The schema of property `name` of an object schema (embedded resources imply some).
    fn property(&self, schema: &'s Schema, name: &str) -> Option<&'s Schema> {
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

/// Validate `root` against `schema`. `$ref`s resolve in `defs`; `anchor` is
/// where a required field missing at the root is reported.
#[must_use]
pub fn validate(
    root: Value<'_>,
    schema: &Schema,
    defs: Option<&'static VersionSchemas>,
    anchor: Span,
) -> Validation {
    validate_as(root, schema, defs, anchor, false)
}

/// [`validate`], with every value treated as a possible secret when
/// `all_sensitive`.
fn validate_as<'s>(
    root: Value<'_>,
    schema: &'s Schema,
    defs: Option<&'static VersionSchemas>,
    anchor: Span,
    all_sensitive: bool,
) -> Validation {
    let mut w: Walker<'_, 's> = Walker {
        defs,
        secret_object: root.get_str("kind") == Some("Secret"),
        all_sensitive,
        paths: Paths { nodes: Vec::new() },
        out: Validation::default(),
        _schemas: std::marker::PhantomData,
    };
    let root_path = w.paths.push(0, Seg::Root);
    let tree = root.tree();
    let mut budget = tree.node_count().saturating_add(tree.max_alias_expansion());
    // (value, schema, path, where to report a missing required field,
    // whether `null` here is a value rather than "not set")
    let mut stack = vec![(root, schema, root_path, anchor, false)];
    while let Some((value, schema, path, key_span, null_is_value)) = stack.pop() {
        if w.full() || budget == 0 {
            break;
        }
        budget -= 1;
        let schema = w.resolve(schema);
        let found = classify(value);
        if found == Found::Null {
            // A custom resource's array item or map value that is `null`
            // is not pruned: it fails the type check unless nullable.
            if null_is_value
                && schema.null == Null::Pruned
                && schema.types != 0
                && schema.format != Format::IntOrString
            {
                w.error(
                    value.span(),
                    path,
                    format!("expected {}, found null", ty::describe(schema.types)),
                    Some("remove it, or mark the schema `nullable: true`".to_owned()),
                );
            }
            continue;
        }
        if !check_scalar(&mut w, value, found, schema, path) {
            continue;
        }
        if let Some(c) = &schema.constraints {
            check_constraints(&mut w, value, found, schema, c, path);
        }
        match found {
            Found::Object => {
                let entries = effective_entries(value);
                for req in &schema.required {
                    let defaulted = schema.property(req).is_some_and(|p| p.has_default);
                    match entries.iter().find(|(k, _, _)| *k == req.as_ref()) {
                        None if defaulted => {}
                        None => w.error(
                            key_span,
                            path,
                            format!("missing required field `{req}`"),
                            Some(format!("add `{req}`")),
                        ),
                        Some((_, _, v))
                            if classify(*v) == Found::Null
                                && w.property(schema, req)
                                    .is_none_or(|p| w.resolve(p).null != Null::Allowed) =>
                        {
                            w.error(
                                v.span(),
                                path,
                                format!("required field `{req}` is null"),
                                Some(format!("give `{req}` a value")),
                            );
                        }
                        Some(_) => {}
                    }
                }
                // Push in reverse so errors come out in document order.
                for (name, k, v) in entries.into_iter().rev() {
                    let mut map_value = false;
                    let child = if let Some(p) = w.property(schema, name) {
                        p
                    } else {
                        match &schema.additional {
                            Additional::Schema(s) => {
                                map_value = true;
                                s.as_ref()
                            }
                            Additional::Any => &ANY,
                            Additional::Forbidden if schema.preserve_unknown => &ANY,
                            Additional::Forbidden => {
                                let at = w.paths.push(path, Seg::Key(name));
                                let fix = closest(
                                    name,
                                    schema.properties.iter().map(|(n, _)| n.as_ref()),
                                )
                                .map_or_else(
                                    || "remove it".to_owned(),
                                    |c| format!("did you mean `{c}`?"),
                                );
                                w.error(k.span(), at, format!("unknown field `{name}`"), Some(fix));
                                continue;
                            }
                        }
                    };
                    let at = w.paths.push(path, Seg::Key(name));
                    stack.push((v, child, at, k.span(), map_value));
                }
            }
            Found::Array => {
                let items = schema.items.as_deref().unwrap_or(&ANY);
                let children: Vec<_> = value.items().enumerate().collect();
                for (i, item) in children.into_iter().rev() {
                    let at = w.paths.push(path, Seg::Index(i));
                    stack.push((item, items, at, item.span(), true));
                }
            }
            _ => {}
        }
    }
    // Errors were found depth-first; report them in document order.
    w.out
        .errors
        .sort_by_key(|e| (e.span.start.line, e.span.start.col));
    w.out
}

/// Type, format and enum of one node; `false` when its children must not be checked.
fn check_scalar(
    w: &mut Walker<'_, '_>,
    value: Value<'_>,
    found: Found,
    schema: &Schema,
    path: u32,
) -> bool {
    let text = value.as_str().unwrap_or_default();
    let type_ok = match schema.format {
        Format::IntOrString => match found {
            Found::Int | Found::Str => true,
            Found::Float => is_integral_float(text),
            _ => false,
        },
        Format::Quantity => matches!(found, Found::Int | Found::Float | Found::Str),
        _ => {
            let t = schema.types;
            t == 0
                || match found {
                    Found::Object => t & ty::OBJECT != 0,
                    Found::Array => t & ty::ARRAY != 0,
                    Found::Str => t & ty::STRING != 0,
                    Found::Bool(_) => t & ty::BOOLEAN != 0,
                    Found::Int => t & (ty::INTEGER | ty::NUMBER) != 0,
                    Found::Float => {
                        t & ty::NUMBER != 0 || (t & ty::INTEGER != 0 && is_integral_float(text))
                    }
                    Found::Null => true,
                }
        }
    };
    if !type_ok {
        let expected = match schema.format {
            Format::IntOrString => "an integer or a string".to_owned(),
            Format::Quantity => "a quantity (`500m`, `1Gi`, `1e3` or a number)".to_owned(),
            _ => ty::describe(schema.types),
        };
        let fix = match found {
            Found::Bool(_) | Found::Int | Found::Float if schema.types & ty::STRING != 0 => {
                Some(format!("quote it: \"{text}\""))
            }
            Found::Str
                if schema.types & (ty::INTEGER | ty::NUMBER) != 0
                    && !value.as_scalar().is_some_and(|(_, s)| s.is_plain())
                    && text.parse::<f64>().is_ok() =>
            {
                Some(format!("remove the quotes: {text}"))
            }
            _ => None,
        };
        let message = format!(
            "expected {expected}, found {}",
            describe(found, value, w.is_sensitive(path))
        );
        let style = value.as_scalar().map(|(_, s)| s);
        let yaml11_non_string = style == Some(ScalarStyle::Plain)
            && matches!(found, Found::Bool(_) | Found::Int | Found::Float)
            && schema.types & ty::STRING != 0;
        let quoted_number = matches!(
            style,
            Some(ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted)
        ) && !text.is_empty()
            && text.chars().all(|c| c.is_ascii_digit());
        w.error_with(
            value.span(),
            path,
            message,
            fix,
            (yaml11_non_string, quoted_number),
        );
        return false;
    }
    if schema.format == Format::Quantity && found == Found::Str && !is_quantity(text) {
        w.error(
            value.span(),
            path,
            format!(
                "expected a quantity (`500m`, `1Gi`, `1e3` or a number), found {}",
                describe(found, value, w.is_sensitive(path))
            ),
            Some("write a number with an optional suffix: m, k, M, G, Ki, Mi, Gi, …".to_owned()),
        );
        return false;
    }
    let out_of_range = schema.format == Format::Int32
        && found == Found::Int
        && text
            .replace('_', "")
            .parse::<i64>()
            .is_ok_and(|n| i32::try_from(n).is_err());
    if out_of_range {
        w.error(
            value.span(),
            path,
            format!("expected a 32-bit integer, found {text}, out of range"),
            None,
        );
        return false;
    }
    if found == Found::Str && !schema.format.accepts(text) {
        w.error(
            value.span(),
            path,
            format!(
                "expected a string in format {}, found {}",
                schema.format.name(),
                describe(found, value, w.is_sensitive(path))
            ),
            None,
        );
        return false;
    }
    if !schema.enumeration.is_empty() && !matches!(found, Found::Object | Found::Array) {
        let ok = schema.enumeration.iter().any(|e| match e {
            serde_json::Value::String(s) => found == Found::Str && s == text,
            serde_json::Value::Bool(b) => found == Found::Bool(*b),
            serde_json::Value::Number(n) => {
                matches!(found, Found::Int | Found::Float)
                    && n.as_f64() == text.replace('_', "").parse::<f64>().ok()
            }
            _ => false,
        });
        if !ok {
            let allowed: Vec<String> = schema
                .enumeration
                .iter()
                .map(|e| match e {
                    serde_json::Value::String(s) => format!("\"{s}\""),
                    other => other.to_string(),
                })
                .collect();
            let fix = closest(
                text,
                schema
                    .enumeration
                    .iter()
                    .filter_map(serde_json::Value::as_str),
            )
            .map(|c| format!("did you mean \"{c}\"?"));
            w.error(
                value.span(),
                path,
                format!(
                    "expected one of {}, found {}",
                    allowed.join(", "),
                    describe(found, value, w.is_sensitive(path))
                ),
                fix,
            );
            return false;
        }
    }
    true
}

/// A YAML 1.1 number as Go's YAML decoder reads it (`_` ignored, `0x`, `0o`,
/// `0b` and leading-zero octal integers).
fn yaml_number(text: &str) -> Option<f64> {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    let (negative, digits) = match clean.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, clean.strip_prefix('+').unwrap_or(&clean)),
    };
    let radix = |prefix: &str, radix: u32| {
        digits
            .strip_prefix(prefix)
            .and_then(|d| u64::from_str_radix(d, radix).ok())
    };
    let int = radix("0x", 16)
        .or_else(|| radix("0o", 8))
        .or_else(|| radix("0b", 2))
        .or_else(|| {
            (digits.len() > 1
                && digits.starts_with('0')
                && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| u64::from_str_radix(digits, 8).ok())
            .flatten()
        });
    #[allow(clippy::cast_precision_loss)]
    let value = match int {
        Some(n) => n as f64,
        None => digits.parse::<f64>().ok()?,
    };
    value
        .is_finite()
        .then_some(if negative { -value } else { value })
}

/// Whether `value` is a multiple of `factor` (go-openapi `MultipleOf`:
/// exact for integers, within a relative 1e-9 otherwise).
fn is_multiple_of(value: f64, factor: f64) -> bool {
    #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
    let exact = |f: f64| f.fract() == 0.0 && f.abs() < 9.0e15;
    if exact(value) && exact(factor) {
        #[allow(clippy::cast_possible_truncation)]
        return (value as i64) % (factor as i64) == 0;
    }
    let mult = if factor < 1.0 {
        1.0 / factor * value
    } else {
        value / factor
    };
    let nearest = mult.round();
    nearest == mult || ((mult - nearest).abs() / (mult.abs() + nearest.abs())) < 1e-9
}

/// A node's value as Kubernetes compares items (`x-kubernetes-list-type:
/// set`, `uniqueItems`): scalars by their YAML 1.1 value, mappings by their
/// effective entries in key order. Very deep nodes never compare equal.
fn canonical(v: Value<'_>, depth: usize) -> String {
    if depth > 32 {
        let start = v.span().start;
        return format!("\u{0}{}:{}", start.line, start.col);
    }
    let found = classify(v);
    let text = v.as_str().unwrap_or_default();
    match found {
        Found::Null => "null".to_owned(),
        Found::Bool(b) => b.to_string(),
        Found::Int | Found::Float => {
            yaml_number(text).map_or_else(|| format!("n{text}"), |n| format!("{n:?}"))
        }
        Found::Str => serde_json::Value::String(text.to_owned()).to_string(),
        Found::Array => {
            let items: Vec<String> = v.items().map(|i| canonical(i, depth + 1)).collect();
            format!("[{}]", items.join(","))
        }
        Found::Object => {
            let mut entries: Vec<String> = effective_entries(v)
                .into_iter()
                .filter(|(_, _, val)| classify(*val) != Found::Null)
                .map(|(k, _, val)| {
                    format!(
                        "{}:{}",
                        serde_json::Value::String(k.to_owned()),
                        canonical(val, depth + 1)
                    )
                })
                .collect();
            entries.sort();
            format!("{{{}}}", entries.join(","))
        }
    }
}

/// A list-map key's value as written (`80`, `"TCP"`).
fn shown_key(v: Value<'_>) -> String {
    match classify(v) {
        Found::Str => {
            serde_json::Value::String(v.as_str().unwrap_or_default().to_owned()).to_string()
        }
        Found::Object | Found::Array => canonical(v, 0),
        _ => v.as_str().unwrap_or("null").to_owned(),
    }
}

/// `1 item`, `2 items`, `2 properties`.
fn plural(n: u64, noun: &str) -> String {
    match (n, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        _ => format!("{n} {noun}s"),
    }
}

/// `a.b` + `c[0]` = `a.b.c[0]`.
fn join_path(base: &str, rel: &str) -> String {
    match (base, rel) {
        (_, "<root>") => base.to_owned(),
        ("<root>", _) => rel.to_owned(),
        (_, r) if r.starts_with('[') => format!("{base}{rel}"),
        _ => format!("{base}.{rel}"),
    }
}

/// The value validations of a custom resource schema node.
fn check_constraints(
    w: &mut Walker<'_, '_>,
    value: Value<'_>,
    found: Found,
    schema: &Schema,
    c: &Constraints,
    path: u32,
) {
    let text = value.as_str().unwrap_or_default();
    let hidden = w.is_sensitive(path);
    let shown = || describe(found, value, hidden);
    let fail = |w: &mut Walker<'_, '_>, message: String| {
        w.error(value.span(), path, message, None);
    };
    match found {
        Found::Str => {
            let chars = text.chars().count() as u64;
            if let Some(min) = c.min_length.filter(|&m| chars < m) {
                fail(
                    w,
                    format!(
                        "expected a string of at least {}, found {} ({chars})",
                        plural(min, "character"),
                        shown()
                    ),
                );
            }
            if let Some(max) = c.max_length.filter(|&m| chars > m) {
                fail(
                    w,
                    format!(
                        "expected a string of at most {}, found {} ({chars})",
                        plural(max, "character"),
                        shown()
                    ),
                );
            }
            let mismatch = c.pattern.as_ref().filter(|p| p.rejects(text));
            if let Some(p) = mismatch {
                fail(
                    w,
                    format!(
                        "expected a string matching the pattern `{}`, found {}",
                        p.source,
                        shown()
                    ),
                );
            }
        }
        Found::Int | Found::Float => {
            if let Some(n) = yaml_number(text) {
                let below = c
                    .minimum
                    .filter(|b| n < b.value || (b.exclusive && n == b.value));
                if let Some(b) = below {
                    let op = if b.exclusive { ">" } else { ">=" };
                    fail(
                        w,
                        format!("expected a number {op} {}, found {}", b.value, shown()),
                    );
                }
                let above = c
                    .maximum
                    .filter(|b| n > b.value || (b.exclusive && n == b.value));
                if let Some(b) = above {
                    let op = if b.exclusive { "<" } else { "<=" };
                    fail(
                        w,
                        format!("expected a number {op} {}, found {}", b.value, shown()),
                    );
                }
                if let Some(f) = c.multiple_of.filter(|&f| !is_multiple_of(n, f)) {
                    fail(w, format!("expected a multiple of {f}, found {}", shown()));
                }
            }
        }
        Found::Array => {
            let len = value.len() as u64;
            if let Some(min) = c.min_items.filter(|&m| len < m) {
                fail(
                    w,
                    format!("expected at least {}, found {len}", plural(min, "item")),
                );
            }
            if let Some(max) = c.max_items.filter(|&m| len > m) {
                fail(
                    w,
                    format!("expected at most {}, found {len}", plural(max, "item")),
                );
            }
            check_list(w, value, c, path);
        }
        Found::Object => {
            let len = effective_entries(value)
                .iter()
                .filter(|(_, _, v)| classify(*v) != Found::Null)
                .count() as u64;
            if let Some(min) = c.min_properties.filter(|&m| len < m) {
                fail(
                    w,
                    format!("expected at least {}, found {len}", plural(min, "property")),
                );
            }
            if let Some(max) = c.max_properties.filter(|&m| len > m) {
                fail(
                    w,
                    format!("expected at most {}, found {len}", plural(max, "property")),
                );
            }
        }
        Found::Bool(_) | Found::Null => {}
    }
    // The API server applies defaults first; with a defaulted field absent,
    // `anyOf`, `oneOf` and `not` cannot be decided here.
    let undecided = found == Found::Object && {
        let entries = effective_entries(value);
        schema.properties.iter().any(|(name, p)| {
            p.has_default
                && !entries
                    .iter()
                    .any(|(k, _, v)| *k == name.as_ref() && classify(*v) != Found::Null)
        })
    };
    check_junctors(w, value, found, c, path, undecided);
}

/// `uniqueItems`, `x-kubernetes-list-type: set` and `map`: a duplicate item
/// (or key) is reported at the later item.
fn check_list(w: &mut Walker<'_, '_>, value: Value<'_>, c: &Constraints, path: u32) {
    let keys: Option<&[Box<str>]> = match &c.list_type {
        ListType::Map(keys) => Some(keys),
        ListType::Set => None,
        ListType::Atomic if c.unique_items => None,
        ListType::Atomic => return,
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, item) in value.items().enumerate() {
        let id = match keys {
            None => (canonical(item, 0), String::new()),
            Some(keys) => {
                if !item.is_mapping() {
                    continue;
                }
                let entries = effective_entries(item);
                let parts: Vec<(String, String)> = keys
                    .iter()
                    .map(|k| {
                        let v = entries.iter().find(|(t, _, _)| *t == k.as_ref());
                        let (id, shown) = v.map_or_else(
                            || ("null".to_owned(), "null".to_owned()),
                            |(_, _, v)| (canonical(*v, 0), shown_key(*v)),
                        );
                        (id, format!("{k}={shown}"))
                    })
                    .collect();
                let ids: Vec<&str> = parts.iter().map(|(id, _)| id.as_str()).collect();
                let shown: Vec<&str> = parts.iter().map(|(_, s)| s.as_str()).collect();
                (ids.join("\u{1}"), shown.join(", "))
            }
        };
        let (id, shown) = id;
        match seen.get(&id) {
            Some(first) => {
                let at = w.paths.push(path, Seg::Index(i));
                let (message, fix) = match (keys, &c.list_type) {
                    (Some(_), _) => (
                        format!(
                            "expected unique keys (`x-kubernetes-list-type: map`), found {shown} again (also at [{first}])"
                        ),
                        "merge the two items or change a key",
                    ),
                    (None, ListType::Set) => (
                        format!(
                            "expected unique items (`x-kubernetes-list-type: set`), found a duplicate of [{first}]"
                        ),
                        "remove the duplicate",
                    ),
                    (None, _) => (
                        format!(
                            "expected unique items (`uniqueItems`), found a duplicate of [{first}]"
                        ),
                        "remove the duplicate",
                    ),
                };
                w.error(item.span(), at, message, Some(fix.to_owned()));
            }
            None => {
                seen.insert(id, i);
            }
        }
    }
}

/// `allOf`, `anyOf`, `oneOf`, `not` (value validations; bounded by the
/// schema's nesting depth).
fn check_junctors(
    w: &mut Walker<'_, '_>,
    value: Value<'_>,
    found: Found,
    c: &Constraints,
    path: u32,
    undecided: bool,
) {
    if c.all_of.is_empty() && c.any_of.is_empty() && c.one_of.is_empty() && c.not.is_none() {
        return;
    }
    let defs = w.defs;
    let hidden = w.is_sensitive(path);
    let sub = |s: &Schema| validate_as(value, s, defs, value.span(), hidden);
    let base = w.paths.render(path);
    for s in &c.all_of {
        for e in sub(s).errors {
            w.push_error(SchemaError {
                path: join_path(&base, &e.path),
                ..e
            });
        }
    }
    let first_error = |v: &Validation| {
        v.errors
            .first()
            .map(|e| format!("{}: {}", join_path(&base, &e.path), e.message))
            .unwrap_or_default()
    };
    if undecided {
        return;
    }
    if !c.any_of.is_empty() {
        let results: Vec<Validation> = c.any_of.iter().map(sub).collect();
        if results.iter().all(|r| !r.errors.is_empty()) {
            let why = results.first().map(&first_error).unwrap_or_default();
            w.error(
                value.span(),
                path,
                format!("expected a value matching at least one `anyOf` schema, found {} (the first fails with {why})", describe(found, value, w.is_sensitive(path))),
                None,
            );
        }
    }
    if !c.one_of.is_empty() {
        let results: Vec<Validation> = c.one_of.iter().map(sub).collect();
        let matching: Vec<String> = results
            .iter()
            .enumerate()
            .filter(|(_, r)| r.errors.is_empty())
            .map(|(i, _)| format!("#{}", i + 1))
            .collect();
        if matching.len() != 1 {
            let detail = if matching.is_empty() {
                let why = results.first().map(&first_error).unwrap_or_default();
                format!("one matching none (the first fails with {why})")
            } else {
                format!("one matching {}", matching.join(" and "))
            };
            w.error(
                value.span(),
                path,
                format!("expected a value matching exactly one `oneOf` schema, found {detail}"),
                None,
            );
        }
    }
    if c.not
        .as_deref()
        .is_some_and(|not| sub(not).errors.is_empty())
    {
        w.error(
            value.span(),
            path,
            format!(
                "expected a value not matching the `not` schema, found {}",
                describe(found, value, w.is_sensitive(path))
            ),
            None,
        );
    }
}

/// The candidate closest to `name` when it is close enough to be a typo.
pub(crate) fn closest<'c>(
    name: &str,
    candidates: impl Iterator<Item = &'c str>,
) -> Option<&'c str> {
    let lower = name.to_ascii_lowercase();
    candidates
        .map(|c| (edit_distance(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len().max(name.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}
