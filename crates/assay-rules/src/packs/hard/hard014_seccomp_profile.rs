use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_compose::Service;
use assay_diagnostics::Severity;
use assay_model::ObjectView;
use assay_yaml::Value;

use super::{
    POD_KINDS, pod_annotations, pod_of, present, security_contexts, security_opt, service_owner,
    whose, windows_pod,
};

declare_rule! {
    /// The seccomp profile is Unconfined (Baseline) or not set (Restricted)
    ///
    /// ## What it checks
    /// `seccompProfile.type` on the pod's and each container's
    /// `securityContext`, with Kubernetes' semantics (a container's setting
    /// wins over the pod's):
    ///
    /// - `Unconfined`, on the pod or any container, violates the **Baseline**
    ///   level of the Pod Security Standards: **error** at the value. So does
    ///   `unconfined` in the deprecated annotations
    ///   `seccomp.security.alpha.kubernetes.io/pod` and
    ///   `container.seccomp.security.alpha.kubernetes.io/<container>`.
    /// - The **Restricted** level requires `RuntimeDefault` or `Localhost` on
    ///   the pod or on every container (warning). When neither the pod nor any
    ///   container sets one, one finding points at the object; when only some
    ///   containers do, each container left without one is reported. The old
    ///   annotations do not count: admission reads the fields.
    ///
    /// The Restricted part is a Linux-only control: pods with
    /// `spec.os.name: windows` are exempt, as in the standard, and so are pods
    /// pinned to Windows nodes by their node selector.
    ///
    /// Compose services: `security_opt: [seccomp:unconfined]`.
    ///
    /// ## Why it matters
    /// Seccomp filters the system calls a container may make; the runtime's
    /// default profile blocks about fifty rarely needed ones (`keyctl`,
    /// `unshare`, `mount`, …) that are behind many kernel privilege-escalation
    /// exploits. Kubernetes runs containers `Unconfined` unless the pod asks
    /// for a profile (or the kubelet enables `seccompDefault`).
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   securityContext:
    ///     seccompProfile:
    ///       type: Unconfined
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
    ///   securityContext:
    ///     seccompProfile:
    ///       type: RuntimeDefault
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    ///
    /// ## References
    /// - Pod Security Standards, Baseline and Restricted, "Seccomp": https://kubernetes.io/docs/concepts/security/pod-security-standards/
    /// - Pod Security admission checks: https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_seccompProfile_baseline.go and https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_seccompProfile_restricted.go
    /// - Restrict a container's syscalls with seccomp: https://kubernetes.io/docs/tutorials/security/seccomp/
    /// - Compose Specification, services (`privileged`, `user`, `read_only`, `cap_add`, `security_opt`, …): https://docs.docker.com/reference/compose-file/services/
    pub(crate) struct SeccompProfile {
        id: "HARD014",
        name: "seccomp-profile-unset-or-unconfined",
        severity: Error,
        scope: Scope::Object(POD_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

const ALLOWED: &[&str] = &["RuntimeDefault", "Localhost"];
const POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const CONTAINER_ANNOTATION: &str = "container.seccomp.security.alpha.kubernetes.io/";

fn profile_type(sc: Value<'_>) -> Option<Value<'_>> {
    present(sc.path(&["seccompProfile", "type"]))
}

impl Rule for SeccompProfile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(pod) = object.pod_spec() else {
            return;
        };
        let owner = object.display();

        // Baseline: Unconfined, in the fields and the deprecated annotations.
        for (container, sc) in security_contexts(object) {
            let Some(v) = profile_type(sc) else {
                continue;
            };
            if v.as_str() == Some("Unconfined") {
                let f = out
                    .at(
                        object.at(v.span()),
                        format!(
                            "{} sets seccomp profile `Unconfined`, so every system call is allowed; the Baseline Pod Security Standard forbids it",
                            whose(object, container.as_ref())
                        ),
                    )
                    .object(owner.clone())
                    .fix("set `seccompProfile: {type: RuntimeDefault}` (or `Localhost` with a `localhostProfile`)");
                out.push(f);
            }
        }
        for (key, value) in pod_annotations(object) {
            let Some(key) = key.as_str() else { continue };
            if key != POD_ANNOTATION && !key.starts_with(CONTAINER_ANNOTATION) {
                continue;
            }
            if value.as_str() != Some("unconfined") {
                continue;
            }
            let who = key.strip_prefix(CONTAINER_ANNOTATION).map_or_else(
                || pod_of(object),
                |name| format!("container \"{name}\" of {owner}"),
            );
            let f = out
                .at(
                    object.at(value.span()),
                    format!("{who} requests seccomp profile `unconfined` through the deprecated annotation `{key}`; the Baseline Pod Security Standard forbids it"),
                )
                .object(owner.clone())
                .fix(format!("remove the `{key}` annotation and set `seccompProfile: {{type: RuntimeDefault}}` in the securityContext"));
            out.push(f);
        }

        // Restricted: RuntimeDefault or Localhost in effect for every container.
        if windows_pod(pod) {
            return;
        }
        let pod_type = pod.get("securityContext").and_then(profile_type);
        let is_allowed = |v: Value<'_>| v.as_str().is_some_and(|t| ALLOWED.contains(&t));
        if pod_type.is_some_and(is_allowed) {
            return;
        }
        let restricted = |location, message: String, fix: &str, out: &mut Findings<'_>| {
            let mut f = out.at(location, message).object(owner.clone()).fix(fix);
            f.severity = Severity::Warning;
            out.push(f);
        };
        const FIX: &str = "set `spec.securityContext.seccompProfile: {type: RuntimeDefault}` for the whole pod (or `Localhost` with a `localhostProfile`)";
        if let Some(v) = pod_type.filter(|v| v.as_str() != Some("Unconfined")) {
            restricted(
                object.at(v.span()),
                format!(
                    "{} sets seccomp profile type `{}`; the Restricted Pod Security Standard requires `RuntimeDefault` or `Localhost`",
                    pod_of(object),
                    v.as_str().unwrap_or_default()
                ),
                FIX,
                out,
            );
        }
        let containers = object.containers();
        let mut unset = Vec::new();
        for c in &containers {
            match c.security_context().and_then(profile_type) {
                Some(v) if is_allowed(v) || v.as_str() == Some("Unconfined") => {}
                Some(v) => restricted(
                    c.at(v.span()),
                    format!(
                        "{} of {owner} sets seccomp profile type `{}`; the Restricted Pod Security Standard requires `RuntimeDefault` or `Localhost`",
                        c.describe(),
                        v.as_str().unwrap_or_default()
                    ),
                    "set `seccompProfile: {type: RuntimeDefault}` in the container's securityContext",
                    out,
                ),
                None => unset.push(c),
            }
        }
        // A pod-level value was reported above; its containers inherit it.
        if pod_type.is_some() || unset.is_empty() {
            return;
        }
        if unset.len() == containers.len() {
            restricted(
                object.anchor(),
                format!(
                    "neither {} nor any of its containers sets a seccomp profile, so they run Unconfined; the Restricted Pod Security Standard requires `RuntimeDefault` or `Localhost`",
                    pod_of(object)
                ),
                FIX,
                out,
            );
            return;
        }
        for c in unset {
            restricted(
                c.anchor(),
                format!(
                    "{} of {owner} has no seccomp profile (neither it nor the pod sets one); the Restricted Pod Security Standard requires `RuntimeDefault` or `Localhost`",
                    c.describe()
                ),
                "set `seccompProfile: {type: RuntimeDefault}` in the container's securityContext, or once in the pod's",
                out,
            );
        }
    }

    fn check_service(&self, _ctx: &Context<'_>, s: &Service<'_>, out: &mut Findings<'_>) {
        for (node, value) in security_opt(s, "seccomp") {
            if value != "unconfined" {
                continue;
            }
            let f = out
                .at(node.at, format!("{} sets `seccomp:unconfined`, so every system call is allowed", s.describe()))
                .object(service_owner(s))
                .fix("remove `seccomp:unconfined` from `security_opt` (the engine's default profile applies), or name a custom profile file");
            out.push(f);
        }
    }
}
