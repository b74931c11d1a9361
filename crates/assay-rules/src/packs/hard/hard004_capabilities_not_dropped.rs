use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_compose::Service;
use assay_model::ContainerView;

use super::{
    capability_name, container_location, key_of, service_location, service_owner, windows_pod,
};

declare_rule! {
    /// A container does not drop ALL capabilities (Pod Security Standards: Restricted)
    ///
    /// ## What it checks
    /// Every container, init container and ephemeral container must list `ALL`
    /// under `securityContext.capabilities.drop`, as the Restricted level of the
    /// Pod Security Standards ("Capabilities") requires. Pod Security admission
    /// compares the string exactly, so a lower-case `all` is reported too.
    /// Added capabilities are the business of HARD005.
    ///
    /// This is a Linux-only control: pods with `spec.os.name: windows` are
    /// exempt, as in the standard, and so are pods pinned to Windows nodes by
    /// their node selector (the WIN pack asks those to set `spec.os.name`).
    ///
    /// Compose services: `cap_drop` without `ALL`.
    ///
    /// ## Why it matters
    /// Container runtimes grant a default set of capabilities (`CHOWN`,
    /// `DAC_OVERRIDE`, `FOWNER`, `SETUID`, `SETGID`, `NET_RAW` with some
    /// runtimes, …). Few applications need any of them, and each one widens what
    /// an attacker in the container can do to files, processes and the network.
    /// A namespace enforcing the Restricted level rejects the pod.
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
    ///       securityContext:
    ///         capabilities:
    ///           drop: [NET_RAW]
    /// ```
    ///
    /// ## Fix
    /// Drop everything, add back only what the process needs:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       securityContext:
    ///         capabilities:
    ///           drop: [ALL]
    ///           add: [NET_BIND_SERVICE]
    /// ```
    ///
    /// ## References
    /// - Pod Security Standards, Restricted, "Capabilities": https://kubernetes.io/docs/concepts/security/pod-security-standards/
    /// - Pod Security admission check: https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_capabilities_restricted.go
    /// - capabilities(7): https://man7.org/linux/man-pages/man7/capabilities.7.html
    /// - Compose Specification, services (`privileged`, `user`, `read_only`, `cap_add`, `security_opt`, …): https://docs.docker.com/reference/compose-file/services/
    pub(crate) struct CapabilitiesNotDropped {
        id: "HARD004",
        name: "capabilities-not-dropped",
        severity: Warning,
        scope: Scope::Container,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for CapabilitiesNotDropped {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(&self, _ctx: &Context<'_>, c: &ContainerView<'_>, out: &mut Findings<'_>) {
        if windows_pod(c.pod) {
            return;
        }
        let drop = c.capabilities("drop");
        if drop.iter().any(|v| v.as_str() == Some("ALL")) {
            return;
        }
        if let Some(v) = drop
            .iter()
            .find(|v| v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("all")))
        {
            let f = out
                .at(
                    c.at(v.span()),
                    format!(
                        "{} of {} drops `{}`, but Pod Security admission only accepts `ALL` in capitals (Restricted Pod Security Standard)",
                        c.describe(),
                        c.owner(),
                        v.as_str().unwrap_or_default()
                    ),
                )
                .object(c.owner())
                .fix("write `ALL` in capitals under `capabilities.drop`");
            out.push(f);
            return;
        }
        let sc = c.security_context();
        let caps = c.container_setting("capabilities");
        let location = container_location(c, &[key_of(caps, "drop"), key_of(sc, "capabilities")]);
        let f = out
            .at(
                location,
                format!(
                    "{} of {} keeps the runtime's default capabilities (`capabilities.drop` does not include `ALL`); the Restricted Pod Security Standard requires dropping ALL",
                    c.describe(),
                    c.owner()
                ),
            )
            .object(c.owner())
            .fix("set `securityContext.capabilities.drop: [ALL]` and add back only what is needed (Restricted allows only `NET_BIND_SERVICE`)");
        out.push(f);
    }

    fn check_service(&self, _ctx: &Context<'_>, s: &Service<'_>, out: &mut Findings<'_>) {
        let drop = s.list("cap_drop");
        if drop
            .iter()
            .any(|v| v.as_str().is_some_and(|c| capability_name(c) == "ALL"))
        {
            return;
        }
        let f = out
            .at(
                service_location(s, "cap_drop"),
                format!("{} keeps the runtime's default capabilities (`cap_drop` does not include `ALL`)", s.describe()),
            )
            .object(service_owner(s))
            .fix("set `cap_drop: [ALL]` and add back only what the process needs under `cap_add` (often nothing, or `NET_BIND_SERVICE`)");
        out.push(f);
    }
}
