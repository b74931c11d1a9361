//! References between objects, resolved once: Services → workloads and
//! ports, Ingress → Service, HPA → target, PDB → workloads, workloads →
//! ConfigMaps/Secrets/ServiceAccounts/PVCs/PriorityClasses, RoleBinding →
//! Role and ServiceAccounts.

use crate::workload::{Workload, namespace_of};
use assay_model::{
    HpaView, IngressBackend, IngressView, LabelSelector, Model, ObjectView, PdbView, RbacView,
    ServicePort, ServiceView,
};
use assay_yaml::Value;

/// A Service and the workloads its selector picks.
#[derive(Clone, Debug)]
pub struct ServiceNode<'m> {
    pub view: ServiceView<'m>,
    pub namespace: String,
    pub name: String,
    pub selector: LabelSelector<'m>,
    /// Indices into `Graph::workloads`.
    pub selected: Vec<usize>,
    pub ports: Vec<ServicePort<'m>>,
}

impl ServiceNode<'_> {
    /// `Service shop/web`.
    #[must_use]
    pub fn display(&self) -> String {
        self.view.object.display()
    }
}

/// One backend of an Ingress, with the Service it names when present.
#[derive(Clone, Debug)]
pub struct IngressRoute<'m> {
    pub ingress: ObjectView<'m>,
    pub namespace: String,
    pub backend: IngressBackend<'m>,
    /// Index into `Graph::services`.
    pub service: Option<usize>,
}

/// An HPA and the object it scales, when present.
#[derive(Clone, Debug)]
pub struct ScaleLink<'m> {
    pub hpa: ObjectView<'m>,
    pub target: Option<(&'m str, &'m str)>,
    pub found: Option<ObjectView<'m>>,
}

/// A PDB and the workloads it selects.
#[derive(Clone, Debug)]
pub struct BudgetLink<'m> {
    pub pdb: ObjectView<'m>,
    pub selector: LabelSelector<'m>,
    pub selected: Vec<usize>,
}

/// A reference by name from one object to another (`configMapKeyRef`,
/// `serviceAccountName`, a RoleBinding's `roleRef`, …).
#[derive(Clone, Debug)]
pub struct Reference<'m> {
    pub from: ObjectView<'m>,
    /// The node holding the name.
    pub node: Value<'m>,
    pub kind: &'static str,
    /// Empty for cluster-scoped kinds.
    pub namespace: String,
    pub name: &'m str,
    /// Whether the deliverable contains the object.
    pub present: bool,
}

pub(crate) fn services<'m>(model: &'m Model, workloads: &[Workload<'m>]) -> Vec<ServiceNode<'m>> {
    let mut out = Vec::new();
    for object in model.object_views() {
        let Some(view) = ServiceView::new(object) else {
            continue;
        };
        let namespace = namespace_of(&object);
        let selector = view.selector();
        let selected = if selector.is_empty() {
            Vec::new()
        } else {
            workloads
                .iter()
                .enumerate()
                .filter(|(_, w)| w.namespace == namespace && selector.matches(&w.labels))
                .map(|(i, _)| i)
                .collect()
        };
        out.push(ServiceNode {
            view,
            name: object.object.name.clone().unwrap_or_default(),
            namespace,
            selector,
            selected,
            ports: view.ports(),
        });
    }
    out
}

pub(crate) fn ingress_routes<'m>(
    model: &'m Model,
    services: &[ServiceNode<'m>],
) -> Vec<IngressRoute<'m>> {
    let mut out = Vec::new();
    for object in model.object_views() {
        let Some(view) = IngressView::new(object) else {
            continue;
        };
        let namespace = namespace_of(&object);
        for backend in view.backends() {
            let service = backend.service.and_then(|name| {
                services
                    .iter()
                    .position(|s| s.namespace == namespace && s.name == name)
            });
            out.push(IngressRoute {
                ingress: object,
                namespace: namespace.clone(),
                backend,
                service,
            });
        }
    }
    out
}

pub(crate) fn scale_links(model: &Model) -> Vec<ScaleLink<'_>> {
    model
        .object_views()
        .filter_map(HpaView::new)
        .map(|hpa| {
            let target = hpa.target();
            let namespace = hpa.object.object.namespace.clone().unwrap_or_default();
            let found = target.and_then(|(kind, name)| {
                let i = model.index.find(kind, &namespace, name)?;
                ObjectView::new(model, model.objects.get(i)?)
            });
            ScaleLink {
                hpa: hpa.object,
                target,
                found,
            }
        })
        .collect()
}

pub(crate) fn budget_links<'m>(
    model: &'m Model,
    workloads: &[Workload<'m>],
) -> Vec<BudgetLink<'m>> {
    model
        .object_views()
        .filter_map(PdbView::new)
        .map(|pdb| {
            let namespace = namespace_of(&pdb.object);
            let selector = pdb.selector();
            let selected = workloads
                .iter()
                .enumerate()
                .filter(|(_, w)| w.namespace == namespace && selector.matches(&w.labels))
                .map(|(i, _)| i)
                .collect();
            BudgetLink {
                pdb: pdb.object,
                selector,
                selected,
            }
        })
        .collect()
}

/// Kinds that live outside namespaces.
const CLUSTER_SCOPED: &[&str] = &["PriorityClass", "ClusterRole"];

fn exists(model: &Model, kind: &str, namespace: &str, name: &str) -> bool {
    let ns = if CLUSTER_SCOPED.contains(&kind) {
        ""
    } else {
        namespace
    };
    model.index.find(kind, ns, name).is_some()
        // Manifests often leave the namespace unset and apply with `-n`.
        || model.index.find(kind, "", name).is_some()
}

