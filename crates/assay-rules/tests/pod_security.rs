//! Namespaces of the deliverable with Pod Security admission labels decide
//! the level, the policy version and the severity of the `HARD` findings of
//! their pods.

use assay_diagnostics::{Finding, Severity};
use assay_model::{Model, SourceFile};
use assay_rules::{Engine, KubernetesVersion, Selection};
use assay_span::FileId;
use assay_yaml::Limits;

fn run(text: &str, minor: u32, rule: &str) -> Vec<Finding> {
    let file = SourceFile::parse(
        FileId(0),
        "t.yaml".to_owned(),
        text.as_bytes(),
        &Limits::default(),
    );
    let model = Model::build(vec![file]);
    let selection = Selection {
        select: vec![rule.to_owned()],
        ..Selection::default()
    };
    let (findings, _) = Engine::new(selection)
        .with_kubernetes_version(KubernetesVersion { major: 1, minor })
        .run(&model);
    findings
}

fn namespace(labels: &[(&str, &str)]) -> String {
    let mut text =
        String::from("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n");
    for (k, v) in labels {
        text.push_str(&format!("    pod-security.kubernetes.io/{k}: \"{v}\"\n"));
    }
    text.push_str("---\n");
    text
}

const PRIVILEGED_POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\n  namespace: shop\nspec:\n  containers:\n    - name: debug\n      image: busybox:1.36\n      securityContext:\n        privileged: true\n";

const SYSCTL_DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      securityContext:\n        sysctls:\n          - name: net.ipv4.tcp_rmem\n            value: \"4096 87380 16777216\"\n      containers:\n        - name: web\n          image: nginx:1.27\n";

fn only(findings: &[Finding]) -> &Finding {
    assert_eq!(findings.len(), 1, "{findings:#?}");
    &findings[0]
}

#[test]
fn enforce_makes_a_violation_an_error_that_says_admission_rejects() {
    let text = format!("{}{PRIVILEGED_POD}", namespace(&[("enforce", "baseline")]));
    let f = run(&text, 37, "HARD001");
    let f = only(&f);
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message.contains(
            "namespace `shop` enforces `baseline` (latest): admission will reject this pod"
        ),
        "{}",
        f.message
    );
}

#[test]
fn warn_and_audit_make_a_violation_a_warning() {
    for mode in ["warn", "audit"] {
        let text = format!(
            "{}{PRIVILEGED_POD}",
            namespace(&[("enforce", "privileged"), (mode, "restricted")])
        );
        let f = run(&text, 37, "HARD001");
        let f = only(&f);
        assert_eq!(f.severity, Severity::Warning, "{mode}");
        assert!(
            f.message.contains(&format!(
                "namespace `shop` {mode}s at `restricted` (latest)"
            )),
            "{}",
            f.message
        );
    }
}

#[test]
fn a_level_no_mode_applies_is_information() {
    let text = format!(
        "{}{PRIVILEGED_POD}",
        namespace(&[("enforce", "privileged")])
    );
    let f = run(&text, 37, "HARD001");
    let f = only(&f);
    assert_eq!(f.severity, Severity::Info);
    assert!(
        f.message.contains("does not apply the baseline level"),
        "{}",
        f.message
    );
    // A Restricted control in a namespace that enforces Baseline.
    let text = format!("{}{PRIVILEGED_POD}", namespace(&[("enforce", "baseline")]));
    let f = run(&text, 37, "HARD003");
    assert!(
        !f.is_empty() && f.iter().all(|f| f.severity == Severity::Info),
        "{f:#?}"
    );
}

#[test]
fn enforce_is_stronger_than_warn() {
    let text = format!(
        "{}{PRIVILEGED_POD}",
        namespace(&[("warn", "restricted"), ("enforce", "baseline")])
    );
    assert_eq!(only(&run(&text, 37, "HARD001")).severity, Severity::Error);
    let f = run(&text, 37, "HARD003");
    assert!(
        !f.is_empty() && f.iter().all(|f| f.severity == Severity::Warning),
        "{f:#?}"
    );
}

#[test]
fn the_pinned_version_picks_the_policy() {
    // tcp_rmem is in the safe set from the 1.32 policy.
    let latest = format!(
        "{}{SYSCTL_DEPLOYMENT}",
        namespace(&[("enforce", "baseline")])
    );
    assert!(run(&latest, 37, "HARD016").is_empty());
    let pinned = format!(
        "{}{SYSCTL_DEPLOYMENT}",
        namespace(&[("enforce", "baseline"), ("enforce-version", "v1.31")])
    );
    let f = run(&pinned, 37, "HARD016");
    let f = only(&f);
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message.contains(
            "enforces `baseline` (v1.31): admission will reject the pods of this Deployment"
        ),
        "{}",
        f.message
    );
    // A pinned version newer than the cluster is evaluated as the cluster's.
    let newer = format!(
        "{}{SYSCTL_DEPLOYMENT}",
        namespace(&[("enforce", "baseline"), ("enforce-version", "v1.40")])
    );
    assert!(run(&newer, 32, "HARD016").is_empty());
    assert_eq!(run(&newer, 31, "HARD016").len(), 1);
}

#[test]
fn pods_without_a_labelled_namespace_keep_the_rule_severity() {
    let f = run(PRIVILEGED_POD, 37, "HARD001");
    assert_eq!(only(&f).severity, Severity::Error);
    assert!(!only(&f).message.contains("namespace"));
    let other = format!(
        "{}{}",
        namespace(&[("enforce", "restricted")]),
        PRIVILEGED_POD.replace("namespace: shop", "namespace: other")
    );
    assert!(
        !only(&run(&other, 37, "HARD001"))
            .message
            .contains("namespace `")
    );
}

#[test]
fn invalid_levels_fail_closed_for_enforce_and_open_for_warn() {
    let invalid = format!("{}{PRIVILEGED_POD}", namespace(&[("enforce", "strict")]));
    let f = run(&invalid, 37, "HARD001");
    assert_eq!(only(&f).severity, Severity::Error);
    assert!(
        only(&f).message.contains("enforces `restricted`"),
        "{}",
        only(&f).message
    );
    let invalid = format!("{}{PRIVILEGED_POD}", namespace(&[("warn", "strict")]));
    assert!(
        !only(&run(&invalid, 37, "HARD001"))
            .message
            .contains("namespace `")
    );
}

#[test]
fn without_an_enforce_label_the_cluster_default_decides() {
    // kube-prometheus labels its namespace `warn: privileged` only.
    let text = format!("{}{PRIVILEGED_POD}", namespace(&[("warn", "privileged")]));
    let f = run(&text, 37, "HARD001");
    let f = only(&f);
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message
            .contains("sets no `enforce` level, so the cluster's default decides"),
        "{}",
        f.message
    );
}
