//! The deliverable graph: every reference between objects resolved once,
//! with spans, and the NetworkPolicy analyses built on it (`connectivity`,
//! `diagnose`). Built once per run; rules, `assay connectivity` and
//! `assay diagnose` share it.

pub mod connectivity;
pub mod diagnose;
pub mod ip;
pub mod output;
pub mod policy;
pub mod ports;
mod refs;
pub mod workload;

pub use connectivity::{Connection, Connectivity, Endpoint};
pub use policy::{Invalid, Peer, Policy, PolicyPort, PolicyRule};
pub use ports::{ConnSet, PortSet, Protocol};
pub use refs::{BudgetLink, IngressRoute, Reference, ScaleLink, ServiceNode};
pub use workload::{ContainerPort, Workload};

use assay_model::{Model, NamespaceView, labels_of};
use std::collections::BTreeMap;

/// The label the API server sets on every Namespace (GA in 1.22).
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// Every resolved reference of one deliverable.
#[derive(Debug)]
pub struct Graph<'m> {
    pub model: &'m Model,
    /// Sorted by id (`namespace/name[Kind]`).
    pub workloads: Vec<Workload<'m>>,
    pub services: Vec<ServiceNode<'m>>,
    pub ingress_routes: Vec<IngressRoute<'m>>,
    pub scale_links: Vec<ScaleLink<'m>>,
    pub budgets: Vec<BudgetLink<'m>>,
    pub references: Vec<Reference<'m>>,
    /// NetworkPolicies the API server would accept.
    pub policies: Vec<Policy<'m>>,
    /// Why the others would be rejected; they take no part in the analysis.
    pub invalid_policies: Vec<Invalid>,
    /// Labels of each namespace written as a Namespace object, without the
    /// automatic name label.
    namespace_labels: BTreeMap<String, Vec<(&'m str, &'m str)>>,
    /// (address of a workload's first object, position in `workloads`),
    /// sorted: per-object lookups without a scan.
    workload_by_object: Vec<(usize, usize)>,
    /// For each workload, the Services selecting it (positions in `services`).
    services_by_workload: Vec<Vec<usize>>,
    /// (address of a found scale target, position in `scale_links`), sorted.
    scale_by_target: Vec<(usize, usize)>,
}

/// The address of an object, the key of the lookup tables (never iterated
/// in address order, so output does not depend on it).
fn address(object: &assay_model::Object) -> usize {
    std::ptr::from_ref(object).addr()
}

impl<'m> Graph<'m> {
    #[must_use]
    pub fn build(model: &'m Model) -> Self {
        let workloads = workload::collect(model);
        let services = refs::services(model, &workloads);
        let ingress_routes = refs::ingress_routes(model, &services);
        let scale_links = refs::scale_links(model);
        let budgets = refs::budget_links(model, &workloads);
        let references = refs::references(model, &workloads);
        let mut policies = Vec::new();
        let mut invalid_policies = Vec::new();
        for object in model.object_views() {
            if object.kind() != "NetworkPolicy" {
                continue;
            }
            let (policy, problems) = policy::read(object);
            policies.extend(policy);
            invalid_policies.extend(problems);
        }
        let namespace_labels = model
            .object_views()
            .filter_map(NamespaceView::new)
            .filter_map(|ns| {
                let name = ns.object.object.name.clone()?;
                Some((name, labels_of(ns.object.metadata())))
            })
            .collect();
        let mut workload_by_object: Vec<(usize, usize)> = workloads
            .iter()
            .enumerate()
            .filter_map(|(i, w)| Some((address(w.object()?.object), i)))
            .collect();
        workload_by_object.sort_unstable();
        let mut services_by_workload = vec![Vec::new(); workloads.len()];
        for (s, service) in services.iter().enumerate() {
            for &w in &service.selected {
                if let Some(list) = services_by_workload.get_mut(w) {
                    list.push(s);
                }
            }
        }
        let mut scale_by_target: Vec<(usize, usize)> = scale_links
            .iter()
            .enumerate()
            .filter_map(|(i, l)| Some((address(l.found?.object), i)))
            .collect();
        scale_by_target.sort_unstable();
        Graph {
            model,
            workloads,
            services,
            ingress_routes,
            scale_links,
            budgets,
            references,
            policies,
            invalid_policies,
            namespace_labels,
            workload_by_object,
            services_by_workload,
            scale_by_target,
        }
    }

