use crate::decode::saturate;
use crate::tree::{Document, DuplicateKey, Node, NodeId, NodeKind, ScalarStyle, Tree};
use crate::{Limits, LoadError, LoadErrorKind};
use assay_span::{Pos, Span};
use saphyr_parser::{Event, Marker, Parser, ScalarStyle as SaphyrStyle, Tag};
use std::collections::HashMap;

/// An open mapping or sequence: where its children start on the pending stack.
struct Frame {
    node: NodeId,
    anchor: usize,
    children_from: usize,
}

/// Builds the arena from parser events with an explicit stack (no recursion).
struct Builder<'l> {
    text: &'l str,
    line_starts: Vec<usize>,
    tree: Tree,
    limits: &'l Limits,
    pending: Vec<NodeId>,
    frames: Vec<Frame>,
    anchors: HashMap<usize, NodeId>,
    doc_start: Pos,
    doc_root: Option<NodeId>,
}

fn pos(m: &Marker) -> Pos {
    Pos::new(saturate(m.line()), saturate(m.col() + 1))
}

fn style(s: SaphyrStyle) -> ScalarStyle {
    match s {
        SaphyrStyle::Plain => ScalarStyle::Plain,
        SaphyrStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        SaphyrStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        SaphyrStyle::Literal => ScalarStyle::Literal,
        SaphyrStyle::Folded => ScalarStyle::Folded,
    }
}

impl<'l> Builder<'l> {
    fn push_node(
        &mut self,
        span: Span,
        kind: NodeKind,
        tag: Option<&Tag>,
    ) -> Result<NodeId, LoadError> {
        if self.tree.nodes.len() >= self.limits.max_nodes {
            return Err(LoadError::limit(
                "max-nodes",
                self.limits.max_nodes as u64,
                span,
                "number of YAML nodes in this file",
            ));
        }
        let tag = match tag {
            Some(t) => {
                self.tree.tags.push(format!("{}{}", t.handle, t.suffix));
                saturate(self.tree.tags.len())
            }
            None => 0,
        };
        let id = NodeId(saturate(self.tree.nodes.len()));
        self.tree.nodes.push(Node::new(span, kind, tag));
        Ok(id)
    }

    /// Attach a finished node to its parent (or make it the document root).
    fn attach(&mut self, id: NodeId, anchor: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, id);
        }
        if self.frames.is_empty() {
            self.doc_root = Some(id);
        } else {
            self.pending.push(id);
        }
    }

    fn open(
        &mut self,
        span: Span,
        mapping: bool,
        anchor: usize,
        tag: Option<&Tag>,
    ) -> Result<(), LoadError> {
        if self.frames.len() >= self.limits.max_depth {
            return Err(LoadError::limit(
                "max-depth",
                self.limits.max_depth as u64,
                span,
                "nesting depth",
            ));
        }
        let kind = if mapping {
            NodeKind::Mapping {
                first: 0,
                len: 0,
                flow: false,
            }
        } else {
            NodeKind::Sequence {
                first: 0,
                len: 0,
                flow: false,
            }
        };
        let node = self.push_node(span, kind, tag)?;
        self.frames.push(Frame {
            node,
            anchor,
            children_from: self.pending.len(),
        });
        Ok(())
    }

    fn close(&mut self, end: Pos) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let first = saturate(self.tree.children.len());
        let children = self.pending.drain(frame.children_from..);
        let len = saturate(children.len());
        self.tree.children.extend(children);
        let idx = frame.node.0 as usize;
        let children_end = self
            .tree
            .children
            .last()
            .filter(|_| len > 0)
            .and_then(|c| self.tree.nodes.get(c.0 as usize))
            .map(|n| n.span.end);
        if let Some(node) = self.tree.nodes.get_mut(idx) {
            let flow = first_char_is_bracket(self.text, &self.line_starts, node.span.start);
            node.kind = match node.kind {
                NodeKind::Mapping { .. } => NodeKind::Mapping { first, len, flow },
                NodeKind::Sequence { .. } => NodeKind::Sequence { first, len, flow },
                other => other,
            };
            // A flow collection ends at its closing bracket; a block one where its
            // last child ends (the end event sits at the next token, maybe lines later).
            node.span.end = match (flow, children_end) {
                (false, Some(child_end)) => child_end,
                (false, None) => node.span.start,
                (true, _) => past_closing_bracket(self.text, &self.line_starts, end),
            }
            .max(node.span.start);
        }
        if matches!(
            self.tree.nodes.get(idx).map(|n| n.kind),
            Some(NodeKind::Mapping { .. })
        ) {
            self.check_duplicates(first, len);
        }
        self.attach(frame.node, frame.anchor);
    }

    fn check_duplicates(&mut self, first: u32, len: u32) {
        let keys: Vec<NodeId> = self
            .tree
            .children
            .get(first as usize..(first + len) as usize)
            .unwrap_or_default()
            .iter()
            .step_by(2)
            .copied()
            .collect();
        if keys.len() < 2 {
            return;
        }
        let mut seen: HashMap<&str, Span> = HashMap::with_capacity(keys.len());
        let mut found = Vec::new();
        for id in keys {
            let Some(node) = self.tree.nodes.get(id.0 as usize) else {
                continue;
            };
            let NodeKind::Scalar { start, len, style } = node.kind else {
                continue;
            };
            let text = self.tree.scalar_text(start, len);
            if style == ScalarStyle::Plain && text.is_empty() {
                continue;
            }
            if let Some(first_span) = seen.get(text) {
                found.push(DuplicateKey {
                    key: text.to_owned(),
                    first: *first_span,
                    duplicate: node.span,
                });
            } else {
                seen.insert(text, node.span);
            }
        }
        self.tree.duplicates.extend(found);
    }
}

