use assay_span::Span;

/// Index of a node in a [`Tree`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u32);

impl NodeId {
    fn index(self) -> usize {
        self.0 as usize
    }
}

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

impl ScalarStyle {
    /// Quoted and block scalars are always strings, whatever they contain.
    #[must_use]
    pub fn is_plain(self) -> bool {
        matches!(self, ScalarStyle::Plain)
    }
}

/// What a node is. Children live in the tree's shared child list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    Scalar {
        start: u32,
        len: u32,
        style: ScalarStyle,
    },
    /// Keys and values alternate in the child list.
    Mapping {
        first: u32,
        len: u32,
        flow: bool,
    },
    Sequence {
        first: u32,
        len: u32,
        flow: bool,
    },
    /// A reference to the anchored node; never copied.
    Alias {
        target: NodeId,
    },
}

/// One node: where it was written and what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Node {
    pub span: Span,
    pub kind: NodeKind,
    /// Index + 1 into the tree's tag list; 0 when untagged.
    tag: u32,
}

impl Node {
    pub(crate) fn new(span: Span, kind: NodeKind, tag: u32) -> Self {
        Self { span, kind, tag }
    }
}

/// One document of a YAML stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Document {
    pub root: NodeId,
    pub span: Span,
    /// 0-based position of the document in the stream.
    pub index: u32,
}

/// A key written twice in one mapping. The later value is what most readers keep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateKey {
    pub key: String,
    pub first: Span,
    pub duplicate: Span,
}

/// Every document of one file, in one arena.
#[derive(Debug, Default)]
pub struct Tree {
    pub(crate) nodes: Vec<Node>,
    pub(crate) children: Vec<NodeId>,
    pub(crate) strings: String,
    pub(crate) tags: Vec<String>,
    pub(crate) docs: Vec<Document>,
    pub(crate) duplicates: Vec<DuplicateKey>,
    pub(crate) max_alias_expansion: usize,
}

impl Tree {
    #[must_use]
    pub fn documents(&self) -> &[Document] {
        &self.docs
    }

    #[must_use]
    pub fn duplicate_keys(&self) -> &[DuplicateKey] {
        &self.duplicates
    }

    #[must_use]
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The limit a walk that follows aliases must respect (see [`crate::Limits`]).
    #[must_use]
    pub fn max_alias_expansion(&self) -> usize {
        self.max_alias_expansion
    }

    #[must_use]
    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id.index())
    }

    /// A view of `id` with ergonomic accessors.
    #[must_use]
    pub fn value(&self, id: NodeId) -> Value<'_> {
        Value { tree: self, id }
    }

    /// The tag written on a node (`!!str`, `!reset`), if any.
    #[must_use]
    pub fn tag(&self, id: NodeId) -> Option<&str> {
        let node = self.node(id)?;
        let idx = usize::try_from(node.tag).ok()?.checked_sub(1)?;
        self.tags.get(idx).map(String::as_str)
    }

    /// Follow an alias to the node it names (aliases never point at aliases).
    #[must_use]
    pub fn resolve(&self, id: NodeId) -> NodeId {
        match self.node(id).map(|n| n.kind) {
            Some(NodeKind::Alias { target }) => target,
            _ => id,
        }
    }

    fn children_of(&self, first: u32, len: u32) -> &[NodeId] {
        let start = first as usize;
        self.children
            .get(start..start + len as usize)
            .unwrap_or_default()
    }

    pub(crate) fn scalar_text(&self, start: u32, len: u32) -> &str {
        let start = start as usize;
        self.strings
            .get(start..start + len as usize)
            .unwrap_or_default()
    }
}

/// A node in its tree, with accessors that follow aliases and `<<` merge keys.
#[derive(Clone, Copy, Debug)]
pub struct Value<'t> {
    tree: &'t Tree,
    id: NodeId,
}

