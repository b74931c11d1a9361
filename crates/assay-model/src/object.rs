use crate::{ContainerKind, ContainerView, Model, Object, SourceFile};
use assay_span::{FileId, FileSpan, Span};
use assay_yaml::{ScalarType, Value, resolve_yaml11};

/// Kinds that carry a pod template (or are a pod).
pub const WORKLOAD_KINDS: &[&str] = &[
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
    "PodTemplate",
];

/// A Kubernetes boolean, read the way `sigs.k8s.io/yaml` reads it (YAML 1.1).
#[must_use]
pub fn k8s_bool(value: Value<'_>) -> Option<bool> {
    let (text, style) = value.as_scalar()?;
    match resolve_yaml11(text, style) {
        ScalarType::Bool(b) => Some(b),
        _ => None,
    }
}

/// A Kubernetes integer written as a plain decimal scalar.
#[must_use]
pub fn k8s_int(value: Value<'_>) -> Option<i64> {
    let (text, style) = value.as_scalar()?;
    if !style.is_plain() {
        return None;
    }
    text.replace('_', "").parse().ok()
}

/// The pod template's metadata of a workload of `kind` (a Pod's own metadata).
pub(crate) fn pod_metadata_of<'t>(kind: &str, root: Value<'t>) -> Option<Value<'t>> {
    let path: &[&str] = match kind {
        "Pod" => &["metadata"],
        "CronJob" => &["spec", "jobTemplate", "spec", "template", "metadata"],
        "PodTemplate" => &["template", "metadata"],
        k if WORKLOAD_KINDS.contains(&k) => &["spec", "template", "metadata"],
        _ => return None,
    };
    root.path(path)
}

/// A read-only view of one Kubernetes object.
#[derive(Clone, Copy, Debug)]
pub struct ObjectView<'m> {
    pub model: &'m Model,
    pub object: &'m Object,
    pub file: &'m SourceFile,
    pub root: Value<'m>,
}

impl<'m> ObjectView<'m> {
    #[must_use]
    pub fn new(model: &'m Model, object: &'m Object) -> Option<Self> {
        let file = model.file(object.file)?;
        Some(Self {
            model,
            object,
            file,
            root: file.tree.value(object.node),
        })
    }

    #[must_use]
    pub fn kind(&self) -> &'m str {
        &self.object.kind
    }

    #[must_use]
    pub fn file_id(&self) -> FileId {
        self.object.file
    }

    /// A span in this object's file.
    #[must_use]
    pub fn at(&self, span: Span) -> FileSpan {
        FileSpan::new(self.object.file, span)
    }

    /// Where to point when the finding is about the object as a whole: its name.
    #[must_use]
    pub fn anchor(&self) -> FileSpan {
        let node = self
            .root
            .path(&["metadata", "name"])
            .or_else(|| self.root.get("kind"))
            .unwrap_or(self.root);
        self.at(node.span())
    }

    /// `Deployment shop/web` (namespace omitted when the manifest sets none).
    #[must_use]
    pub fn display(&self) -> String {
        let name = self.object.name.as_deref().unwrap_or("<unnamed>");
        match &self.object.namespace {
            Some(ns) => format!("{} {ns}/{name}", self.object.kind),
            None => format!("{} {name}", self.object.kind),
        }
    }

    #[must_use]
    pub fn metadata(&self) -> Option<Value<'m>> {
        self.root.get("metadata")
    }

    #[must_use]
    pub fn is_workload(&self) -> bool {
        WORKLOAD_KINDS.contains(&self.kind())
    }

    /// The pod spec of a Pod or of a workload's pod template.
    #[must_use]
    pub fn pod_spec(&self) -> Option<Value<'m>> {
        let path: &[&str] = match self.kind() {
            "Pod" => &["spec"],
            "CronJob" => &["spec", "jobTemplate", "spec", "template", "spec"],
            "PodTemplate" => &["template", "spec"],
            "Deployment"
            | "StatefulSet"
            | "DaemonSet"
            | "ReplicaSet"
            | "ReplicationController"
            | "Job" => &["spec", "template", "spec"],
            _ => return None,
        };
        self.root.path(path).filter(|v| v.is_mapping())
    }

    /// The pod template's metadata (the object's own metadata for a Pod).
    #[must_use]
    pub fn pod_metadata(&self) -> Option<Value<'m>> {
        pod_metadata_of(self.kind(), self.root)
    }

    /// Every container of the pod spec: init containers, containers, ephemeral containers.
    #[must_use]
    pub fn containers(&self) -> Vec<ContainerView<'m>> {
        let Some(pod) = self.pod_spec() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, kind) in [
            ("initContainers", ContainerKind::Init),
            ("containers", ContainerKind::Regular),
            ("ephemeralContainers", ContainerKind::Ephemeral),
        ] {
            for (index, node) in pod.get(key).into_iter().flat_map(Value::items).enumerate() {
                if node.is_mapping() {
                    out.push(ContainerView::kubernetes(*self, pod, node, kind, index));
                }
            }
        }
        out
    }
}
