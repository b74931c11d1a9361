//! `HARD` pack behaviour that fixtures cannot show: the target Kubernetes
//! version, and one finding per problem when several rules look at it.

use assay_model::{Model, SourceFile};
use assay_rules::{Engine, KubernetesVersion, Selection};
use assay_span::FileId;
use assay_yaml::Limits;

fn run(text: &str, version: KubernetesVersion, select: &[&str]) -> Vec<(String, u32)> {
    let file = SourceFile::parse(
        FileId(0),
        "test.yaml".to_owned(),
        text.as_bytes(),
        &Limits::default(),
    );
    let model = Model::build(vec![file]);
    let selection = Selection {
        select: select.iter().map(|s| (*s).to_owned()).collect(),
        ..Selection::default()
    };
    let (findings, _) = Engine::new(selection)
        .with_kubernetes_version(version)
        .run(&model);
    findings
        .into_iter()
        .map(|f| (f.rule.to_owned(), f.location.span.start.line))
        .collect()
}

const SYSCTLS: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    sysctls:
      - name: net.ipv4.ip_local_reserved_ports
        value: \"30000-30100\"
      - name: net.ipv4.tcp_keepalive_time
        value: \"600\"
      - name: net.ipv4.tcp_syncookies
        value: \"1\"
  containers:
    - name: web
      image: nginx:1.27
";

#[test]
fn safe_sysctls_follow_the_target_version() {
    let v = |minor| KubernetesVersion { major: 1, minor };
    assert_eq!(
        run(SYSCTLS, v(26), &["HARD016"]),
        vec![("HARD016".to_owned(), 8), ("HARD016".to_owned(), 10)]
    );
    assert_eq!(
        run(SYSCTLS, v(28), &["HARD016"]),
        vec![("HARD016".to_owned(), 10)]
    );
    assert!(run(SYSCTLS, v(29), &["HARD016"]).is_empty());
}

#[test]
fn a_runtime_socket_is_reported_once() {
    let text = "\
apiVersion: v1
kind: Pod
metadata:
  name: ci
spec:
  containers:
    - name: runner
      image: example/runner:16.1
      volumeMounts:
        - name: docker
          mountPath: /var/run/docker.sock
  volumes:
    - name: docker
      hostPath:
        path: /var/run/docker.sock
";
    let found = run(
        text,
        KubernetesVersion::NEWEST,
        &["HARD008", "HARD009", "HARD021"],
    );
    assert_eq!(found, vec![("HARD009".to_owned(), 15)]);
}

#[test]
fn pod_level_settings_are_reported_once_per_workload() {
    let text = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      hostNetwork: true
      securityContext:
        runAsUser: 0
        seccompProfile: {type: Unconfined}
      initContainers:
        - {name: a, image: busybox:1.36}
      containers:
        - {name: b, image: busybox:1.36}
        - {name: c, image: busybox:1.36}
";
    let found = run(
        text,
        KubernetesVersion::NEWEST,
        &["HARD003", "HARD007", "HARD014"],
    );
    assert_eq!(
        found,
        vec![
            // runAsNonRoot missing: a separate problem from UID 0
            ("HARD003".to_owned(), 4),
            ("HARD007".to_owned(), 12),
            ("HARD003".to_owned(), 14),
            ("HARD014".to_owned(), 15),
        ]
    );
}

#[test]
fn policy_changes_of_1_32_to_1_37() {
    let v = |minor| KubernetesVersion { major: 1, minor };
    let sysctl = |name: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    sysctls:\n      - name: {name}\n        value: \"1\"\n  containers:\n    - name: c\n      image: nginx:1.27\n"
        )
    };
    assert_eq!(
        run(&sysctl("net.ipv4.tcp_wmem"), v(31), &["HARD016"]).len(),
        1
    );
    assert!(run(&sysctl("net.ipv4.tcp_wmem"), v(32), &["HARD016"]).is_empty());
    assert_eq!(
        run(&sysctl("net.ipv4.tcp_notsent_lowat"), v(36), &["HARD016"]).len(),
        1
    );
    assert!(run(&sysctl("net.ipv4.tcp_notsent_lowat"), v(37), &["HARD016"]).is_empty());

    let probe = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      livenessProbe:\n        tcpSocket:\n          host: 10.0.0.1\n          port: 80\n";
    assert!(run(probe, v(33), &["HARD022"]).is_empty());
    assert_eq!(
        run(probe, v(34), &["HARD022"]),
        vec![("HARD022".to_owned(), 11)]
    );

    let proc_mount = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostUsers: false\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        procMount: Unmasked\n";
    let severity = |minor| {
        let file = SourceFile::parse(
            FileId(0),
            "t.yaml".to_owned(),
            proc_mount.as_bytes(),
            &Limits::default(),
        );
        let model = Model::build(vec![file]);
        let selection = Selection {
            select: vec!["HARD017".to_owned()],
            ..Selection::default()
        };
        let (findings, _) = Engine::new(selection)
            .with_kubernetes_version(v(minor))
            .run(&model);
        findings
            .into_iter()
            .map(|f| {
                (
                    f.severity,
                    f.message.contains("Restricted Pod Security Standard"),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        severity(34),
        vec![(assay_diagnostics::Severity::Error, false)]
    );
    assert_eq!(
        severity(35),
        vec![(assay_diagnostics::Severity::Warning, true)]
    );
}
