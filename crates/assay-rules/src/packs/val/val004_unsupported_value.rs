use super::{is_builtin, k8s_str, nodes_at, pod_spec_path, unsupported};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// An enum value the API server does not support (`protocol: TCPP`)
    ///
    /// ## What it checks
    /// Fields whose allowed values the API server's validation code fixes
    /// but the published OpenAPI schemas do not list (so schema validators
    /// pass any string), per Kubernetes version: container and Service port
    /// `protocol`; a pod's `restartPolicy`, `dnsPolicy` and
    /// `preemptionPolicy`; a container's `imagePullPolicy` and
    /// `terminationMessagePolicy`; an init container's `restartPolicy`
    /// (only `Always`, the sidecar form); a Service's `type`,
    /// `sessionAffinity`, `externalTrafficPolicy`, `internalTrafficPolicy`,
    /// `ipFamilyPolicy` and `trafficDistribution` (`PreferClose`; also
    /// `PreferSameZone` and `PreferSameNode` from 1.34); Deployment, StatefulSet and
    /// DaemonSet strategy types, StatefulSet `podManagementPolicy`; Job
    /// `completionMode` and `podReplacementPolicy`; CronJob
    /// `concurrencyPolicy`; Ingress `pathType`; NetworkPolicy `policyTypes`
    /// and port protocols; PodDisruptionBudget `unhealthyPodEvictionPolicy`;
    /// HorizontalPodAutoscaler `selectPolicy`; PersistentVolumeClaim
    /// `accessModes` and `volumeMode`. Values are case-sensitive, as in
    /// the server; messages use its wording (`Unsupported value`, or
    /// `Invalid value: ... must be 'A' or 'B'` where the server says that).
    ///
    /// ## Why it matters
    /// The server answers `Unsupported value: "TCPP": supported values:
    /// "SCTP", "TCP", "UDP"` and the whole object is rejected; a lowercase
    /// `tcp` or `always` copied from a blog is the usual cause.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    ///       protocol: tcp
    /// ```
    ///
    /// ## Fix
    /// Write one of the supported values, exactly:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    ///       protocol: TCP
    /// ```
    ///
    /// ## References
    /// - kubernetes `pkg/apis/core/validation/validation.go`: `validateContainerPorts` / `ValidateService` (`supportedPortProtocols`), `validateRestartPolicy`, `validateDNSPolicy`, `validatePullPolicy`, `validateContainers` (`terminationMessagePolicy`), `validateInitContainers` (container `restartPolicy`), `ValidateService` (`supportedServiceType`, `supportedSessionAffinityType`, `validateServiceExternalTrafficPolicy`, `validateServiceInternalTrafficFieldsValue`, `supportedServiceIPFamilyPolicy`, `validateServiceTrafficDistribution`), `ValidatePersistentVolumeClaimSpec` (`supportedAccessModes`, `supportedVolumeModes`): https://github.com/kubernetes/kubernetes
    /// - `pkg/apis/apps/validation/validation.go` (`ValidateDeploymentStrategy`, `ValidateStatefulSetSpec`, `ValidateDaemonSetUpdateStrategy`), `pkg/apis/batch/validation/validation.go` (`validateJobSpec`, `validateConcurrencyPolicy`), `pkg/apis/networking/validation/validation.go` (`validateIngressPath`: `supportedPathTypes`, `ValidateNetworkPolicySpec`), `pkg/apis/policy/validation/validation.go` (`supportedUnhealthyPodEvictionPolicies`), `pkg/apis/autoscaling/validation/validation.go` (`validateScalingRules`)
    pub(crate) struct UnsupportedValue {
        id: "VAL004",
        name: "unsupported-value",
        severity: Error,
        scope: Scope::Object(&[]),
        fix: Always,
        since: "0.1.0",
    }
}

/// Where a field is: under the object's root, or under its pod spec.
#[derive(Clone, Copy)]
enum Base {
    Root,
    Pod,
}

struct EnumField {
    /// Kinds it applies to (for `Base::Pod`: every kind with a pod spec).
    kinds: &'static [&'static str],
    base: Base,
    path: &'static [&'static str],
    /// Supported values, in the order the server prints them.
    allowed: &'static [&'static str],
    /// Values added in a later release (minor, values).
    later: Option<(u32, &'static [&'static str])>,
    /// The server's own wording when it is not `Unsupported value`
    /// (`field.Invalid` with this detail).
    must_be: Option<&'static str>,
}

