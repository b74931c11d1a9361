//! Merging compose trees the way Docker Compose does (compose-go
//! `override/merge.go` and `override/uncity.go`, the Compose Specification
//! "Merge and override"): mappings merge key by key, sequences append, a few
//! fields replace or merge by their own rule, `!reset` removes and `!override`
//! replaces. The merged tree keeps each value's own span.

use crate::value::{Entry, Kind, MergeTag, Node};
use assay_span::FileSpan;

/// Two values of different shapes at the same path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct MergeError {
    pub(crate) at: FileSpan,
    pub(crate) path: String,
}

/// How a field merges, by its path (`*` matches any one key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    /// The later value replaces the earlier one.
    Replace,
    /// Both become sequences (`KEY=VALUE` for mappings) and are appended.
    ToSequence,
    /// Appended, entries already present dropped.
    ExtraHosts,
    /// A short string becomes `{context: …}`, then mappings merge.
    Build,
    /// A list of names becomes a mapping (with `condition`/`required` defaults for `depends_on`).
    ToMapping { depends_on: bool },
    /// Options merge only when both use the same driver.
    Logging,
}

const RULES: &[(&str, Rule)] = &[
    ("networks.*.labels", Rule::ToSequence),
    ("volumes.*.labels", Rule::ToSequence),
    ("services.*.annotations", Rule::ToSequence),
    ("services.*.build", Rule::Build),
    ("services.*.build.args", Rule::ToSequence),
    ("services.*.build.additional_contexts", Rule::ToSequence),
    ("services.*.build.extra_hosts", Rule::ExtraHosts),
    ("services.*.build.labels", Rule::ToSequence),
    ("services.*.command", Rule::Replace),
    (
        "services.*.depends_on",
        Rule::ToMapping { depends_on: true },
    ),
    ("services.*.deploy.labels", Rule::ToSequence),
    ("services.*.dns", Rule::ToSequence),
    ("services.*.dns_opt", Rule::ToSequence),
    ("services.*.dns_search", Rule::ToSequence),
    ("services.*.entrypoint", Rule::Replace),
    ("services.*.env_file", Rule::ToSequence),
    ("services.*.label_file", Rule::ToSequence),
    ("services.*.environment", Rule::ToSequence),
    ("services.*.extra_hosts", Rule::ExtraHosts),
    ("services.*.healthcheck.test", Rule::Replace),
    ("services.*.labels", Rule::ToSequence),
    ("services.*.volumes.*.volume.labels", Rule::ToSequence),
    ("services.*.logging", Rule::Logging),
    ("services.*.models", Rule::ToMapping { depends_on: false }),
    ("services.*.networks", Rule::ToMapping { depends_on: false }),
    ("services.*.sysctls", Rule::ToSequence),
    ("services.*.tmpfs", Rule::ToSequence),
    ("services.*.ulimits.*", Rule::Replace),
];

fn matches(pattern: &str, path: &[String]) -> bool {
    let mut parts = pattern.split('.');
    let mut count = 0;
    for (segment, key) in parts.by_ref().zip(path) {
        count += 1;
        if segment != "*" && segment != key {
            return false;
        }
    }
    count == path.len() && pattern.split('.').count() == path.len()
}

fn rule_for(path: &[String]) -> Option<Rule> {
    RULES
        .iter()
        .find(|(pattern, _)| matches(pattern, path))
        .map(|(_, rule)| *rule)
}

/// Remove every `!reset` node from a tree that has nothing to merge with.
pub(crate) fn strip_resets(node: Node) -> Option<Node> {
    if node.tag == Some(MergeTag::Reset) {
        return None;
    }
    Some(map_children(node, strip_resets))
}

