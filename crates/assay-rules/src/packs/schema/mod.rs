//! The `SCHEMA` pack: every Kubernetes object checked against the schema of
//! its kind in the target Kubernetes version (bundled, 1.25 to 1.37), custom
//! resources against their CustomResourceDefinition.

mod schema001_schema_violation;
mod schema002_unknown_kind_for_version;
mod schema003_custom_resource_not_validated;

use crate::{Context, KubernetesVersion, Pack};
use assay_model::ObjectView;
use assay_schema::{Gvk, Schema, VersionSchemas};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

pub(crate) const PACK: Pack = Pack {
    prefix: "SCHEMA",
    folder: "schema",
    title: "Kubernetes schemas",
    rules: &[
        &schema001_schema_violation::SchemaViolation,
        &schema002_unknown_kind_for_version::UnknownKindForVersion,
        &schema003_custom_resource_not_validated::CustomResourceNotValidated,
    ],
};

/// Groups that Kubernetes removed before the oldest bundled version; their
/// objects are the `API` pack's (removed APIs), never custom resources.
const LEGACY_GROUPS: &[&str] = &["extensions", "settings.k8s.io", "auditregistration.k8s.io"];

/// What to check an object against.
pub(crate) enum Target<'c> {
    /// A built-in kind of the target version.
    BuiltIn(&'static VersionSchemas, &'static Schema),
    /// A custom resource with a CRD schema.
    Custom(&'static VersionSchemas, &'c Schema),
    /// A built-in kind the target does not serve but a newer version does.
    Newer {
        target: &'static VersionSchemas,
        served_in: Vec<u32>,
    },
    /// A kind that no bundled version serves under this apiVersion, though
    /// the apiVersion exists (a typo).
    UnknownKind { suggestion: Option<String> },
    /// A custom resource without a schema; `crd` when a CRD names the kind
    /// but gives no schema for this version.
    NoSchema { crd: bool },
    /// A built-in group's apiVersion that no Kubernetes release served for
    /// this kind (`apps/v2`, `batch/v9`); `served_as` lists the apiVersions
    /// bundled versions serve it under.
    NeverServed { served_as: Vec<String> },
    /// Removed versions of built-in groups (the `API` pack's, which knows
    /// every one: see its lifecycle table), or an object without apiVersion/kind.
    Other,
}

/// The bundled version used for `version`: itself, or the nearest bundled one.
pub(crate) fn bundled(version: KubernetesVersion) -> Option<&'static VersionSchemas> {
    let all = assay_schema::versions();
    assay_schema::version(version.major, version.minor).or_else(|| {
        if version < KubernetesVersion::OLDEST {
            all.first()
        } else {
            all.last()
        }
    })
}

/// Groups of every bundled version, plus the legacy ones.
fn builtin_groups() -> &'static BTreeSet<&'static str> {
    static GROUPS: OnceLock<BTreeSet<&'static str>> = OnceLock::new();
    GROUPS.get_or_init(|| {
        kinds_by_group_version()
            .keys()
            .map(|(group, _)| *group)
            .chain(LEGACY_GROUPS.iter().copied())
            .collect()
    })
}

/// Kinds of each (group, version) in any bundled version, built once: a
/// per-object scan of every version's kinds dominated whole-corpus runs.
fn kinds_by_group_version()
-> &'static BTreeMap<(&'static str, &'static str), BTreeSet<&'static str>> {
    static INDEX: OnceLock<BTreeMap<(&'static str, &'static str), BTreeSet<&'static str>>> =
        OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: BTreeMap<(&str, &str), BTreeSet<&str>> = BTreeMap::new();
        for version in assay_schema::versions() {
            for gvk in version.kinds() {
                index
                    .entry((gvk.group.as_str(), gvk.version.as_str()))
                    .or_default()
                    .insert(gvk.kind.as_str());
            }
        }
        index
    })
}

/// Decide what an object is checked against.
pub(crate) fn target<'c>(ctx: &Context<'c>, object: &ObjectView<'_>) -> Target<'c> {
    let Some(defs) = bundled(ctx.kubernetes_version) else {
        return Target::Other;
    };
    let api_version = object.object.api_version.as_str();
    if api_version.is_empty() || object.kind().is_empty() {
        return Target::Other;
    }
    let gvk = Gvk::from_api_version(api_version, object.kind());
    if let Some(schema) = defs.root(&gvk) {
        return Target::BuiltIn(defs, schema);
    }
    if let Some(schema) = ctx.crds.get(&gvk) {
        return Target::Custom(defs, schema);
    }
    if !builtin_groups().contains(gvk.group.as_str()) {
        return Target::NoSchema {
            crd: ctx.crds.defines(&gvk.group, &gvk.kind),
        };
    }
    let all = assay_schema::versions();
    let served_in: Vec<u32> = all
        .iter()
        .filter(|v| v.has_kind(&gvk))
        .map(VersionSchemas::minor)
        .collect();
    if served_in.iter().any(|&m| m > defs.minor()) {
        return Target::Newer {
            target: defs,
            served_in,
        };
    }
    if !served_in.is_empty() || crate::api_lifecycle::lookup(api_version, &gvk.kind).is_some() {
        return Target::Other;
    }
    // Kinds of this exact apiVersion in any bundled version.
    let siblings: Vec<&str> = kinds_by_group_version()
        .get(&(gvk.group.as_str(), gvk.version.as_str()))
        .into_iter()
        .flatten()
        .copied()
        // Meta kinds registered under every group version, removed ones too.
        .filter(|k| !matches!(*k, "DeleteOptions" | "WatchEvent"))
        .collect();
    if siblings.is_empty() {
        return Target::NeverServed {
            served_as: served_as(defs, &gvk.group, &gvk.kind),
        };
    }
    Target::UnknownKind {
        suggestion: assay_diagnostics::closest(&gvk.kind, siblings.iter().copied())
            .map(str::to_owned),
    }
}

/// The apiVersions (`group/version`) under which the target serves `kind`
/// of `group`, or else any bundled version does, sorted.
fn served_as(target: &VersionSchemas, group: &str, kind: &str) -> Vec<String> {
    let all: Vec<Gvk> = kinds_by_group_version()
        .iter()
        .filter(|((g, _), kinds)| *g == group && kinds.contains(kind))
        .map(|((g, v), _)| Gvk::from_api_version(&format!("{g}/{v}"), kind))
        .collect();
    let in_target: Vec<&Gvk> = all.iter().filter(|g| target.has_kind(g)).collect();
    let chosen: Vec<&Gvk> = if in_target.is_empty() {
        all.iter().collect()
    } else {
        in_target
    };
    chosen.into_iter().map(Gvk::api_version).collect()
}

/// `1.29–1.32, 1.35`.
pub(crate) fn version_ranges(minors: &[u32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(&start) = minors.get(i) {
        let mut end = start;
        while minors.get(i + 1) == Some(&(end + 1)) {
            end += 1;
            i += 1;
        }
        parts.push(if start == end {
            format!("1.{start}")
        } else {
            format!("1.{start}–1.{end}")
        });
        i += 1;
    }
    parts.join(", ")
}
