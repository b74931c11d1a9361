/// A control-plane component whose settings assay reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Component {
    Etcd,
    KubeApiserver,
    KubeControllerManager,
    KubeScheduler,
    Kubelet,
}

impl Component {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Component::Etcd => "etcd",
            Component::KubeApiserver => "kube-apiserver",
            Component::KubeControllerManager => "kube-controller-manager",
            Component::KubeScheduler => "kube-scheduler",
            Component::Kubelet => "kubelet",
        }
    }

    /// The component a program path runs (`/usr/local/bin/etcd` → etcd).
    #[must_use]
    pub fn from_program(program: &str) -> Option<Self> {
        let base = program.rsplit('/').next().unwrap_or(program);
        Some(match base {
            "etcd" => Component::Etcd,
            "kube-apiserver" => Component::KubeApiserver,
            "kube-controller-manager" => Component::KubeControllerManager,
            "kube-scheduler" => Component::KubeScheduler,
            "kubelet" => Component::Kubelet,
            _ => return None,
        })
    }

    /// The component an image runs as its entrypoint, by repository name
    /// (`registry.k8s.io/etcd:3.5.15-0` → etcd), for containers that give
    /// only `args`.
    #[must_use]
    pub fn from_image(image: &str) -> Option<Self> {
        let without_digest = image.split('@').next().unwrap_or(image);
        let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
        let repo = last.split(':').next().unwrap_or(last);
        Self::from_program(repo)
    }

    /// The prefix of the environment variables the component reads as flags.
    #[must_use]
    pub fn env_prefix(self) -> Option<&'static str> {
        match self {
            Component::Etcd => Some("ETCD_"),
            _ => None,
        }
    }

    /// etcd parses flags with Go's `flag` package, which stops at the first
    /// argument that is not a flag; the Kubernetes components use `pflag`,
    /// which reads flags after positional arguments too.
    #[must_use]
    pub fn stops_at_first_argument(self) -> bool {
        self == Component::Etcd
    }

    /// Boolean flags take no separate value (`--client-cert-auth` alone is
    /// true; `--client-cert-auth false` would leave `false` as an argument).
    #[must_use]
    pub fn is_bool_flag(self, name: &str) -> bool {
        let list: &[&str] = match self {
            // etcd v3.5/v3.6 `etcdmain/config.go` and `server/embed/config.go`.
            Component::Etcd => &[
                "client-cert-auth",
                "peer-client-cert-auth",
                "auto-tls",
                "peer-auto-tls",
                "strict-reconfig-check",
                "enable-v2",
                "enable-pprof",
                "enable-grpc-gateway",
                "force-new-cluster",
                "debug",
                "pre-vote",
                "socket-reuse-port",
                "socket-reuse-address",
                "peer-skip-client-san-verification",
                "client-skip-san-verification",
                "unsafe-no-fsync",
                "version",
                "experimental-initial-corrupt-check",
                "experimental-enable-lease-checkpoint",
                "experimental-enable-distributed-tracing",
                "experimental-memory-mlock",
                "experimental-stop-grpc-service-on-defrag",
            ],
            Component::KubeApiserver => &[
                "allow-privileged",
                "anonymous-auth",
                "profiling",
                "contention-profiling",
                "enable-aggregator-routing",
                "enable-bootstrap-token-auth",
                "enable-garbage-collector",
                "enable-priority-and-fairness",
                "enable-logs-handler",
                "encryption-provider-config-automatic-reload",
                "service-account-lookup",
                "logtostderr",
                "alsologtostderr",
                "help",
            ],
            Component::KubeControllerManager | Component::KubeScheduler => &[
                "use-service-account-credentials",
                "profiling",
                "contention-profiling",
                "leader-elect",
                "logtostderr",
                "alsologtostderr",
                "help",
            ],
            Component::Kubelet => &[
                "anonymous-auth",
                "rotate-certificates",
                "rotate-server-certificates",
                "protect-kernel-defaults",
                "make-iptables-util-chains",
                "fail-swap-on",
                "logtostderr",
                "alsologtostderr",
                "help",
            ],
        };
        list.contains(&name)
    }

    /// Flags whose repeated occurrences add up (`pflag` `StringSlice`,
    /// `StringArray` and map flags) instead of the last one winning.
    #[must_use]
    pub fn accumulates(self, name: &str) -> bool {
        match self {
            Component::Etcd => false,
            _ => matches!(
                name,
                "etcd-servers"
                    | "enable-admission-plugins"
                    | "disable-admission-plugins"
                    | "authorization-mode"
                    | "tls-cipher-suites"
                    | "api-audiences"
                    | "service-account-key-file"
                    | "service-account-issuer"
                    | "runtime-config"
                    | "feature-gates"
                    | "controllers"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_and_images() {
        assert_eq!(
            Component::from_program("/usr/local/bin/etcd"),
            Some(Component::Etcd)
        );
        assert_eq!(Component::from_program("etcdctl"), None);
        assert_eq!(
            Component::from_image("registry.k8s.io/kube-apiserver:v1.30.0"),
            Some(Component::KubeApiserver)
        );
        assert_eq!(
            Component::from_image("quay.io/coreos/etcd@sha256:00"),
            Some(Component::Etcd)
        );
        assert_eq!(
            Component::from_image("registry.k8s.io/etcdadm/etcd-manager-slim:v3"),
            None
        );
    }
}