fn map_children(mut node: Node, f: impl Fn(Node) -> Option<Node> + Copy) -> Node {
    node.kind = match node.kind {
        Kind::Map(entries) => Kind::Map(
            entries
                .into_iter()
                .filter_map(|e| {
                    Some(Entry {
                        value: f(e.value)?,
                        ..e
                    })
                })
                .collect(),
        ),
        Kind::Seq(items) => Kind::Seq(items.into_iter().filter_map(f).collect()),
        scalar => scalar,
    };
    node
}

/// Merge `over` onto `base` at `path`; `None` when `over` is `!reset`.
pub(crate) fn merge(
    base: Node,
    over: Node,
    path: &mut Vec<String>,
) -> Result<Option<Node>, MergeError> {
    match over.tag {
        Some(MergeTag::Reset) => return Ok(None),
        Some(MergeTag::Override) => return Ok(strip_resets(over)),
        None => {}
    }
    let merged = match rule_for(path) {
        Some(Rule::Replace) => return Ok(strip_resets(over)),
        Some(Rule::ToSequence) => {
            let at = over.at;
            let mut items = to_sequence(base);
            items.extend(to_sequence(over));
            Node::seq(at, items)
        }
        Some(Rule::ExtraHosts) => {
            let at = over.at;
            let mut items = to_sequence(base);
            for item in to_sequence(over) {
                if !items.iter().any(|i| i.as_str() == item.as_str()) {
                    items.push(item);
                }
            }
            Node::seq(at, items)
        }
        Some(Rule::Build) => merge_maps(build_map(base), build_map(over), path)?,
        Some(Rule::ToMapping { depends_on }) => merge_maps(
            to_mapping(base, depends_on),
            to_mapping(over, depends_on),
            path,
        )?,
        Some(Rule::Logging) => {
            let (a, b) = (base.get_str("driver"), over.get_str("driver"));
            if a.is_none() || b.is_none() || a == b {
                merge_maps(base, over, path)?
            } else {
                return Ok(strip_resets(over));
            }
        }
        None => match (&base.kind, &over.kind) {
            (Kind::Map(_), Kind::Map(_)) => merge_maps(base, over, path)?,
            (Kind::Seq(_), Kind::Seq(_)) => {
                let at = over.at;
                let mut items = into_items(base);
                items.extend(into_items(over).into_iter().filter_map(strip_resets));
                Node::seq(at, items)
            }
            (Kind::Map(_), _) | (Kind::Seq(_), _) if !over.is_null() => {
                return Err(MergeError {
                    at: over.at,
                    path: path.join("."),
                });
            }
            (Kind::Map(_) | Kind::Seq(_), _) => base,
            _ => return Ok(strip_resets(over)),
        },
    };
    Ok(Some(merged))
}

fn into_items(node: Node) -> Vec<Node> {
    match node.kind {
        Kind::Seq(items) => items,
        _ => Vec::new(),
    }
}

fn merge_maps(base: Node, over: Node, path: &mut Vec<String>) -> Result<Node, MergeError> {
    let at = base.at;
    let tag = base.tag;
    let mut entries = match base.kind {
        Kind::Map(entries) => entries,
        _ => Vec::new(),
    };
    let over_entries = match over.kind {
        Kind::Map(entries) => entries,
        _ => Vec::new(),
    };
    for entry in over_entries {
        match entries.iter().position(|e| e.key == entry.key) {
            None => {
                if let Some(value) = strip_resets(entry.value) {
                    entries.push(Entry { value, ..entry });
                }
            }
            Some(index) => {
                let existing = entries.remove(index);
                path.push(entry.key.clone());
                let merged = merge(existing.value, entry.value, path);
                path.pop();
                if let Some(value) = merged? {
                    entries.insert(
                        index,
                        Entry {
                            key: entry.key,
                            key_at: entry.key_at,
                            value,
                        },
                    );
                }
            }
        }
    }
    let mut node = Node::map(at, entries);
    node.tag = tag;
    Ok(node)
}

