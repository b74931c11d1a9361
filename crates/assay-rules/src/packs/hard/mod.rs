//! The `HARD` pack: container hardening, following the Kubernetes Pod Security
//! Standards (Baseline and Restricted) field by field, plus resource and image
//! hygiene that the standards leave out.
//!
//! The rules that check a control of the standards are wrapped in
//! [`Admission`]: for a pod whose Namespace (in the input) carries Pod
//! Security admission labels, the namespace's modes and pinned versions
//! decide the severity. Their messages name the standard they apply
//! ("the Baseline Pod Security Standard …"), which is how each finding's
//! level is known.

mod hard001_privileged_container;
mod hard002_privilege_escalation_allowed;
mod hard003_runs_as_root;
mod hard004_capabilities_not_dropped;
mod hard005_dangerous_capability_added;
mod hard006_writable_root_filesystem;
mod hard007_host_namespaces;
mod hard008_host_path_volume;
mod hard009_container_runtime_socket_mounted;
mod hard010_missing_resource_requests;
mod hard011_missing_memory_limit;
mod hard012_image_tag_mutable;
mod hard013_image_not_pinned_by_digest;
mod hard014_seccomp_profile;
mod hard015_host_port;
mod hard016_unsafe_sysctl;
mod hard017_proc_mount_unmasked;
mod hard018_apparmor_unconfined;
mod hard019_selinux_custom_options;
mod hard020_windows_host_process;
mod hard021_restricted_volume_type;
mod hard022_probe_or_lifecycle_host;
mod hard023_persistent_volume_host_path;

use crate::Pack;
use crate::pod_security::Admission;
use assay_compose::{Node, Service};
use assay_model::{ContainerView, ObjectView, k8s_bool};
use assay_span::FileSpan;
use assay_yaml::Value;

pub(crate) const PACK: Pack = Pack {
    prefix: "HARD",
    folder: "hard",
    title: "Container hardening (Pod Security Standards)",
    rules: &[
        &Admission(hard001_privileged_container::PrivilegedContainer),
        &Admission(hard002_privilege_escalation_allowed::PrivilegeEscalationAllowed),
        &Admission(hard003_runs_as_root::RunsAsRoot),
        &Admission(hard004_capabilities_not_dropped::CapabilitiesNotDropped),
        &Admission(hard005_dangerous_capability_added::DangerousCapabilityAdded),
        &hard006_writable_root_filesystem::WritableRootFilesystem,
        &Admission(hard007_host_namespaces::HostNamespaces),
        &Admission(hard008_host_path_volume::HostPathVolume),
        &Admission(hard009_container_runtime_socket_mounted::ContainerRuntimeSocketMounted),
        &hard010_missing_resource_requests::MissingResourceRequests,
        &hard011_missing_memory_limit::MissingMemoryLimit,
        &hard012_image_tag_mutable::ImageTagMutable,
        &hard013_image_not_pinned_by_digest::ImageNotPinnedByDigest,
        &Admission(hard014_seccomp_profile::SeccompProfile),
        &Admission(hard015_host_port::HostPort),
        &Admission(hard016_unsafe_sysctl::UnsafeSysctl),
        &Admission(hard017_proc_mount_unmasked::ProcMountUnmasked),
        &Admission(hard018_apparmor_unconfined::AppArmorUnconfined),
        &Admission(hard019_selinux_custom_options::SelinuxCustomOptions),
        &Admission(hard020_windows_host_process::WindowsHostProcess),
        &Admission(hard021_restricted_volume_type::RestrictedVolumeType),
        &Admission(hard022_probe_or_lifecycle_host::ProbeOrLifecycleHost),
        &hard023_persistent_volume_host_path::PersistentVolumeHostPath,
    ],
};

/// The kinds that carry a pod spec (object-scoped pod-level checks).
pub(crate) const POD_KINDS: &[&str] = assay_model::WORKLOAD_KINDS;

/// A Windows pod, by `spec.os.name: windows` (which the Pod Security
/// Standards exempt from the Linux-only Restricted controls) or by a node
/// selector pinning it to Windows nodes: Linux hardening advice does not
/// apply to either, and the WIN pack says what does.
pub(crate) fn windows_pod(pod: Value<'_>) -> bool {
    crate::windows::is_windows_pod(pod)
}

