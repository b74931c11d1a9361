use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::code;
use assay_model::{LabelSelector, ObjectView, labels_of};
use assay_yaml::Value;

declare_rule! {
    /// A hostPath PersistentVolume: claims bound to it bypass the Pod Security control
    ///
    /// ## What it checks
    /// Every `PersistentVolume` with a `spec.hostPath`, reported at its
    /// `hostPath.path`. The finding resolves, within the deliverable, which
    /// claims bind to the volume the way the PersistentVolume controller
    /// does, and which pods mount those claims (a label at each):
    ///
    /// - a `PersistentVolumeClaim` whose `spec.volumeName` names the volume
    ///   (pre-bound by the claim), or the claim named by the volume's
    ///   `spec.claimRef` (reserved by the volume): **bound**;
    /// - otherwise, when the volume has no `claimRef`, any claim without a
    ///   `volumeName` whose `storageClassName` equals the volume's (an unset
    ///   class on both sides counts as equal: the cluster's default
    ///   StorageClass may change that), whose `accessModes` the volume
    ///   offers and whose `selector` matches the volume's labels: **can
    ///   bind** (capacity is not compared);
    /// - the workloads whose pod spec mounts one of those claims by
    ///   `persistentVolumeClaim.claimName`.
    ///
    /// ## Why it matters
    /// The Pod Security Standards' "HostPath Volumes" control (Baseline)
    /// inspects only `spec.volumes[*].hostPath` of the pod. A pod that mounts
    /// a `persistentVolumeClaim` bound to a hostPath PersistentVolume reaches
    /// the same node directory, yet passes Baseline and even Restricted
    /// admission. Whoever can create a claim in any namespace can obtain the
    /// volume if it is unreserved. The Kubernetes documentation marks
    /// hostPath PersistentVolumes "for single node testing only".
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: PersistentVolume
    /// metadata:
    ///   name: node-data
    /// spec:
    ///   capacity:
    ///     storage: 10Gi
    ///   accessModes: [ReadWriteOnce]
    ///   hostPath:
    ///     path: /var/lib/data
    /// ```
    ///
    /// ## Fix
    /// Use a `local` PersistentVolume (a disk the administrator dedicates,
    /// pinned with `nodeAffinity`) or a CSI driver through a StorageClass:
    /// ```yaml
    /// apiVersion: v1
    /// kind: PersistentVolume
    /// metadata:
    ///   name: node-data
    /// spec:
    ///   capacity:
    ///     storage: 10Gi
    ///   accessModes: [ReadWriteOnce]
    ///   storageClassName: local-storage
    ///   local:
    ///     path: /mnt/disks/data
    ///   nodeAffinity:
    ///     required:
    ///       nodeSelectorTerms:
    ///         - matchExpressions:
    ///             - {key: kubernetes.io/hostname, operator: In, values: [node-1]}
    /// ```
    ///
    /// ## References
    /// - Persistent Volumes, types ("HostPath … for single node testing only"): https://kubernetes.io/docs/concepts/storage/persistent-volumes/#types-of-persistent-volumes
    /// - Binding (`volumeName`, `claimRef`, class, access modes, selector): https://kubernetes.io/docs/concepts/storage/persistent-volumes/#binding and https://kubernetes.io/docs/concepts/storage/persistent-volumes/#reserving-a-persistentvolume
    /// - Pod Security admission only reads pod volumes: https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_hostPathVolumes.go
    /// - The matching the controller does: `pkg/controller/volume/persistentvolume/index.go` (`findMatchingVolume`) in https://github.com/kubernetes/kubernetes
    pub(crate) struct PersistentVolumeHostPath {
        id: "HARD023",
        name: "persistent-volume-host-path",
        severity: Warning,
        scope: Scope::Object(&["PersistentVolume"]),
        fix: Always,
        since: "0.1.0",
    }
}

/// How a claim reaches the volume.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Binding {
    /// `volumeName` on the claim or `claimRef` on the volume.
    Bound,
    /// Class, access modes and selector fit; the controller may pick it.
    CanBind,
}

impl Rule for PersistentVolumeHostPath {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, pv: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(spec) = pv.root.get("spec") else {
            return;
        };
        let Some(host_path) = spec.get("hostPath").filter(|h| !h.is_null()) else {
            return;
        };
        let path_node = host_path.get("path");
        let path = path_node.and_then(Value::as_str).unwrap_or_default();
        let pv_name = pv.object.name.as_deref().unwrap_or_default();

        let claims = claims_of(ctx, pv, spec, pv_name);
        let mut mounted_by = Vec::new();
        for (claim, _, _) in &claims {
            let namespace = namespace_of(claim);
            let claim_name = claim.object.name.as_deref().unwrap_or_default();
            for reference in ctx.graph.references.iter().filter(|r| {
                r.kind == "PersistentVolumeClaim"
                    && r.namespace == namespace
                    && r.name == claim_name
            }) {
                mounted_by.push(reference);
            }
        }

