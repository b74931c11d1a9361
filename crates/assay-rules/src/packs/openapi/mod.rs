//! The `OPENAPI` pack: secure API design, organised by the OWASP API Security
//! Top 10 2023 (each rule's doc names its category). Rules read the
//! [`assay_openapi`] views: `$ref`s are followed to where the schema is
//! written, and findings on shared schemas are reported once, naming the
//! operation and the chain of references that reach them.

mod openapi001_unresolved_reference;
mod openapi002_operation_without_security;
mod openapi003_weak_http_auth_scheme;
mod openapi004_api_key_in_url_or_cookie;
mod openapi005_oauth2_deprecated_flow;
mod openapi006_undefined_security_scheme;
mod openapi007_unused_security_scheme;
mod openapi008_credential_in_url_parameter;
mod openapi009_object_id_without_scoped_authorization;
mod openapi010_guessable_numeric_object_id;
mod openapi011_write_body_accepts_undeclared_properties;
mod openapi012_credential_field_in_response;
mod openapi013_admin_operation_same_security;
mod openapi014_unbounded_string_input;
mod openapi015_unbounded_array_input;
mod openapi016_unbounded_number_input;
mod openapi017_list_without_pagination;
mod openapi018_rate_limit_not_documented;
mod openapi019_upload_without_size_limit;
mod openapi020_unrestricted_url_input;
mod openapi021_plain_http_server;
mod openapi022_missing_auth_error_responses;
mod openapi023_error_exposes_internals;
mod openapi024_missing_api_version;
mod openapi025_non_production_server;
mod openapi026_deprecated_without_sunset;
mod openapi027_plain_http_callback;

use crate::{Context, Findings, Pack, Scope};
use assay_model::{DocClass, DocInfo, SourceFile};
use assay_openapi::{Located, Operation, RefStep, SchemaVisit, Spec, Trail, walk_schema};
use assay_span::FileSpan;
use std::collections::{BTreeMap, BTreeSet};

pub(crate) const PACK: Pack = Pack {
    prefix: "OPENAPI",
    folder: "openapi",
    title: "OpenAPI: secure API design (OWASP API Security Top 10 2023)",
    rules: &[
        &openapi001_unresolved_reference::UnresolvedReference,
        &openapi002_operation_without_security::OperationWithoutSecurity,
        &openapi003_weak_http_auth_scheme::WeakHttpAuthScheme,
        &openapi004_api_key_in_url_or_cookie::ApiKeyInUrlOrCookie,
        &openapi005_oauth2_deprecated_flow::OAuth2DeprecatedFlow,
        &openapi006_undefined_security_scheme::UndefinedSecurityScheme,
        &openapi007_unused_security_scheme::UnusedSecurityScheme,
        &openapi008_credential_in_url_parameter::CredentialInUrlParameter,
        &openapi009_object_id_without_scoped_authorization::ObjectIdWithoutScopedAuthorization,
        &openapi010_guessable_numeric_object_id::GuessableNumericObjectId,
        &openapi011_write_body_accepts_undeclared_properties::WriteBodyAcceptsUndeclaredProperties,
        &openapi012_credential_field_in_response::CredentialFieldInResponse,
        &openapi013_admin_operation_same_security::AdminOperationSameSecurity,
        &openapi014_unbounded_string_input::UnboundedStringInput,
        &openapi015_unbounded_array_input::UnboundedArrayInput,
        &openapi016_unbounded_number_input::UnboundedNumberInput,
        &openapi017_list_without_pagination::ListWithoutPagination,
        &openapi018_rate_limit_not_documented::RateLimitNotDocumented,
        &openapi019_upload_without_size_limit::UploadWithoutSizeLimit,
        &openapi020_unrestricted_url_input::UnrestrictedUrlInput,
        &openapi021_plain_http_server::PlainHttpServer,
        &openapi022_missing_auth_error_responses::MissingAuthErrorResponses,
        &openapi023_error_exposes_internals::ErrorExposesInternals,
        &openapi024_missing_api_version::MissingApiVersion,
        &openapi025_non_production_server::NonProductionServer,
        &openapi026_deprecated_without_sunset::DeprecatedWithoutSunset,
        &openapi027_plain_http_callback::PlainHttpCallback,
    ],
};

/// Every rule of the pack looks at OpenAPI documents only.
const OPENAPI_DOCUMENTS: Scope = Scope::Document(&[DocClass::OpenApi]);

/// The OpenAPI view of `doc`, when it is an OpenAPI 2.0/3.x document.
fn spec<'m>(ctx: &Context<'m>, file: &'m SourceFile, doc: &DocInfo) -> Option<Spec<'m>> {
    Spec::new(&ctx.model.files, file, doc.root)
}

/// A schema that an operation takes as input: a parameter's or a request body's.
struct Input<'m> {
    /// `query parameter `limit``, `request body (application/json)`.
    label: String,
    /// `(location, name)` for a parameter.
    parameter: Option<(&'m str, &'m str)>,
    schema: Located<'m>,
    via: Vec<RefStep>,
}

