use crate::{ObjectView, k8s_bool};
use assay_span::{FileId, FileSpan, Span};
use assay_yaml::Value;

/// Where a container comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ContainerKind {
    /// `initContainers` (including restartable sidecars).
    Init,
    /// `containers`.
    Regular,
    /// `ephemeralContainers`.
    Ephemeral,
}

impl ContainerKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ContainerKind::Init => "init container",
            ContainerKind::Regular => "container",
            ContainerKind::Ephemeral => "ephemeral container",
        }
    }
}

/// One environment variable of a container.
#[derive(Clone, Copy, Debug)]
pub struct EnvVar<'m> {
    pub name: Option<&'m str>,
    /// The `- name:` entry as a whole.
    pub node: Value<'m>,
    /// A literal `value:`.
    pub value: Option<Value<'m>>,
    /// `valueFrom.secretKeyRef`.
    pub secret_key_ref: Option<Value<'m>>,
}

/// A `hostPath` volume mounted into a container.
#[derive(Clone, Copy, Debug)]
pub struct HostPathMount<'m> {
    pub volume: &'m str,
    /// The volume's `hostPath.path` value.
    pub host_path: Value<'m>,
    /// The container's `volumeMounts[]` entry.
    pub mount: Value<'m>,
}

/// A container, whatever produced it: container rules are written once over this.
#[derive(Clone, Copy, Debug)]
pub struct ContainerView<'m> {
    pub object: ObjectView<'m>,
    pub kind: ContainerKind,
    /// Position in its list (`containers[index]`).
    pub index: usize,
    pub node: Value<'m>,
    pub pod: Value<'m>,
}

impl<'m> ContainerView<'m> {
    pub(crate) fn kubernetes(
        object: ObjectView<'m>,
        pod: Value<'m>,
        node: Value<'m>,
        kind: ContainerKind,
        index: usize,
    ) -> Self {
        Self {
            object,
            kind,
            index,
            node,
            pod,
        }
    }

    #[must_use]
    pub fn file_id(&self) -> FileId {
        self.object.file_id()
    }

    #[must_use]
    pub fn at(&self, span: Span) -> FileSpan {
        self.object.at(span)
    }

