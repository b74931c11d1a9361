use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_compose::Service;
use assay_diagnostics::Severity;
use assay_diagnostics::code;
use assay_model::{ObjectView, k8s_bool, k8s_int};

use super::{POD_KINDS, pod_of, present, service_owner, windows_pod};

declare_rule! {
    /// The workload may run as root: runAsNonRoot not true, or runAsUser 0
    ///
    /// ## What it checks
    /// The two "Running as Non-root" controls of the Restricted level of the Pod
    /// Security Standards, with Kubernetes' override semantics (a container's
    /// `securityContext` wins over the pod's):
    ///
    /// - `runAsUser: 0` on the pod or on any container is reported as an
    ///   **error** at the value: the process runs as root.
    /// - `runAsNonRoot: false` written on the pod or a container is reported at
    ///   the value (warning).
    /// - `runAsNonRoot: true` must be in effect for every container, init
    ///   container and ephemeral container. When neither the pod nor any
    ///   container sets it, one finding points at the object; when only some
    ///   containers set it, each container left without it is reported.
    ///   A non-zero `runAsUser` does not replace `runAsNonRoot` in the standard.
    ///
    /// Windows pods (by `spec.os.name` or node selector) are skipped: the API
    /// server rejects `runAsUser` for them and the fix is a Windows user name,
    /// which WIN009 asks for (`runAsUserName: ContainerUser`).
    ///
    /// Compose services: no `user:` (unless the image is known to run as a
    /// non-root user by default), or `user: root` / `0` (an error).
    ///
    /// ## Why it matters
    /// Most images default to root. Root in a container is root on the node's
    /// kernel: any container escape, writable host mount or added capability
    /// becomes a full node compromise. `runAsNonRoot: true` makes the kubelet
    /// refuse to start a container whose user resolves to UID 0. A namespace
    /// enforcing the Restricted level rejects the pod.
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
    ///   securityContext:
    ///     runAsNonRoot: true
    ///     runAsUser: 10001
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    ///
    /// ## References
    /// - Pod Security Standards, Restricted, "Running as Non-root" and "Running as Non-root user": https://kubernetes.io/docs/concepts/security/pod-security-standards/
    /// - Pod Security admission checks: https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_runAsNonRoot.go and https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_runAsUser.go
    /// - CIS Kubernetes Benchmark 5.2.6, minimize the admission of root containers: https://www.cisecurity.org/benchmark/kubernetes
    /// - Compose Specification, services (`privileged`, `user`, `read_only`, `cap_add`, `security_opt`, …): https://docs.docker.com/reference/compose-file/services/
    pub(crate) struct RunsAsRoot {
        id: "HARD003",
        name: "runs-as-root",
        severity: Warning,
        scope: Scope::Object(POD_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

/// The repository name of an image reference, without registry, tag or digest.
fn image_name(image: &str) -> &str {
    let name = image.split('@').next().unwrap_or(image);
    let last = name.rsplit('/').next().unwrap_or(name);
    let without_tag = last.split(':').next().unwrap_or(last);
    if name.contains('/') {
        name.get(..name.len() - last.len() + without_tag.len())
            .unwrap_or(name)
    } else {
        without_tag
    }
}

/// Images whose Dockerfile already sets a non-root `USER` (their docs).
fn runs_non_root_by_default(image: &str) -> bool {
    let name = image_name(image);
    name.starts_with("bitnami/")
        || matches!(
            name,
            "nginxinc/nginx-unprivileged"
                | "grafana/grafana"
                | "prom/prometheus"
                | "prom/alertmanager"
                | "cgr.dev/chainguard/static"
        )
}

/// Which user to run as, for images known to ship one (their Dockerfiles).
fn non_root_user(image: &str) -> &'static str {
    match image_name(image).rsplit('/').next().unwrap_or_default() {
        "postgres" => {
            "for postgres `user: \"999:999\"` (the image's `postgres` user; 70:70 in the Alpine variants)"
        }
        "redis" | "valkey" => "for redis `user: \"999:999\"` (the image's `redis` user)",
        "mongo" => "for mongo `user: \"999:999\"` (the image's `mongodb` user)",
        "mysql" | "mariadb" => "for mysql `user: \"999:999\"` (the image's `mysql` user)",
        "node" => "for node `user: \"1000:1000\"` (the image's `node` user)",
        "nginx" => {
            "or use `nginxinc/nginx-unprivileged`, which runs as uid 101 and listens on 8080"
        }
        _ => "e.g. `user: \"10001:10001\"`, after checking the image works as that user",
    }
}

impl Rule for RunsAsRoot {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(pod) = object.pod_spec() else {
            return;
        };
        if windows_pod(pod) {
            return;
        }
        let owner = object.display();
        let pod_sc = pod.get("securityContext");
        let containers = object.containers();

        // runAsUser: 0, wherever written.
        let pod_user = present(pod_sc.and_then(|sc| sc.get("runAsUser")));
        if let Some(v) = pod_user.filter(|v| k8s_int(*v) == Some(0)) {
            let mut f = out
                .at(
                    object.at(v.span()),
                    format!("{} sets `runAsUser: 0`, so its containers run as root; the Restricted Pod Security Standard forbids UID 0", pod_of(object)),
                )
                .object(owner.clone())
                .fix("set `spec.securityContext.runAsUser` to a non-zero UID (for example 10001) and `runAsNonRoot: true`");
            f.severity = Severity::Error;
            out.push(f);
        }
        for c in &containers {
            if let Some(v) =
                present(c.container_setting("runAsUser")).filter(|v| k8s_int(*v) == Some(0))
            {
                let mut f = out
                    .at(
                        c.at(v.span()),
                        format!("{} of {owner} sets `runAsUser: 0` and runs as root; the Restricted Pod Security Standard forbids UID 0", c.describe()),
                    )
                    .object(owner.clone())
                    .fix("set the container's `securityContext.runAsUser` to a non-zero UID (for example 10001) and `runAsNonRoot: true`");
                f.severity = Severity::Error;
                out.push(f);
            }
        }

        // runAsNonRoot written as false.
        let pod_non_root = present(pod_sc.and_then(|sc| sc.get("runAsNonRoot")));
        if let Some(v) = pod_non_root.filter(|v| k8s_bool(*v) != Some(true)) {
            let f = out
                .at(
                    object.at(v.span()),
                    format!("{} sets `runAsNonRoot` to {}; the Restricted Pod Security Standard requires `true`", pod_of(object), code(v.as_str().unwrap_or_default())),
                )
                .object(owner.clone())
                .fix("set `spec.securityContext.runAsNonRoot: true`");
            out.push(f);
        }
        let pod_true = pod_non_root.and_then(k8s_bool) == Some(true);
        let mut unset = Vec::new();
        for c in &containers {
            match present(c.container_setting("runAsNonRoot")) {
                Some(v) if k8s_bool(v) == Some(true) => {}
                Some(v) => {
                    let f = out
                        .at(
                            c.at(v.span()),
                            format!("{} of {owner} sets `runAsNonRoot` to {}; the Restricted Pod Security Standard requires `true`", c.describe(), code(v.as_str().unwrap_or_default())),
                        )
                        .object(owner.clone())
                        .fix("set the container's `securityContext.runAsNonRoot: true`");
                    out.push(f);
                }
                None if !pod_true => unset.push(c),
                None => {}
            }
        }
        // A pod-level value other than true was reported above, once.
        if pod_non_root.is_some() || unset.is_empty() {
            return;
        }
        if unset.len() == containers.len() {
            let f = out
                .at(
                    object.anchor(),
                    format!("neither {} nor any of its containers sets `runAsNonRoot: true`, so they may run as root; the Restricted Pod Security Standard requires it", pod_of(object)),
                )
                .object(owner)
                .fix("add `securityContext: {runAsNonRoot: true, runAsUser: 10001}` to the pod spec (an image that runs as a non-root user can omit `runAsUser`)");
            out.push(f);
            return;
        }
        for c in unset {
            let f = out
                .at(
                    c.anchor(),
                    format!("{} of {owner} does not run with `runAsNonRoot: true` (neither it nor the pod sets it); the Restricted Pod Security Standard requires it", c.describe()),
                )
                .object(owner.clone())
                .fix("set `runAsNonRoot: true` in the container's `securityContext`, or once in the pod's `spec.securityContext`");
            out.push(f);
        }
    }

    fn check_service(&self, _ctx: &Context<'_>, s: &Service<'_>, out: &mut Findings<'_>) {
        let image = s.image().and_then(|i| i.as_str()).unwrap_or_default();
        match s.get("user") {
            Some(value) => {
                let user = value.as_str().unwrap_or_default();
                let name = user.split(':').next().unwrap_or(user).trim();
                if name != "root" && name != "0" {
                    return;
                }
                let mut f = out
                    .at(
                        value.at,
                        format!("{} runs as root (`user: {user}`)", s.describe()),
                    )
                    .object(service_owner(s))
                    .fix(format!(
                        "set `user:` to a non-root UID and GID, {}",
                        non_root_user(image)
                    ));
                f.severity = Severity::Error;
                out.push(f);
            }
            None => {
                if runs_non_root_by_default(image) {
                    return;
                }
                let f = out
                    .at(s.name_at(), format!("{} sets no `user:`, so it runs as the image's default user, which is root for most images", s.describe()))
                    .object(service_owner(s))
                    .fix(format!("set `user:` to a non-root UID and GID, {}", non_root_user(image)));
                out.push(f);
            }
        }
    }
}
