use crate::{Context, Findings, KubernetesVersion, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::{code, plain};
use assay_model::ObjectView;
use assay_yaml::Value;

use super::{POD_KINDS, pod_of};

declare_rule! {
    /// The pod sets a sysctl outside the safe set (Pod Security Standards: Baseline)
    ///
    /// ## What it checks
    /// Each `spec.securityContext.sysctls[].name` must be in the safe set the
    /// Baseline level of the Pod Security Standards ("Sysctls") allows, for the
    /// targeted Kubernetes version: `kernel.shm_rmid_forced`,
    /// `net.ipv4.ip_local_port_range`, `net.ipv4.ip_unprivileged_port_start`,
    /// `net.ipv4.tcp_syncookies`, `net.ipv4.ping_group_range`, from 1.27
    /// `net.ipv4.ip_local_reserved_ports`, and from 1.29
    /// `net.ipv4.tcp_keepalive_time`, `net.ipv4.tcp_fin_timeout`,
    /// `net.ipv4.tcp_keepalive_intvl`, `net.ipv4.tcp_keepalive_probes`, from
    /// 1.32 `net.ipv4.tcp_rmem`, `net.ipv4.tcp_wmem`, and from 1.37
    /// `net.ipv4.tcp_slow_start_after_idle`, `net.ipv4.tcp_notsent_lowat`.
    /// Names are compared exactly, as admission compares them: a name written
    /// with `/` separators (`net/ipv4/tcp_syncookies`) is not in the set. When
    /// such a name is a safe sysctl spelt with slashes, which the kubelet
    /// accepts, the finding says so and asks for the dotted spelling.
    ///
    /// ## Why it matters
    /// Unsafe sysctls are not namespaced, or are namespaced but can starve the
    /// node (`kernel.msgmax`, `net.core.somaxconn` on old kernels,
    /// `vm.*`): setting them affects every pod on the node. The kubelet refuses
    /// them unless allow-listed with `--allowed-unsafe-sysctls`, so the pod
    /// usually fails with `SysctlForbidden`; a Baseline namespace rejects it.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: db
    /// spec:
    ///   securityContext:
    ///     sysctls:
    ///       - name: kernel.msgmax
    ///         value: "65536"
    ///   containers:
    ///     - name: db
    ///       image: postgres:16.4
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: db
    /// spec:
    ///   securityContext:
    ///     sysctls:
    ///       - name: net.ipv4.ip_local_port_range
    ///         value: "1024 65000"
    ///   containers:
    ///     - name: db
    ///       image: postgres:16.4
    /// ```
    ///
    /// ## References
    /// - Pod Security Standards, Baseline, "Sysctls": https://kubernetes.io/docs/concepts/security/pod-security-standards/
    /// - Pod Security admission check: https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_sysctls.go
    /// - Using sysctls in a Kubernetes cluster: https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/
    pub(crate) struct UnsafeSysctl {
        id: "HARD016",
        name: "unsafe-sysctl",
        severity: Error,
        scope: Scope::Object(POD_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

/// Safe sysctls and the Kubernetes minor version from which Baseline allows them.
const SAFE: &[(&str, u32)] = &[
    ("kernel.shm_rmid_forced", 0),
    ("net.ipv4.ip_local_port_range", 0),
    ("net.ipv4.ip_unprivileged_port_start", 0),
    ("net.ipv4.tcp_syncookies", 0),
    ("net.ipv4.ping_group_range", 0),
    ("net.ipv4.ip_local_reserved_ports", 27),
    ("net.ipv4.tcp_keepalive_time", 29),
    ("net.ipv4.tcp_fin_timeout", 29),
    ("net.ipv4.tcp_keepalive_intvl", 29),
    ("net.ipv4.tcp_keepalive_probes", 29),
    ("net.ipv4.tcp_rmem", 32),
    ("net.ipv4.tcp_wmem", 32),
    ("net.ipv4.tcp_slow_start_after_idle", 37),
    ("net.ipv4.tcp_notsent_lowat", 37),
];

/// Compared exactly, as admission does: `net/ipv4/tcp_syncookies` (the
/// slash form the kubelet also accepts) is not in the safe set.
fn safe_since(name: &str) -> Option<u32> {
    SAFE.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

impl Rule for UnsafeSysctl {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(pod) = object.pod_spec() else {
            return;
        };
        let version = ctx.kubernetes_version;
        for sysctl in pod
            .path(&["securityContext", "sysctls"])
            .into_iter()
            .flat_map(Value::items)
        {
            let Some(node) = sysctl.get("name") else {
                continue;
            };
            let Some(name) = node.as_str() else {
                continue;
            };
            // The kubelet reads `net/ipv4/x` as `net.ipv4.x`; Pod Security
            // admission compares the name as written.
            let dotted = name.replace('/', ".");
            if name.contains('/')
                && !name.contains('.')
                && safe_since(&dotted)
                    .is_some_and(|minor| version >= (KubernetesVersion { major: 1, minor }))
            {
                let f = out
                    .at(
                        object.at(node.span()),
                        format!(
                            "{} writes the safe sysctl {} with slashes ({}): the kubelet accepts that spelling, but Pod Security admission compares names as written, so the Baseline Pod Security Standard rejects the pod",
                            pod_of(object),
                            code(&dotted),
                            code(name)
                        ),
                    )
                    .object(object.display())
                    .fix(format!("write the name with dots: `name: {}`", plain(&dotted)));
                out.push(f);
                continue;
            }
            let message = match safe_since(name) {
                Some(minor) if version >= (KubernetesVersion { major: 1, minor }) => continue,
                Some(minor) => format!(
                    "{} sets sysctl `{name}`, which the Baseline Pod Security Standard allows only from Kubernetes 1.{minor} (target: {version})",
                    pod_of(object)
                ),
                None => format!(
                    "{} sets the unsafe sysctl `{name}`, which affects the whole node; the Baseline Pod Security Standard forbids it",
                    pod_of(object)
                ),
            };
            let f = out
                .at(object.at(node.span()), message)
                .object(object.display())
                .fix(format!("remove sysctl `{name}` from `spec.securityContext.sysctls`; tune it on the nodes instead, or use only the safe sysctls"));
            out.push(f);
        }
    }
}