    /// The position in `workloads` of the workload whose (first) object is
    /// `object`.
    #[must_use]
    pub fn workload_index(&self, object: &assay_model::Object) -> Option<usize> {
        let key = address(object);
        let at = self.workload_by_object.partition_point(|(a, _)| *a < key);
        self.workload_by_object
            .get(at)
            .filter(|(a, _)| *a == key)
            .map(|(_, i)| *i)
    }

    /// The Services selecting workload `index`, in `services` order.
    #[must_use]
    pub fn services_selecting(&self, index: usize) -> &[usize] {
        self.services_by_workload
            .get(index)
            .map_or(&[], Vec::as_slice)
    }

    /// The first HPA link (in `scale_links` order) whose target is `object`.
    #[must_use]
    pub fn scale_link_of(&self, object: &assay_model::Object) -> Option<&ScaleLink<'m>> {
        let key = address(object);
        let at = self.scale_by_target.partition_point(|(a, _)| *a < key);
        let (a, i) = self.scale_by_target.get(at)?;
        (*a == key).then(|| self.scale_links.get(*i)).flatten()
    }

    /// Mark references to objects the cluster already has as present:
    /// `KIND/NAME` (any namespace) or `KIND/NAMESPACE/NAME`.
    pub fn assume_present(&mut self, objects: &[String]) {
        for r in &mut self.references {
            let (kind, name, namespace) = (r.kind, r.name, r.namespace.as_str());
            r.present |= objects.iter().any(|o| {
                let mut parts = o.split('/');
                match (parts.next(), parts.next(), parts.next()) {
                    (Some(k), Some(n), None) => k.eq_ignore_ascii_case(kind) && n == name,
                    (Some(k), Some(ns), Some(n)) => {
                        k.eq_ignore_ascii_case(kind) && ns == namespace && n == name
                    }
                    _ => false,
                }
            });
        }
    }

    /// The Service node of a Service object.
    #[must_use]
    pub fn service_of(&self, object: &assay_model::Object) -> Option<&ServiceNode<'m>> {
        self.services
            .iter()
            .find(|s| std::ptr::eq(s.view.object.object, object))
    }

    /// Workloads in `namespace`.
    pub fn workloads_in<'a>(
        &'a self,
        namespace: &'a str,
    ) -> impl Iterator<Item = &'a Workload<'m>> {
        self.workloads
            .iter()
            .filter(move |w| w.namespace == namespace)
    }

    /// The labels a namespace selector sees: those written on the Namespace
    /// object, plus `kubernetes.io/metadata.name`.
    #[must_use]
    pub fn namespace_labels<'a>(&'a self, namespace: &'a str) -> Vec<(&'a str, &'a str)> {
        let mut labels: Vec<(&'a str, &'a str)> = self
            .namespace_labels
            .get(namespace)
            .map(|l| {
                l.iter()
                    .filter(|(k, _)| *k != NAMESPACE_NAME_LABEL)
                    .copied()
                    .collect()
            })
            .unwrap_or_default();
        labels.push((NAMESPACE_NAME_LABEL, namespace));
        labels
    }

    /// Every namespace the deliverable names (Namespace objects and the
    /// namespaces of workloads and Services).
    #[must_use]
    pub fn namespaces(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .namespace_labels
            .keys()
            .map(String::as_str)
            .chain(self.workloads.iter().map(|w| w.namespace.as_str()))
            .chain(self.services.iter().map(|s| s.namespace.as_str()))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Workloads matching `ns/name` or a bare `name` (every namespace).
    #[must_use]
    pub fn find_workloads(&self, query: &str) -> Vec<usize> {
        let (ns, name) = match query.split_once('/') {
            Some((ns, name)) => (Some(ns), name),
            None => (None, query),
        };
        self.workloads
            .iter()
            .enumerate()
            .filter(|(_, w)| w.name == name && ns.is_none_or(|ns| w.namespace == ns))
            .map(|(i, _)| i)
            .collect()
    }

    /// The connection list under the deliverable's NetworkPolicies.
    #[must_use]
    pub fn connectivity(&self) -> Connectivity {
        connectivity::compute(self)
    }
}

/// Whether `candidate` is a likely typo of `written` (the project's one
/// did-you-mean measure, `assay_diagnostics::closest`), and not equal.
#[must_use]
pub fn is_near_miss(written: &str, candidate: &str) -> bool {
    written != candidate
        && assay_diagnostics::closest(written, std::iter::once(candidate)).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses() {
        assert!(is_near_miss("chekout", "checkout"));
        assert!(is_near_miss("htpp", "http"));
        assert!(!is_near_miss("web", "api"));
        assert!(!is_near_miss("web", "web"));
    }
}
