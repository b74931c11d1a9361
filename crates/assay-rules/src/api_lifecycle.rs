//! The Kubernetes API lifecycle table: which `apiVersion`/`kind` pairs were
//! deprecated or removed between Kubernetes 1.16 and 1.37, and what replaces
//! them. The `API` pack reads it; `assay explain API001` prints it.
//!
//! Sources (the `source` column names which one an entry comes from):
//! - `guide vX.Y`: the Kubernetes Deprecated API Migration Guide, section
//!   vX.Y, <https://kubernetes.io/docs/reference/using-api/deprecation-guide/>.
//! - `lifecycle`: the `prerelease-lifecycle-gen` annotations (introduced,
//!   deprecated, removed, replacement) generated into
//!   `zz_generated.prerelease-lifecycle.go` of each API group in
//!   `staging/src/k8s.io/api` (and `apiextensions-apiserver`, `kube-aggregator`)
//!   of kubernetes/kubernetes, read at the 1.37 development branch. The API
//!   server stops serving a version at its annotated removal release.
//! - `lifecycle; type deleted in 1.N`: an alpha type whose Go type left
//!   `k8s.io/api` in release 1.N (tag `v0.N.0`) before its annotated removal;
//!   a type that no longer exists cannot be served, so 1.N is the removal.
//!   Alpha versions have no deprecation period, so none is given.
//! - `type deleted in 1.N` alone: an alpha version older than the lifecycle
//!   annotations whose Go types left `k8s.io/api` in release 1.N.
//! - `changelog 1.N` or `kubernetes#PR`: the release note that stopped
//!   serving a version whose Go types `k8s.io/api` still carries for clients.
//!
//! - `lifecycle; bundled schemas`: an alpha version the OpenAPI schemas of
//!   one bundled release serve and those of the next do not.
//!
//! Versions are Kubernetes 1.x minors.

use std::fmt::Write as _;

/// One deprecated or removed `apiVersion`/`kind` pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApiLifecycle {
    /// `group/version` as written in `apiVersion` (`extensions/v1beta1`).
    pub api_version: &'static str,
    pub kind: &'static str,
    /// Minor version (of 1.x) that deprecated it, if it was deprecated.
    pub deprecated: Option<u32>,
    /// Minor version (of 1.x) that stopped serving it, if scheduled.
    pub removed: Option<u32>,
    /// The `apiVersion` to use instead (same kind), if there is one.
    pub replacement: Option<&'static str>,
    /// Minor version since which the replacement is served.
    pub replacement_since: u32,
    /// What to do when there is no replacement, or a caveat about it.
    pub instead: &'static str,
    /// Field changes the migration needs, Markdown; empty when none.
    pub notes: &'static str,
    /// Where the versions come from (see the module doc).
    pub source: &'static str,
}

impl ApiLifecycle {
    /// Removed in or before the target minor.
    #[must_use]
    pub fn removed_by(&self, minor: u32) -> bool {
        self.removed.is_some_and(|r| r <= minor)
    }

    /// Deprecated in or before the target minor (and maybe removed).
    #[must_use]
    pub fn deprecated_by(&self, minor: u32) -> bool {
        self.deprecated.is_some_and(|d| d <= minor)
    }

    /// Removal falls in one of the two minors after the target.
    #[must_use]
    pub fn removed_soon_after(&self, minor: u32) -> bool {
        self.removed
            .is_some_and(|r| r > minor && r <= minor.saturating_add(2))
    }

    /// What to write instead, as one sentence fragment.
    #[must_use]
    pub fn replacement_text(&self) -> String {
        let mut text = match self.replacement {
            Some(r) => format!(
                "change `apiVersion: {}` to `apiVersion: {r}` (served since 1.{})",
                self.api_version, self.replacement_since
            ),
            None => String::from("there is no replacement API"),
        };
        if !self.instead.is_empty() {
            let _ = write!(text, "; {}", self.instead);
        }
        if !self.notes.is_empty() {
            let _ = write!(text, "; field changes: {}", self.notes);
        }
        text
    }
}

