//! The API lifecycle table, tested per entry and per target version: error
//! (API001) from the removal release on, warning (API002) from the deprecation
//! release until the removal, info (API003) in the two releases before the
//! removal, nothing for the replacement `apiVersion`.

use assay_diagnostics::{Finding, Severity};
use assay_model::{Model, SourceFile};
use assay_rules::api_lifecycle::{API_LIFECYCLE, ApiLifecycle, lookup, markdown_table};
use assay_rules::{Engine, KubernetesVersion, Selection, find_rule};
use assay_span::FileId;
use assay_yaml::Limits;
use std::collections::BTreeSet;

fn v(minor: u32) -> KubernetesVersion {
    KubernetesVersion { major: 1, minor }
}

fn run(text: &str, minor: u32) -> Vec<Finding> {
    let file = SourceFile::parse(
        FileId(0),
        "api.yaml".to_owned(),
        text.as_bytes(),
        &Limits::default(),
    );
    let model = Model::build(vec![file]);
    let (findings, _) = Engine::new(Selection {
        select: vec!["API".to_owned()],
        ..Selection::default()
    })
    .with_kubernetes_version(v(minor))
    .run(&model);
    findings
}

fn manifest(api_version: &str, kind: &str) -> String {
    format!("apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: t\n  namespace: ns\n")
}

/// The API rules that fire for `api_version`/`kind` at 1.`minor`.
fn rules_at(api_version: &str, kind: &str, minor: u32) -> BTreeSet<&'static str> {
    run(&manifest(api_version, kind), minor)
        .iter()
        .map(|f| f.rule)
        .collect()
}

