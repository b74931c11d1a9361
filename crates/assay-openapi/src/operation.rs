//! Operations and what they take and return.

use crate::refs::{Located, RefStep};
use crate::spec::{Spec, Version};

/// The HTTP methods a path item may hold, as OpenAPI spells them.
pub const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Where an operation is declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OperationOrigin<'m> {
    /// Under `paths`: a request the API serves.
    Path,
    /// Under `webhooks` (3.1): a request the API sends to its subscribers.
    Webhook,
    /// Under an operation's `callbacks`: a request the API sends back.
    Callback {
        name: &'m str,
        /// The operation that declares the callback, as displayed.
        parent: String,
        depth: usize,
    },
}

/// One operation of a path item.
#[derive(Clone, Debug)]
pub struct Operation<'m> {
    pub origin: OperationOrigin<'m>,
    /// The path template, the webhook name, or the callback expression.
    pub path: &'m str,
    /// Lower case, as written (`get`).
    pub method: &'static str,
    /// The method key (`get:`).
    pub key: Located<'m>,
    /// The operation object.
    pub node: Located<'m>,
    /// The path item, `$ref` followed.
    pub path_item: Located<'m>,
    pub path_item_via: Vec<RefStep>,
}

/// What applies to an operation, after the override rules of the
/// Security Requirement Object (an operation's `security` replaces the
/// top-level one; `security: []` removes it).
#[derive(Clone, Copy, Debug)]
pub enum SecurityState<'m> {
    /// No `security` on the operation and none (or an empty one) at the top.
    Missing,
    /// `security: []` written on the operation.
    Disabled(Located<'m>),
    /// The requirements in force: the operation's own, or the top-level ones.
    Applied {
        requirements: Located<'m>,
        inherited: bool,
    },
}

impl<'m> SecurityState<'m> {
    /// The alternatives in force (each a mapping of scheme name → scopes).
    #[must_use]
    pub fn alternatives(&self) -> Vec<Located<'m>> {
        match self {
            SecurityState::Applied { requirements, .. } => requirements.items().collect(),
            _ => Vec::new(),
        }
    }

    /// No security applies, or one alternative is the empty requirement
    /// `{}`, which lets anonymous callers in.
    #[must_use]
    pub fn allows_anonymous(&self) -> bool {
        match self {
            SecurityState::Applied { .. } => self
                .alternatives()
                .iter()
                .any(|r| r.value.is_mapping() && r.value.is_empty()),
            _ => true,
        }
    }
}

/// A parameter, `$ref` followed.
#[derive(Clone, Debug)]
pub struct Parameter<'m> {
    pub name: &'m str,
    /// `path`, `query`, `header`, `cookie`, and in 2.0 `body` and `formData`.
    pub location: &'m str,
    pub node: Located<'m>,
    pub via: Vec<RefStep>,
}

impl<'m> Parameter<'m> {
    /// The schema that constrains the value: `schema` (3.x, 2.0 body), the
    /// first `content` entry's schema (3.x), or the parameter itself (2.0
    /// non-body parameters carry `type`, `maxLength`, … inline).
    #[must_use]
    pub fn schema(&self, version: Version) -> Option<Located<'m>> {
        if let Some(schema) = self.node.get("schema") {
            return Some(schema);
        }
        if let Some(content) = self.node.get("content") {
            return content
                .entries()
                .find_map(|(_, _, media)| media.get("schema"));
        }
        (version == Version::Swagger2 && self.location != "body").then_some(self.node)
    }

    /// `name` key, for locating findings about the parameter.
    #[must_use]
    pub fn name_node(&self) -> Located<'m> {
        self.node.get("name").unwrap_or(self.node)
    }
}

/// One media type of a request body, with its schema.
#[derive(Clone, Debug)]
pub struct RequestBody<'m> {
    pub media_type: &'m str,
    pub schema: Located<'m>,
    pub via: Vec<RefStep>,
}

/// One response of an operation, `$ref` followed.
#[derive(Clone, Debug)]
pub struct Response<'m> {
    /// `200`, `4XX`, `default`.
    pub code: &'m str,
    pub key: Located<'m>,
    pub node: Located<'m>,
    pub via: Vec<RefStep>,
}

impl<'m> Response<'m> {
    /// The response's schemas: each `content` entry's (3.x) or `schema` (2.0).
    #[must_use]
    pub fn schemas(&self) -> Vec<Located<'m>> {
        if let Some(schema) = self.node.get("schema") {
            return vec![schema];
        }
        self.node
            .get("content")
            .into_iter()
            .flat_map(Located::entries)
            .filter_map(|(_, _, media)| media.get("schema"))
            .collect()
    }

    /// Header names, as written.
    #[must_use]
    pub fn header_names(&self) -> Vec<&'m str> {
        self.node
            .get("headers")
            .into_iter()
            .flat_map(Located::entries)
            .map(|(name, _, _)| name)
            .collect()
    }

    /// `4XX`, `5XX`, `default` or a 4xx/5xx code.
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.code == "default" || self.code.starts_with('4') || self.code.starts_with('5')
    }
}