const PROTOCOLS: &[&str] = &["SCTP", "TCP", "UDP"];
const UPDATE: &[&str] = &["OnDelete", "RollingUpdate"];
const TRAFFIC: &[&str] = &["Cluster", "Local"];

const fn field(
    kinds: &'static [&'static str],
    base: Base,
    path: &'static [&'static str],
    allowed: &'static [&'static str],
) -> EnumField {
    EnumField {
        kinds,
        base,
        path,
        allowed,
        later: None,
        must_be: None,
    }
}

const ANY: &[&str] = &[];

static FIELDS: &[EnumField] = &[
    field(
        ANY,
        Base::Pod,
        &["restartPolicy"],
        &["Always", "OnFailure", "Never"],
    ),
    field(
        ANY,
        Base::Pod,
        &["dnsPolicy"],
        &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
    ),
    field(
        ANY,
        Base::Pod,
        &["preemptionPolicy"],
        &["PreemptLowerPriority", "Never"],
    ),
    field(
        ANY,
        Base::Pod,
        &["containers", "*", "imagePullPolicy"],
        &["Always", "IfNotPresent", "Never"],
    ),
    field(
        ANY,
        Base::Pod,
        &["initContainers", "*", "imagePullPolicy"],
        &["Always", "IfNotPresent", "Never"],
    ),
    EnumField {
        kinds: ANY,
        base: Base::Pod,
        path: &["containers", "*", "terminationMessagePolicy"],
        allowed: &["FallbackToLogsOnError", "File"],
        later: None,
        must_be: Some("must be 'File' or 'FallbackToLogsOnError'"),
    },
    EnumField {
        kinds: ANY,
        base: Base::Pod,
        path: &["initContainers", "*", "terminationMessagePolicy"],
        allowed: &["FallbackToLogsOnError", "File"],
        later: None,
        must_be: Some("must be 'File' or 'FallbackToLogsOnError'"),
    },
    field(
        ANY,
        Base::Pod,
        &["initContainers", "*", "restartPolicy"],
        &["Always"],
    ),
    field(
        ANY,
        Base::Pod,
        &["containers", "*", "ports", "*", "protocol"],
        PROTOCOLS,
    ),
    field(
        ANY,
        Base::Pod,
        &["initContainers", "*", "ports", "*", "protocol"],
        PROTOCOLS,
    ),
    field(
        &["Service"],
        Base::Root,
        &["spec", "ports", "*", "protocol"],
        PROTOCOLS,
    ),
    field(
        &["Service"],
        Base::Root,
        &["spec", "type"],
        &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
    ),
    field(
        &["Service"],
        Base::Root,
        &["spec", "sessionAffinity"],
        &["ClientIP", "None"],
    ),
    field(
        &["Service"],
        Base::Root,
        &["spec", "externalTrafficPolicy"],
        TRAFFIC,
    ),
    field(
        &["Service"],
        Base::Root,
        &["spec", "internalTrafficPolicy"],
        TRAFFIC,
    ),
    field(
        &["Service"],
        Base::Root,
        &["spec", "ipFamilyPolicy"],
        &["PreferDualStack", "RequireDualStack", "SingleStack"],
    ),
    EnumField {
        kinds: &["Service"],
        base: Base::Root,
        path: &["spec", "trafficDistribution"],
        allowed: &["PreferClose"],
        later: Some((34, &["PreferSameNode", "PreferSameZone"])),
        must_be: None,
    },
    field(
        &["Deployment"],
        Base::Root,
        &["spec", "strategy", "type"],
        &["Recreate", "RollingUpdate"],
    ),
    EnumField {
        kinds: &["StatefulSet"],
        base: Base::Root,
        path: &["spec", "updateStrategy", "type"],
        allowed: UPDATE,
        later: None,
        must_be: Some("must be 'RollingUpdate' or 'OnDelete'"),
    },
    EnumField {
        kinds: &["StatefulSet"],
        base: Base::Root,
        path: &["spec", "podManagementPolicy"],
        allowed: &["OrderedReady", "Parallel"],
        later: None,
        must_be: Some("must be 'OrderedReady' or 'Parallel'"),
    },
    field(
        &["DaemonSet"],
        Base::Root,
        &["spec", "updateStrategy", "type"],
        UPDATE,
    ),
    field(
        &["Job"],
        Base::Root,
        &["spec", "completionMode"],
        &["Indexed", "NonIndexed"],
    ),
    field(
        &["Job"],
        Base::Root,
        &["spec", "podReplacementPolicy"],
        &["Failed", "TerminatingOrFailed"],
    ),
    field(
        &["CronJob"],
        Base::Root,
        &["spec", "concurrencyPolicy"],
        &["Allow", "Forbid", "Replace"],
    ),
    field(
        &["Ingress"],
        Base::Root,
        &["spec", "rules", "*", "http", "paths", "*", "pathType"],
        &["Exact", "ImplementationSpecific", "Prefix"],
    ),
    field(
        &["NetworkPolicy"],
        Base::Root,
        &["spec", "policyTypes", "*"],
        &["Egress", "Ingress"],
    ),
    field(
        &["NetworkPolicy"],
        Base::Root,
        &["spec", "ingress", "*", "ports", "*", "protocol"],
        PROTOCOLS,
    ),
    field(
        &["NetworkPolicy"],
        Base::Root,
        &["spec", "egress", "*", "ports", "*", "protocol"],
        PROTOCOLS,
    ),
    field(
        &["PodDisruptionBudget"],
        Base::Root,
        &["spec", "unhealthyPodEvictionPolicy"],
        &["AlwaysAllow", "IfHealthyBudget"],
    ),
    field(
        &["HorizontalPodAutoscaler"],
        Base::Root,
        &["spec", "behavior", "scaleUp", "selectPolicy"],
        &["Disabled", "Max", "Min"],
    ),
    field(
        &["HorizontalPodAutoscaler"],
        Base::Root,
        &["spec", "behavior", "scaleDown", "selectPolicy"],
        &["Disabled", "Max", "Min"],
    ),
    field(
        &["PersistentVolumeClaim"],
        Base::Root,
        &["spec", "accessModes", "*"],
        &[
            "ReadOnlyMany",
            "ReadWriteMany",
            "ReadWriteOnce",
            "ReadWriteOncePod",
        ],
    ),
    field(
        &["PersistentVolumeClaim"],
        Base::Root,
        &["spec", "volumeMode"],
        &["Block", "Filesystem"],
    ),
];