/// Just past the closing bracket of a flow collection whose end event is at
/// `end`: saphyr puts the event on the bracket, or just past it when the
/// bracket is the last character of the input.
fn past_closing_bracket(text: &str, line_starts: &[usize], end: Pos) -> Pos {
    let line = (end.line as usize)
        .checked_sub(1)
        .and_then(|l| line_starts.get(l))
        .and_then(|&start| text.get(start..))
        .map_or("", |rest| rest.split('\n').next().unwrap_or_default());
    let char_at = |col: u32| {
        (col as usize)
            .checked_sub(1)
            .and_then(|i| line.chars().nth(i))
    };
    match (char_at(end.col), char_at(end.col.saturating_sub(1))) {
        (Some(']' | '}'), _) => Pos::new(end.line, end.col.saturating_add(1)),
        (_, Some(']' | '}')) => end,
        _ => {
            let line_end = u32::try_from(line.chars().count()).unwrap_or(u32::MAX);
            Pos::new(end.line, end.col.min(line_end.saturating_add(1)))
        }
    }
}

fn first_char_is_bracket(text: &str, line_starts: &[usize], at: Pos) -> bool {
    let Some(&line_start) = (at.line as usize)
        .checked_sub(1)
        .and_then(|l| line_starts.get(l))
    else {
        return false;
    };
    let rest = text.get(line_start..).unwrap_or_default();
    matches!(
        rest.chars().nth((at.col as usize).saturating_sub(1)),
        Some('{' | '[')
    )
}

/// How many under-indented closing brackets one file may have repaired.
const MAX_BRACKET_REPAIRS: usize = 256;

/// Parse decoded text into a tree of every document, with the problems met.
///
/// Parsing stops at the first syntax error or exceeded limit; documents
/// completed before it are kept.
///
/// One leniency, matching libyaml and go-yaml (what kubectl and docker compose
/// use): a closing `]` or `}` alone on a line may be indented no more than the
/// block that holds the flow collection. The YAML 1.2 spec and saphyr reject it
/// ("invalid indentation"); real, deployed files have it, so such a bracket is
/// re-read one column further right.
#[must_use]
pub fn parse(text: &str, limits: &Limits) -> (Tree, Vec<LoadError>) {
    let mut repaired: Option<String> = None;
    for _ in 0..=MAX_BRACKET_REPAIRS {
        let current = repaired.as_deref().unwrap_or(text);
        let (tree, errors) = parse_once(current, limits);
        match errors
            .first()
            .and_then(|e| under_indented_bracket(current, e))
        {
            Some(offset) => {
                let mut next = current.to_owned();
                next.insert(offset, ' ');
                repaired = Some(next);
            }
            None => return (tree, errors),
        }
    }
    parse_once(repaired.as_deref().unwrap_or(text), limits)
}

