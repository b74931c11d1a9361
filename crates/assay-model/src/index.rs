use crate::{Object, SourceFile};
use std::collections::BTreeMap;

/// Objects of one run by kind and by (kind, namespace, name), for rules that
/// look across objects. Built once; lookups never scan all documents.
#[derive(Debug, Default)]
pub struct Index {
    by_kind: BTreeMap<String, Vec<usize>>,
    by_name: BTreeMap<(String, String, String), usize>,
}

impl Index {
    pub(crate) fn build(_files: &[SourceFile], objects: &[Object]) -> Self {
        let mut index = Index::default();
        for (i, object) in objects.iter().enumerate() {
            index
                .by_kind
                .entry(object.kind.clone())
                .or_default()
                .push(i);
            if let Some(name) = &object.name {
                let ns = object.namespace.clone().unwrap_or_default();
                index
                    .by_name
                    .entry((object.kind.clone(), ns, name.clone()))
                    .or_insert(i);
            }
        }
        index
    }

    /// Positions (in `Model::objects`) of every object of `kind`.
    #[must_use]
    pub fn of_kind(&self, kind: &str) -> &[usize] {
        self.by_kind.get(kind).map_or(&[], Vec::as_slice)
    }

    /// The object of `kind` named `name` in `namespace` ("" when unset).
    #[must_use]
    pub fn find(&self, kind: &str, namespace: &str, name: &str) -> Option<usize> {
        self.by_name
            .get(&(kind.to_owned(), namespace.to_owned(), name.to_owned()))
            .copied()
    }

    /// Every kind seen, sorted.
    pub fn kinds(&self) -> impl Iterator<Item = (&str, usize)> {
        self.by_kind.iter().map(|(k, v)| (k.as_str(), v.len()))
    }
}