/// `true` when the node is a Kubernetes boolean `true`.
pub(crate) fn is_true(value: Option<Value<'_>>) -> bool {
    value.and_then(k8s_bool) == Some(true)
}

/// A set, non-null node.
pub(crate) fn present(value: Option<Value<'_>>) -> Option<Value<'_>> {
    value.filter(|v| !v.is_null())
}

/// A string scalar that is set and not empty.
pub(crate) fn non_empty_str(value: Option<Value<'_>>) -> Option<&str> {
    value.and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// Where to point for a missing container setting: the first of the given
/// nodes that exists (pass key nodes, see [`key_of`]), else the container's name.
pub(crate) fn container_location(
    container: &ContainerView<'_>,
    candidates: &[Option<Value<'_>>],
) -> FileSpan {
    candidates
        .iter()
        .flatten()
        .next()
        .map_or_else(|| container.anchor(), |v| container.at(v.span()))
}

/// The key node of `key` in `parent` (`requests:`), to point at a mapping that
/// lacks something: a mapping's own span starts at its first entry.
pub(crate) fn key_of<'m>(parent: Option<Value<'m>>, key: &str) -> Option<Value<'m>> {
    parent.and_then(|p| p.entry(key)).map(|(k, _)| k)
}

/// Every `securityContext` of a workload with a description of its owner: the
/// pod's (`None` container) first, then each container's.
pub(crate) fn security_contexts<'m>(
    object: &ObjectView<'m>,
) -> Vec<(Option<ContainerView<'m>>, Value<'m>)> {
    let mut out = Vec::new();
    if let Some(sc) = object.pod_spec().and_then(|p| p.get("securityContext")) {
        out.push((None, sc));
    }
    for container in object.containers() {
        if let Some(sc) = container.security_context() {
            out.push((Some(container), sc));
        }
    }
    out
}

/// `the pod of Deployment shop/web` / `container "web" of Deployment shop/web`.
pub(crate) fn whose(object: &ObjectView<'_>, container: Option<&ContainerView<'_>>) -> String {
    match container {
        Some(c) => format!("{} of {}", c.describe(), object.display()),
        None => pod_of(object),
    }
}

/// `Pod shop/debug` for a Pod, `the pod of Deployment shop/web` for a workload.
pub(crate) fn pod_of(object: &ObjectView<'_>) -> String {
    if object.kind() == "Pod" {
        object.display()
    } else {
        format!("the pod of {}", object.display())
    }
}

/// Capability name as runtimes read it: upper case, without `CAP_`.
pub(crate) fn capability_name(text: &str) -> String {
    let upper = text.trim().to_ascii_uppercase();
    upper
        .strip_prefix("CAP_")
        .map_or_else(|| upper.clone(), str::to_owned)
}

/// The capabilities the Baseline policy allows in `capabilities.add`.
pub(crate) const BASELINE_CAPABILITIES: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// A `hostPath` volume of a pod.
#[derive(Clone, Copy, Debug)]
pub(crate) struct HostPathVolume<'m> {
    pub(crate) name: &'m str,
    /// The `hostPath` mapping.
    pub(crate) host_path: Value<'m>,
    /// `hostPath.path`, when written.
    pub(crate) path: Option<Value<'m>>,
}

impl HostPathVolume<'_> {
    /// The node to point at: the path value, else the `hostPath` mapping.
    pub(crate) fn node(&self) -> Value<'_> {
        self.path.unwrap_or(self.host_path)
    }
}

/// The `hostPath` volumes of a pod spec.
pub(crate) fn host_path_volumes(pod: Value<'_>) -> Vec<HostPathVolume<'_>> {
    pod.get("volumes")
        .into_iter()
        .flat_map(Value::items)
        .filter_map(|v| {
            let host_path = v.get("hostPath").filter(|h| !h.is_null())?;
            Some(HostPathVolume {
                name: v.get_str("name").unwrap_or("<unnamed>"),
                host_path,
                path: host_path.get("path"),
            })
        })
        .collect()
}

/// The `volumeMounts[]` entries of the workload's containers that mount `volume`.
pub(crate) fn mounts_of<'m>(
    object: &ObjectView<'m>,
    volume: &str,
) -> Vec<(ContainerView<'m>, Value<'m>)> {
    let mut out = Vec::new();
    for container in object.containers() {
        for mount in container.volume_mounts() {
            if mount.get_str("name") == Some(volume) {
                out.push((container, mount));
            }
        }
    }
    out
}

