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
        }
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