fn set(rules: &[&'static str]) -> BTreeSet<&'static str> {
    rules.iter().copied().collect()
}

/// What the rules must report for `e` at 1.`m`, from the issue's definition.
fn expected(e: &ApiLifecycle, m: u32) -> BTreeSet<&'static str> {
    let mut out = BTreeSet::new();
    if e.removed.is_some_and(|r| r <= m) {
        out.insert("API001");
    } else {
        if e.deprecated.is_some_and(|d| d <= m) {
            out.insert("API002");
        }
        if e.removed.is_some_and(|r| r <= m + 2) {
            out.insert("API003");
        }
    }
    out
}

#[test]
fn every_entry_at_every_version_from_1_16_to_1_40() {
    let mut problems = Vec::new();
    for e in API_LIFECYCLE {
        for m in 16..=40 {
            let got = rules_at(e.api_version, e.kind, m);
            let want = expected(e, m);
            if got != want {
                problems.push(format!(
                    "{} {} at 1.{m}: got {got:?}, expected {want:?}",
                    e.api_version, e.kind
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_entry_at_its_milestones() {
    for e in API_LIFECYCLE {
        let id = format!("{} {}", e.api_version, e.kind);
        if let Some(r) = e.removed {
            assert_eq!(
                rules_at(e.api_version, e.kind, r),
                set(&["API001"]),
                "{id}: error at its removal 1.{r}"
            );
            let before = rules_at(e.api_version, e.kind, r - 1);
            assert!(
                before.contains("API003") && !before.contains("API001"),
                "{id}: info, no error, the release before the removal: {before:?}"
            );
            assert!(
                rules_at(e.api_version, e.kind, r - 2).contains("API003"),
                "{id}: info two releases before the removal"
            );
            assert!(
                !rules_at(e.api_version, e.kind, r - 3).contains("API003"),
                "{id}: no info three releases before the removal"
            );
        }
        if let Some(d) = e.deprecated {
            if e.removed.is_none_or(|r| r > d) {
                assert!(
                    rules_at(e.api_version, e.kind, d).contains("API002"),
                    "{id}: warning from its deprecation 1.{d}"
                );
            }
            assert!(
                !rules_at(e.api_version, e.kind, d - 1).contains("API002"),
                "{id}: no warning before its deprecation 1.{d}"
            );
        }
    }
}

#[test]
fn replacements_are_served_where_the_old_version_is_gone() {
    for e in API_LIFECYCLE {
        let Some(replacement) = e.replacement else {
            assert!(
                !e.instead.is_empty(),
                "{} {}: no replacement needs a what-to-do-instead",
                e.api_version,
                e.kind
            );
            continue;
        };
        let at = e.removed.unwrap_or(37).clamp(e.replacement_since, 37);
        let got = rules_at(replacement, e.kind, at);
        assert!(
            !got.contains("API001"),
            "{} {}: replacement {replacement} is itself removed at 1.{at}",
            e.api_version,
            e.kind
        );
        if lookup(replacement, e.kind).is_none() {
            assert!(
                rules_at(replacement, e.kind, 37).is_empty(),
                "{replacement} {}: no finding for the replacement",
                e.kind
            );
        }
    }
}

#[test]
fn table_is_well_formed() {
    let mut seen = BTreeSet::new();
    let mut previous_removal = 0;
    for e in API_LIFECYCLE {
        let id = format!("{} {}", e.api_version, e.kind);
        assert!(seen.insert((e.api_version, e.kind)), "{id}: listed twice");
        assert!(
            e.deprecated.is_some() || e.removed.is_some(),
            "{id}: neither deprecated nor removed"
        );
        if let (Some(d), Some(r)) = (e.deprecated, e.removed) {
            assert!(d < r, "{id}: deprecated 1.{d} not before removal 1.{r}");
        }
        if let Some(r) = e.removed {
            assert!(r >= previous_removal, "{id}: table is ordered by removal");
            previous_removal = r;
        }
        assert_ne!(e.replacement, Some(e.api_version), "{id}");
        assert!(
            [
                "guide v1.",
                "lifecycle",
                "type deleted in 1.",
                "changelog 1.",
                "kubernetes#"
            ]
            .iter()
            .any(|p| e.source.starts_with(p)),
            "{id}: source `{}`",
            e.source
        );
        assert!(e.api_version.contains('/'), "{id}: group/version");
    }
}

#[test]
fn table_covers_the_releases_the_issue_names() {
    let required = [
        ("extensions/v1beta1", "Deployment", 16),
        ("extensions/v1beta1", "DaemonSet", 16),
        ("extensions/v1beta1", "ReplicaSet", 16),
        ("extensions/v1beta1", "NetworkPolicy", 16),
        ("extensions/v1beta1", "PodSecurityPolicy", 16),
        ("apps/v1beta1", "Deployment", 16),
        ("apps/v1beta1", "StatefulSet", 16),
        ("apps/v1beta1", "ReplicaSet", 16),
        ("apps/v1beta2", "Deployment", 16),
        ("apps/v1beta2", "DaemonSet", 16),
        ("apps/v1beta2", "ReplicaSet", 16),
        ("apps/v1beta2", "StatefulSet", 16),
        (
            "admissionregistration.k8s.io/v1beta1",
            "MutatingWebhookConfiguration",
            22,
        ),
        (
            "admissionregistration.k8s.io/v1beta1",
            "ValidatingWebhookConfiguration",
            22,
        ),
        (
            "apiextensions.k8s.io/v1beta1",
            "CustomResourceDefinition",
            22,
        ),
        ("apiregistration.k8s.io/v1beta1", "APIService", 22),
        ("authentication.k8s.io/v1beta1", "TokenReview", 22),
        ("authorization.k8s.io/v1beta1", "SubjectAccessReview", 22),
        (
            "authorization.k8s.io/v1beta1",
            "LocalSubjectAccessReview",
            22,
        ),
        (
            "authorization.k8s.io/v1beta1",
            "SelfSubjectAccessReview",
            22,
        ),
        (
            "certificates.k8s.io/v1beta1",
            "CertificateSigningRequest",
            22,
        ),
        ("coordination.k8s.io/v1beta1", "Lease", 22),
        ("extensions/v1beta1", "Ingress", 22),
        ("networking.k8s.io/v1beta1", "Ingress", 22),
        ("networking.k8s.io/v1beta1", "IngressClass", 22),
        ("rbac.authorization.k8s.io/v1beta1", "ClusterRole", 22),
        (
            "rbac.authorization.k8s.io/v1beta1",
            "ClusterRoleBinding",
            22,
        ),
        ("rbac.authorization.k8s.io/v1beta1", "Role", 22),
        ("rbac.authorization.k8s.io/v1beta1", "RoleBinding", 22),
        ("scheduling.k8s.io/v1beta1", "PriorityClass", 22),
        ("storage.k8s.io/v1beta1", "CSIDriver", 22),
        ("storage.k8s.io/v1beta1", "CSINode", 22),
        ("storage.k8s.io/v1beta1", "StorageClass", 22),
        ("storage.k8s.io/v1beta1", "VolumeAttachment", 22),
        ("batch/v1beta1", "CronJob", 25),
        ("discovery.k8s.io/v1beta1", "EndpointSlice", 25),
        ("events.k8s.io/v1beta1", "Event", 25),
        ("autoscaling/v2beta1", "HorizontalPodAutoscaler", 25),
        ("policy/v1beta1", "PodDisruptionBudget", 25),
        ("policy/v1beta1", "PodSecurityPolicy", 25),
        ("node.k8s.io/v1beta1", "RuntimeClass", 25),
        ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", 26),
        (
            "flowcontrol.apiserver.k8s.io/v1beta1",
            "PriorityLevelConfiguration",
            26,
        ),
        ("autoscaling/v2beta2", "HorizontalPodAutoscaler", 26),
        ("storage.k8s.io/v1beta1", "CSIStorageCapacity", 27),
        ("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", 29),
        (
            "flowcontrol.apiserver.k8s.io/v1beta2",
            "PriorityLevelConfiguration",
            29,
        ),
        ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", 32),
        (
            "flowcontrol.apiserver.k8s.io/v1beta3",
            "PriorityLevelConfiguration",
            32,
        ),
    ];
    for (api_version, kind, removed) in required {
        let entry = lookup(api_version, kind)
            .unwrap_or_else(|| panic!("{api_version} {kind} is missing from the table"));
        assert_eq!(entry.removed, Some(removed), "{api_version} {kind}");
    }
}

#[test]
fn ingress_is_served_on_1_21_and_removed_on_1_22() {
    assert_eq!(
        rules_at("extensions/v1beta1", "Ingress", 21),
        set(&["API002", "API003"])
    );
    assert_eq!(
        rules_at("extensions/v1beta1", "Ingress", 22),
        set(&["API001"])
    );
    assert_eq!(
        rules_at("networking.k8s.io/v1beta1", "Ingress", 21),
        set(&["API002", "API003"])
    );
    assert!(rules_at("networking.k8s.io/v1", "Ingress", 21).is_empty());
    assert!(rules_at("networking.k8s.io/v1", "Ingress", 22).is_empty());
}

#[test]
fn pod_security_policy_on_1_24_and_1_25() {
    let at_24 = run(&manifest("policy/v1beta1", "PodSecurityPolicy"), 24);
    let rules: BTreeSet<_> = at_24.iter().map(|f| f.rule).collect();
    assert_eq!(rules, set(&["API002", "API003"]));
    let at_25 = run(&manifest("policy/v1beta1", "PodSecurityPolicy"), 25);
    assert_eq!(at_25.len(), 1);
    let f = &at_25[0];
    assert_eq!((f.rule, f.severity), ("API001", Severity::Error));
    assert!(
        f.message.contains("stopped serving in 1.25"),
        "{}",
        f.message
    );
    assert!(f.message.contains("target 1.25"), "{}", f.message);
    let fix = f.fix.as_deref().unwrap_or_default();
    assert!(fix.contains("Pod Security Admission"), "{fix}");
    assert!(fix.contains("no replacement"), "{fix}");
}

#[test]
fn flowcontrol_betas_on_1_28_1_29_and_1_32() {
    for kind in ["FlowSchema", "PriorityLevelConfiguration"] {
        let v1beta2 = "flowcontrol.apiserver.k8s.io/v1beta2";
        let v1beta3 = "flowcontrol.apiserver.k8s.io/v1beta3";
        let v1 = "flowcontrol.apiserver.k8s.io/v1";
        assert_eq!(rules_at(v1beta2, kind, 28), set(&["API002", "API003"]));
        assert_eq!(rules_at(v1beta2, kind, 29), set(&["API001"]));
        assert_eq!(rules_at(v1beta3, kind, 28), set(&[]));
        assert_eq!(rules_at(v1beta3, kind, 29), set(&["API002"]));
        assert_eq!(rules_at(v1beta3, kind, 31), set(&["API002", "API003"]));
        assert_eq!(rules_at(v1beta3, kind, 32), set(&["API001"]));
        for m in [28, 29, 32, 37] {
            assert!(rules_at(v1, kind, m).is_empty(), "{kind} v1 at 1.{m}");
        }
    }
}

#[test]
fn finding_points_at_the_api_version_value() {
    let findings = run(&manifest("batch/v1beta1", "CronJob"), 37);
    assert_eq!(findings.len(), 1);
    let start = findings[0].location.span.start;
    assert_eq!((start.line, start.col), (1, 13));
    assert_eq!(findings[0].object.as_deref(), Some("CronJob ns/t"));
    assert!(findings[0].message.contains("CronJob ns/t"));
    assert!(findings[0].message.contains("batch/v1beta1"));
    assert!(
        findings[0]
            .fix
            .as_deref()
            .is_some_and(|f| f.contains("`apiVersion: batch/v1`"))
    );
}

/// Labels of the most severe finding of each object (API002 and API003 carry
/// the same ones).
fn labels(text: &str, minor: u32) -> Vec<(u32, String)> {
    let findings = run(text, minor);
    let mut seen = BTreeSet::new();
    findings
        .iter()
        .filter(|f| seen.insert(f.location))
        .flat_map(|f| f.labels.iter())
        .map(|l| (l.location.span.start.line, l.message.clone()))
        .collect()
}

#[test]
fn ingress_field_migration_labels() {
    let text = "apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata:
  name: web
spec:
  rules:
    - http:
        paths:
          - path: /
            backend:
              serviceName: web
              servicePort: 8080
";
    let got = labels(text, 22);
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got[0].0 == 9 && got[0].1.contains("pathType"), "{got:?}");
    assert_eq!(
        got[1],
        (
            11,
            "`serviceName: web` becomes `service: {name: web}` in networking.k8s.io/v1".to_owned()
        )
    );
    assert_eq!(
        got[2],
        (
            12,
            "`servicePort: 8080` becomes `service: {port: {number: 8080}}` in networking.k8s.io/v1"
                .to_owned()
        )
    );
}

#[test]
fn hpa_field_migration_labels() {
    let text = "apiVersion: autoscaling/v2beta1
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  metrics:
    - type: Resource
      resource:
        name: memory
        targetAverageValue: 500Mi
    - type: Object
      object:
        target:
          kind: Service
          name: web
        metricName: hits
        targetValue: 10
    - type: External
      external:
        metricName: queue
        metricSelector:
          matchLabels:
            queue: jobs
        targetAverageValue: 30
";
    let got = labels(text, 24);
    let messages: Vec<&str> = got.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`resource.targetAverageValue` becomes `target: {type: AverageValue, averageValue: 500Mi}` in autoscaling/v2",
            "`object.target` becomes `describedObject` in autoscaling/v2",
            "`object.metricName` becomes `metric: {name: hits}` in autoscaling/v2",
            "`object.targetValue` becomes `target: {type: Value, value: 10}` in autoscaling/v2",
            "`external.metricName` becomes `metric: {name: queue}` in autoscaling/v2",
            "`external.metricSelector` becomes `metric.selector` in autoscaling/v2",
            "`external.targetAverageValue` becomes `target: {type: AverageValue, averageValue: 30}` in autoscaling/v2",
        ]
    );
}

#[test]
fn endpoint_slice_and_review_labels() {
    let text = "apiVersion: discovery.k8s.io/v1beta1
kind: EndpointSlice
metadata:
  name: web-abc
addressType: IPv4
endpoints:
  - addresses: [10.0.0.1]
    topology:
      kubernetes.io/hostname: node-a
---
apiVersion: authorization.k8s.io/v1beta1
kind: SubjectAccessReview
spec:
  user: jane
  group: [dev]
";
    let got = labels(text, 25);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].0, 8);
    assert!(got[0].1.contains("`nodeName`"), "{got:?}");
    assert_eq!(got[1].0, 15);
    assert!(got[1].1.contains("`groups`"), "{got:?}");
}

#[test]
fn no_labels_when_nothing_needs_to_change() {
    let text = "apiVersion: apps/v1beta2
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
";
    let findings = run(text, 16);
    assert_eq!(findings.len(), 1);
    assert!(findings[0].labels.is_empty());
}

#[test]
fn explain_lists_the_table() {
    let table = markdown_table();
    let rows = table.lines().filter(|l| l.starts_with("| `")).count();
    assert_eq!(rows, API_LIFECYCLE.len());
    for e in API_LIFECYCLE {
        let row = format!("| `{}` | {} |", e.api_version, e.kind);
        assert!(table.contains(&row), "{row}");
    }
    for id in ["API001", "API002", "API003"] {
        let rule = find_rule(id).unwrap();
        assert_eq!(
            rule.explain_extra().as_deref(),
            Some(table.as_str()),
            "{id}"
        );
    }
    assert!(find_rule("YAML001").unwrap().explain_extra().is_none());
}

/// Every retired apiVersion the issue names is reported as removed at every
/// bundled target, never passed silently.
#[test]
fn retired_alpha_and_beta_versions_are_removed() {
    let retired = [
        ("batch/v2alpha1", "CronJob"),
        ("settings.k8s.io/v1alpha1", "PodPreset"),
        ("node.k8s.io/v1alpha1", "RuntimeClass"),
        ("rbac.authorization.k8s.io/v1alpha1", "Role"),
        ("rbac.authorization.k8s.io/v1alpha1", "RoleBinding"),
        ("rbac.authorization.k8s.io/v1alpha1", "ClusterRole"),
        ("rbac.authorization.k8s.io/v1alpha1", "ClusterRoleBinding"),
        ("apps/v1beta1", "ControllerRevision"),
        ("apps/v1beta2", "ControllerRevision"),
        ("scheduling.k8s.io/v1alpha1", "PriorityClass"),
    ];
    for (api_version, kind) in retired {
        for m in 25..=37 {
            assert_eq!(
                rules_at(api_version, kind, m),
                set(&["API001"]),
                "{api_version} {kind} at 1.{m}"
            );
        }
    }
}

/// A kind that a bundled version served and the newest no longer serves under
/// that apiVersion must be in the table: the `SCHEMA` pack leaves such
/// objects to `API001` and would otherwise pass them silently.
#[test]
fn every_kind_dropped_from_a_bundled_version_is_in_the_table() {
    let newest = assay_schema::versions().last().expect("bundled versions");
    let mut missing = BTreeSet::new();
    for version in assay_schema::versions() {
        for gvk in version.kinds() {
            let api_version = gvk.api_version();
            if newest.has_kind(gvk)
                || matches!(gvk.kind.as_str(), "DeleteOptions" | "WatchEvent" | "Status")
                || gvk.kind.ends_with("List")
            {
                continue;
            }
            if lookup(&api_version, &gvk.kind).is_none_or(|e| e.removed.is_none()) {
                missing.insert(format!("{api_version} {}", gvk.kind));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "not in the API lifecycle table: {missing:?}"
    );
}
