use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_compose::Service;
use assay_diagnostics::Severity;
use assay_diagnostics::code;
use assay_model::ContainerView;

use super::{BASELINE_CAPABILITIES, capability_name, service_owner, windows_pod};

declare_rule! {
    /// A container adds capabilities beyond what the Pod Security Standards allow
    ///
    /// ## What it checks
    /// Each item of `securityContext.capabilities.add` on every container, init
    /// container and ephemeral container (names compared the way runtimes read
    /// them: case-insensitive, with or without `CAP_`):
    ///
    /// - `ALL`, or a capability outside the Baseline default set (`AUDIT_WRITE`,
    ///   `CHOWN`, `DAC_OVERRIDE`, `FOWNER`, `FSETID`, `KILL`, `MKNOD`,
    ///   `NET_BIND_SERVICE`, `SETFCAP`, `SETGID`, `SETPCAP`, `SETUID`,
    ///   `SYS_CHROOT`) violates the **Baseline** level: **error**, with what the
    ///   capability gives away for the well-known dangerous ones (`SYS_ADMIN`,
    ///   `NET_ADMIN`, `SYS_PTRACE`, `SYS_MODULE`, `NET_RAW`, `BPF`, `PERFMON`, …).
    /// - Any other capability than `NET_BIND_SERVICE` violates the
    ///   **Restricted** level: warning. Pods with `spec.os.name: windows`, or
    ///   pinned to Windows nodes by their node selector, are exempt from this
    ///   Linux-only Restricted control.
    ///
    /// Compose services: `cap_add` entries outside the Baseline list.
    ///
    /// ## Why it matters
    /// Capabilities split root's power; the dangerous ones give most of it back.
    /// `SYS_ADMIN` allows mounting filesystems and is a classic container
    /// escape, `SYS_PTRACE` reads other processes' memory, `SYS_MODULE` loads
    /// kernel code, `NET_ADMIN` and `NET_RAW` let the container reconfigure and
    /// spoof traffic on the pod network. A namespace enforcing Baseline rejects
    /// the pod.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: vpn
    /// spec:
    ///   containers:
    ///     - name: vpn
    ///       image: example/vpn:2.1
    ///       securityContext:
    ///         capabilities:
    ///           drop: [ALL]
    ///           add: [NET_ADMIN]
    /// ```
    ///
    /// ## Fix
    /// Add only `NET_BIND_SERVICE`, or nothing:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: vpn
    /// spec:
    ///   containers:
    ///     - name: vpn
    ///       image: example/vpn:2.1
    ///       securityContext:
    ///         capabilities:
    ///           drop: [ALL]
    ///           add: [NET_BIND_SERVICE]
    /// ```
    ///
    /// ## References
    /// - Pod Security Standards, Baseline and Restricted, "Capabilities": https://kubernetes.io/docs/concepts/security/pod-security-standards/
    /// - Pod Security admission checks: https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_capabilities_baseline.go and https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_capabilities_restricted.go
    /// - capabilities(7): https://man7.org/linux/man-pages/man7/capabilities.7.html
    /// - Compose Specification, services (`privileged`, `user`, `read_only`, `cap_add`, `security_opt`, …): https://docs.docker.com/reference/compose-file/services/
    pub(crate) struct DangerousCapabilityAdded {
        id: "HARD005",
        name: "dangerous-capability-added",
        severity: Error,
        scope: Scope::Container,
        fix: Always,
        since: "0.1.0",
    }
}

/// What a well-known dangerous capability gives away.
fn danger(name: &str) -> Option<&'static str> {
    Some(match name {
        "ALL" => "every capability, as good as privileged",
        "SYS_ADMIN" => "mount, namespaces and many kernel interfaces, a classic container escape",
        "NET_ADMIN" => "reconfiguring interfaces, routes and firewall rules",
        "NET_RAW" => "raw sockets for spoofing and sniffing on the pod network",
        "SYS_PTRACE" => "tracing and reading the memory of other processes",
        "SYS_MODULE" => "loading kernel modules, i.e. running code in the kernel",
        "SYS_RAWIO" => "raw access to devices and I/O ports",
        "SYS_BOOT" => "rebooting the node",
        "SYS_TIME" => "changing the node's clock",
        "BPF" => "loading eBPF programs into the kernel",
        "PERFMON" => "kernel performance monitoring that leaks kernel memory",
        "DAC_READ_SEARCH" => "reading any file, a known escape (shocker)",
        "MAC_ADMIN" | "MAC_OVERRIDE" => "overriding AppArmor or SELinux",
        "SYSLOG" => "reading the kernel log, which leaks kernel addresses",
        _ => return None,
    })
}

impl Rule for DangerousCapabilityAdded {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(&self, _ctx: &Context<'_>, c: &ContainerView<'_>, out: &mut Findings<'_>) {
        let windows = windows_pod(c.pod);
        for item in c.capabilities("add") {
            let Some(text) = item.as_str() else {
                continue;
            };
            let name = capability_name(text);
            if name == "NET_BIND_SERVICE" || name.is_empty() {
                continue;
            }
            let baseline_ok = BASELINE_CAPABILITIES.contains(&name.as_str());
            if baseline_ok && windows {
                continue;
            }
            let message = if baseline_ok {
                format!(
                    "{} of {} adds capability {}; the Restricted Pod Security Standard allows adding only `NET_BIND_SERVICE`",
                    c.describe(),
                    c.owner(),
                    code(text)
                )
            } else {
                let what = danger(&name).map(|d| format!(" ({d})")).unwrap_or_default();
                format!(
                    "{} of {} adds capability {}{what}, which the Baseline Pod Security Standard forbids",
                    c.describe(),
                    c.owner(),
                    code(text)
                )
            };
            let mut f = out
                .at(c.at(item.span()), message)
                .object(c.owner())
                .fix(format!("remove {} from `securityContext.capabilities.add`; keep `drop: [ALL]` and add back only `NET_BIND_SERVICE` if the process binds a port below 1024", code(text)));
            if baseline_ok {
                f.severity = Severity::Warning;
            }
            out.push(f);
        }
    }

    fn check_service(&self, _ctx: &Context<'_>, s: &Service<'_>, out: &mut Findings<'_>) {
        for item in s.list("cap_add") {
            let Some(text) = item.as_str() else {
                continue;
            };
            let name = capability_name(text);
            if name.is_empty() || BASELINE_CAPABILITIES.contains(&name.as_str()) {
                continue;
            }
            let what = danger(&name).map(|d| format!(" ({d})")).unwrap_or_default();
            let f = out
                .at(item.at, format!("{} adds capability `{text}`{what}", s.describe()))
                .object(service_owner(s))
                .fix(format!("remove `{text}` from `cap_add`; keep `cap_drop: [ALL]` and add back only `NET_BIND_SERVICE` if the process binds a port below 1024"));
            out.push(f);
        }
    }
}