/// The input schemas of a served operation (parameters, then request bodies).
fn inputs<'m>(spec: &Spec<'m>, op: &Operation<'m>) -> Vec<Input<'m>> {
    let mut out = Vec::new();
    for parameter in op.parameters(spec) {
        if parameter.location == "body" {
            continue;
        }
        if let Some(schema) = parameter.schema(spec.version) {
            out.push(Input {
                label: format!("{} parameter `{}`", parameter.location, parameter.name),
                parameter: Some((parameter.location, parameter.name)),
                schema,
                via: parameter.via,
            });
        }
    }
    for body in op.request_bodies(spec) {
        out.push(Input {
            label: format!("request body ({})", body.media_type),
            parameter: None,
            schema: body.schema,
            via: body.via,
        });
    }
    out
}

/// Walk every input schema of every served operation; `visit` gets the
/// operation, the input's label, the schema and the trail that reaches it.
/// Read-only properties are skipped: clients do not send them.
fn for_each_input_schema<'m>(
    spec: &Spec<'m>,
    mut visit: impl FnMut(&Operation<'m>, &Input<'m>, &SchemaVisit<'m>, &Trail<'m>),
) {
    for op in spec.operations().iter().filter(|o| o.is_served()) {
        for input in inputs(spec, op) {
            walk_schema(&spec.resolver, input.schema, &input.via, |schema, trail| {
                if schema.read_only {
                    return false;
                }
                visit(op, &input, schema, trail);
                true
            });
        }
    }
}

/// Walk every schema of the responses of served operations whose status
/// code `wanted` accepts; `visit` gets the operation, a label
/// (`response 200`), the schema and its trail. Write-only properties are
/// skipped: servers do not return them.
fn for_each_response_schema<'m>(
    spec: &Spec<'m>,
    wanted: impl Fn(&str) -> bool,
    mut visit: impl FnMut(&Operation<'m>, &str, &SchemaVisit<'m>, &Trail<'m>),
) {
    for op in spec.operations().iter().filter(|o| o.is_served()) {
        for response in op.responses(spec).into_iter().filter(|r| wanted(r.code)) {
            let label = format!("response {}", response.code);
            for schema in response.schemas() {
                walk_schema(&spec.resolver, schema, &response.via, |schema, trail| {
                    if schema.schema.get_str("writeOnly") == Some("true") {
                        return false;
                    }
                    visit(op, &label, schema, trail);
                    true
                });
            }
        }
    }
}

/// Where a schema finding was reached from, for its message.
fn reached(label: &str, op: &Operation<'_>, trail: &Trail<'_>, at: Option<usize>) -> String {
    let path = trail.describe(at);
    if path.is_empty() {
        format!("{label} of {}", op.display())
    } else if let Some(property) = path.strip_prefix('.') {
        format!("{label} of {}, at `{property}`", op.display())
    } else {
        format!("{label} of {} via {path}", op.display())
    }
}

/// What findings on schemas are grouped by.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum GroupKey {
    /// The schema as written: reported once however many operations reach it.
    Schema(FileSpan),
    /// A parameter written inline on many operations (`location`, `name`):
    /// an API that takes `apiKey` everywhere says so once.
    Parameter(String, String),
    /// The properties of one object schema, as written.
    Object(FileSpan),
}

impl GroupKey {
    /// Inline parameters group by name; everything else by where it is written.
    fn of(input: &Input<'_>, schema: &SchemaVisit<'_>, parameter: Option<(&str, &str)>) -> Self {
        match parameter {
            Some((location, name)) if input.via.is_empty() && schema.trail.is_none() => {
                GroupKey::Parameter(location.to_owned(), name.to_owned())
            }
            _ => GroupKey::Schema(schema.anchor),
        }
    }
}

/// Findings on schemas, one per group (see [`GroupKey`]): the first
/// operation (in document order) is named with its chain of references, the
/// other uses are counted.
#[derive(Default)]
struct SchemaFindings {
    groups: BTreeMap<GroupKey, Grouped>,
}

struct Grouped {
    anchor: FileSpan,
    message: String,
    object: String,
    others: usize,
}

impl SchemaFindings {
    fn add(&mut self, anchor: FileSpan, op: &Operation<'_>, message: impl FnOnce() -> String) {
        self.add_to(GroupKey::Schema(anchor), anchor, op, message);
    }

    fn add_to(
        &mut self,
        key: GroupKey,
        anchor: FileSpan,
        op: &Operation<'_>,
        message: impl FnOnce() -> String,
    ) {
        self.groups
            .entry(key)
            .and_modify(|g| g.others += 1)
            .or_insert_with(|| Grouped {
                anchor,
                message: message(),
                object: op.display(),
                others: 0,
            });
    }

    fn emit(self, out: &mut Findings<'_>, fix: &str) {
        for g in self.groups.into_values() {
            let message = match g.others {
                0 => g.message,
                1 => format!("{} (and 1 more use)", g.message),
                n => format!("{} (and {n} more uses)", g.message),
            };
            let finding = out.at(g.anchor, message).object(g.object).fix(fix);
            out.push(finding);
        }
    }
}

