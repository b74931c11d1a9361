//! The resolved compose tree: owned, because interpolation and merging create
//! values no file contains, and every node keeps the span where it was written
//! (override file, `extends` base, anchor definition).

use assay_span::FileSpan;
use assay_yaml::{ScalarStyle, Value};

/// A YAML tag compose gives meaning to while merging.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MergeTag {
    /// `!reset`: remove the value set by earlier files.
    Reset,
    /// `!override`: replace the earlier value instead of merging with it.
    Override,
}

/// One node of the resolved tree.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Where the value was written.
    pub at: FileSpan,
    pub kind: Kind,
    pub tag: Option<MergeTag>,
}

/// What a node holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// A scalar after interpolation; `plain` is false for quoted and block scalars.
    Scalar {
        text: String,
        plain: bool,
    },
    Map(Vec<Entry>),
    Seq(Vec<Node>),
}

/// One entry of a mapping, with where its key was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_at: FileSpan,
    pub value: Node,
}

impl Node {
    #[must_use]
    pub fn scalar(at: FileSpan, text: impl Into<String>) -> Self {
        Self {
            at,
            kind: Kind::Scalar {
                text: text.into(),
                plain: false,
            },
            tag: None,
        }
    }

    #[must_use]
    pub fn map(at: FileSpan, entries: Vec<Entry>) -> Self {
        Self {
            at,
            kind: Kind::Map(entries),
            tag: None,
        }
    }

    #[must_use]
    pub fn seq(at: FileSpan, items: Vec<Node>) -> Self {
        Self {
            at,
            kind: Kind::Seq(items),
            tag: None,
        }
    }

    /// The scalar text, for any scalar.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// A plain `null`, `~` or empty scalar (what `key:` gives).
    #[must_use]
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, Kind::Scalar { text, plain: true } if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// A YAML 1.2 boolean (`true`/`false`, as compose-go's YAML v3 decoder reads
    /// them), or a quoted `"true"`/`"false"` that compose also accepts.
    #[must_use]
    pub fn as_bool(&self) -> Option<bool> {
        match self.as_str()? {
            "true" | "True" | "TRUE" => Some(true),
            "false" | "False" | "FALSE" => Some(false),
            _ => None,
        }
    }

    #[must_use]
    pub fn is_map(&self) -> bool {
        matches!(self.kind, Kind::Map(_))
    }

    #[must_use]
    pub fn is_seq(&self) -> bool {
        matches!(self.kind, Kind::Seq(_))
    }

    /// Mapping entries (empty for anything else).
    #[must_use]
    pub fn entries(&self) -> &[Entry] {
        match &self.kind {
            Kind::Map(entries) => entries,
            _ => &[],
        }
    }

    /// Sequence items (empty for anything else).
    #[must_use]
    pub fn items(&self) -> &[Node] {
        match &self.kind {
            Kind::Seq(items) => items,
            _ => &[],
        }
    }

    #[must_use]
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries().iter().find(|e| e.key == key)
    }

    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// Follow a path of keys.
    #[must_use]
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    #[must_use]
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_str)
    }

    pub(crate) fn entries_mut(&mut self) -> Option<&mut Vec<Entry>> {
        match &mut self.kind {
            Kind::Map(entries) => Some(entries),
            _ => None,
        }
    }
}

/// Why a YAML tree could not be copied into a compose tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ConvertError {
    /// More nodes than the alias-expansion budget allows (a "billion laughs").
    TooLarge,
}

/// Copy a YAML tree into a compose tree: aliases followed (the copy keeps the
/// anchor's spans), `<<` merge keys applied, tags `!reset`/`!override` kept.
/// Iterative, and bounded by `budget` nodes so alias bombs stop.
pub(crate) fn convert(
    root: Value<'_>,
    file: assay_span::FileId,
    budget: usize,
) -> Result<Node, ConvertError> {
    enum Frame<'t> {
        Enter(Value<'t>),
        /// Build a mapping from the last `keys.len()` finished nodes.
        Map(Value<'t>, Vec<(String, FileSpan)>),
        Seq(Value<'t>, usize),
    }
    let mut remaining = budget;
    let mut stack = vec![Frame::Enter(root)];
    let mut done: Vec<Node> = Vec::new();
    while let Some(frame) = stack.pop() {
        match frame {
            Frame::Enter(value) => {
                remaining = remaining.checked_sub(1).ok_or(ConvertError::TooLarge)?;
                if value.is_mapping() {
                    let entries = value.merged_entries();
                    let keys = entries
                        .iter()
                        .map(|(k, _)| {
                            (
                                k.as_str().unwrap_or_default().to_owned(),
                                FileSpan::new(file, k.span()),
                            )
                        })
                        .collect();
                    stack.push(Frame::Map(value, keys));
                    stack.extend(entries.into_iter().rev().map(|(_, v)| Frame::Enter(v)));
                } else if value.is_sequence() {
                    stack.push(Frame::Seq(value, value.len()));
                    let items: Vec<_> = value.items().collect();
                    stack.extend(items.into_iter().rev().map(Frame::Enter));
                } else {
                    let (text, style) = value.as_scalar().unwrap_or(("", ScalarStyle::Plain));
                    let mut node = Node::scalar(span_of(value, file), text);
                    node.kind = Kind::Scalar {
                        text: text.to_owned(),
                        plain: style.is_plain(),
                    };
                    node.tag = merge_tag(value);
                    done.push(node);
                }
            }
            Frame::Map(value, keys) => {
                let values = done.split_off(done.len().saturating_sub(keys.len()));
                let entries = keys
                    .into_iter()
                    .zip(values)
                    .map(|((key, key_at), value)| Entry { key, key_at, value })
                    .collect();
                let mut node = Node::map(span_of(value, file), entries);
                node.tag = merge_tag(value);
                done.push(node);
            }
            Frame::Seq(value, len) => {
                let items = done.split_off(done.len().saturating_sub(len));
                let mut node = Node::seq(span_of(value, file), items);
                node.tag = merge_tag(value);
                done.push(node);
            }
        }
    }
    done.pop().ok_or(ConvertError::TooLarge)
}

/// The span of the node a value stands for: an alias points at its anchor's node.
fn span_of(value: Value<'_>, file: assay_span::FileId) -> FileSpan {
    let target = value.tree().value(value.tree().resolve(value.id()));
    FileSpan::new(file, target.span())
}

fn merge_tag(value: Value<'_>) -> Option<MergeTag> {
    let tree = value.tree();
    match tree.tag(value.id()).or_else(|| value.tag())? {
        "!reset" => Some(MergeTag::Reset),
        "!override" => Some(MergeTag::Override),
        _ => None,
    }
}
