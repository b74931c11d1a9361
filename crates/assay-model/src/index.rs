use crate::object::pod_metadata_of;
use crate::{Object, SourceFile, labels_of};
use std::collections::BTreeMap;

/// Objects of one run by kind, by (kind, namespace, name) and by label, for
/// rules that look across objects. Built once; lookups never scan all documents.
#[derive(Debug, Default)]
pub struct Index {
    by_kind: BTreeMap<String, Vec<usize>>,
    by_name: BTreeMap<(String, String, String), usize>,
    /// (namespace, label key, label value) → objects whose pods carry that label
    /// (a workload's pod-template labels, a Pod's own labels).
    by_pod_label: BTreeMap<(String, String, String), Vec<usize>>,
}

impl Index {
    pub(crate) fn build(files: &[SourceFile], objects: &[Object]) -> Self {
        let mut index = Index::default();
        for (i, object) in objects.iter().enumerate() {
            index
                .by_kind
                .entry(object.kind.clone())
                .or_default()
                .push(i);
            let ns = object.namespace.clone().unwrap_or_default();
            if let Some(name) = &object.name {
                index
                    .by_name
                    .entry((object.kind.clone(), ns.clone(), name.clone()))
                    .or_insert(i);
            }
            let Some(file) = files.get(object.file.0 as usize) else {
                continue;
            };
            let root = file.tree.value(object.node);
            for (k, v) in labels_of(pod_metadata_of(&object.kind, root)) {
                index
                    .by_pod_label
                    .entry((ns.clone(), k.to_owned(), v.to_owned()))
                    .or_default()
                    .push(i);
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

    /// Workloads in `namespace` whose pods carry every `key=value` of `selector`
    /// (a Service selector, a `matchLabels`). Sorted, no duplicates.
    #[must_use]
    pub fn pods_matching(&self, namespace: &str, selector: &[(&str, &str)]) -> Vec<usize> {
        let mut sets = selector.iter().map(|(k, v)| {
            self.by_pod_label
                .get(&(namespace.to_owned(), (*k).to_owned(), (*v).to_owned()))
                .map_or(&[][..], Vec::as_slice)
        });
        let Some(first) = sets.next() else {
            return Vec::new();
        };
        let mut result: Vec<usize> = first.to_vec();
        for set in sets {
            result.retain(|i| set.contains(i));
        }
        result.sort_unstable();
        result.dedup();
        result
    }

    /// Every kind seen, sorted, with its count.
    pub fn kinds(&self) -> impl Iterator<Item = (&str, usize)> {
        self.by_kind.iter().map(|(k, v)| (k.as_str(), v.len()))
    }
}