/// The annotations of the pod template (a Pod's own), key and value.
pub(crate) fn pod_annotations<'m>(
    object: &ObjectView<'m>,
) -> impl Iterator<Item = (Value<'m>, Value<'m>)> + 'm {
    object
        .pod_metadata()
        .and_then(|m| m.get("annotations"))
        .into_iter()
        .flat_map(Value::entries)
}

/// Container runtime sockets (and Windows named pipes), with their runtime.
pub(crate) const RUNTIME_SOCKETS: &[(&str, &str)] = &[
    ("/var/run/docker.sock", "Docker"),
    ("/run/docker.sock", "Docker"),
    ("/var/run/containerd/containerd.sock", "containerd"),
    ("/run/containerd/containerd.sock", "containerd"),
    ("/run/k3s/containerd/containerd.sock", "containerd"),
    ("/var/run/crio/crio.sock", "CRI-O"),
    ("/run/crio/crio.sock", "CRI-O"),
    ("/var/run/podman/podman.sock", "Podman"),
    ("/run/podman/podman.sock", "Podman"),
    ("/var/run/cri-dockerd.sock", "cri-dockerd"),
    ("/run/cri-dockerd.sock", "cri-dockerd"),
    (r"\\.\pipe\docker_engine", "Docker"),
    (r"\\.\pipe\containerd-containerd", "containerd"),
];

/// A host path as the kernel resolves it: no trailing, doubled or `.` segments.
pub(crate) fn normalize_host_path(path: &str) -> String {
    let path = path.trim();
    if path.starts_with('\\') {
        return path.trim_end_matches('\\').to_ascii_lowercase();
    }
    let segments: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    format!("/{}", segments.join("/"))
}

/// The runtime socket a host path is, or contains: `(socket, runtime, exact)`.
pub(crate) fn runtime_socket(path: &str) -> Option<(&'static str, &'static str, bool)> {
    if path.trim().is_empty() {
        return None;
    }
    let path = normalize_host_path(path);
    if let Some((socket, runtime)) = RUNTIME_SOCKETS
        .iter()
        .find(|(s, _)| s.to_ascii_lowercase() == path)
    {
        return Some((socket, runtime, true));
    }
    if path.starts_with('\\') {
        return None;
    }
    let prefix = if path == "/" {
        "/".to_owned()
    } else {
        format!("{path}/")
    };
    RUNTIME_SOCKETS
        .iter()
        .find(|(s, _)| s.starts_with(&prefix))
        .map(|(s, r)| (*s, *r, false))
}

/// A container image reference, split the way container runtimes split it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ImageRef<'a> {
    /// Registry, port and repository: everything before the tag.
    pub(crate) name: &'a str,
    pub(crate) tag: Option<&'a str>,
    /// After `@`, such as `sha256:…`.
    pub(crate) digest: Option<&'a str>,
}

impl ImageRef<'_> {
    /// A well-formed `sha256:<64 hex>` (or `sha512:<128 hex>`) digest.
    pub(crate) fn has_valid_digest(&self) -> bool {
        let Some((algorithm, hex)) = self.digest.and_then(|d| d.split_once(':')) else {
            return false;
        };
        let len = match algorithm {
            "sha256" => 64,
            "sha512" => 128,
            _ => return false,
        };
        hex.len() == len
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    }
}

/// A container's `image` node and its parsed reference, when it has one.
pub(crate) fn container_image<'m>(
    container: &ContainerView<'m>,
) -> Option<(Value<'m>, ImageRef<'m>)> {
    let value = container.image()?;
    let image = parse_image(value.as_str()?)?;
    Some((value, image))
}

