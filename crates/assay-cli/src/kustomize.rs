//! Kustomize patches are partial objects.
//!
//! A `kustomization.yaml` lists patch files under `patches` (`- path: …`),
//! `patchesStrategicMerge` (`- file.yaml`) and `patchesJson6902`
//! (`- path: …`). A strategic-merge patch holds only the fields it changes,
//! so findings about something *missing* are false alarms on it: a
//! `SCHEMA001` "missing required field", and every finding a rule reports at
//! the object's or a container's anchor (its name), which is where rules
//! point when a setting is absent (`ObjectView::anchor`,
//! `ContainerView::anchor`). Findings about what the patch does write (a
//! `privileged: true`, a mutable image tag, a secret) are kept. A JSON 6902
//! patch is a list of operations, not an object: it is not reported as an
//! unrecognised document (`YAML005`). Inline patches (`patch: |`) are strings
//! inside the kustomization and are not checked as objects. Building
//! overlays (`kustomize build`) is out of scope.
//!
//! Reference: <https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patches/>.

use assay_diagnostics::Finding;
use assay_model::{DocClass, Model, ObjectView};
use assay_span::{FileId, FileSpan};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

/// The kustomization keys that list patch files.
const PATCH_KEYS: [&str; 3] = ["patches", "patchesStrategicMerge", "patchesJson6902"];

/// The rule that reports a document of no known kind.
const UNRECOGNISED_DOCUMENT: &str = "YAML005";
/// The schema rule, and what its "something missing" messages say
/// (`spec: missing required field `selector``).
const SCHEMA_RULE: &str = "SCHEMA001";
const MISSING_FIELD: &str = "missing required field";
/// `VAL` findings that need the whole object: a field the base sets
/// (`Required value`), a volume the base declares (`Not found`), template
/// labels the base carries.
const VAL_WHOLE_OBJECT: [&str; 3] = [
    "Required value",
    "Not found",
    "`selector` does not match template `labels`",
];

/// The files of a run that some kustomization lists as patches.
#[derive(Debug, Default)]
pub(crate) struct Patches {
    files: BTreeSet<FileId>,
}

/// `a/./b/../c` → `a/c`, without touching the file system (paths are
/// compared as the user gave them).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

impl Patches {
    /// Read every kustomization of `model` and find the files it lists as patches.
    pub(crate) fn find(model: &Model) -> Self {
        let mut by_path: Vec<(PathBuf, FileId)> = model
            .files
            .iter()
            .map(|f| (normalise(Path::new(&f.path)), f.id))
            .collect();
        by_path.sort();
        let mut files = BTreeSet::new();
        for doc in model
            .documents
            .iter()
            .filter(|d| d.class == DocClass::Kustomization)
        {
            let Some(file) = model.file(doc.file) else {
                continue;
            };
            let folder = Path::new(&file.path).parent().unwrap_or(Path::new(""));
            let root = file.tree.value(doc.root);
            for entry in PATCH_KEYS
                .iter()
                .filter_map(|key| root.get(key))
                .flat_map(assay_yaml::Value::items)
            {
                // `- file.yaml` (patchesStrategicMerge) or `- path: file.yaml`.
                let listed = entry.as_str().or_else(|| entry.get_str("path"));
                let Some(listed) = listed.filter(|p| !p.contains('\n')) else {
                    continue;
                };
                let wanted = normalise(&folder.join(listed));
                if let Ok(at) = by_path.binary_search_by(|(p, _)| p.as_path().cmp(&wanted))
                    && let Some((_, id)) = by_path.get(at)
                {
                    files.insert(*id);
                }
            }
        }
        Self { files }
    }

    /// How many patch files this run checks.
    pub(crate) fn count(&self) -> usize {
        self.files.len()
    }

    /// Drop the findings that assume a whole object from patch files.
    pub(crate) fn filter(&self, model: &Model, findings: &mut Vec<Finding>) {
        if self.files.is_empty() {
            return;
        }
        let mut anchors: BTreeSet<FileSpan> = BTreeSet::new();
        for object in model
            .objects
            .iter()
            .filter(|o| self.files.contains(&o.file))
        {
            if let Some(view) = ObjectView::new(model, object) {
                anchors.insert(view.anchor());
                anchors.extend(view.containers().iter().map(|c| c.anchor()));
            }
        }
        findings.retain(|f| {
            !self.files.contains(&f.location.file)
                || !(anchors.contains(&f.location)
                    || f.rule == UNRECOGNISED_DOCUMENT
                    || f.rule == SCHEMA_RULE && f.message.contains(MISSING_FIELD)
                    || f.rule.starts_with("VAL")
                        && VAL_WHOLE_OBJECT.iter().any(|m| f.message.contains(m)))
        });
    }
}
