//! The model: classified documents, Kubernetes objects, containers, index.

mod classify;
mod compose;
mod container;
mod index;
mod object;
mod source;
mod views;

pub use classify::DocClass;
pub use compose::ComposeSettings;
pub use container::{ContainerKind, ContainerView, EnvVar, HostPathMount};
pub use index::Index;
pub use object::{ObjectView, WORKLOAD_KINDS, k8s_bool, k8s_int};
pub use source::SourceFile;
pub use views::{
    DataView, HpaView, IngressBackend, IngressView, LabelSelector, NamespaceView,
    NetworkPolicyView, PdbView, PodSecurityLabel, PortRef, RBAC_KINDS, RbacView,
    SelectorExpression, ServiceAccountView, ServicePort, ServiceView, labels_of,
};

use assay_span::FileId;
use assay_yaml::NodeId;

/// One document of one file, with what it was recognised as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocInfo {
    pub file: FileId,
    /// Position of the document in its stream (0-based).
    pub index: u32,
    pub root: NodeId,
    pub class: DocClass,
}

/// A Kubernetes object: a document with `apiVersion` and `kind`, or an item of a `*List`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Object {
    pub file: FileId,
    pub doc: u32,
    pub node: NodeId,
    pub api_version: String,
    pub kind: String,
    pub name: Option<String>,
    pub namespace: Option<String>,
}

/// Everything one run read, classified and indexed.
#[derive(Debug, Default)]
pub struct Model {
    pub files: Vec<SourceFile>,
    pub documents: Vec<DocInfo>,
    pub objects: Vec<Object>,
    pub index: Index,
    /// Compose projects, each merged from its files with provenance.
    pub compose: Vec<assay_compose::Project>,
}

impl Model {
    /// Classify every document of every file and index the Kubernetes objects.
    /// Files must be given with ids equal to their position. Compose projects
    /// are built from the given files only (nothing is read from the disk).
    #[must_use]
    pub fn build(files: Vec<SourceFile>) -> Self {
        Self::build_with(files, &ComposeSettings::default())
    }

    /// [`Model::build`], with compose projects found and loaded per `compose`
    /// (files they pull in are added to [`Model::files`]).
    #[must_use]
    pub fn build_with(mut files: Vec<SourceFile>, compose: &ComposeSettings) -> Self {
        let mut documents = Vec::new();
        let mut objects = Vec::new();
        for file in &files {
            classify::classify_file(file, &mut documents, &mut objects);
        }
        let given = files.len();
        let compose = compose::load(&mut files, &documents, compose);
        // Files the projects pulled in are checked like the others.
        for file in files.iter().skip(given) {
            classify::classify_file(file, &mut documents, &mut objects);
        }
        let index = Index::build(&files, &objects);
        Self {
            files,
            documents,
            objects,
            index,
            compose,
        }
    }

    #[must_use]
    pub fn file(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    /// A view of every Kubernetes object.
    pub fn object_views(&self) -> impl Iterator<Item = ObjectView<'_>> {
        self.objects.iter().filter_map(|o| ObjectView::new(self, o))
    }

    /// The objects of one document (one, or each item of a `*List`).
    /// [`Model::build_with`] classifies files in id order and each file's
    /// documents in order, so `objects` is sorted by file and document.
    pub fn objects_of_document(&self, doc: &DocInfo) -> impl Iterator<Item = ObjectView<'_>> {
        let key = (doc.file, doc.index);
        let start = self.objects.partition_point(|o| (o.file, o.doc) < key);
        self.objects
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(move |o| (o.file, o.doc) == key)
            .filter_map(|o| ObjectView::new(self, o))
    }
}
