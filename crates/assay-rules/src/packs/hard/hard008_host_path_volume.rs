use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::code;
use assay_model::{ObjectView, k8s_bool};

use super::{POD_KINDS, host_path_volumes, mounts_of, pod_of, runtime_socket};

declare_rule! {
    /// The pod mounts a hostPath volume (Pod Security Standards: Baseline)
    ///
    /// ## What it checks
    /// Every `hostPath` volume in the pod spec of a workload, reported once at
    /// its `hostPath.path`, with a label at each container mount (and whether it
    /// is read-only). The Baseline level of the Pod Security Standards
    /// ("HostPath Volumes") forbids them outright. A hostPath that is or
    /// contains a container runtime socket is reported by HARD009 instead,
    /// as an error.
    ///
    /// ## Why it matters
    /// A hostPath volume exposes the node's filesystem to the pod. Writable, it
    /// lets the container plant files the node executes (cron, systemd units,
    /// kubelet config); even read-only it can leak credentials such as kubelet
    /// certificates or other pods' secrets under `/var/lib/kubelet`. It also ties
    /// the pod to whatever the node happens to have at that path. A namespace
    /// enforcing Baseline rejects the pod.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: logs
    /// spec:
    ///   containers:
    ///     - name: shipper
    ///       image: example/shipper:1.4
    ///       volumeMounts:
    ///         - name: varlog
    ///           mountPath: /var/log
    ///           readOnly: true
    ///   volumes:
    ///     - name: varlog
    ///       hostPath:
    ///         path: /var/log
    /// ```
    ///
    /// ## Fix
    /// Use a volume type that does not reach into the node, such as `emptyDir`,
    /// `configMap`, `secret` or a `persistentVolumeClaim`:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: logs
    /// spec:
    ///   containers:
    ///     - name: shipper
    ///       image: example/shipper:1.4
    ///       volumeMounts:
    ///         - name: buffer
    ///           mountPath: /var/buffer
    ///   volumes:
    ///     - name: buffer
    ///       emptyDir: {}
    /// ```
    ///
    /// ## References
    /// - Pod Security Standards, Baseline, "HostPath Volumes": https://kubernetes.io/docs/concepts/security/pod-security-standards/
    /// - Pod Security admission check: https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_hostPathVolumes.go
    /// - hostPath volumes and their risks: https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
    pub(crate) struct HostPathVolume {
        id: "HARD008",
        name: "host-path-volume",
        severity: Warning,
        scope: Scope::Object(POD_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for HostPathVolume {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(pod) = object.pod_spec() else {
            return;
        };
        for volume in host_path_volumes(pod) {
            let path = volume.path.and_then(|p| p.as_str()).unwrap_or_default();
            if runtime_socket(path).is_some() {
                continue;
            }
            let mut f = out
                .at(
                    object.at(volume.node().span()),
                    format!(
                        "{} mounts host path {} (volume {}) from the node; the Baseline Pod Security Standard forbids hostPath volumes",
                        pod_of(object),
                        code(path),
                        code(volume.name)
                    ),
                )
                .object(object.display())
                .fix(format!(
                    "replace the `hostPath` of volume {} with an `emptyDir`, `configMap`, `secret` or `persistentVolumeClaim` volume; if node access is unavoidable, mount it `readOnly: true` and run the workload in a namespace labelled `pod-security.kubernetes.io/enforce: privileged`",
                    code(volume.name)
                ));
            for (container, mount) in mounts_of(object, volume.name) {
                let read_only = mount.get("readOnly").and_then(k8s_bool) == Some(true);
                let how = if read_only { "read-only" } else { "writable" };
                f = f.label(
                    container.at(mount.span()),
                    format!("mounted {how} by {}", container.describe()),
                );
            }
            out.push(f);
        }
    }
}
