//! Schemas of custom resources, from CustomResourceDefinitions.

use crate::bundle::Gvk;
use crate::schema::{Schema, ty};
use assay_yaml::Value;
use std::collections::{HashMap, HashSet};

const OBJECT_META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

/// The custom resource schemas of a run: CRDs of the input and of `--crds`.
#[derive(Clone, Debug, Default)]
pub struct CrdSet {
    schemas: HashMap<Gvk, Schema>,
    /// (group, kind) of every CRD seen, with or without a schema.
    defined: HashSet<(String, String)>,
}

impl CrdSet {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a CustomResourceDefinition (`apiextensions.k8s.io/v1` or `v1beta1`);
    /// returns how many versions with a schema it brought. Anything that is not
    /// a CRD adds nothing.
    pub fn add(&mut self, crd: Value<'_>) -> usize {
        if crd.get_str("kind") != Some("CustomResourceDefinition") {
            return 0;
        }
        let Some(spec) = crd.get("spec") else {
            return 0;
        };
        let (Some(group), Some(kind)) = (spec.get_str("group"), spec.path(&["names", "kind"]))
        else {
            return 0;
        };
        let Some(kind) = kind.as_str() else {
            return 0;
        };
        self.defined.insert((group.to_owned(), kind.to_owned()));
        // v1beta1: one schema for every version.
        let shared = spec.path(&["validation", "openAPIV3Schema"]);
        let mut versions: Vec<(&str, Option<Value<'_>>)> = Vec::new();
        if let Some(v) = spec.get_str("version") {
            versions.push((v, shared));
        }
        for item in spec.get("versions").into_iter().flat_map(Value::items) {
            if item.get_str("served") == Some("false") {
                continue;
            }
            if let Some(name) = item.get_str("name") {
                let schema = item.path(&["schema", "openAPIV3Schema"]).or(shared);
                versions.push((name, schema));
            }
        }
        let mut added = 0;
        for (version, schema) in versions {
            let Some(schema) = schema.filter(|s| s.is_mapping()) else {
                continue;
            };
            let gvk = Gvk {
                group: group.to_owned(),
                version: version.to_owned(),
                kind: kind.to_owned(),
            };
            self.schemas.insert(gvk, root_schema(schema));
            added += 1;
        }
        added
    }

    /// The schema of a custom resource, when a CRD gave one.
    #[must_use]
    pub fn get(&self, gvk: &Gvk) -> Option<&Schema> {
        self.schemas.get(gvk)
    }

    /// Whether some CRD defines this group and kind (with a schema or not).
    #[must_use]
    pub fn defines(&self, group: &str, kind: &str) -> bool {
        self.defined.contains(&(group.to_owned(), kind.to_owned()))
    }

    /// Number of custom resource versions with a schema.
    #[must_use]
    pub fn len(&self) -> usize {
        self.schemas.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.schemas.is_empty()
    }
}

/// The schema of a custom resource object: the CRD's, with `apiVersion`,
/// `kind` and `metadata` as every object has them.
fn root_schema(openapi: Value<'_>) -> Schema {
    let mut schema = Schema::from_openapi(openapi);
    schema.embedded = true;
    schema.types = ty::OBJECT;
    schema
        .properties
        .retain(|(name, _)| !matches!(name.as_ref(), "apiVersion" | "kind" | "metadata"));
    schema
        .properties
        .push(("metadata".into(), Schema::reference(OBJECT_META)));
    schema.properties.sort_by(|a, b| a.0.cmp(&b.0));
    schema
}