    #[must_use]
    pub fn name(&self) -> Option<&'m str> {
        self.node.get_str("name")
    }

    /// `Deployment shop/web`, the owning object.
    #[must_use]
    pub fn owner(&self) -> String {
        self.object.display()
    }

    /// `container "web"` / `init container "migrate"`.
    #[must_use]
    pub fn describe(&self) -> String {
        format!(
            "{} \"{}\"",
            self.kind.as_str(),
            self.name().unwrap_or("<unnamed>")
        )
    }

    /// Where to point when a setting is missing: the container's name.
    #[must_use]
    pub fn anchor(&self) -> FileSpan {
        let node = self.node.get("name").unwrap_or(self.node);
        self.at(node.span())
    }

    #[must_use]
    pub fn image(&self) -> Option<Value<'m>> {
        self.node.get("image")
    }

    #[must_use]
    pub fn env(&self) -> Vec<EnvVar<'m>> {
        self.node
            .get("env")
            .into_iter()
            .flat_map(Value::items)
            .filter(|e| e.is_mapping())
            .map(|node| EnvVar {
                name: node.get_str("name"),
                node,
                value: node.get("value"),
                secret_key_ref: node.path(&["valueFrom", "secretKeyRef"]),
            })
            .collect()
    }

    /// `command` (the image's entrypoint is replaced when set).
    #[must_use]
    pub fn command(&self) -> Vec<Value<'m>> {
        self.node
            .get("command")
            .into_iter()
            .flat_map(Value::items)
            .collect()
    }

    #[must_use]
    pub fn args(&self) -> Vec<Value<'m>> {
        self.node
            .get("args")
            .into_iter()
            .flat_map(Value::items)
            .collect()
    }

    /// `ports[]` entries (`containerPort`, `name`, `protocol`, `hostPort`).
    #[must_use]
    pub fn ports(&self) -> Vec<Value<'m>> {
        self.node
            .get("ports")
            .into_iter()
            .flat_map(Value::items)
            .collect()
    }

    /// The container port named `name`, for Services that target ports by name.
    #[must_use]
    pub fn port_named(&self, name: &str) -> Option<Value<'m>> {
        self.ports()
            .into_iter()
            .find(|p| p.get_str("name") == Some(name))
    }

    /// A probe: `livenessProbe`, `readinessProbe` or `startupProbe`.
    #[must_use]
    pub fn probe(&self, which: &str) -> Option<Value<'m>> {
        self.node.get(which).filter(|p| p.is_mapping())
    }

    /// `volumeMounts[]` entries.
    #[must_use]
    pub fn volume_mounts(&self) -> Vec<Value<'m>> {
        self.node
            .get("volumeMounts")
            .into_iter()
            .flat_map(Value::items)
            .collect()
    }

    /// The container's `securityContext`.
    #[must_use]
    pub fn security_context(&self) -> Option<Value<'m>> {
        self.node.get("securityContext")
    }

    /// The pod's `securityContext`.
    #[must_use]
    pub fn pod_security_context(&self) -> Option<Value<'m>> {
        self.pod.get("securityContext")
    }

    /// A container `securityContext` field.
    #[must_use]
    pub fn container_setting(&self, key: &str) -> Option<Value<'m>> {
        self.security_context().and_then(|sc| sc.get(key))
    }

    /// A field set on the container or, failing that, on the pod: the container
    /// wins where both are set (`runAsUser`, `runAsNonRoot`, `seccompProfile`, …).
    #[must_use]
    pub fn effective_setting(&self, key: &str) -> Option<Value<'m>> {
        self.container_setting(key)
            .filter(|v| !v.is_null())
            .or_else(|| {
                self.pod_security_context()
                    .and_then(|sc| sc.get(key))
                    .filter(|v| !v.is_null())
            })
    }

    #[must_use]
    pub fn capabilities(&self, list: &str) -> Vec<Value<'m>> {
        self.container_setting("capabilities")
            .and_then(|c| c.get(list))
            .into_iter()
            .flat_map(Value::items)
            .collect()
    }

    /// A pod-level boolean such as `hostNetwork`, with its node, when true.
    #[must_use]
    pub fn pod_flag(&self, key: &str) -> Option<Value<'m>> {
        self.pod.get(key).filter(|v| k8s_bool(*v) == Some(true))
    }

    /// `resources.<section>.<name>` (`requests`/`limits`, `cpu`/`memory`).
    #[must_use]
    pub fn resource(&self, section: &str, name: &str) -> Option<Value<'m>> {
        self.node.path(&["resources", section, name])
    }

    /// `true` when the pod targets Windows nodes (`spec.os.name: windows` or an
    /// OS node selector), where Linux-only controls do not apply.
    #[must_use]
    pub fn is_windows(&self) -> bool {
        self.pod.path(&["os", "name"]).and_then(Value::as_str) == Some("windows")
            || self
                .pod
                .path(&["nodeSelector", "kubernetes.io/os"])
                .and_then(Value::as_str)
                == Some("windows")
    }

    /// Every `hostPath` volume this container mounts.
    #[must_use]
    pub fn host_path_mounts(&self) -> Vec<HostPathMount<'m>> {
        let volumes: Vec<Value<'m>> = self
            .pod
            .get("volumes")
            .into_iter()
            .flat_map(Value::items)
            .collect();
        let mut out = Vec::new();
        for mount in self
            .node
            .get("volumeMounts")
            .into_iter()
            .flat_map(Value::items)
        {
            let Some(name) = mount.get_str("name") else {
                continue;
            };
            let host_path = volumes
                .iter()
                .find(|v| v.get_str("name") == Some(name))
                .and_then(|v| v.path(&["hostPath", "path"]));
            if let Some(host_path) = host_path {
                out.push(HostPathMount {
                    volume: name,
                    host_path,
                    mount,
                });
            }
        }
        out
    }
}
