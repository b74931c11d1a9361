use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_compose::Service;
use assay_model::{ContainerView, k8s_bool};

use super::{capability_name, is_true, security_opt, service_location, service_owner, windows_pod};

declare_rule! {
    /// A container may gain privileges: allowPrivilegeEscalation not false (Restricted)
    ///
    /// ## What it checks
    /// Every container, init container and ephemeral container must set
    /// `securityContext.allowPrivilegeEscalation: false`, as the Restricted
    /// level of the Pod Security Standards ("Privilege Escalation") requires.
    /// Unset counts as allowed: Kubernetes defaults it to `true`. A privileged
    /// container or one that adds `CAP_SYS_ADMIN` always allows escalation (the
    /// API server rejects `false` together with either); the message says so.
    ///
    /// This is a Linux-only control: pods with `spec.os.name: windows` are
    /// exempt, as in the standard, and so are pods pinned to Windows nodes by
    /// their node selector (the WIN pack asks those to set `spec.os.name`).
    ///
    /// Compose services: `security_opt` without `no-new-privileges:true` (the
    /// engine's equivalent of `allowPrivilegeEscalation: false`).
    ///
    /// ## Why it matters
    /// With escalation allowed (`no_new_privs` unset), a set-user-ID binary in
    /// the image such as `su` or `sudo`, or a file capability, lets a
    /// compromised process gain privileges the container was never meant to
    /// have. A namespace enforcing the Restricted level rejects the pod.
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
    /// ```
    ///
    /// ## Fix
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
    ///         allowPrivilegeEscalation: false
    /// ```
    ///
    /// ## References
    /// - Pod Security Standards, Restricted, "Privilege Escalation": https://kubernetes.io/docs/concepts/security/pod-security-standards/
    /// - Pod Security admission check: https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_allowPrivilegeEscalation.go
    /// - SecurityContext API reference: https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#security-context-1
    /// - Compose Specification, services (`privileged`, `user`, `read_only`, `cap_add`, `security_opt`, …): https://docs.docker.com/reference/compose-file/services/
    pub(crate) struct PrivilegeEscalationAllowed {
        id: "HARD002",
        name: "privilege-escalation-allowed",
        severity: Warning,
        scope: Scope::Container,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for PrivilegeEscalationAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(&self, _ctx: &Context<'_>, c: &ContainerView<'_>, out: &mut Findings<'_>) {
        if windows_pod(c.pod) {
            return;
        }
        let value = c.container_setting("allowPrivilegeEscalation");
        if value.and_then(k8s_bool) == Some(false) {
            return;
        }
        let privileged = is_true(c.container_setting("privileged"));
        let sys_admin = c
            .capabilities("add")
            .iter()
            .any(|v| v.as_str().map(capability_name).as_deref() == Some("SYS_ADMIN"));
        let (location, what) = match value.filter(|v| !v.is_null()) {
            Some(v) => (c.at(v.span()), "sets `allowPrivilegeEscalation: true`"),
            None => (c.anchor(), "does not set `allowPrivilegeEscalation: false`"),
        };
        let mut message = format!(
            "{} of {} {what}, so setuid binaries can gain privileges; the Restricted Pod Security Standard requires `false`",
            c.describe(),
            c.owner()
        );
        let fix = if privileged || sys_admin {
            let cause = if privileged {
                "`privileged: true`"
            } else {
                "the added `SYS_ADMIN` capability"
            };
            message.push_str(&format!(" ({cause} always allows escalation)"));
            format!("remove {cause}, then set `securityContext.allowPrivilegeEscalation: false`")
        } else {
            "set `securityContext.allowPrivilegeEscalation: false` on the container".to_owned()
        };
        let f = out.at(location, message).object(c.owner()).fix(fix);
        out.push(f);
    }

    fn check_service(&self, _ctx: &Context<'_>, s: &Service<'_>, out: &mut Findings<'_>) {
        let options = security_opt(s, "no-new-privileges");
        let explicit_false = options.iter().find(|(_, v)| *v == "false");
        if options.iter().any(|(_, v)| matches!(*v, "" | "true")) && explicit_false.is_none() {
            return;
        }
        let (location, what) = match explicit_false {
            Some((node, _)) => (node.at, "sets `no-new-privileges:false`"),
            None => (
                service_location(s, "security_opt"),
                "does not set `security_opt: [\"no-new-privileges:true\"]`",
            ),
        };
        let f = out
            .at(
                location,
                format!(
                    "{} {what}, so setuid binaries can gain privileges",
                    s.describe()
                ),
            )
            .object(service_owner(s))
            .fix("add `no-new-privileges:true` to the service's `security_opt`");
        out.push(f);
    }
}