impl Rule for UnsupportedValue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        if !is_builtin(object) {
            return;
        }
        let minor = ctx.kubernetes_version.minor;
        let pod = object.pod_spec();
        for spec in FIELDS {
            let (root, base) = match spec.base {
                Base::Root if spec.kinds.contains(&object.kind()) => (object.root, ""),
                Base::Pod => match pod {
                    Some(pod) => (pod, pod_spec_path(object)),
                    None => continue,
                },
                Base::Root => continue,
            };
            let mut allowed: Vec<&str> = spec.allowed.to_vec();
            if let Some((since, values)) = spec.later
                && (minor >= since || ctx.kubernetes_version.major > 1)
            {
                allowed.extend_from_slice(values);
                allowed.sort_unstable();
            }
            for (node, path) in nodes_at(root, base, spec.path) {
                let Some(value) = k8s_str(node) else {
                    continue;
                };
                if allowed.contains(&value) {
                    continue;
                }
                let mut finding = out
                    .at(
                        object.at(node.span()),
                        match spec.must_be {
                            Some(detail) => super::invalid(&path, value, detail),
                            None => unsupported(&path, value, &allowed),
                        },
                    )
                    .object(object.display());
                let close = allowed
                    .iter()
                    .find(|a| a.eq_ignore_ascii_case(value))
                    .copied()
                    .or_else(|| assay_diagnostics::closest(value, allowed.iter().copied()));
                finding = match (close, allowed.as_slice()) {
                    (Some(c), _) | (None, &[c]) => finding.fix(format!("write `{c}`")),
                    (None, _) => finding.fix(format!("write one of {}", allowed.join(", "))),
                };
                out.push(finding);
            }
        }
    }
}
