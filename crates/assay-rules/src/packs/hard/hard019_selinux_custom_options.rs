use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

use super::{POD_KINDS, non_empty_str, security_contexts, whose};

declare_rule! {
    /// Custom SELinux type, user or role (Pod Security Standards: Baseline)
    ///
    /// ## What it checks
    /// `seLinuxOptions` on the pod's and each container's `securityContext`.
    /// The Baseline level of the Pod Security Standards ("SELinux") allows a
    /// `type` of only `container_t`, `container_init_t`, `container_kvm_t` or
    /// `container_engine_t` (1.31+), and no `user` or `role` at all. Each
    /// offending value is reported; `level` is allowed.
    ///
    /// ## Why it matters
    /// SELinux keeps a container's processes in the `container_t` domain, away
    /// from host files and other containers. A custom type such as `spc_t`
    /// ("super privileged container") or `unconfined_t`, or a custom user or
    /// role, lifts that confinement.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: agent
    /// spec:
    ///   securityContext:
    ///     seLinuxOptions:
    ///       type: spc_t
    ///   containers:
    ///     - name: agent
    ///       image: example/agent:3.2
    /// ```
    ///
    /// ## Fix
    /// Keep the default type, set at most a level:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: agent
    /// spec:
    ///   securityContext:
    ///     seLinuxOptions:
    ///       level: "s0:c123,c456"
    ///   containers:
    ///     - name: agent
    ///       image: example/agent:3.2
    /// ```
    ///
    /// ## References
    /// - Pod Security Standards, Baseline, "SELinux": https://kubernetes.io/docs/concepts/security/pod-security-standards/
    /// - Pod Security admission check: https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_seLinuxOptions.go
    /// - Assign SELinux labels to a container: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#assign-selinux-labels-to-a-container
    pub(crate) struct SelinuxCustomOptions {
        id: "HARD019",
        name: "selinux-custom-options",
        severity: Warning,
        scope: Scope::Object(POD_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

const ALLOWED_TYPES: &[&str] = &[
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
];

impl Rule for SelinuxCustomOptions {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        if object.pod_spec().is_none() {
            return;
        }
        for (container, sc) in security_contexts(object) {
            let Some(options) = sc.get("seLinuxOptions") else {
                continue;
            };
            for key in ["type", "user", "role"] {
                let node = options.get(key);
                let Some(text) = non_empty_str(node) else {
                    continue;
                };
                if key == "type" && ALLOWED_TYPES.contains(&text) {
                    continue;
                }
                let Some(node) = node else { continue };
                let (what, fix) = if key == "type" {
                    (
                        format!(
                            "SELinux type `{text}`; the Baseline Pod Security Standard allows only container_t, container_init_t, container_kvm_t or container_engine_t"
                        ),
                        "remove `seLinuxOptions.type` (the runtime uses `container_t`)".to_owned(),
                    )
                } else {
                    (
                        format!(
                            "SELinux {key} `{text}`; the Baseline Pod Security Standard forbids setting a custom {key}"
                        ),
                        format!("remove `seLinuxOptions.{key}`"),
                    )
                };
                let f = out
                    .at(
                        object.at(node.span()),
                        format!("{} sets {what}", whose(object, container.as_ref())),
                    )
                    .object(object.display())
                    .fix(fix);
                out.push(f);
            }
        }
    }
}
