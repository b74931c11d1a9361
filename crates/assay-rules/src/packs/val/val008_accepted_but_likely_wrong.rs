use super::{int, is_builtin, k8s_str, nodes_at};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// A value the API server accepts but that is likely wrong
    ///
    /// ## What it checks
    /// - A Service `nodePort` outside 30000–32767, the default
    ///   `--service-node-port-range`: a cluster with the default range
    ///   rejects it ("provided port is not in the valid range"), one with a
    ///   wider range accepts it, so this is a warning.
    /// - A StatefulSet name longer than 52 characters: the object is
    ///   accepted, but its pods carry the label
    ///   `controller-revision-hash: <name>-<hash>`, which then exceeds the
    ///   63 characters of a label value, and no pod is ever created.
    /// - A CronJob `startingDeadlineSeconds` under 10: the controller checks
    ///   schedules every 10 seconds, so such a CronJob may never start a Job.
    ///
    /// ## Why it matters
    /// Each passes `kubectl apply` and fails later, where it is harder to
    /// see: an empty StatefulSet with only an event saying why, a CronJob
    /// that silently never runs, a Service that works on one cluster and
    /// not on the next.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   type: NodePort
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    ///       nodePort: 8080
    /// ```
    ///
    /// ## Fix
    /// Use a port inside the range, or leave `nodePort` out and let the
    /// cluster allocate one:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   type: NodePort
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    ///       nodePort: 30080
    /// ```
    ///
    /// ## References
    /// - kubernetes `pkg/registry/core/service/portallocator/allocator.go` ("provided port is not in the valid range") and `--service-node-port-range` (default 30000-32767): https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    /// - StatefulSet names and the `controller-revision-hash` label: https://github.com/kubernetes/kubernetes/issues/64023
    /// - CronJob `startingDeadlineSeconds` under 10 seconds: https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#job-creation
    pub(crate) struct AcceptedButLikelyWrong {
        id: "VAL008",
        name: "accepted-but-likely-wrong",
        severity: Warning,
        scope: Scope::Object(&["Service", "StatefulSet", "CronJob"]),
        fix: Never,
        since: "0.1.0",
    }
}

const ACCEPTS: &str = "the API server accepts this but it is likely wrong";

impl Rule for AcceptedButLikelyWrong {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        if !is_builtin(object) {
            return;
        }
        let root = object.root;
        let mut found = Vec::new();
        match object.kind() {
            "Service" => {
                for (node, path) in nodes_at(root, "", &["spec", "ports", "*", "nodePort"]) {
                    if let Some(port) =
                        int(node).filter(|p| *p != 0 && !(30000..=32767).contains(p))
                    {
                        found.push((node, format!("{path}: {port} is outside the default NodePort range 30000-32767: only a cluster whose `--service-node-port-range` was widened accepts it (the range is a cluster setting, so this is a warning)"), "use a port from 30000 to 32767, or leave `nodePort` out"));
                    }
                }
            }
            "StatefulSet" => {
                if let Some(node) = root.path(&["metadata", "name"])
                    && let Some(name) = k8s_str(node).filter(|n| n.len() > 52)
                {
                    found.push((node, format!("metadata.name: {} characters: {ACCEPTS}: the pods' `controller-revision-hash` label (`{name}-<hash>`) exceeds 63 characters, so no pod is created", name.len()), "use a name of at most 52 characters"));
                }
            }
            "CronJob" => {
                if let Some(node) = root.path(&["spec", "startingDeadlineSeconds"])
                    && let Some(seconds) = int(node).filter(|s| (0..10).contains(s))
                {
                    found.push((node, format!("spec.startingDeadlineSeconds: {seconds}: {ACCEPTS}: the controller checks schedules every 10 seconds, so a Job may never be started"), "use at least 10 seconds, or leave it unset"));
                }
            }
            _ => {}
        }
        for (node, message, fix) in found {
            let finding = out
                .at(object.at(node.span()), message)
                .object(object.display())
                .fix(fix);
            out.push(finding);
        }
    }
}
