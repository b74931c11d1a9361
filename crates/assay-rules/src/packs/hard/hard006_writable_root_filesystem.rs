use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_compose::Service;
use assay_diagnostics::code;
use assay_model::{ContainerView, k8s_bool};

use super::{present, service_owner, windows_pod};

declare_rule! {
    /// A container's root filesystem is writable (readOnlyRootFilesystem not true)
    ///
    /// ## What it checks
    /// Every container, init container and ephemeral container should set
    /// `securityContext.readOnlyRootFilesystem: true`. Unset counts as writable,
    /// the Kubernetes default. This is not a Pod Security Standards control
    /// (neither Baseline nor Restricted requires it); it is a hardening
    /// recommendation of the CIS benchmark and the NSA/CISA guidance. Pods with
    /// `spec.os.name: windows`, or pinned to Windows nodes by their node
    /// selector, are skipped: the field cannot be set there.
    ///
    /// Compose services: `read_only` not `true`; the fix names the `tmpfs`
    /// mounts the image needs.
    ///
    /// ## Why it matters
    /// An attacker who gets code execution in a container with a writable root
    /// filesystem can drop tools, replace binaries and persist across process
    /// restarts. A read-only root keeps the image as built; the directories the
    /// application really writes to become explicit `emptyDir` mounts.
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
    /// Make the root read-only and mount a scratch volume where the process writes:
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
    ///         readOnlyRootFilesystem: true
    ///       volumeMounts:
    ///         - name: tmp
    ///           mountPath: /tmp
    ///   volumes:
    ///     - name: tmp
    ///       emptyDir: {}
    /// ```
    ///
    /// ## References
    /// - SecurityContext API reference: https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#security-context-1
    /// - Pod Security Standards (no control for this field): https://kubernetes.io/docs/concepts/security/pod-security-standards/
    /// - NSA/CISA Kubernetes Hardening Guide: https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF
    /// - Compose Specification, services (`privileged`, `user`, `read_only`, `cap_add`, `security_opt`, …): https://docs.docker.com/reference/compose-file/services/
    pub(crate) struct WritableRootFilesystem {
        id: "HARD006",
        name: "writable-root-filesystem",
        severity: Warning,
        scope: Scope::Container,
        fix: Always,
        since: "0.1.0",
    }
}

/// Directories an image's process writes to, to mount as `tmpfs` when the
/// root filesystem is read-only (from the official images' Dockerfiles).
fn writable_paths(image: &str) -> &'static [&'static str] {
    let name = image.rsplit('/').next().unwrap_or(image);
    let name = name.split([':', '@']).next().unwrap_or(name);
    match name {
        "postgres" => &["/tmp", "/var/run/postgresql"],
        "nginx" => &["/tmp", "/var/cache/nginx", "/var/run"],
        "nginx-unprivileged" => &["/tmp"],
        "redis" | "valkey" => &["/tmp"],
        "mysql" | "mariadb" => &["/tmp", "/var/run/mysqld"],
        _ => &["/tmp", "/var/run"],
    }
}

impl Rule for WritableRootFilesystem {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(&self, _ctx: &Context<'_>, c: &ContainerView<'_>, out: &mut Findings<'_>) {
        if windows_pod(c.pod) {
            return;
        }
        let value = present(c.container_setting("readOnlyRootFilesystem"));
        if value.and_then(k8s_bool) == Some(true) {
            return;
        }
        let (location, what) = match value {
            Some(v) => (
                c.at(v.span()),
                format!(
                    "sets `readOnlyRootFilesystem` to {}",
                    code(v.as_str().unwrap_or_default())
                ),
            ),
            None => (
                c.anchor(),
                "does not set `readOnlyRootFilesystem: true`".to_owned(),
            ),
        };
        let f = out
            .at(
                location,
                format!(
                    "{} of {} {what}, so its root filesystem is writable (hardening advice; not a Pod Security Standards control)",
                    c.describe(),
                    c.owner()
                ),
            )
            .object(c.owner())
            .fix("set `securityContext.readOnlyRootFilesystem: true` and mount an `emptyDir` volume at each directory the process writes to (such as /tmp)");
        out.push(f);
    }

    fn check_service(&self, _ctx: &Context<'_>, s: &Service<'_>, out: &mut Findings<'_>) {
        let value = s.get("read_only");
        if value.and_then(|v| v.as_bool()) == Some(true) {
            return;
        }
        let (location, what) = match value {
            Some(v) => (
                v.at,
                format!("sets `read_only: {}`", v.as_str().unwrap_or_default()),
            ),
            None => (s.name_at(), "does not set `read_only: true`".to_owned()),
        };
        let tmpfs = writable_paths(s.image().and_then(|i| i.as_str()).unwrap_or_default());
        let f = out
            .at(location, format!("{} {what}, so its root filesystem is writable", s.describe()))
            .object(service_owner(s))
            .fix(format!("set `read_only: true` and mount `tmpfs:` at each directory the process writes to, e.g. `tmpfs: [{}]`", tmpfs.join(", ")));
        out.push(f);
    }
}