        let mut summary = String::new();
        if let Some((claim, how, _)) = claims.first() {
            let verb = match how {
                Binding::Bound => "is bound to",
                Binding::CanBind => "can bind",
            };
            summary = format!("; {} {verb} it", claim.display());
            if claims.len() > 1 {
                summary.push_str(&format!(" (and {} more claims)", claims.len() - 1));
            }
            if let Some(first) = mounted_by.first() {
                summary.push_str(&format!(", mounted by {}", first.from.display()));
                if mounted_by.len() > 1 {
                    summary.push_str(&format!(" and {} more", mounted_by.len() - 1));
                }
            }
        }
        let mut finding = out
            .at(
                pv.at(path_node.unwrap_or(host_path).span()),
                format!(
                    "{} serves host path {} from a node: a pod that mounts a claim bound to it reaches the node's filesystem, which the Pod Security hostPath control does not see (it reads pod volumes only){summary}",
                    pv.display(),
                    code(path)
                ),
            )
            .object(pv.display())
            .fix("replace `hostPath` with a `local` PersistentVolume pinned by `nodeAffinity`, or provision through a CSI StorageClass; if the volume is only for a single-node test cluster, keep it out of this deliverable");
        for (claim, how, node) in &claims {
            let text = match how {
                Binding::Bound => "bound to this volume",
                Binding::CanBind => "can bind this volume (class, access modes and selector fit)",
            };
            finding = finding.label(claim.at(node.span()), format!("{} {text}", claim.display()));
        }
        for reference in mounted_by {
            finding = finding.label(
                reference.from.at(reference.node.span()),
                format!(
                    "{} mounts claim {}",
                    reference.from.display(),
                    code(reference.name)
                ),
            );
        }
        out.push(finding);
    }
}

/// The claims in the deliverable that are or can be bound to the volume,
/// bound ones first, each with the node that says so.
fn claims_of<'m>(
    ctx: &Context<'m>,
    pv: &ObjectView<'_>,
    spec: Value<'_>,
    pv_name: &str,
) -> Vec<(ObjectView<'m>, Binding, Value<'m>)> {
    let claim_ref = spec.get("claimRef").filter(|c| c.is_mapping());
    let reserved = claim_ref.and_then(|c| {
        let name = c.get_str("name")?;
        Some((c.get_str("namespace").unwrap_or("default"), name))
    });
    let pv_class = spec.get_str("storageClassName").unwrap_or_default();
    let pv_modes: Vec<&str> = spec
        .get("accessModes")
        .into_iter()
        .flat_map(Value::items)
        .filter_map(Value::as_str)
        .collect();
    let pv_labels = labels_of(pv.metadata());

    let mut bound = Vec::new();
    let mut can_bind = Vec::new();
    for &i in ctx.model.index.of_kind("PersistentVolumeClaim") {
        let Some(claim) = ctx
            .model
            .objects
            .get(i)
            .and_then(|o| ObjectView::new(ctx.model, o))
        else {
            continue;
        };
        let Some(claim_spec) = claim.root.get("spec") else {
            continue;
        };
        let namespace = namespace_of(&claim);
        let name = claim.object.name.as_deref().unwrap_or_default();
        if let Some(volume_name) = claim_spec.get("volumeName")
            && volume_name.as_str().is_some_and(|v| !v.is_empty())
        {
            if volume_name.as_str() == Some(pv_name) {
                bound.push((claim, Binding::Bound, volume_name));
            }
            continue;
        }
        if let Some((ref_ns, ref_name)) = reserved {
            if ref_ns == namespace
                && ref_name == name
                && let Some(node) = claim.metadata().and_then(|m| m.get("name"))
            {
                bound.push((claim, Binding::Bound, node));
            }
            continue;
        }
        let class = claim_spec.get("storageClassName");
        if class.and_then(Value::as_str).unwrap_or_default() != pv_class {
            continue;
        }
        let modes_fit = claim_spec
            .get("accessModes")
            .into_iter()
            .flat_map(Value::items)
            .filter_map(Value::as_str)
            .all(|m| pv_modes.contains(&m));
        let selector_fits = claim_spec
            .get("selector")
            .filter(|s| s.is_mapping())
            .is_none_or(|s| LabelSelector::from_label_selector(s).matches(&pv_labels));
        if modes_fit && selector_fits {
            let node = class
                .or_else(|| claim.metadata().and_then(|m| m.get("name")))
                .unwrap_or(claim.root);
            can_bind.push((claim, Binding::CanBind, node));
        }
    }
    bound.extend(can_bind);
    bound
}

/// The namespace an object lives in (`default` when unset).
fn namespace_of<'a>(object: &'a ObjectView<'_>) -> &'a str {
    object.object.namespace.as_deref().unwrap_or("default")
}
