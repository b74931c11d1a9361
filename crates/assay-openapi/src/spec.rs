//! The document-level view: version, servers, security schemes, operations.

use crate::operation::{HTTP_METHODS, Operation, OperationOrigin};
use crate::refs::{Located, Resolver};
use assay_model::SourceFile;
use assay_yaml::NodeId;

/// Callbacks nest callbacks; deeper nesting than this is not walked.
const MAX_CALLBACK_DEPTH: usize = 8;

/// The specification a document follows, recognised by content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    /// `swagger: "2.0"`.
    Swagger2,
    /// `openapi: 3.0.x`.
    OpenApi30,
    /// `openapi: 3.1.x` (and later 3.x, read the 3.1 way).
    OpenApi31,
}

/// One server the API is offered on: a 3.x `servers[].url`, or a Swagger 2.0
/// `schemes[]` item joined with `host` and `basePath`.
#[derive(Clone, Debug)]
pub struct Server<'m> {
    pub url: String,
    /// The `url` value (3.x) or the scheme item (2.0).
    pub node: Located<'m>,
    /// The server object (3.x); `None` for 2.0.
    pub object: Option<Located<'m>>,
}

/// A security scheme of `components.securitySchemes` (3.x) or
/// `securityDefinitions` (2.0).
#[derive(Clone, Copy, Debug)]
pub struct SecurityScheme<'m> {
    pub name: &'m str,
    pub key: Located<'m>,
    /// The scheme object, `$ref` followed.
    pub node: Located<'m>,
}

impl<'m> SecurityScheme<'m> {
    /// `type`, lower-cased as the specs spell it (`apiKey`, `http`, `oauth2`, `openIdConnect`, `basic`).
    #[must_use]
    pub fn kind(&self) -> &'m str {
        self.node.get_str("type").unwrap_or_default()
    }
}

/// A read-only view of one OpenAPI document.
#[derive(Clone, Debug)]
pub struct Spec<'m> {
    pub root: Located<'m>,
    pub version: Version,
    pub resolver: Resolver<'m>,
}

impl<'m> Spec<'m> {
    /// The OpenAPI document rooted at `root` of `file`, or `None` when the
    /// root has neither `openapi: 3.x` nor `swagger: "2.0"`.
    #[must_use]
    pub fn new(files: &'m [SourceFile], file: &'m SourceFile, root: NodeId) -> Option<Self> {
        let root = Located::new(file, file.tree.value(root));
        let version = if let Some(v) = root.get_str("openapi") {
            if v.starts_with("3.0") {
                Version::OpenApi30
            } else if v.starts_with('3') {
                Version::OpenApi31
            } else {
                return None;
            }
        } else if root.get_str("swagger").is_some_and(|v| v.starts_with('2')) {
            Version::Swagger2
        } else {
            return None;
        };
        Some(Self {
            root,
            version,
            resolver: Resolver::new(files),
        })
    }

    /// The API's name for messages: `info.title`, else the file path.
    #[must_use]
    pub fn display(&self) -> String {
        match self.root.get("info").and_then(|i| i.get_str("title")) {
            Some(title) if !title.trim().is_empty() => format!("API `{}`", title.trim()),
            _ => format!("API `{}`", self.root.file.path),
        }
    }

    /// Servers (3.x `servers`, 2.0 `schemes` + `host` + `basePath`).
    #[must_use]
    pub fn servers(&self) -> Vec<Server<'m>> {
        if self.version == Version::Swagger2 {
            let host = self.root.get_str("host").unwrap_or_default();
            let base = self.root.get_str("basePath").unwrap_or_default();
            return self
                .root
                .get("schemes")
                .into_iter()
                .flat_map(Located::items)
                .filter_map(|item| {
                    let scheme = item.value.as_str()?;
                    Some(Server {
                        url: format!("{scheme}://{host}{base}"),
                        node: item,
                        object: None,
                    })
                })
                .collect();
        }
        self.root
            .get("servers")
            .into_iter()
            .flat_map(Located::items)
            .filter_map(|object| {
                let node = object.get("url")?;
                Some(Server {
                    url: node.value.as_str()?.to_owned(),
                    node,
                    object: Some(object),
                })
            })
            .collect()
    }

    /// The mapping of security schemes, if any.
    #[must_use]
    pub fn security_schemes_node(&self) -> Option<Located<'m>> {
        match self.version {
            Version::Swagger2 => self.root.get("securityDefinitions"),
            _ => self.root.get("components")?.get("securitySchemes"),
        }
    }

    /// Every security scheme, `$ref`s followed (unresolvable ones skipped).
    #[must_use]
    pub fn security_schemes(&self) -> Vec<SecurityScheme<'m>> {
        self.security_schemes_node()
            .into_iter()
            .flat_map(Located::entries)
            .filter_map(|(name, key, node)| {
                let node = self.resolver.resolve(node).ok()?.target;
                Some(SecurityScheme { name, key, node })
            })
            .collect()
    }

    /// A scheme by name.
    #[must_use]
    pub fn security_scheme(&self, name: &str) -> Option<SecurityScheme<'m>> {
        self.security_schemes().into_iter().find(|s| s.name == name)
    }

    /// The top-level `security`, if written.
    #[must_use]
    pub fn global_security(&self) -> Option<Located<'m>> {
        self.root.get("security")
    }

    /// Every operation: paths, then webhooks (3.1), then the callbacks of
    /// each (nested callbacks up to a fixed depth).
    #[must_use]
    pub fn operations(&self) -> Vec<Operation<'m>> {
        let mut out = Vec::new();
        for (path, _, item) in self
            .root
            .get("paths")
            .into_iter()
            .flat_map(Located::entries)
        {
            if !path.starts_with("x-") {
                self.push_path_item(&mut out, &OperationOrigin::Path, path, item);
            }
        }
        for (name, _, item) in self
            .root
            .get("webhooks")
            .into_iter()
            .flat_map(Located::entries)
        {
            self.push_path_item(&mut out, &OperationOrigin::Webhook, name, item);
        }
        let mut start = 0;
        for depth in 0..MAX_CALLBACK_DEPTH {
            let end = out.len();
            if start == end {
                break;
            }
            let mut found = Vec::new();
            for parent in out.iter().take(end).skip(start) {
                let callbacks = parent.node.get("callbacks");
                for (name, _, callback) in callbacks.into_iter().flat_map(Located::entries) {
                    let Ok(callback) = self.resolver.resolve(callback) else {
                        continue;
                    };
                    for (expression, _, item) in callback.target.entries() {
                        let origin = OperationOrigin::Callback {
                            name,
                            parent: parent.display(),
                            depth: depth + 1,
                        };
                        self.push_path_item(&mut found, &origin, expression, item);
                    }
                }
            }
            out.extend(found);
            start = end;
        }
        out
    }

    fn push_path_item(
        &self,
        out: &mut Vec<Operation<'m>>,
        origin: &OperationOrigin<'m>,
        path: &'m str,
        item: Located<'m>,
    ) {
        let Ok(resolved) = self.resolver.resolve(item) else {
            return;
        };
        for (method, key, node) in resolved.target.entries() {
            let Some(&method) = HTTP_METHODS.iter().find(|m| **m == method) else {
                continue;
            };
            if !node.value.is_mapping() {
                continue;
            }
            out.push(Operation {
                origin: origin.clone(),
                path,
                method,
                key,
                node,
                path_item: resolved.target,
                path_item_via: resolved.via.clone(),
            });
        }
    }
}
