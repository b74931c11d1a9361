use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_compose::{Service, VolumeType};
use assay_diagnostics::code;
use assay_model::ObjectView;

use super::{POD_KINDS, host_path_volumes, mounts_of, pod_of, runtime_socket, service_owner};

declare_rule! {
    /// The pod mounts the container runtime socket (Docker, containerd, CRI-O)
    ///
    /// ## What it checks
    /// `hostPath` volumes whose path is a container runtime socket —
    /// `/var/run/docker.sock`, `/run/containerd/containerd.sock`,
    /// `/var/run/crio/crio.sock`, `/run/podman/podman.sock`, cri-dockerd, k3s'
    /// containerd, the Windows pipes `\\.\pipe\docker_engine` and
    /// `\\.\pipe\containerd-containerd` — or a directory that contains one
    /// (`/var/run`, `/run`, `/run/containerd`, `/`). Paths are compared after
    /// removing trailing and doubled slashes. Reported at `hostPath.path`, with a
    /// label at each container mount. Like every hostPath volume, this violates
    /// the Baseline level of the Pod Security Standards; HARD008 leaves these
    /// volumes to this rule.
    ///
    /// Compose services: a bind mount of a runtime socket in short or long
    /// syntax (read-only or not), and `use_api_socket: true`.
    ///
    /// ## Why it matters
    /// The runtime socket is root on the node: whoever can talk to it can start
    /// a privileged container with the host filesystem mounted, read every
    /// other container's secrets and stop the node's workloads. Read-only
    /// mounting does not help: connecting to a socket needs no write access to
    /// the file. Build and CI jobs should use rootless builders (BuildKit
    /// rootless, kaniko, buildah) instead.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: ci-runner
    /// spec:
    ///   containers:
    ///     - name: runner
    ///       image: example/runner:16.1
    ///       volumeMounts:
    ///         - name: docker
    ///           mountPath: /var/run/docker.sock
    ///   volumes:
    ///     - name: docker
    ///       hostPath:
    ///         path: /var/run/docker.sock
    ///         type: Socket
    /// ```
    ///
    /// ## Fix
    /// Build without the node's daemon, for example with rootless BuildKit:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: ci-runner
    /// spec:
    ///   containers:
    ///     - name: runner
    ///       image: moby/buildkit:v0.16.0-rootless
    ///       volumeMounts:
    ///         - name: buildkitd
    ///           mountPath: /home/user/.local/share/buildkit
    ///   volumes:
    ///     - name: buildkitd
    ///       emptyDir: {}
    /// ```
    ///
    /// ## References
    /// - Pod Security Standards, Baseline, "HostPath Volumes": https://kubernetes.io/docs/concepts/security/pod-security-standards/
    /// - Docker daemon attack surface: https://docs.docker.com/engine/security/#docker-daemon-attack-surface
    /// - OWASP Docker Security Cheat Sheet, rule 1 (do not expose the Docker daemon socket): https://cheatsheetseries.owasp.org/cheatsheets/Docker_Security_Cheat_Sheet.html
    /// - Compose Specification, services (`privileged`, `user`, `read_only`, `cap_add`, `security_opt`, …): https://docs.docker.com/reference/compose-file/services/
    pub(crate) struct ContainerRuntimeSocketMounted {
        id: "HARD009",
        name: "container-runtime-socket-mounted",
        severity: Error,
        scope: Scope::Object(POD_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for ContainerRuntimeSocketMounted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(pod) = object.pod_spec() else {
            return;
        };
        for volume in host_path_volumes(pod) {
            let path = volume.path.and_then(|p| p.as_str()).unwrap_or_default();
            let Some((socket, runtime, exact)) = runtime_socket(path) else {
                continue;
            };
            let kind = if socket.starts_with('\\') {
                "named pipe"
            } else {
                "socket"
            };
            let what = if exact {
                format!("the {runtime} {kind} {}", code(path))
            } else {
                format!(
                    "{}, which contains the {runtime} socket `{socket}`",
                    code(path)
                )
            };
            let mut f = out
                .at(
                    object.at(volume.node().span()),
                    format!(
                        "{} mounts {what} (volume {}): access to it is root on the node (hostPath volumes also violate the Baseline Pod Security Standard)",
                        pod_of(object),
                        code(volume.name)
                    ),
                )
                .object(object.display())
                .fix(format!(
                    "remove volume {} and its mounts; build images with a rootless builder (BuildKit rootless, kaniko, buildah) and talk to the API server rather than the runtime",
                    code(volume.name)
                ));
            for (container, mount) in mounts_of(object, volume.name) {
                f = f.label(
                    container.at(mount.span()),
                    format!("mounted by {}", container.describe()),
                );
            }
            out.push(f);
        }
    }

    fn check_service(&self, _ctx: &Context<'_>, s: &Service<'_>, out: &mut Findings<'_>) {
        for volume in s.volumes() {
            if volume.spec.kind != VolumeType::Bind {
                continue;
            }
            let path = volume.spec.source.as_str();
            let Some((socket, runtime, exact)) = runtime_socket(path) else {
                continue;
            };
            let what = if exact {
                format!("the {runtime} socket `{path}`")
            } else {
                format!("`{path}`, which contains the {runtime} socket `{socket}`")
            };
            let ro = if volume.spec.read_only {
                " (read-only does not help: a socket is written to by connecting)"
            } else {
                ""
            };
            let f = out
                .at(volume.at, format!("{} mounts {what}{ro}: access to it is root on the host", s.describe()))
                .object(service_owner(s))
                .fix("remove the mount; build images with a rootless builder and never hand the engine's API to a container");
            out.push(f);
        }
        if let Some(value) = s
            .get("use_api_socket")
            .filter(|v| v.as_bool() == Some(true))
        {
            let f = out
                .at(value.at, format!("{} sets `use_api_socket: true`, which mounts the Docker engine's API socket: access to it is root on the host", s.describe()))
                .object(service_owner(s))
                .fix("remove `use_api_socket: true`");
            out.push(f);
        }
    }
}
