use super::{
    REJECTS, dns1035_label, dns1123_label, dns1123_subdomain, first_error, k8s_str,
    path_segment_name,
};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// An object name, generateName or namespace the API server rejects
    ///
    /// ## What it checks
    /// `metadata.name` with the rule of its kind, as the API server's
    /// `ValidateObjectMeta` applies it: a DNS-1035 label for Services (63
    /// characters, lowercase letters, digits and `-`, starting with a
    /// letter); a DNS-1123 label for Namespaces (the same, may start with a
    /// digit); a path segment for Roles, ClusterRoles and their bindings (no
    /// `/` or `%`, not `.` or `..`); a DNS-1123 subdomain (253 characters,
    /// lowercase, digits, `-` and `.`) for Pods, workloads, ConfigMaps,
    /// Secrets, ServiceAccounts, Ingresses, NetworkPolicies,
    /// PodDisruptionBudgets, HorizontalPodAutoscalers and the other kinds
    /// listed below. `metadata.generateName` with the same rule, a trailing
    /// `-` allowed. `metadata.namespace` must be a DNS-1123 label. An object
    /// needs a `name` or a `generateName`. A CronJob's name is at most 52
    /// characters (its Jobs append 11). Kinds not listed are not checked.
    ///
    /// Subdomain names: Pod, PodTemplate, ReplicationController, Node,
    /// LimitRange, ResourceQuota, Secret, ConfigMap, ServiceAccount,
    /// Endpoints, PriorityClass, Deployment, ReplicaSet, StatefulSet,
    /// DaemonSet, Job, CronJob, Ingress, IngressClass, NetworkPolicy,
    /// PodDisruptionBudget, HorizontalPodAutoscaler, StorageClass,
    /// RuntimeClass.
    ///
    /// ## Why it matters
    /// `kubectl apply` fails with `metadata.name: Invalid value: "Web": a
    /// lowercase RFC 1123 subdomain must consist of ...`; schemas only say
    /// "string", so schema validators pass it.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: 1st-web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    /// ```
    ///
    /// ## Fix
    /// Use a name the kind accepts (a Service's name must start with a letter):
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web-1
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    /// ```
    ///
    /// ## References
    /// - apimachinery `pkg/api/validation/generic.go` (`NameIsDNSSubdomain`, `NameIsDNSLabel`, `NameIsDNS1035Label`, `maskTrailingDash`) and `objectmeta.go` (`ValidateObjectMeta`: "name or generateName is required"): https://github.com/kubernetes/apimachinery
    /// - apimachinery `pkg/util/validation/validation.go` (`IsDNS1123Label`, `IsDNS1123Subdomain`, `IsDNS1035Label`) and `pkg/api/validate/content/path.go` (`IsPathSegmentName`)
    /// - kubernetes `pkg/apis/core/validation/validation.go` (`ValidateServiceName`, `ValidateNamespaceName`, `ValidatePodName`, ...), `pkg/apis/rbac/validation/validation.go` (`ValidateRBACName`), `pkg/apis/batch/validation/validation.go` (`ValidateCronJobCreate`: "must be no more than 52 characters"): https://github.com/kubernetes/kubernetes
    /// - Object names and IDs: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
    pub(crate) struct InvalidObjectName {
        id: "VAL001",
        name: "invalid-object-name",
        severity: Error,
        scope: Scope::Object(&[]),
        fix: Sometimes,
        since: "0.1.0",
    }
}

type NameRule = fn(&str) -> Vec<String>;

/// The name rule of a built-in kind, `None` for kinds not checked.
fn name_rule(object: &ObjectView<'_>) -> Option<NameRule> {
    let group = object
        .object
        .api_version
        .rsplit_once('/')
        .map_or("", |(g, _)| g);
    let rule: NameRule = match (group, object.kind()) {
        ("", "Service") => dns1035_label,
        ("", "Namespace") => dns1123_label,
        (
            "rbac.authorization.k8s.io",
            "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding",
        ) => path_segment_name,
        (
            "",
            "Pod"
            | "PodTemplate"
            | "ReplicationController"
            | "Node"
            | "LimitRange"
            | "ResourceQuota"
            | "Secret"
            | "ConfigMap"
            | "ServiceAccount"
            | "Endpoints",
        )
        | ("scheduling.k8s.io", "PriorityClass")
        | ("apps", "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet")
        | ("batch", "Job" | "CronJob")
        | ("networking.k8s.io", "Ingress" | "IngressClass" | "NetworkPolicy")
        | ("policy", "PodDisruptionBudget")
        | ("autoscaling", "HorizontalPodAutoscaler")
        | ("storage.k8s.io", "StorageClass")
        | ("node.k8s.io", "RuntimeClass") => dns1123_subdomain,
        _ => return None,
    };
    Some(rule)
}

/// apimachinery `maskTrailingDash`: a generateName may end in `-`.
fn mask_trailing_dash(name: &str) -> String {
    match name.strip_suffix('-') {
        Some(rest) if !rest.is_empty() => format!("{rest}a"),
        _ => name.to_owned(),
    }
}

impl Rule for InvalidObjectName {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(rule) = name_rule(object) else {
            return;
        };
        let metadata = object.metadata();
        let name = metadata.and_then(|m| m.get("name"));
        let generate = metadata.and_then(|m| m.get("generateName"));
        let mut found: Vec<(assay_span::Span, String)> = Vec::new();
        if let Some(node) = name {
            if let Some(message) = first_error(node, "metadata.name", rule) {
                found.push((node.span(), message));
            } else if object.kind() == "CronJob" && k8s_str(node).is_some_and(|n| n.len() > 52) {
                let text = k8s_str(node).unwrap_or_default();
                found.push((
                    node.span(),
                    super::invalid("metadata.name", text, "must be no more than 52 characters"),
                ));
            }
        }
        if let Some(node) = generate
            && let Some(message) = first_error(node, "metadata.generateName", |g| {
                rule(&mask_trailing_dash(g))
            })
        {
            found.push((node.span(), message));
        }
        let blank = |v: Option<assay_yaml::Value<'_>>| {
            v.is_none_or(|v| v.is_null() || k8s_str(v) == Some(""))
        };
        if blank(name) && blank(generate) {
            let at = name.map_or_else(
                || {
                    object
                        .root
                        .entry("metadata")
                        .map_or(object.anchor().span, |(k, _)| k.span())
                },
                |n| n.span(),
            );
            found.push((
                at,
                format!(
                    "metadata.name: Required value: name or generateName is required; {REJECTS}"
                ),
            ));
        }
        if let Some(node) = metadata.and_then(|m| m.get("namespace"))
            && let Some(message) = first_error(node, "metadata.namespace", dns1123_label)
        {
            found.push((node.span(), message));
        }
        for (span, message) in found {
            let fix = if message.contains("Required value") {
                "add `metadata.name` (or `metadata.generateName` for objects created with `kubectl create`)"
            } else if message.contains("52 characters") {
                "shorten the name to at most 52 characters"
            } else {
                "use lowercase letters, digits and `-` (and `.` where the kind allows it), starting and ending with a letter or digit"
            };
            let finding = out
                .at(object.at(span), message)
                .object(object.display())
                .fix(fix);
            out.push(finding);
        }
    }
}