/// The lifecycle entry for an `apiVersion` and `kind`, if it has one.
#[must_use]
pub fn lookup(api_version: &str, kind: &str) -> Option<&'static ApiLifecycle> {
    API_LIFECYCLE
        .iter()
        .find(|e| e.api_version == api_version && e.kind == kind)
}

fn minor(v: Option<u32>) -> String {
    v.map_or_else(|| "—".to_owned(), |m| format!("1.{m}"))
}

/// The table as Markdown, for `assay explain` and the generated rule docs.
#[must_use]
pub fn markdown_table() -> String {
    let mut out = String::from(
        "## API lifecycle table\n\n\
         Versions are Kubernetes releases. `—` means none: alpha versions get no\n\
         deprecation period, and some deprecations have no removal scheduled yet.\n\
         Sources:\n\
         `guide vX.Y` is the section of the Deprecated API Migration Guide,\n\
         `lifecycle` the `prerelease-lifecycle-gen` annotations of the API types\n\
         in kubernetes/kubernetes (1.37 development branch).\n\n\
         | apiVersion | kind | deprecated | removed | replacement | migration notes | source |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for e in API_LIFECYCLE {
        let replacement = match e.replacement {
            Some(r) => format!("`{r}` (1.{}+)", e.replacement_since),
            None => "none".to_owned(),
        };
        let notes = match (e.instead.is_empty(), e.notes.is_empty()) {
            (true, true) => "—".to_owned(),
            (false, true) => e.instead.to_owned(),
            (true, false) => e.notes.to_owned(),
            (false, false) => format!("{}; {}", e.instead, e.notes),
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {replacement} | {} | {} |",
            e.api_version,
            e.kind,
            minor(e.deprecated),
            minor(e.removed),
            notes.replace('|', "\\|"),
            e.source
        );
    }
    out
}

#[allow(clippy::too_many_arguments)]
const fn entry(
    api_version: &'static str,
    kind: &'static str,
    deprecated: Option<u32>,
    removed: Option<u32>,
    replacement: Option<&'static str>,
    replacement_since: u32,
    notes: &'static str,
    source: &'static str,
) -> ApiLifecycle {
    ApiLifecycle {
        api_version,
        kind,
        deprecated,
        removed,
        replacement,
        replacement_since,
        instead: "",
        notes,
        source,
    }
}

const fn instead(mut e: ApiLifecycle, text: &'static str) -> ApiLifecycle {
    e.instead = text;
    e
}

const APPS_SELECTOR: &str =
    "`spec.selector` is required and must match `spec.template.metadata.labels` (it is immutable)";
const WEBHOOK: &str = "every `webhooks[*]` needs `sideEffects` (`None` or `NoneOnDryRun`) and `admissionReviewVersions` (e.g. `[v1]`); defaults change: `failurePolicy` Ignore → Fail, `matchPolicy` Exact → Equivalent, `timeoutSeconds` 30 → 10";
const CRD: &str = "`spec.validation.openAPIV3Schema` → `spec.versions[*].schema.openAPIV3Schema` (required, structural); `spec.subresources` and `spec.additionalPrinterColumns` move into each `spec.versions[*]` (`JSONPath` → `jsonPath`); `spec.version` is gone (use `spec.versions`); `spec.preserveUnknownFields: true` is not allowed (use `x-kubernetes-preserve-unknown-fields: true` in the schema); `spec.conversion.webhookClientConfig` → `spec.conversion.webhook.clientConfig` with `conversionReviewVersions`";
const SAR: &str = "`spec.group` → `spec.groups`";
const CSR: &str = "`spec.signerName` is required (`kubernetes.io/legacy-unknown` cannot be requested); `spec.usages` is required";
const INGRESS: &str = "`spec.backend` → `spec.defaultBackend`; `serviceName` → `service.name`; `servicePort` → `service.port.number` (a named port: `service.port.name`); every `paths[*]` needs `pathType` (`Prefix`, `Exact` or `ImplementationSpecific`)";
const ENDPOINT_SLICE: &str = "`endpoints[*].topology[\"kubernetes.io/hostname\"]` → `endpoints[*].nodeName`; `endpoints[*].topology[\"topology.kubernetes.io/zone\"]` → `endpoints[*].zone`; `topology` is gone";
const EVENT: &str = "`type` is `Normal` or `Warning`; `involvedObject` → `regarding`; `action`, `reason`, `reportingController`, `reportingInstance` are required; `firstTimestamp` → `eventTime`, `lastTimestamp` → `series.lastObservedTime`, `count` → `series.count`, `source.component`/`source.host` → `reportingController`/`reportingInstance`";
const HPA_V2BETA1: &str = "`spec.metrics[*].resource.targetAverageUtilization: N` → `target: {type: Utilization, averageUtilization: N}`; `targetAverageValue: X` → `target: {type: AverageValue, averageValue: X}`; `targetValue: X` → `target: {type: Value, value: X}`; `metricName` → `metric.name`; `selector`/`metricSelector` → `metric.selector`; `object.target` → `object.describedObject`";
const PDB: &str = "an empty `spec.selector` (`{}`) selects every pod of the namespace (under policy/v1beta1 it selected none)";
const PSP: &str = "enforce the Pod Security Standards with Pod Security Admission namespace labels (`pod-security.kubernetes.io/enforce: restricted`) or with a policy webhook";
const PLC_ASSURED: &str = "`spec.limited.assuredConcurrencyShares` → `spec.limited.nominalConcurrencyShares` (defaults to 30 only when unset; an explicit 0 stays 0)";
const PLC_NOMINAL: &str =
    "`spec.limited.nominalConcurrencyShares` defaults to 30 only when unset; an explicit 0 stays 0";