fn build_map(node: Node) -> Node {
    match node.kind {
        Kind::Scalar { .. } => {
            let at = node.at;
            Node::map(
                at,
                vec![Entry {
                    key: "context".to_owned(),
                    key_at: at,
                    value: node,
                }],
            )
        }
        _ => node,
    }
}

/// `[a, b]` → `{a: …, b: …}`; `depends_on` entries get compose's defaults.
pub(crate) fn to_mapping(node: Node, depends_on: bool) -> Node {
    let at = node.at;
    match node.kind {
        Kind::Seq(items) => Node::map(
            at,
            items
                .into_iter()
                .map(|item| {
                    let key = item.as_str().unwrap_or_default().to_owned();
                    let value = if depends_on {
                        Node::map(
                            item.at,
                            vec![
                                Entry {
                                    key: "condition".to_owned(),
                                    key_at: item.at,
                                    value: Node::scalar(item.at, "service_started"),
                                },
                                Entry {
                                    key: "required".to_owned(),
                                    key_at: item.at,
                                    value: plain(item.at, "true"),
                                },
                            ],
                        )
                    } else {
                        plain(item.at, "")
                    };
                    Entry {
                        key,
                        key_at: item.at,
                        value,
                    }
                })
                .collect(),
        ),
        _ => node,
    }
}

fn plain(at: FileSpan, text: &str) -> Node {
    Node {
        at,
        kind: Kind::Scalar {
            text: text.to_owned(),
            plain: true,
        },
        tag: None,
    }
}

/// `{KEY: value}` → `["KEY=value"]` (sorted, as compose-go does); a null value
/// gives `KEY`. Each item keeps the span of the value (the key when null).
pub(crate) fn to_sequence(node: Node) -> Vec<Node> {
    match node.kind {
        Kind::Seq(items) => items,
        Kind::Map(entries) => {
            let mut items: Vec<Node> = Vec::new();
            for entry in entries {
                if entry.value.is_null() {
                    items.push(Node::scalar(entry.key_at, entry.key));
                } else if entry.value.is_seq() {
                    for value in entry.value.items() {
                        let text = format!("{}={}", entry.key, value.as_str().unwrap_or_default());
                        items.push(Node::scalar(value.at, text));
                    }
                } else {
                    let text =
                        format!("{}={}", entry.key, entry.value.as_str().unwrap_or_default());
                    items.push(Node::scalar(entry.value.at, text));
                }
            }
            items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
            items
        }
        Kind::Scalar { .. } => vec![node],
    }
}

/// How entries of a sequence are identified when a later one redefines an
/// earlier one (compose-go `EnforceUnicity`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Identity {
    /// `KEY=VALUE` items by `KEY`, plain strings by themselves.
    KeyValue,
    /// Mounts by target (`volumes`).
    VolumeTarget,
    /// `secrets` / `configs` by target, defaulting to `<dir>/<source>`.
    Mount(&'static str),
    /// Ports by their whole short form, or host IP, published, target, protocol.
    Port,
    /// `env_file` by path.
    EnvFile,
    /// `devices` by container path.
    Device,
    /// `expose` by value.
    Whole,
}

const UNIQUE: &[(&str, Identity)] = &[
    ("networks.*.labels", Identity::KeyValue),
    ("networks.*.ipam.options", Identity::KeyValue),
    ("services.*.annotations", Identity::KeyValue),
    ("services.*.build.args", Identity::KeyValue),
    ("services.*.build.additional_contexts", Identity::KeyValue),
    ("services.*.build.platform", Identity::KeyValue),
    ("services.*.build.tags", Identity::KeyValue),
    ("services.*.build.labels", Identity::KeyValue),
    ("services.*.cap_add", Identity::KeyValue),
    ("services.*.cap_drop", Identity::KeyValue),
    ("services.*.configs", Identity::Mount("")),
    ("services.*.deploy.labels", Identity::KeyValue),
    ("services.*.dns", Identity::KeyValue),
    ("services.*.dns_opt", Identity::KeyValue),
    ("services.*.dns_search", Identity::KeyValue),
    ("services.*.environment", Identity::KeyValue),
    ("services.*.env_file", Identity::EnvFile),
    ("services.*.expose", Identity::Whole),
    ("services.*.labels", Identity::KeyValue),
    ("services.*.links", Identity::KeyValue),
    ("services.*.networks.*.aliases", Identity::KeyValue),
    ("services.*.networks.*.link_local_ips", Identity::KeyValue),
    ("services.*.ports", Identity::Port),
    ("services.*.profiles", Identity::KeyValue),
    ("services.*.secrets", Identity::Mount("/run/secrets")),
    ("services.*.sysctls", Identity::KeyValue),
    ("services.*.tmpfs", Identity::KeyValue),
    ("services.*.volumes", Identity::VolumeTarget),
    ("services.*.devices", Identity::Device),
];

