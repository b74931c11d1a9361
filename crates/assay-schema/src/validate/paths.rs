//! JSON paths of the nodes visited (`spec.containers[0].image`); keys are
//! input text, quoted with [`assay_diagnostics::plain`].

use assay_diagnostics::plain;

/// One step of a JSON path.
#[derive(Clone, Copy, Debug)]
pub(super) enum Seg<'t> {
    Root,
    Key(&'t str),
    Index(usize),
}

pub(super) struct Paths<'t> {
    pub(super) nodes: Vec<(u32, Seg<'t>)>,
}

impl<'t> Paths<'t> {
    pub(super) fn push(&mut self, parent: u32, seg: Seg<'t>) -> u32 {
        let id = u32::try_from(self.nodes.len()).unwrap_or(u32::MAX);
        self.nodes.push((parent, seg));
        id
    }

    /// (last key, the key above it), indices skipped for the parent.
    /// The keys from `id` up to the root (innermost first).
    pub(super) fn keys(&self, mut id: u32) -> Vec<&'t str> {
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

    pub(super) fn field_and_parent(&self, id: u32) -> (String, String) {
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

    pub(super) fn render(&self, mut id: u32) -> String {
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
                    out.push_str(&plain(k).to_string());
                }
                Seg::Key(k) => {
                    out.push_str("[\"");
                    out.push_str(&plain(k).to_string());
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

pub(super) fn is_plain_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$')
}

/// `a.b` + `c[0]` = `a.b.c[0]`.
pub(super) fn join_path(base: &str, rel: &str) -> String {
    match (base, rel) {
        (_, "<root>") => base.to_owned(),
        ("<root>", _) => rel.to_owned(),
        (_, r) if r.starts_with('[') => format!("{base}{rel}"),
        _ => format!("{base}.{rel}"),
    }
}