impl<'m> Operation<'m> {
    /// `GET /pets/{id}`, `webhook newPet POST`, `callback onEvent POST {$request.body#/url} of POST /subscribe`.
    #[must_use]
    pub fn display(&self) -> String {
        let method = self.method.to_ascii_uppercase();
        match &self.origin {
            OperationOrigin::Path => format!("{method} {}", self.path),
            OperationOrigin::Webhook => format!("webhook {} {method}", self.path),
            OperationOrigin::Callback { name, parent, .. } => {
                format!("callback {name} {method} {} of {parent}", self.path)
            }
        }
    }

    /// Served by the API (under `paths`), as opposed to sent by it.
    #[must_use]
    pub fn is_served(&self) -> bool {
        self.origin == OperationOrigin::Path
    }

    /// `post`, `put`, `patch` or `delete`.
    #[must_use]
    pub fn is_write(&self) -> bool {
        matches!(self.method, "post" | "put" | "patch" | "delete")
    }

    #[must_use]
    pub fn deprecated(&self) -> bool {
        self.node.get_str("deprecated") == Some("true")
    }

    /// The security in force for this operation.
    #[must_use]
    pub fn security(&self, spec: &Spec<'m>) -> SecurityState<'m> {
        match self.node.get("security") {
            Some(own) if own.value.is_sequence() && own.value.is_empty() => {
                SecurityState::Disabled(own)
            }
            Some(own) if own.value.is_sequence() => SecurityState::Applied {
                requirements: own,
                inherited: false,
            },
            _ => match spec.global_security() {
                Some(global) if global.value.is_sequence() && !global.value.is_empty() => {
                    SecurityState::Applied {
                        requirements: global,
                        inherited: true,
                    }
                }
                _ => SecurityState::Missing,
            },
        }
    }

    /// Parameters of the path item and of the operation, `$ref`s followed;
    /// an operation parameter replaces the path item's with the same name and
    /// location. Unresolvable references are skipped (OPENAPI001 reports them).
    #[must_use]
    pub fn parameters(&self, spec: &Spec<'m>) -> Vec<Parameter<'m>> {
        let mut out: Vec<Parameter<'m>> = Vec::new();
        let lists = [
            self.path_item.get("parameters"),
            self.node.get("parameters"),
        ];
        for (level, list) in lists.into_iter().enumerate() {
            for item in list.into_iter().flat_map(Located::items) {
                let Ok(resolved) = spec.resolver.resolve(item) else {
                    continue;
                };
                let node = resolved.target;
                let (Some(name), Some(location)) = (node.get_str("name"), node.get_str("in"))
                else {
                    continue;
                };
                let parameter = Parameter {
                    name,
                    location,
                    node,
                    via: resolved.via,
                };
                match out
                    .iter_mut()
                    .find(|p| level == 1 && p.name == name && p.location == location)
                {
                    Some(existing) => *existing = parameter,
                    None => out.push(parameter),
                }
            }
        }
        out
    }

    /// The request body's schemas, one per media type (3.x), or the `in: body`
    /// parameter's schema (2.0, with the first `consumes` type).
    #[must_use]
    pub fn request_bodies(&self, spec: &Spec<'m>) -> Vec<RequestBody<'m>> {
        if spec.version == Version::Swagger2 {
            let media_type = self
                .node
                .get("consumes")
                .or_else(|| spec.root.get("consumes"))
                .and_then(|c| c.items().next())
                .and_then(|c| c.value.as_str())
                .unwrap_or("application/json");
            return self
                .parameters(spec)
                .into_iter()
                .filter(|p| p.location == "body")
                .filter_map(|p| {
                    Some(RequestBody {
                        media_type,
                        schema: p.node.get("schema")?,
                        via: p.via,
                    })
                })
                .collect();
        }
        let Some(body) = self.node.get("requestBody") else {
            return Vec::new();
        };
        let Ok(resolved) = spec.resolver.resolve(body) else {
            return Vec::new();
        };
        resolved
            .target
            .get("content")
            .into_iter()
            .flat_map(Located::entries)
            .filter_map(|(media_type, _, media)| {
                Some(RequestBody {
                    media_type,
                    schema: media.get("schema")?,
                    via: resolved.via.clone(),
                })
            })
            .collect()
    }

    /// Responses, `$ref`s followed (unresolvable ones skipped).
    #[must_use]
    pub fn responses(&self, spec: &Spec<'m>) -> Vec<Response<'m>> {
        self.node
            .get("responses")
            .into_iter()
            .flat_map(Located::entries)
            .filter(|(code, _, _)| !code.starts_with("x-"))
            .filter_map(|(code, key, node)| {
                let resolved = spec.resolver.resolve(node).ok()?;
                Some(Response {
                    code,
                    key,
                    node: resolved.target,
                    via: resolved.via,
                })
            })
            .collect()
    }

    /// The `responses` key, or the method key when there is none.
    #[must_use]
    pub fn responses_anchor(&self) -> Located<'m> {
        self.node
            .entry("responses")
            .map_or(self.key, |(key, _)| key)
    }
}
