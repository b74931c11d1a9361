use crate::{DocInfo, Object, SourceFile};
use assay_yaml::Value;

/// What a document was recognised as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocClass {
    /// `apiVersion` and `kind`: one Kubernetes object.
    Kubernetes,
    /// `kind: List` or `*List` with `items`: each item is an object.
    KubernetesList,
    /// A docker-compose file (`services:` at the top, or a compose file name).
    Compose,
    /// OpenAPI 3.x (`openapi:`) or Swagger 2.0 (`swagger:`).
    OpenApi,
    /// An etcd `--config-file` YAML.
    EtcdConfig,
    /// A kustomize `kustomization.yaml` (a build recipe, not a manifest).
    Kustomization,
    /// A document with nothing in it (only comments, or `---` alone).
    Empty,
    /// Anything else: counted and reported at info level.
    Other,
}

impl DocClass {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            DocClass::Kubernetes => "kubernetes",
            DocClass::KubernetesList => "kubernetes-list",
            DocClass::Compose => "compose",
            DocClass::OpenApi => "openapi",
            DocClass::EtcdConfig => "etcd-config",
            DocClass::Kustomization => "kustomization",
            DocClass::Empty => "empty",
            DocClass::Other => "other",
        }
    }
}

/// Keys only an etcd configuration file has (etcd `etcd.conf.yml.sample`).
const ETCD_KEYS: &[&str] = &[
    "listen-client-urls",
    "advertise-client-urls",
    "listen-peer-urls",
    "initial-advertise-peer-urls",
    "initial-cluster",
    "initial-cluster-state",
    "initial-cluster-token",
    "client-transport-security",
    "peer-transport-security",
    "data-dir",
    "wal-dir",
    "snapshot-count",
    "heartbeat-interval",
    "election-timeout",
];

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn is_compose_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower.starts_with("docker-compose") || lower.starts_with("compose"))
        && (lower.ends_with(".yml") || lower.ends_with(".yaml"))
}

pub(crate) fn classify_file(file: &SourceFile, docs: &mut Vec<DocInfo>, objects: &mut Vec<Object>) {
    let name = file_name(&file.path);
    for doc in file.tree.documents() {
        let root = file.tree.value(doc.root);
        let class = classify_root(root, name);
        match class {
            DocClass::Kubernetes => push_object(file, doc.index, root, objects),
            DocClass::KubernetesList => {
                // A typed list (`PodList`) implies its items' kind, as the
                // API server reads it; a plain `List` does not.
                let implied = root
                    .get_str("kind")
                    .and_then(|k| k.strip_suffix("List"))
                    .filter(|k| !k.is_empty())
                    .map(|kind| (root.get_str("apiVersion").unwrap_or_default(), kind));
                for item in root.get("items").into_iter().flat_map(Value::items) {
                    if item.get_str("kind").is_some() {
                        push_object(file, doc.index, item, objects);
                    } else if let Some(implied) = implied
                        && item.is_mapping()
                    {
                        push_typed_item(file, doc.index, item, implied, objects);
                    }
                }
            }
            _ => {}
        }
        docs.push(DocInfo {
            file: file.id,
            index: doc.index,
            root: doc.root,
            class,
        });
    }
}

fn classify_root(root: Value<'_>, file_name: &str) -> DocClass {
    if root.is_null() {
        return DocClass::Empty;
    }
    if !root.is_mapping() {
        return DocClass::Other;
    }
    let kind = root.get_str("kind").filter(|k| !k.is_empty());
    let api_version = root.get_str("apiVersion").filter(|a| !a.is_empty());
    if let Some(kind) = kind {
        if kind == "Kustomization"
            || kind == "Component"
                && api_version.is_some_and(|a| a.starts_with("kustomize.config.k8s.io"))
        {
            return DocClass::Kustomization;
        }
        if api_version.is_some() {
            let is_list =
                kind.ends_with("List") && root.get("items").is_some_and(Value::is_sequence);
            return if is_list {
                DocClass::KubernetesList
            } else {
                DocClass::Kubernetes
            };
        }
    }
    let lower = file_name.to_ascii_lowercase();
    if lower == "kustomization.yaml" || lower == "kustomization.yml" {
        return DocClass::Kustomization;
    }
    if root.get("openapi").is_some() || root.get("swagger").is_some() {
        return DocClass::OpenApi;
    }
    if root.get("services").is_some_and(Value::is_mapping)
        || only_compose_keys(root)
        || (is_compose_name(file_name)
            && [
                "services", "volumes", "networks", "include", "secrets", "configs",
            ]
            .iter()
            .any(|k| root.get(k).is_some()))
    {
        return DocClass::Compose;
    }
    let etcd_keys = root
        .entries()
        .filter(|(k, _)| k.as_str().is_some_and(|k| ETCD_KEYS.contains(&k)))
        .count();
    if etcd_keys >= 2 {
        return DocClass::EtcdConfig;
    }
    DocClass::Other
}

/// Top-level keys of the Compose specification (compose-spec `spec.md`).
const COMPOSE_TOP_KEYS: &[&str] = &[
    "version", "name", "services", "networks", "volumes", "secrets", "configs", "include",
];

/// A file of only Compose top-level keys (and `x-` extensions), with `services` or `include`.
fn only_compose_keys(root: Value<'_>) -> bool {
    let mut keys = root.entries().map(|(k, _)| k.as_str().unwrap_or_default());
    let all_compose = keys.all(|k| COMPOSE_TOP_KEYS.contains(&k) || k.starts_with("x-"));
    all_compose
        && (root.get("services").is_some() || root.get("include").is_some_and(Value::is_sequence))
}

/// An item of a typed list that does not repeat `apiVersion` and `kind`.
fn push_typed_item(
    file: &SourceFile,
    doc: u32,
    node: Value<'_>,
    (api_version, kind): (&str, &str),
    objects: &mut Vec<Object>,
) {
    push_object(file, doc, node, objects);
    if let Some(object) = objects.last_mut() {
        api_version.clone_into(&mut object.api_version);
        kind.clone_into(&mut object.kind);
    }
}

fn push_object(file: &SourceFile, doc: u32, node: Value<'_>, objects: &mut Vec<Object>) {
    let metadata = node.get("metadata");
    objects.push(Object {
        file: file.id,
        doc,
        node: node.id(),
        api_version: node.get_str("apiVersion").unwrap_or_default().to_owned(),
        kind: node.get_str("kind").unwrap_or_default().to_owned(),
        name: metadata
            .and_then(|m| m.get_str("name").or_else(|| m.get_str("generateName")))
            .map(str::to_owned),
        namespace: metadata
            .and_then(|m| m.get_str("namespace"))
            .map(str::to_owned),
    });
}