const FLOWCONTROL: &str = "before 1.29 use the newest beta the cluster serves (`v1beta3` on 1.26–1.28, `v1beta2` on 1.23–1.25)";
const DRA_CLAIM: &str = "in each `spec.devices.requests[*]`, `deviceClassName`, `selectors`, `allocationMode`, `count`, `adminAccess` and `tolerations` move under `exactly:`";
const DRA_TEMPLATE: &str = "in each `spec.spec.devices.requests[*]`, `deviceClassName`, `selectors`, `allocationMode`, `count`, `adminAccess` and `tolerations` move under `exactly:`";
const DRA_SLICE: &str =
    "the `basic:` wrapper of each `spec.devices[*]` is gone: its fields move up one level";

const G16: &str = "guide v1.16; lifecycle";
const G22: &str = "guide v1.22; lifecycle";
const G25: &str = "guide v1.25; lifecycle";
const G26: &str = "guide v1.26; lifecycle";
const L: &str = "lifecycle";
/// Alpha versions served by some bundled version and not by the next one:
/// the bundled OpenAPI schemas are the record of what each release served.
const B: &str = "lifecycle; bundled schemas: not served after the previous release";
const DRA_CLASSIC: &str = "classic dynamic resource allocation (resource classes, claim and class parameters, pod scheduling contexts) is gone: write `resource.k8s.io` DeviceClass, ResourceClaim, ResourceClaimTemplate with the structured-parameters layout of the newest version the cluster serves";
const WORKLOAD: &str = "the alpha gang-scheduling API changed shape in each release: write it for the `scheduling.k8s.io` version the target serves";
const RBAC_ALPHA: &str =
    "changelog 1.8 (deprecated) and 1.17 (kubernetes#84758); removed with v1beta1";

