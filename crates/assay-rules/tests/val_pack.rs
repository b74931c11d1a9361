//! `VAL` pack behaviour that depends on the target Kubernetes version, and
//! the validators' edge cases against the API server's own test tables.

use assay_model::{Model, SourceFile};
use assay_rules::{Engine, KubernetesVersion, Selection};
use assay_span::FileId;
use assay_yaml::Limits;

fn run(text: &str, minor: u32, rule: &str) -> Vec<(u32, String)> {
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
        .into_iter()
        .map(|f| (f.location.span.start.line, f.message))
        .collect()
}

fn pod_with_env(name: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      env:\n        - name: \"{name}\"\n          value: x\n"
    )
}

#[test]
fn env_var_names_are_relaxed_from_1_32() {
    for name in ["1ST", "my var", "$HOME"] {
        assert_eq!(
            run(&pod_with_env(name), 31, "VAL003").len(),
            1,
            "{name} at 1.31"
        );
        assert!(
            run(&pod_with_env(name), 32, "VAL003").is_empty(),
            "{name} at 1.32"
        );
    }
    for name in ["A=B", "..", "..x", "."] {
        assert_eq!(
            run(&pod_with_env(name), 37, "VAL003").len(),
            1,
            "{name} at 1.37"
        );
    }
    for name in ["MY_ENV.NAME", "my.env-name", "_x"] {
        assert!(
            run(&pod_with_env(name), 31, "VAL003").is_empty(),
            "{name} at 1.31"
        );
    }
}

#[test]
fn traffic_distribution_values_follow_the_version() {
    let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  trafficDistribution: PreferSameZone\n  ports:\n    - port: 80\n";
    assert_eq!(run(service, 33, "VAL004").len(), 1);
    assert!(run(service, 34, "VAL004").is_empty());
}

#[test]
fn cron_tz_prefix_is_rejected_from_1_27() {
    let cron = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: \"TZ=UTC 0 1 * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n            - name: c\n              image: busybox:1.36\n";
    assert!(run(cron, 26, "VAL007").is_empty());
    assert_eq!(run(cron, 27, "VAL007").len(), 1);
}

fn cron_with(schedule: &str) -> String {
    format!(
        "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: \"{schedule}\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n            - name: c\n              image: busybox:1.36\n"
    )
}

#[test]
fn cron_schedules_parse_like_robfig_cron() {
    for ok in [
        "* * * * *",
        "0 0 1 1 0",
        "*/5 * * * *",
        "0 9-17/2 * * MON-FRI",
        "0 0 ? * SUN",
        "@daily",
        "@every 90s",
        "15,45 */2 1-31 jan,jul 6",
        "@every 1.5h",
    ] {
        assert!(run(&cron_with(ok), 37, "VAL007").is_empty(), "{ok}");
    }
    for bad in [
        "* * * *",
        "60 * * * *",
        "* 24 * * *",
        "* * 0 * *",
        "* * * 13 *",
        "* * * * 7",
        "*/0 * * * *",
        "@fortnightly",
        "@every 5",
        "5-1 * * * *",
        "* * * * * *",
    ] {
        assert_eq!(run(&cron_with(bad), 37, "VAL007").len(), 1, "{bad}");
    }
}

fn labelled(key: &str, value: &str) -> String {
    format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    \"{key}\": \"{value}\"\n"
    )
}

/// Cases from apimachinery's `TestIsQualifiedName` / `TestIsValidLabelValue`.
#[test]
fn label_keys_and_values_match_apimachinery() {
    for key in [
        "simple",
        "now-with-dashes",
        "1-starts-with-num",
        "1234",
        "simple/simple",
        "now-with-dashes/simple",
        "now-with-dashes/now-with-dashes",
        "now.with.dots/simple",
        "now-with.dashes-and.dots/simple",
        "1-num.2-num/3-num",
        "1234/5678",
        "1.2.3.4/5678",
        "Uppercase_Is_OK_123",
        "example.com/Uppercase_Is_OK_123",
        "requests.storage-foo",
        &"a".repeat(63),
        &format!("{}/b", "a".repeat(253)),
    ] {
        assert!(run(&labelled(key, "v"), 37, "VAL002").is_empty(), "{key}");
    }
    for key in [
        "nospecialchars%^=@",
        "cantendwithadash-",
        "-cantstartwithadash-",
        "only/one/slash",
        "Example.com/abc",
        "example_com/abc",
        "example.com/",
        "/simple",
        &"a".repeat(64),
        &format!("{}/b", "a".repeat(254)),
    ] {
        assert_eq!(run(&labelled(key, "v"), 37, "VAL002").len(), 1, "{key}");
    }
    for value in [
        "simple",
        "now-with-dashes",
        "1-starts-with-num",
        "end-with-num-1",
        "1234",
        &"a".repeat(63),
        "",
    ] {
        assert!(
            run(&labelled("k", value), 37, "VAL002").is_empty(),
            "{value}"
        );
    }
    for value in [
        "nospecialchars%^=@",
        "Tama-nui-te-rā.is.Māori.sun",
        "\\backslashes\\are\\bad",
        "-starts-with-dash",
        "ends-with-dash-",
        ".starts.with.dot",
        "ends.with.dot.",
        &"a".repeat(64),
    ] {
        assert_eq!(run(&labelled("k", value), 37, "VAL002").len(), 1, "{value}");
    }
}

#[test]
fn annotations_over_256_kib_are_rejected() {
    let big = "x".repeat(256 * 1024);
    let text = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    data: \"{big}\"\n"
    );
    let found = run(&text, 37, "VAL002");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found
            .iter()
            .all(|(line, m)| *line == 5 && m.contains("Too long"))
    );
    let small = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    data: \"{}\"\n",
        "x".repeat(256 * 1024 - 4)
    );
    assert!(run(&small, 37, "VAL002").is_empty());
}

/// Cases from apimachinery's `TestIsValidPortName`.
#[test]
fn port_names_match_apimachinery() {
    let pod = |name: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: busybox:1.36\n      ports:\n        - name: \"{name}\"\n          containerPort: 80\n"
        )
    };
    for ok in [
        "telnet",
        "re-mail-ck",
        "pop3",
        "a",
        "a-1",
        "1-a",
        "a-1-b-2-c",
        "1-a-2-b-3",
    ] {
        assert!(run(&pod(ok), 37, "VAL003").is_empty(), "{ok}");
    }
    for bad in [
        "longerthan15characters",
        "",
        &"a".repeat(16),
        "12345",
        "1-2-3-4",
        "-begin",
        "end-",
        "two--hyphens",
        "whois++",
    ] {
        assert_eq!(run(&pod(bad), 37, "VAL003").len(), 1, "{bad}");
    }
}