/// Split `registry:5000/team/app:1.2@sha256:…`; `None` for empty references
/// and unrendered placeholders (`{{ .Values.image }}`, `${IMAGE}`, `<image>`,
/// `__IMAGE__`: `YAML009` reports those, so no rule judges their tag).
pub(crate) fn parse_image(text: &str) -> Option<ImageRef<'_>> {
    let text = text.trim();
    if text.is_empty()
        || text.contains('$')
        || text.contains(' ')
        || crate::placeholder::find(text).is_some()
    {
        return None;
    }
    let (rest, digest) = match text.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (text, None),
    };
    let last = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest.get(last..).and_then(|s| s.rfind(':')) {
        Some(colon) => (
            rest.get(..last + colon).unwrap_or(rest),
            rest.get(last + colon + 1..),
        ),
        None => (rest, None),
    };
    Some(ImageRef {
        name,
        tag: tag.filter(|t| !t.is_empty()),
        digest: digest.filter(|d| !d.is_empty()),
    })
}

/// `service "db"`: how findings name a compose service.
pub(crate) fn service_owner(service: &Service<'_>) -> String {
    format!("service \"{}\"", service.name())
}

/// `security_opt` entries for `option` (`option:value`, `option=value` or a
/// bare `option`), each with its value (`""` when bare).
pub(crate) fn security_opt<'p>(service: &Service<'p>, option: &str) -> Vec<(&'p Node, &'p str)> {
    service
        .list("security_opt")
        .iter()
        .filter_map(|item| {
            let text = item.as_str()?;
            let (name, value) = text.split_once([':', '=']).unwrap_or((text, ""));
            (name.trim() == option).then_some((item, value.trim()))
        })
        .collect()
}

/// Where to point for a missing compose setting: the key if written, else the
/// service's name.
pub(crate) fn service_location(service: &Service<'_>, key: &str) -> FileSpan {
    service
        .setting(key)
        .map_or_else(|| service.name_at(), |e| e.key_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references() {
        let r = parse_image("nginx").unwrap();
        assert_eq!((r.name, r.tag, r.digest), ("nginx", None, None));
        let r = parse_image("registry:5000/team/app").unwrap();
        assert_eq!((r.name, r.tag), ("registry:5000/team/app", None));
        let r = parse_image("registry:5000/team/app:1.2").unwrap();
        assert_eq!((r.name, r.tag), ("registry:5000/team/app", Some("1.2")));
        let digest = format!("sha256:{}", "a".repeat(64));
        let text = format!("app:1.2@{digest}");
        let r = parse_image(&text).unwrap();
        assert_eq!(
            (r.name, r.tag, r.digest),
            ("app", Some("1.2"), Some(digest.as_str()))
        );
        assert!(r.has_valid_digest());
        assert!(!parse_image("app@sha256:abc").unwrap().has_valid_digest());
        assert!(parse_image("{{ .Values.image }}").is_none());
        assert!(parse_image("${IMAGE}").is_none());
        for placeholder in ["<image>", "__IMAGE__", "app:__TAG__", "app:#{Tag}#"] {
            assert!(parse_image(placeholder).is_none(), "{placeholder}");
        }
    }

    #[test]
    fn runtime_sockets() {
        assert_eq!(
            runtime_socket("/var/run/docker.sock").map(|s| s.2),
            Some(true)
        );
        assert_eq!(
            runtime_socket("/var/run//docker.sock/").map(|s| s.2),
            Some(true)
        );
        assert_eq!(runtime_socket("/var/run").map(|s| s.2), Some(false));
        assert_eq!(runtime_socket("/run/").map(|s| s.2), Some(false));
        assert_eq!(runtime_socket("/").map(|s| s.2), Some(false));
        assert_eq!(
            runtime_socket(r"\\.\pipe\docker_engine").map(|s| s.1),
            Some("Docker")
        );
        assert!(runtime_socket("/var/log").is_none());
        assert!(runtime_socket("/var/run-data").is_none());
        assert!(runtime_socket("").is_none());
    }

    #[test]
    fn capability_names() {
        assert_eq!(capability_name("cap_sys_admin"), "SYS_ADMIN");
        assert_eq!(capability_name("NET_ADMIN"), "NET_ADMIN");
    }
}
