use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;
use assay_yaml::Value;

use super::POD_KINDS;

declare_rule! {
    /// The pod uses a volume type the Restricted level does not allow
    ///
    /// ## What it checks
    /// Each entry of the pod's `volumes` must be one of the types the
    /// Restricted level of the Pod Security Standards ("Volume Types") allows:
    /// `configMap`, `csi`, `downwardAPI`, `emptyDir`, `ephemeral`,
    /// `persistentVolumeClaim`, `projected` or `secret`. Other types (`nfs`,
    /// `iscsi`, `cephfs`, `gitRepo`, cloud disks, …) are reported at the type
    /// key. `hostPath` is left to HARD008 and HARD009, which report it as a
    /// Baseline violation.
    ///
    /// ## Why it matters
    /// In-tree volume types let the pod author choose what the kubelet mounts
    /// from where, with the node's credentials: an NFS export or an iSCSI
    /// target of someone else, a `gitRepo` cloned as root (CVE-2018-11235 and
    /// CVE-2024-10220). Persistent volume claims keep that decision with the
    /// cluster administrator.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       volumeMounts:
    ///         - name: content
    ///           mountPath: /usr/share/nginx/html
    ///   volumes:
    ///     - name: content
    ///       nfs:
    ///         server: nfs.example.com
    ///         path: /exports/web
    /// ```
    ///
    /// ## Fix
    /// Mount the storage through a PersistentVolumeClaim:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       volumeMounts:
    ///         - name: content
    ///           mountPath: /usr/share/nginx/html
    ///   volumes:
    ///     - name: content
    ///       persistentVolumeClaim:
    ///         claimName: web-content
    /// ```
    ///
    /// ## References
    /// - Pod Security Standards, Restricted, "Volume Types": https://kubernetes.io/docs/concepts/security/pod-security-standards/
    /// - Pod Security admission check: https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_restrictedVolumes.go
    /// - Volume types: https://kubernetes.io/docs/concepts/storage/volumes/
    pub(crate) struct RestrictedVolumeType {
        id: "HARD021",
        name: "restricted-volume-type",
        severity: Warning,
        scope: Scope::Object(POD_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

const ALLOWED: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

impl Rule for RestrictedVolumeType {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(pod) = object.pod_spec() else {
            return;
        };
        for volume in pod.get("volumes").into_iter().flat_map(Value::items) {
            let name = volume.get_str("name").unwrap_or("<unnamed>");
            for (key, value) in volume.entries() {
                let Some(kind) = key.as_str() else { continue };
                if kind == "name" || kind == "<<" || kind == "hostPath" || value.is_null() {
                    continue;
                }
                if ALLOWED.contains(&kind) {
                    continue;
                }
                let f = out
                    .at(
                        object.at(key.span()),
                        format!(
                            "volume `{name}` of {} is of type `{kind}`; the Restricted Pod Security Standard allows only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret",
                            object.display()
                        ),
                    )
                    .object(object.display())
                    .fix(format!("mount the storage of volume `{name}` through a `persistentVolumeClaim` (or a CSI driver) instead of an inline `{kind}` volume"));
                out.push(f);
            }
        }
    }
}