/// `name` as lower-case letters and digits only (`X-API-Key` → `xapikey`).
fn squash(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Every scheme name used in a security requirement (top level and every
/// operation), with the key where it is written, in document order.
fn required_schemes<'m>(spec: &Spec<'m>) -> Vec<(&'m str, Located<'m>)> {
    let mut lists: Vec<Located<'m>> = spec.global_security().into_iter().collect();
    lists.extend(
        spec.operations()
            .iter()
            .filter_map(|o| o.node.get("security")),
    );
    lists
        .into_iter()
        .flat_map(Located::items)
        .flat_map(Located::entries)
        .map(|(name, key, _)| (name, key))
        .collect()
}

/// A path parameter that addresses one object: `id`, or a name ending in
/// `Id`, `ID`, `_id` or `-id` (`petId`, `order_id`).
fn is_object_id(name: &str) -> bool {
    name.eq_ignore_ascii_case("id")
        || ["Id", "ID", "_id", "-id", "_ID"]
            .iter()
            .any(|s| name.ends_with(s))
}

/// What an input schema lacks, for one schema and for many properties of one object
/// (`string without `maxLength``, `strings without `maxLength``).
type Lack = (&'static str, &'static str);

/// The name an input value goes by, for rules that judge by name.
#[derive(Clone, Copy)]
struct Named<'a> {
    /// Its property name, or its parameter's name.
    name: Option<&'a str>,
    /// `query`, `path`, … when the value is a parameter's (not a property in it).
    location: Option<&'a str>,
}

/// Unbounded inputs of one group.
struct Unbounded {
    anchor: FileSpan,
    object: String,
    /// The message for the first schema alone.
    single: String,
    /// How the declaring object is reached, for a group of properties.
    parent: Option<String>,
    lack: Lack,
    properties: Vec<String>,
    operations: BTreeSet<String>,
}

/// Most property names listed in one grouped finding.
const MAX_LISTED_PROPERTIES: usize = 6;

/// Report the input schemas of served operations that `unbounded` picks
/// (given the schema and the name it goes by),
/// grouped so a report stays readable: a schema once however many
/// operations reach it, an inline parameter once per name, and the
/// properties of one object in one finding at the first of them.
fn report_unbounded_inputs(
    spec: &Spec<'_>,
    out: &mut Findings<'_>,
    fix: &str,
    unbounded: impl Fn(&SchemaVisit<'_>, Named<'_>) -> Option<Lack>,
) {
    let mut groups: BTreeMap<GroupKey, Unbounded> = BTreeMap::new();
    for_each_input_schema(spec, |op, input, schema, trail| {
        let location = input
            .parameter
            .filter(|_| schema.property.is_none())
            .map(|(location, _)| location);
        let name = schema.property.or_else(|| {
            input
                .parameter
                .filter(|_| location.is_some())
                .map(|(_, n)| n)
        });
        let Some(lack) = unbounded(schema, Named { name, location }) else {
            return;
        };
        let parent = schema.parent.filter(|_| schema.property.is_some());
        let key = match parent {
            Some((object, _)) if input.parameter.is_none() || schema.trail.is_some() => {
                GroupKey::Object(object.span())
            }
            _ => GroupKey::of(input, schema, input.parameter),
        };
        let group = groups.entry(key).or_insert_with(|| Unbounded {
            anchor: schema.anchor,
            object: op.display(),
            single: format!(
                "{}: {}",
                reached(&input.label, op, trail, schema.trail),
                lack.0
            ),
            parent: parent.map(|(_, at)| reached(&input.label, op, trail, at)),
            lack,
            properties: Vec::new(),
            operations: BTreeSet::new(),
        });
        if let Some(name) = schema.property
            && !group.properties.iter().any(|p| p == name)
        {
            group.properties.push(name.to_owned());
        }
        group.operations.insert(op.display());
    });
    for group in groups.into_values() {
        let mut message = match (&group.parent, group.properties.len()) {
            (Some(parent), n) if n > 1 => {
                let listed: Vec<String> = group
                    .properties
                    .iter()
                    .take(MAX_LISTED_PROPERTIES)
                    .map(|p| format!("`{p}`"))
                    .collect();
                let more = n.saturating_sub(MAX_LISTED_PROPERTIES);
                let more = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                format!(
                    "{parent}: {n} properties are {}: {}{more}",
                    group.lack.1,
                    listed.join(", ")
                )
            }
            _ => group.single,
        };
        match group.operations.len() {
            0 | 1 => {}
            2 => message.push_str(" (and 1 more operation)"),
            n => message.push_str(&format!(" (and {} more operations)", n - 1)),
        }
        let finding = out.at(group.anchor, message).object(group.object).fix(fix);
        out.push(finding);
    }
}

/// The host of `url` (`https://api.example.com:8443/v1` → `api.example.com`).
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if authority.starts_with('[') {
        return authority.split_inclusive(']').next().unwrap_or(authority);
    }
    authority.split(':').next().unwrap_or(authority)
}

/// Loopback hosts: a server on them is the developer's own machine.
fn is_loopback(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host.starts_with("127.")
        || host == "[::1]"
}