fn identity(kind: Identity, item: &Node) -> String {
    let text = item.as_str();
    match (kind, text) {
        (Identity::KeyValue, Some(t)) => t.split_once('=').map_or(t, |(k, _)| k).to_owned(),
        (Identity::Whole | Identity::EnvFile, Some(t)) => t.to_owned(),
        (Identity::EnvFile, None) => item.get_str("path").unwrap_or_default().to_owned(),
        (Identity::VolumeTarget, Some(t)) => crate::syntax::parse_volume(t)
            .map(|v| v.target)
            .unwrap_or_default(),
        (Identity::VolumeTarget | Identity::Device, None) => {
            item.get_str("target").unwrap_or_default().to_owned()
        }
        (Identity::Device, Some(t)) => {
            let parts: Vec<&str> = t.split(':').collect();
            parts
                .get(1)
                .or(parts.first())
                .copied()
                .unwrap_or_default()
                .to_owned()
        }
        (Identity::Mount(dir), Some(t)) => format!("{dir}/{t}"),
        (Identity::Mount(dir), None) => item.get_str("target").map_or_else(
            || format!("{dir}/{}", item.get_str("source").unwrap_or_default()),
            str::to_owned,
        ),
        (Identity::Port, Some(t)) => t.to_owned(),
        (Identity::Port, None) => format!(
            "{}:{}:{}/{}",
            item.get_str("host_ip").unwrap_or("0.0.0.0"),
            item.get_str("published").unwrap_or_default(),
            item.get_str("target").unwrap_or_default(),
            item.get_str("protocol").unwrap_or("tcp"),
        ),
        (Identity::KeyValue | Identity::Whole, None) => String::new(),
    }
}

/// A later entry that redefines an earlier one takes its place (compose-go
/// `EnforceUnicity`), applied to every path listed in [`UNIQUE`].
pub(crate) fn enforce_unicity(node: &mut Node) {
    let mut stack: Vec<(&mut Node, Vec<String>)> = vec![(node, Vec::new())];
    while let Some((node, path)) = stack.pop() {
        match &mut node.kind {
            Kind::Map(entries) => {
                for entry in entries.iter_mut() {
                    let mut child = path.clone();
                    child.push(entry.key.clone());
                    // Only the first few levels carry unique sequences.
                    if child.len() <= 5 {
                        stack.push((&mut entry.value, child));
                    }
                }
            }
            Kind::Seq(items) => {
                let Some(kind) = UNIQUE
                    .iter()
                    .find(|(pattern, _)| matches(pattern, &path))
                    .map(|(_, kind)| *kind)
                else {
                    continue;
                };
                let mut kept: Vec<(String, Node)> = Vec::with_capacity(items.len());
                for item in std::mem::take(items) {
                    let id = identity(kind, &item);
                    match kept.iter_mut().find(|(k, _)| *k == id) {
                        Some(slot) => slot.1 = item,
                        None => kept.push((id, item)),
                    }
                }
                *items = kept.into_iter().map(|(_, item)| item).collect();
            }
            Kind::Scalar { .. } => {}
        }
    }
}