/// Every deprecated or removed `apiVersion`/`kind` pair, by removal release.
#[rustfmt::skip]
pub static API_LIFECYCLE: &[ApiLifecycle] = &[
    // 1.16
    entry("extensions/v1beta1", "Deployment", Some(8), Some(16), Some("apps/v1"), 9, APPS_SELECTOR, G16),
    entry("apps/v1beta1", "Deployment", Some(8), Some(16), Some("apps/v1"), 9, APPS_SELECTOR, G16),
    entry("apps/v1beta2", "Deployment", Some(9), Some(16), Some("apps/v1"), 9, APPS_SELECTOR, G16),
    entry("extensions/v1beta1", "DaemonSet", Some(8), Some(16), Some("apps/v1"), 9, APPS_SELECTOR, G16),
    entry("apps/v1beta2", "DaemonSet", Some(9), Some(16), Some("apps/v1"), 9, APPS_SELECTOR, G16),
    entry("extensions/v1beta1", "ReplicaSet", Some(8), Some(16), Some("apps/v1"), 9, APPS_SELECTOR, G16),
    entry("apps/v1beta2", "ReplicaSet", Some(9), Some(16), Some("apps/v1"), 9, APPS_SELECTOR, G16),
    entry("apps/v1beta1", "ReplicaSet", None, Some(16), Some("apps/v1"), 9, APPS_SELECTOR, "guide v1.16 (no lifecycle annotation: the type never existed in apps/v1beta1)"),
    entry("apps/v1beta1", "StatefulSet", Some(8), Some(16), Some("apps/v1"), 9, APPS_SELECTOR, G16),
    entry("apps/v1beta2", "StatefulSet", Some(9), Some(16), Some("apps/v1"), 9, APPS_SELECTOR, G16),
    entry("extensions/v1beta1", "NetworkPolicy", Some(9), Some(16), Some("networking.k8s.io/v1"), 7, "", G16),
    entry("apps/v1beta1", "ControllerRevision", Some(8), Some(16), Some("apps/v1"), 9, "", L),
    entry("apps/v1beta2", "ControllerRevision", Some(9), Some(16), Some("apps/v1"), 9, "", L),
    instead(
        entry("extensions/v1beta1", "PodSecurityPolicy", Some(11), Some(16), None, 0, "", G16),
        "`policy/v1beta1` PodSecurityPolicy (1.10–1.24) was itself removed in 1.25: enforce the Pod Security Standards with Pod Security Admission namespace labels (`pod-security.kubernetes.io/enforce: restricted`) or with a policy webhook",
    ),
    // 1.17
    entry("scheduling.k8s.io/v1alpha1", "PriorityClass", Some(14), Some(17), Some("scheduling.k8s.io/v1"), 14, "", "changelog 1.17: scheduling.k8s.io/v1alpha1 no longer served"),
    // 1.19
    instead(
        entry("auditregistration.k8s.io/v1alpha1", "AuditSink", None, Some(19), None, 0, "", "type deleted in 1.19"),
        "configure dynamic audit backends with the API server's `--audit-webhook-config-file`",
    ),
    // 1.20
    instead(
        entry("settings.k8s.io/v1alpha1", "PodPreset", None, Some(20), None, 0, "", "type deleted in 1.20"),
        "inject the settings with a mutating admission webhook, or write them into each pod template",
    ),
    // 1.21
    entry("batch/v2alpha1", "CronJob", None, Some(21), Some("batch/v1"), 21, "", "type deleted in 1.21"),
    entry("discovery.k8s.io/v1alpha1", "EndpointSlice", None, Some(21), Some("discovery.k8s.io/v1"), 21, ENDPOINT_SLICE, "type deleted in 1.21"),
    instead(
        entry("flowcontrol.apiserver.k8s.io/v1alpha1", "FlowSchema", Some(20), Some(21), Some("flowcontrol.apiserver.k8s.io/v1"), 29, "", L),
        FLOWCONTROL,
    ),
    instead(
        entry("flowcontrol.apiserver.k8s.io/v1alpha1", "PriorityLevelConfiguration", Some(20), Some(21), Some("flowcontrol.apiserver.k8s.io/v1"), 29, PLC_ASSURED, L),
        FLOWCONTROL,
    ),
    // 1.22
    entry("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration", Some(16), Some(22), Some("admissionregistration.k8s.io/v1"), 16, WEBHOOK, G22),
    entry("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", Some(16), Some(22), Some("admissionregistration.k8s.io/v1"), 16, WEBHOOK, G22),
    entry("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", Some(16), Some(22), Some("apiextensions.k8s.io/v1"), 16, CRD, G22),
    entry("apiregistration.k8s.io/v1beta1", "APIService", Some(19), Some(22), Some("apiregistration.k8s.io/v1"), 10, "", G22),
    entry("authentication.k8s.io/v1beta1", "TokenReview", Some(19), Some(22), Some("authentication.k8s.io/v1"), 6, "", G22),
    entry("authorization.k8s.io/v1beta1", "LocalSubjectAccessReview", Some(19), Some(22), Some("authorization.k8s.io/v1"), 6, SAR, G22),
    entry("authorization.k8s.io/v1beta1", "SelfSubjectAccessReview", Some(19), Some(22), Some("authorization.k8s.io/v1"), 6, "", G22),
    entry("authorization.k8s.io/v1beta1", "SelfSubjectRulesReview", Some(19), Some(22), Some("authorization.k8s.io/v1"), 8, "", G22),
    entry("authorization.k8s.io/v1beta1", "SubjectAccessReview", Some(19), Some(22), Some("authorization.k8s.io/v1"), 6, SAR, G22),
    entry("certificates.k8s.io/v1beta1", "CertificateSigningRequest", Some(19), Some(22), Some("certificates.k8s.io/v1"), 19, CSR, G22),
    entry("coordination.k8s.io/v1beta1", "Lease", Some(19), Some(22), Some("coordination.k8s.io/v1"), 14, "", G22),
    entry("extensions/v1beta1", "Ingress", Some(14), Some(22), Some("networking.k8s.io/v1"), 19, INGRESS, G22),
    entry("networking.k8s.io/v1beta1", "Ingress", Some(19), Some(22), Some("networking.k8s.io/v1"), 19, INGRESS, G22),
    entry("networking.k8s.io/v1beta1", "IngressClass", Some(19), Some(22), Some("networking.k8s.io/v1"), 19, "", G22),
    entry("node.k8s.io/v1alpha1", "RuntimeClass", None, Some(22), Some("node.k8s.io/v1"), 20, "`spec.runtimeHandler` → `handler`, `spec.overhead` → `overhead`, `spec.scheduling` → `scheduling` (the `spec` wrapper is gone)", "kubernetes#103061: no longer served from 1.22"),
    entry("rbac.authorization.k8s.io/v1alpha1", "ClusterRole", Some(8), Some(22), Some("rbac.authorization.k8s.io/v1"), 8, "", RBAC_ALPHA),
    entry("rbac.authorization.k8s.io/v1alpha1", "ClusterRoleBinding", Some(8), Some(22), Some("rbac.authorization.k8s.io/v1"), 8, "", RBAC_ALPHA),
    entry("rbac.authorization.k8s.io/v1alpha1", "Role", Some(8), Some(22), Some("rbac.authorization.k8s.io/v1"), 8, "", RBAC_ALPHA),
    entry("rbac.authorization.k8s.io/v1alpha1", "RoleBinding", Some(8), Some(22), Some("rbac.authorization.k8s.io/v1"), 8, "", RBAC_ALPHA),
    entry("rbac.authorization.k8s.io/v1beta1", "ClusterRole", Some(17), Some(22), Some("rbac.authorization.k8s.io/v1"), 8, "", G22),
    entry("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", Some(17), Some(22), Some("rbac.authorization.k8s.io/v1"), 8, "", G22),
    entry("rbac.authorization.k8s.io/v1beta1", "Role", Some(17), Some(22), Some("rbac.authorization.k8s.io/v1"), 8, "", G22),
    entry("rbac.authorization.k8s.io/v1beta1", "RoleBinding", Some(17), Some(22), Some("rbac.authorization.k8s.io/v1"), 8, "", G22),
    entry("scheduling.k8s.io/v1beta1", "PriorityClass", Some(14), Some(22), Some("scheduling.k8s.io/v1"), 14, "", G22),
    entry("storage.k8s.io/v1beta1", "CSIDriver", Some(19), Some(22), Some("storage.k8s.io/v1"), 18, "", G22),
    entry("storage.k8s.io/v1beta1", "CSINode", Some(17), Some(22), Some("storage.k8s.io/v1"), 17, "", G22),
    entry("storage.k8s.io/v1beta1", "StorageClass", Some(19), Some(22), Some("storage.k8s.io/v1"), 6, "", G22),
    entry("storage.k8s.io/v1beta1", "VolumeAttachment", Some(19), Some(22), Some("storage.k8s.io/v1"), 13, "", G22),
    // 1.24
    entry("storage.k8s.io/v1alpha1", "CSIStorageCapacity", Some(21), Some(24), Some("storage.k8s.io/v1"), 24, "", L),
    entry("storage.k8s.io/v1alpha1", "VolumeAttachment", Some(21), Some(24), Some("storage.k8s.io/v1"), 13, "", L),
    // 1.25
    entry("batch/v1beta1", "CronJob", Some(21), Some(25), Some("batch/v1"), 21, "", G25),
    entry("discovery.k8s.io/v1beta1", "EndpointSlice", Some(21), Some(25), Some("discovery.k8s.io/v1"), 21, ENDPOINT_SLICE, G25),
    entry("events.k8s.io/v1beta1", "Event", Some(22), Some(25), Some("events.k8s.io/v1"), 19, EVENT, G25),
    entry("autoscaling/v2beta1", "HorizontalPodAutoscaler", Some(22), Some(25), Some("autoscaling/v2"), 23, HPA_V2BETA1, G25),
    entry("policy/v1beta1", "PodDisruptionBudget", Some(21), Some(25), Some("policy/v1"), 21, PDB, G25),
    instead(entry("policy/v1beta1", "PodSecurityPolicy", Some(21), Some(25), None, 0, "", G25), PSP),
    entry("node.k8s.io/v1beta1", "RuntimeClass", Some(22), Some(25), Some("node.k8s.io/v1"), 20, "", G25),
    // 1.26
    instead(
        entry("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", Some(23), Some(26), Some("flowcontrol.apiserver.k8s.io/v1"), 29, "", G26),
        FLOWCONTROL,
    ),
    instead(
        entry("flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration", Some(23), Some(26), Some("flowcontrol.apiserver.k8s.io/v1"), 29, PLC_ASSURED, G26),
        FLOWCONTROL,
    ),
    entry("autoscaling/v2beta2", "HorizontalPodAutoscaler", Some(23), Some(26), Some("autoscaling/v2"), 23, "", G26),
    // 1.27
    entry("storage.k8s.io/v1beta1", "CSIStorageCapacity", Some(24), Some(27), Some("storage.k8s.io/v1"), 24, "", "guide v1.27; lifecycle"),
    instead(entry("resource.k8s.io/v1alpha1", "PodScheduling", None, Some(27), None, 0, "", B), DRA_CLASSIC),
    instead(entry("resource.k8s.io/v1alpha1", "ResourceClaim", None, Some(27), None, 0, "", B), DRA_CLASSIC),
    instead(entry("resource.k8s.io/v1alpha1", "ResourceClaimTemplate", None, Some(27), None, 0, "", B), DRA_CLASSIC),
    instead(entry("resource.k8s.io/v1alpha1", "ResourceClass", None, Some(27), None, 0, "", B), DRA_CLASSIC),
    // 1.29
    entry("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", Some(26), Some(29), Some("flowcontrol.apiserver.k8s.io/v1"), 29, "", "guide v1.29; lifecycle"),
    entry("flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration", Some(26), Some(29), Some("flowcontrol.apiserver.k8s.io/v1"), 29, PLC_ASSURED, "guide v1.29; lifecycle"),
    instead(
        entry("networking.k8s.io/v1alpha1", "ClusterCIDR", Some(28), Some(29), None, 0, "", "lifecycle; type deleted in 1.29"),
        "the alpha multi-CIDR range allocator left Kubernetes; set pod ranges with kube-controller-manager `--cluster-cidr`, your CNI, or the out-of-tree kubernetes-sigs/node-ipam-controller",
    ),
    // 1.31
    instead(entry("resource.k8s.io/v1alpha2", "PodSchedulingContext", None, Some(31), None, 0, "", B), DRA_CLASSIC),
    instead(entry("resource.k8s.io/v1alpha2", "ResourceClaim", None, Some(31), None, 0, "", B), DRA_CLASSIC),
    instead(entry("resource.k8s.io/v1alpha2", "ResourceClaimParameters", None, Some(31), None, 0, "", B), DRA_CLASSIC),
    instead(entry("resource.k8s.io/v1alpha2", "ResourceClaimTemplate", None, Some(31), None, 0, "", B), DRA_CLASSIC),
    instead(entry("resource.k8s.io/v1alpha2", "ResourceClass", None, Some(31), None, 0, "", B), DRA_CLASSIC),
    instead(entry("resource.k8s.io/v1alpha2", "ResourceClassParameters", None, Some(31), None, 0, "", B), DRA_CLASSIC),
    instead(entry("resource.k8s.io/v1alpha2", "ResourceSlice", None, Some(31), None, 0, "", B), DRA_CLASSIC),
    // 1.32
    entry("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", Some(29), Some(32), Some("flowcontrol.apiserver.k8s.io/v1"), 29, "", "guide v1.32; lifecycle"),
    entry("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration", Some(29), Some(32), Some("flowcontrol.apiserver.k8s.io/v1"), 29, PLC_NOMINAL, "guide v1.32; lifecycle"),
    entry("admissionregistration.k8s.io/v1alpha1", "ValidatingAdmissionPolicy", Some(29), Some(32), Some("admissionregistration.k8s.io/v1"), 30, "", L),
    entry("admissionregistration.k8s.io/v1alpha1", "ValidatingAdmissionPolicyBinding", Some(29), Some(32), Some("admissionregistration.k8s.io/v1"), 30, "", L),
    entry("authentication.k8s.io/v1alpha1", "SelfSubjectReview", Some(29), Some(32), Some("authentication.k8s.io/v1"), 28, "", L),
    entry("coordination.k8s.io/v1alpha1", "LeaseCandidate", None, Some(32), Some("coordination.k8s.io/v1beta1"), 33, "", "lifecycle; type deleted in 1.32"),
    instead(entry("resource.k8s.io/v1alpha3", "PodSchedulingContext", None, Some(32), None, 0, "", B), DRA_CLASSIC),
    // 1.33
    entry("authentication.k8s.io/v1beta1", "SelfSubjectReview", Some(30), Some(33), Some("authentication.k8s.io/v1"), 28, "", L),
    entry("networking.k8s.io/v1alpha1", "IPAddress", Some(30), Some(33), Some("networking.k8s.io/v1"), 33, "", L),
    entry("networking.k8s.io/v1alpha1", "ServiceCIDR", Some(30), Some(33), Some("networking.k8s.io/v1"), 33, "", L),
    // 1.34
    entry("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicy", Some(31), Some(34), Some("admissionregistration.k8s.io/v1"), 30, "", L),
    entry("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicyBinding", Some(31), Some(34), Some("admissionregistration.k8s.io/v1"), 30, "", L),
    entry("resource.k8s.io/v1alpha3", "DeviceClass", None, Some(34), Some("resource.k8s.io/v1"), 34, "", "lifecycle; type deleted in 1.34"),
    entry("resource.k8s.io/v1alpha3", "ResourceClaim", None, Some(34), Some("resource.k8s.io/v1"), 34, DRA_CLAIM, "lifecycle; type deleted in 1.34"),
    entry("resource.k8s.io/v1alpha3", "ResourceClaimTemplate", None, Some(34), Some("resource.k8s.io/v1"), 34, DRA_TEMPLATE, "lifecycle; type deleted in 1.34"),
    entry("resource.k8s.io/v1alpha3", "ResourceSlice", None, Some(34), Some("resource.k8s.io/v1"), 34, DRA_SLICE, "lifecycle; type deleted in 1.34"),
    // 1.35
    entry("certificates.k8s.io/v1alpha1", "PodCertificateRequest", None, Some(35), Some("certificates.k8s.io/v1"), 37, "", "lifecycle; type deleted in 1.35"),
    entry("storage.k8s.io/v1alpha1", "VolumeAttributesClass", Some(32), Some(35), Some("storage.k8s.io/v1"), 34, "", L),
    instead(
        entry("storagemigration.k8s.io/v1alpha1", "StorageVersionMigration", None, Some(35), Some("storagemigration.k8s.io/v1"), 37, "", "lifecycle; type deleted in 1.35"),
        "on 1.35–1.36 use `storagemigration.k8s.io/v1beta1`",
    ),
    // 1.36
    instead(entry("scheduling.k8s.io/v1alpha1", "Workload", None, Some(36), None, 0, "", B), WORKLOAD),
    // 1.37
    entry("certificates.k8s.io/v1alpha1", "ClusterTrustBundle", Some(34), Some(37), Some("certificates.k8s.io/v1"), 37, "", L),
    entry("networking.k8s.io/v1beta1", "IPAddress", Some(34), Some(37), Some("networking.k8s.io/v1"), 33, "", L),
    entry("networking.k8s.io/v1beta1", "ServiceCIDR", Some(34), Some(37), Some("networking.k8s.io/v1"), 33, "", L),
    entry("storage.k8s.io/v1beta1", "VolumeAttributesClass", Some(34), Some(37), Some("storage.k8s.io/v1"), 34, "", L),
    instead(entry("scheduling.k8s.io/v1alpha2", "PodGroup", None, Some(37), None, 0, "", B), WORKLOAD),
    instead(entry("scheduling.k8s.io/v1alpha2", "Workload", None, Some(37), None, 0, "", B), WORKLOAD),
    // 1.38
    entry("admissionregistration.k8s.io/v1alpha1", "MutatingAdmissionPolicy", Some(35), Some(38), Some("admissionregistration.k8s.io/v1"), 36, "", L),
    entry("admissionregistration.k8s.io/v1alpha1", "MutatingAdmissionPolicyBinding", Some(35), Some(38), Some("admissionregistration.k8s.io/v1"), 36, "", L),
    instead(
        entry("coordination.k8s.io/v1alpha2", "LeaseCandidate", Some(35), Some(38), Some("coordination.k8s.io/v1beta1"), 33, "", L),
        "`coordination.k8s.io/v1beta1` is itself deprecated since 1.36 with no newer version yet",
    ),
    entry("resource.k8s.io/v1beta1", "DeviceClass", Some(35), Some(38), Some("resource.k8s.io/v1"), 34, "", L),
    entry("resource.k8s.io/v1beta1", "ResourceClaim", Some(35), Some(38), Some("resource.k8s.io/v1"), 34, DRA_CLAIM, L),
    entry("resource.k8s.io/v1beta1", "ResourceClaimTemplate", Some(35), Some(38), Some("resource.k8s.io/v1"), 34, DRA_TEMPLATE, L),
    entry("resource.k8s.io/v1beta1", "ResourceSlice", Some(35), Some(38), Some("resource.k8s.io/v1"), 34, DRA_SLICE, L),
    // 1.39
    instead(
        entry("coordination.k8s.io/v1beta1", "LeaseCandidate", Some(36), Some(39), None, 0, "", L),
        "no newer version exists yet; LeaseCandidate objects are written by control-plane components, not by hand",
    ),
    entry("resource.k8s.io/v1alpha3", "DeviceTaintRule", Some(36), Some(39), Some("resource.k8s.io/v1"), 37, "", L),
    entry("resource.k8s.io/v1beta2", "DeviceClass", Some(36), Some(39), Some("resource.k8s.io/v1"), 34, "", L),
    entry("resource.k8s.io/v1beta2", "ResourceClaim", Some(36), Some(39), Some("resource.k8s.io/v1"), 34, "", L),
    entry("resource.k8s.io/v1beta2", "ResourceClaimTemplate", Some(36), Some(39), Some("resource.k8s.io/v1"), 34, "", L),
    entry("resource.k8s.io/v1beta2", "ResourceSlice", Some(36), Some(39), Some("resource.k8s.io/v1"), 34, "", L),
    // 1.40
    entry("admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicy", Some(37), Some(40), Some("admissionregistration.k8s.io/v1"), 36, "", L),
    entry("admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicyBinding", Some(37), Some(40), Some("admissionregistration.k8s.io/v1"), 36, "", L),
    entry("certificates.k8s.io/v1beta1", "ClusterTrustBundle", Some(37), Some(40), Some("certificates.k8s.io/v1"), 37, "", L),
    entry("certificates.k8s.io/v1beta1", "PodCertificateRequest", Some(37), Some(40), Some("certificates.k8s.io/v1"), 37, "", L),
    entry("storagemigration.k8s.io/v1beta1", "StorageVersionMigration", Some(37), Some(40), Some("storagemigration.k8s.io/v1"), 37, "", L),
];