/// The byte offset of the closing bracket an "invalid indentation" error points at, if any.
fn under_indented_bracket(text: &str, error: &LoadError) -> Option<usize> {
    if error.kind != LoadErrorKind::Syntax || error.message != "invalid indentation" {
        return None;
    }
    let line_index = (error.span.start.line as usize).checked_sub(1)?;
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i == line_index {
            let indent = line.len() - line.trim_start_matches(' ').len();
            let rest = line.get(indent..)?;
            return rest.starts_with([']', '}']).then_some(offset + indent);
        }
        offset += line.len();
    }
    None
}

fn parse_once(text: &str, limits: &Limits) -> (Tree, Vec<LoadError>) {
    let mut line_starts = vec![0];
    line_starts.extend(
        text.bytes()
            .enumerate()
            .filter(|&(_, c)| c == b'\n')
            .map(|(i, _)| i + 1),
    );
    let mut b = Builder {
        text,
        line_starts,
        tree: Tree {
            max_alias_expansion: limits.max_alias_expansion,
            ..Tree::default()
        },
        limits,
        pending: Vec::new(),
        frames: Vec::new(),
        anchors: HashMap::new(),
        doc_start: Pos::new(1, 1),
        doc_root: None,
    };
    let mut errors = Vec::new();
    if let Err(err) = run(text, &mut b) {
        errors.push(err);
    }
    (b.tree, errors)
}

fn run(text: &str, b: &mut Builder<'_>) -> Result<(), LoadError> {
    let parser = Parser::new_from_str(text).keep_tags(true);
    for item in parser {
        let (event, span) = item.map_err(|e| {
            let at = Span::point(pos(e.marker()));
            if e.info().contains("recursion limit") {
                // The scanner's own guard against deep flow nesting.
                LoadError::limit(
                    "max-depth",
                    b.limits.max_depth as u64,
                    at,
                    "flow nesting depth",
                )
            } else {
                LoadError {
                    kind: LoadErrorKind::Syntax,
                    span: at,
                    message: e.info().to_owned(),
                }
            }
        })?;
        let sp = Span::new(pos(&span.start), pos(&span.end));
        match event {
            Event::DocumentStart(_) => {
                if b.tree.docs.len() >= b.limits.max_documents {
                    return Err(LoadError::limit(
                        "max-documents",
                        b.limits.max_documents as u64,
                        sp,
                        "number of documents in this stream",
                    ));
                }
                b.doc_start = sp.start;
                b.doc_root = None;
                b.anchors.clear();
            }
            Event::DocumentEnd => {
                if let Some(root) = b.doc_root.take() {
                    let end = b.tree.node(root).map_or(sp.end, |n| n.span.end);
                    let index = saturate(b.tree.docs.len());
                    b.tree.docs.push(Document {
                        root,
                        span: Span::new(b.doc_start, end),
                        index,
                    });
                }
            }
            Event::Scalar(value, st, anchor, tag) => {
                if value.len() > b.limits.max_scalar_bytes {
                    return Err(LoadError::limit(
                        "max-scalar-size",
                        b.limits.max_scalar_bytes as u64,
                        sp,
                        &format!("scalar of {} bytes", value.len()),
                    ));
                }
                let start = saturate(b.tree.strings.len());
                b.tree.strings.push_str(&value);
                let kind = NodeKind::Scalar {
                    start,
                    len: saturate(value.len()),
                    style: style(st),
                };
                let id = b.push_node(sp, kind, tag.as_deref())?;
                b.attach(id, anchor);
            }
            Event::Alias(anchor) => {
                let Some(&target) = b.anchors.get(&anchor) else {
                    return Err(LoadError {
                        kind: LoadErrorKind::Syntax,
                        span: sp,
                        message: "alias to an unknown anchor".to_owned(),
                    });
                };
                let id = b.push_node(sp, NodeKind::Alias { target }, None)?;
                b.attach(id, 0);
            }
            Event::MappingStart(anchor, tag) => b.open(sp, true, anchor, tag.as_deref())?,
            Event::SequenceStart(anchor, tag) => b.open(sp, false, anchor, tag.as_deref())?,
            Event::MappingEnd | Event::SequenceEnd => b.close(sp.end),
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
    }
    Ok(())
}