impl<'t> Value<'t> {
    #[must_use]
    pub fn tree(self) -> &'t Tree {
        self.tree
    }

    /// The node id as written (an alias stays an alias here).
    #[must_use]
    pub fn id(self) -> NodeId {
        self.id
    }

    /// Where the node was written. For an alias, the alias itself (`*name`).
    #[must_use]
    pub fn span(self) -> Span {
        self.tree.node(self.id).map(|n| n.span).unwrap_or_default()
    }

    fn target(self) -> Option<&'t Node> {
        self.tree.node(self.tree.resolve(self.id))
    }

    /// `true` when this node is an alias (`*name`).
    #[must_use]
    pub fn is_alias(self) -> bool {
        matches!(
            self.tree.node(self.id).map(|n| n.kind),
            Some(NodeKind::Alias { .. })
        )
    }

    #[must_use]
    pub fn tag(self) -> Option<&'t str> {
        self.tree.tag(self.tree.resolve(self.id))
    }

    /// The scalar's text, for any scalar style.
    #[must_use]
    pub fn as_scalar(self) -> Option<(&'t str, ScalarStyle)> {
        match self.target()?.kind {
            NodeKind::Scalar { start, len, style } => {
                Some((self.tree.scalar_text(start, len), style))
            }
            _ => None,
        }
    }

    /// The scalar's text when it is a scalar.
    #[must_use]
    pub fn as_str(self) -> Option<&'t str> {
        self.as_scalar().map(|(s, _)| s)
    }

    #[must_use]
    pub fn is_mapping(self) -> bool {
        matches!(
            self.target().map(|n| n.kind),
            Some(NodeKind::Mapping { .. })
        )
    }

    #[must_use]
    pub fn is_sequence(self) -> bool {
        matches!(
            self.target().map(|n| n.kind),
            Some(NodeKind::Sequence { .. })
        )
    }

    /// A plain empty scalar or `~`/`null` written plain (what `key:` gives).
    #[must_use]
    pub fn is_null(self) -> bool {
        matches!(self.as_scalar(), Some((s, ScalarStyle::Plain)) if matches!(s, "" | "~" | "null" | "Null" | "NULL"))
    }

    /// Items of a sequence (empty for anything else).
    #[must_use]
    pub fn items(self) -> impl ExactSizeIterator<Item = Value<'t>> + 't {
        let ids: &'t [NodeId] = match self.target().map(|n| n.kind) {
            Some(NodeKind::Sequence { first, len, .. }) => self.tree.children_of(first, len),
            _ => &[],
        };
        let tree = self.tree;
        ids.iter().map(move |&id| Value { tree, id })
    }

    /// Entries of a mapping as written, `<<` merge entries included, in order.
    pub fn entries(self) -> impl Iterator<Item = (Value<'t>, Value<'t>)> + 't {
        let ids: &'t [NodeId] = match self.target().map(|n| n.kind) {
            Some(NodeKind::Mapping { first, len, .. }) => self.tree.children_of(first, len),
            _ => &[],
        };
        let tree = self.tree;
        ids.chunks_exact(2).map(move |kv| match *kv {
            [k, v] => (Value { tree, id: k }, Value { tree, id: v }),
            _ => unreachable_pair(tree),
        })
    }

    /// Number of entries written directly in a mapping.
    #[must_use]
    pub fn len(self) -> usize {
        match self.target().map(|n| n.kind) {
            Some(NodeKind::Mapping { len, .. }) => len as usize / 2,
            Some(NodeKind::Sequence { len, .. }) => len as usize,
            _ => 0,
        }
    }

    #[must_use]
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// Look a key up, with YAML merge keys: an entry written in the mapping wins
    /// over one merged in with `<<`; among merged mappings, the first listed wins.
    /// Returns the key node and the value node.
    #[must_use]
    pub fn entry(self, key: &str) -> Option<(Value<'t>, Value<'t>)> {
        let mut budget = self.tree.max_alias_expansion.max(1);
        self.entry_bounded(key, &mut budget, 0)
    }

    fn entry_bounded(
        self,
        key: &str,
        budget: &mut usize,
        depth: usize,
    ) -> Option<(Value<'t>, Value<'t>)> {
        // Merge chains nest at most this deep; deeper chains are ignored, not followed.
        const MAX_MERGE_DEPTH: usize = 32;
        let mut merges = Vec::new();
        for (k, v) in self.entries() {
            *budget = budget.checked_sub(1)?;
            match k.as_scalar() {
                Some((text, _)) if text == key => return Some((k, v)),
                Some(("<<", ScalarStyle::Plain)) => merges.push(v),
                _ => {}
            }
        }
        if depth >= MAX_MERGE_DEPTH {
            return None;
        }
        for merged in merges {
            if merged.is_sequence() {
                for source in merged.items() {
                    if let Some(found) = source.entry_bounded(key, budget, depth + 1) {
                        return Some(found);
                    }
                }
            } else if let Some(found) = merged.entry_bounded(key, budget, depth + 1) {
                return Some(found);
            }
        }
        None
    }

    /// The value under `key` (see [`Value::entry`]).
    #[must_use]
    pub fn get(self, key: &str) -> Option<Value<'t>> {
        self.entry(key).map(|(_, v)| v)
    }

    /// Follow a path of keys.
    #[must_use]
    pub fn path(self, keys: &[&str]) -> Option<Value<'t>> {
        keys.iter().try_fold(self, |v, k| v.get(k))
    }

    /// The string under `key`, if it is a scalar.
    #[must_use]
    pub fn get_str(self, key: &str) -> Option<&'t str> {
        self.get(key).and_then(Value::as_str)
    }

    /// Every key of the mapping with merges applied, in first-seen order,
    /// each key once (written entries first, then merged ones).
    #[must_use]
    pub fn merged_entries(self) -> Vec<(Value<'t>, Value<'t>)> {
        let mut out: Vec<(Value<'t>, Value<'t>)> = Vec::new();
        let mut budget = self.tree.max_alias_expansion.max(1);
        let mut stack = vec![(self, 0usize)];
        let mut merge_sources = Vec::new();
        while let Some((map, depth)) = stack.pop() {
            merge_sources.clear();
            for (k, v) in map.entries() {
                if budget == 0 {
                    return out;
                }
                budget -= 1;
                match k.as_scalar() {
                    Some(("<<", ScalarStyle::Plain)) => merge_sources.push(v),
                    Some((text, _)) => {
                        if !out.iter().any(|(seen, _)| seen.as_str() == Some(text)) {
                            out.push((k, v));
                        }
                    }
                    None => out.push((k, v)),
                }
            }
            if depth < 32 {
                // Reverse so the first listed merge source is visited first.
                for source in merge_sources.iter().rev() {
                    if source.is_sequence() {
                        let items: Vec<_> = source.items().collect();
                        stack.extend(items.into_iter().rev().map(|m| (m, depth + 1)));
                    } else {
                        stack.push((*source, depth + 1));
                    }
                }
            }
        }
        out
    }
}

#[cold]
fn unreachable_pair<'t>(tree: &'t Tree) -> (Value<'t>, Value<'t>) {
    // chunks_exact(2) only yields pairs; keep a total function without panicking.
    let id = NodeId(0);
    (Value { tree, id }, Value { tree, id })
}