/// Objects every cluster has: the `default` ServiceAccount and the
/// `kube-root-ca.crt` ConfigMap of each namespace, the built-in ClusterRoles
/// and PriorityClasses.
fn is_builtin(kind: &str, name: &str) -> bool {
    match kind {
        "ServiceAccount" => name == "default",
        "ClusterRole" => {
            matches!(name, "cluster-admin" | "admin" | "edit" | "view")
                || name.starts_with("system:")
        }
        "PriorityClass" => matches!(name, "system-cluster-critical" | "system-node-critical"),
        // Every namespace gets the cluster's CA bundle (Kubernetes 1.21+).
        "ConfigMap" => name == "kube-root-ca.crt",
        _ => false,
    }
}

struct RefCollector<'a, 'm> {
    model: &'m Model,
    from: ObjectView<'m>,
    namespace: &'a str,
    out: &'a mut Vec<Reference<'m>>,
}

impl<'m> RefCollector<'_, 'm> {
    /// The name at `key` of `source`, unless the reference is `optional: true`.
    fn push_required(&mut self, kind: &'static str, source: Option<Value<'m>>, key: &str) {
        let Some(source) = source else {
            return;
        };
        if source.get("optional").and_then(assay_model::k8s_bool) != Some(true) {
            self.push(kind, source.get(key));
        }
    }

    fn push(&mut self, kind: &'static str, node: Option<Value<'m>>) {
        let Some(node) = node else {
            return;
        };
        let Some(name) = node.as_str().filter(|n| !n.is_empty()) else {
            return;
        };
        let namespace = if CLUSTER_SCOPED.contains(&kind) {
            String::new()
        } else {
            self.namespace.to_owned()
        };
        let present = is_builtin(kind, name) || exists(self.model, kind, &namespace, name);
        self.out.push(Reference {
            from: self.from,
            node,
            kind,
            namespace,
            name,
            present,
        });
    }
}

/// Values of `key` in every mapping under `node` that holds it, walked
/// iteratively (an explicit stack).
fn find_all<'m>(node: Value<'m>, key: &str) -> Vec<Value<'m>> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(v) = stack.pop() {
        if v.is_mapping() {
            for (k, child) in v.entries() {
                if k.as_str() == Some(key) {
                    out.push(child);
                }
                stack.push(child);
            }
        } else {
            stack.extend(v.items());
        }
    }
    out.sort_by_key(|v| v.span().start);
    out
}

pub(crate) fn references<'m>(model: &'m Model, workloads: &[Workload<'m>]) -> Vec<Reference<'m>> {
    let mut out = Vec::new();
    for object in workloads.iter().flat_map(|w| w.objects.iter()) {
        let Some(pod) = object.pod_spec() else {
            continue;
        };
        let namespace = namespace_of(object);
        let mut c = RefCollector {
            model,
            from: *object,
            namespace: &namespace,
            out: &mut out,
        };
        c.push("ServiceAccount", pod.get("serviceAccountName"));
        c.push("PriorityClass", pod.get("priorityClassName"));
        if object.kind() == "StatefulSet" {
            // The headless Service that gives the pods their DNS names.
            c.push("Service", object.root.path(&["spec", "serviceName"]));
        }
        for volume in pod.get("volumes").into_iter().flat_map(Value::items) {
            c.push_required("ConfigMap", volume.get("configMap"), "name");
            c.push_required("Secret", volume.get("secret"), "secretName");
            c.push(
                "PersistentVolumeClaim",
                volume.path(&["persistentVolumeClaim", "claimName"]),
            );
            for source in volume
                .path(&["projected", "sources"])
                .into_iter()
                .flat_map(Value::items)
            {
                c.push_required("ConfigMap", source.get("configMap"), "name");
                c.push_required("Secret", source.get("secret"), "name");
            }
        }
        for secret in pod
            .get("imagePullSecrets")
            .into_iter()
            .flat_map(Value::items)
        {
            c.push("Secret", secret.get("name"));
        }
        for (kind, key) in [
            ("ConfigMap", "configMapKeyRef"),
            ("Secret", "secretKeyRef"),
            ("ConfigMap", "configMapRef"),
            ("Secret", "secretRef"),
        ] {
            for r in find_all(pod, key) {
                c.push_required(kind, Some(r), "name");
            }
        }
    }
    for object in model.object_views() {
        let Some(rbac) = RbacView::new(object) else {
            continue;
        };
        if object.kind() != "RoleBinding" && object.kind() != "ClusterRoleBinding" {
            continue;
        }
        let namespace = namespace_of(&object);
        let mut c = RefCollector {
            model,
            from: object,
            namespace: &namespace,
            out: &mut out,
        };
        if let Some(role) = object.root.get("roleRef") {
            match role.get_str("kind") {
                Some("Role") => c.push("Role", role.get("name")),
                Some("ClusterRole") => c.push("ClusterRole", role.get("name")),
                _ => {}
            }
        }
        for subject in rbac.subjects() {
            if subject.get_str("kind") == Some("ServiceAccount") {
                let ns = subject
                    .get_str("namespace")
                    .map_or_else(|| namespace.clone(), str::to_owned);
                let mut c = RefCollector {
                    model,
                    from: object,
                    namespace: &ns,
                    out: &mut *c.out,
                };
                c.push("ServiceAccount", subject.get("name"));
            }
        }
    }
    out
}
