use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_compose::Service;
use assay_model::ObjectView;

use super::{
    POD_KINDS, pod_annotations, present, security_contexts, security_opt, service_owner, whose,
};

declare_rule! {
    /// The AppArmor profile is Unconfined or unknown (Pod Security Standards: Baseline)
    ///
    /// ## What it checks
    /// The Baseline level of the Pod Security Standards ("AppArmor") allows
    /// only the runtime default or a profile loaded on the node:
    ///
    /// - `appArmorProfile.type` on the pod's or a container's
    ///   `securityContext` must be `RuntimeDefault` or `Localhost` (or unset);
    /// - the annotation `container.apparmor.security.beta.kubernetes.io/<container>`
    ///   on the pod template must be `runtime/default` or `localhost/<profile>`.
    ///
    /// Anything else, `Unconfined` / `unconfined` in particular, is reported at
    /// the value.
    ///
    /// Compose services: `security_opt: [apparmor:unconfined]`.
    ///
    /// ## Why it matters
    /// AppArmor confines what files, capabilities and mounts a process may use
    /// even when it runs as root; the runtime's default profile blocks writes to
    /// `/proc` and `/sys` and mounting. `Unconfined` removes that layer, and
    /// an unknown value makes the pod fail to start on AppArmor nodes.
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
    ///         appArmorProfile:
    ///           type: Unconfined
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
    ///         appArmorProfile:
    ///           type: RuntimeDefault
    /// ```
    ///
    /// ## References
    /// - Pod Security Standards, Baseline, "AppArmor": https://kubernetes.io/docs/concepts/security/pod-security-standards/
    /// - Pod Security admission check: https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_appArmorProfile.go
    /// - Restrict a container's access to resources with AppArmor: https://kubernetes.io/docs/tutorials/security/apparmor/
    /// - Compose Specification, services (`privileged`, `user`, `read_only`, `cap_add`, `security_opt`, …): https://docs.docker.com/reference/compose-file/services/
    pub(crate) struct AppArmorUnconfined {
        id: "HARD018",
        name: "apparmor-unconfined",
        severity: Error,
        scope: Scope::Object(POD_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

const ANNOTATION: &str = "container.apparmor.security.beta.kubernetes.io/";

impl Rule for AppArmorUnconfined {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        if object.pod_spec().is_none() {
            return;
        }
        let owner = object.display();
        for (container, sc) in security_contexts(object) {
            let Some(v) = present(sc.path(&["appArmorProfile", "type"])) else {
                continue;
            };
            let text = v.as_str().unwrap_or_default();
            if matches!(text, "RuntimeDefault" | "Localhost") {
                continue;
            }
            let f = out
                .at(
                    object.at(v.span()),
                    format!(
                        "{} sets AppArmor profile type `{text}`; the Baseline Pod Security Standard allows only `RuntimeDefault` or `Localhost`",
                        whose(object, container.as_ref())
                    ),
                )
                .object(owner.clone())
                .fix("set `appArmorProfile: {type: RuntimeDefault}` (or `Localhost` with a `localhostProfile` loaded on the nodes)");
            out.push(f);
        }
        for (key, value) in pod_annotations(object) {
            let Some(name) = key.as_str().and_then(|k| k.strip_prefix(ANNOTATION)) else {
                continue;
            };
            let text = value.as_str().unwrap_or_default();
            if text.is_empty() || text == "runtime/default" || text.starts_with("localhost/") {
                continue;
            }
            let f = out
                .at(
                    object.at(value.span()),
                    format!(
                        "container \"{name}\" of {owner} gets AppArmor profile `{text}` from its annotation; the Baseline Pod Security Standard allows only `runtime/default` or `localhost/<profile>`"
                    ),
                )
                .object(owner.clone())
                .fix(format!("set the annotation to `runtime/default`, or better remove it and set `appArmorProfile: {{type: RuntimeDefault}}` in the securityContext of container \"{name}\" (Kubernetes 1.30+)"));
            out.push(f);
        }
    }

    fn check_service(&self, _ctx: &Context<'_>, s: &Service<'_>, out: &mut Findings<'_>) {
        for (node, value) in security_opt(s, "apparmor") {
            if value != "unconfined" {
                continue;
            }
            let f = out
                .at(node.at, format!("{} sets `apparmor:unconfined`, so no AppArmor profile confines it", s.describe()))
                .object(service_owner(s))
                .fix("remove `apparmor:unconfined` from `security_opt` (the engine's `docker-default` profile applies), or name a loaded profile");
            out.push(f);
        }
    }
}
