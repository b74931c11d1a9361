//! Workloads: the nodes of the graph. Every replica of a workload is one
//! node; bare Pods are grouped under their controller owner reference, as
//! netpol-analyzer does (`shop/cart-74f56fd4b[ReplicaSet]`).

use assay_model::{Model, ObjectView, k8s_bool, k8s_int, labels_of};
use assay_yaml::Value;
use std::collections::BTreeMap;

/// Kinds that run pods and take part in connectivity (a `PodTemplate` runs nothing).
pub const RUNNING_KINDS: &[&str] = &[
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
];

/// A port a container declares.
#[derive(Clone, Copy, Debug)]
pub struct ContainerPort<'m> {
    pub name: Option<&'m str>,
    pub number: i64,
    /// `TCP` unless written.
    pub protocol: &'m str,
    /// The `ports[]` entry.
    pub node: Value<'m>,
    pub container: Option<&'m str>,
}

/// One node: a workload object, or the Pods of one owner.
#[derive(Clone, Debug)]
pub struct Workload<'m> {
    /// `Deployment`, or the owner's kind for grouped Pods, or `Pod`.
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// The objects it stands for (one workload, or every Pod of an owner).
    pub objects: Vec<ObjectView<'m>>,
    /// The pods' labels (the pod template's, or the first Pod's).
    pub labels: Vec<(&'m str, &'m str)>,
    /// Ports of the regular containers.
    pub ports: Vec<ContainerPort<'m>>,
}

impl<'m> Workload<'m> {
    /// `shop/web[Deployment]`.
    #[must_use]
    pub fn id(&self) -> String {
        format!("{}/{}[{}]", self.namespace, self.name, self.kind)
    }

    /// `Deployment shop/web`, as findings name objects.
    #[must_use]
    pub fn display(&self) -> String {
        format!("{} {}/{}", self.kind, self.namespace, self.name)
    }

    /// The object to point at.
    #[must_use]
    pub fn object(&self) -> Option<&ObjectView<'m>> {
        self.objects.first()
    }

    /// The container port a Service `targetPort` or policy port name means,
    /// with its protocol; names are unique in a pod.
    #[must_use]
    pub fn port_named(&self, name: &str) -> Option<&ContainerPort<'m>> {
        self.ports.iter().find(|p| p.name == Some(name))
    }

    #[must_use]
    pub fn declares_port(&self, number: i64, protocol: &str) -> bool {
        self.ports
            .iter()
            .any(|p| p.number == number && p.protocol == protocol)
    }
}

/// The namespace an object is in, `default` when the manifest sets none.
#[must_use]
pub fn namespace_of(object: &ObjectView<'_>) -> String {
    object
        .object
        .namespace
        .clone()
        .unwrap_or_else(|| "default".to_owned())
}

fn container_ports<'m>(object: &ObjectView<'m>) -> Vec<ContainerPort<'m>> {
    let Some(pod) = object.pod_spec() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for container in pod.get("containers").into_iter().flat_map(Value::items) {
        for node in container.get("ports").into_iter().flat_map(Value::items) {
            let Some(number) = node.get("containerPort").and_then(k8s_int) else {
                continue;
            };
            out.push(ContainerPort {
                name: node.get_str("name"),
                number,
                protocol: node.get_str("protocol").unwrap_or("TCP"),
                node,
                container: container.get_str("name"),
            });
        }
    }
    out
}

/// The controller owner of a Pod (`controller: true`, else the first owner);
/// an owner written without a kind is named `Pod`, as netpol-analyzer does.
/// Static pods (owned by their `Node`) stand alone.
fn owner_of<'m>(object: &ObjectView<'m>) -> Option<(&'m str, &'m str)> {
    let owners: Vec<Value<'m>> = object
        .metadata()
        .and_then(|m| m.get("ownerReferences"))
        .into_iter()
        .flat_map(Value::items)
        .collect();
    let owner = owners
        .iter()
        .find(|o| o.get("controller").and_then(k8s_bool) == Some(true))
        .or(owners.first())?;
    let kind = owner.get_str("kind").unwrap_or("Pod");
    if kind == "Node" {
        return None;
    }
    Some((kind, owner.get_str("name")?))
}

/// Every workload of the model, sorted by id.
#[must_use]
pub fn collect(model: &Model) -> Vec<Workload<'_>> {
    let mut by_id: BTreeMap<(String, String, String), Vec<Workload<'_>>> = BTreeMap::new();
    for object in model.object_views() {
        if !RUNNING_KINDS.contains(&object.kind()) {
            continue;
        }
        let Some(own_name) = object.object.name.as_deref() else {
            continue;
        };
        let namespace = namespace_of(&object);
        let (kind, name) = if object.kind() == "Pod" {
            owner_of(&object).unwrap_or(("Pod", own_name))
        } else {
            (object.kind(), own_name)
        };
        let key = (namespace.clone(), name.to_owned(), kind.to_owned());
        // Pods of one owner are one node; a workload written twice (variants
        // of one chart in one run) stays two nodes, each with its own ports.
        if let Some(existing) = by_id.get_mut(&key).and_then(|list| list.first_mut())
            && object.kind() == "Pod"
        {
            existing.objects.push(object);
            continue;
        }
        by_id.entry(key).or_default().push(Workload {
            kind: kind.to_owned(),
            namespace,
            name: name.to_owned(),
            labels: labels_of(object.pod_metadata()),
            ports: container_ports(&object),
            objects: vec![object],
        });
    }
    by_id.into_values().flatten().collect()
}
