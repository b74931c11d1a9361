//! End-to-end compose: projects on disk (auto override, `-f` lists, extends,
//! include, `.env`, `--use-env`), `assay compose-config`, and hostile input
//! named `compose.yaml`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn projects() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../assay-compose/tests/projects")
}

fn assay(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_assay"));
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("PORT");
    cmd
}

fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `file:line:col rule` of every finding of a JSON report.
fn findings(json: &str) -> Vec<String> {
    let report: serde_json::Value = serde_json::from_str(json).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{} {}",
                f["path"].as_str().unwrap_or_default(),
                f["line"],
                f["column"],
                f["rule"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn the_override_file_is_picked_up_and_findings_point_into_it() {
    let (code, out, err) = run(assay(&projects().join("override")).args([
        "check",
        ".",
        "--format",
        "json",
        "--select",
        "HARD001,COMPOSE005,COMPOSE001",
    ]));
    assert_eq!(code, 1, "{err}");
    let found = findings(&out);
    assert!(
        found
            .iter()
            .any(|f| f.ends_with("compose.override.yaml:3:17 HARD001")),
        "{found:?}"
    );
    assert!(!found.iter().any(|f| f.contains("COMPOSE001")), "{found:?}");
}

#[test]
fn dash_f_files_merge_in_order() {
    let (code, out, err) = run(assay(&projects().join("multi")).args([
        "check",
        "-f",
        "base.yaml",
        "-f",
        "prod.yaml",
        "-f",
        "json",
        "--select",
        "HARD003",
    ]));
    assert_eq!(code, 1, "{err}");
    assert_eq!(findings(&out), ["prod.yaml:3:11 HARD003"]);
}

#[test]
fn extends_and_include_keep_the_span_of_the_other_file() {
    let (_, out, _) = run(assay(&projects().join("extends"))
        .args(["check", ".", "-f", "json", "--select", "HARD005"]));
    assert_eq!(findings(&out), ["common.yaml:4:15 HARD005"]);
    let (_, out, _) = run(assay(&projects().join("include")).args([
        "check",
        ".",
        "-f",
        "json",
        "--select",
        "COMPOSE005,COMPOSE007",
    ]));
    assert_eq!(
        findings(&out),
        [
            "compose.yaml:8:20 COMPOSE007",
            "db/compose.yaml:4:13 COMPOSE005"
        ]
    );
}

#[test]
fn compose_config_prints_docker_compose_json() {
    let (code, out, err) = run(assay(&projects().join("interp")).args([
        "compose-config",
        "-f",
        "compose.yaml",
        "--format",
        "json",
    ]));
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["name"], "interp");
    let web = &json["services"]["web"];
    assert_eq!(web["image"], "nginx:1.27.2");
    assert_eq!(
        web["ports"][0],
        serde_json::json!({"mode": "ingress", "host_ip": "127.0.0.1", "target": 80, "published": "8081", "protocol": "tcp"})
    );
    assert_eq!(web["environment"]["PRICE"], "$$5");
    assert_eq!(web["environment"]["FROM_DOTENV"], "yes");
    assert_eq!(web["healthcheck"]["interval"], "1m30s");
    assert_eq!(web["healthcheck"]["test"][0], "CMD-SHELL");
    assert_eq!(web["networks"], serde_json::json!({"default": null}));
    assert_eq!(json["networks"]["default"]["name"], "interp_default");
    // The process environment counts only with --use-env.
    let (_, out, _) = run(assay(&projects().join("interp")).env("PORT", "9999").args([
        "compose-config",
        "-f",
        "compose.yaml",
    ]));
    assert!(out.contains("\"8081\""), "{out}");
    let (_, out, _) = run(assay(&projects().join("interp")).env("PORT", "9999").args([
        "compose-config",
        "-f",
        "compose.yaml",
        "--use-env",
    ]));
    assert!(out.contains("\"9999\""), "{out}");
}

#[test]
fn compose_config_leaves_out_inactive_profiles() {
    let (_, out, _) =
        run(assay(&projects().join("profiles")).args(["compose-config", "-f", "compose.yaml"]));
    assert!(!out.contains("\"debug\""), "{out}");
    let (_, out, _) = run(assay(&projects().join("profiles")).args([
        "compose-config",
        "-f",
        "compose.yaml",
        "--profile",
        "debug",
    ]));
    assert!(out.contains("\"debug\""), "{out}");
    // `check` checks every service, whatever its profiles.
    let (_, out, _) = run(assay(&projects().join("profiles"))
        .args(["check", ".", "-f", "json", "--select", "HARD001"]));
    assert_eq!(findings(&out), ["compose.yaml:7:17 HARD001"]);
}

#[test]
fn compose_config_reports_load_errors_with_their_location() {
    let dir = std::env::temp_dir().join(format!("assay-compose-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("compose.yaml"),
        "services:\n  web:\n    image: nginx\n    ports: [\"80:80:80:80\"]\n",
    )
    .unwrap();
    let (code, out, err) = run(assay(&dir).args(["compose-config", "-f", "compose.yaml"]));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(
        err.contains("compose.yaml:4:13: service `web`: invalid port"),
        "{err}"
    );
}

#[test]
fn hostile_inputs_named_compose_yaml_are_findings_not_crashes() {
    let bomb = {
        let mut text = String::from(
            "x-a: &a [\"1\", \"1\", \"1\", \"1\", \"1\", \"1\", \"1\", \"1\", \"1\"]\n",
        );
        for (name, prev) in [
            ("b", "a"),
            ("c", "b"),
            ("d", "c"),
            ("e", "d"),
            ("f", "e"),
            ("g", "f"),
        ] {
            let refs = vec![format!("*{prev}"); 9].join(", ");
            text.push_str(&format!("x-{name}: &{name} [{refs}]\n"));
        }
        text.push_str("services:\n  web:\n    image: nginx:1.27\n    command: *g\n");
        text
    };
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("alias-bomb", bomb.into_bytes()),
        (
            "deep",
            format!(
                "services:\n  web: {}{}\n",
                "[".repeat(5000),
                "]".repeat(5000)
            )
            .into_bytes(),
        ),
        ("binary", b"\x00\x01\x02services:\x00".to_vec()),
        (
            "invalid-utf8",
            b"services:\n  web:\n    image: \xff\xfe\n".to_vec(),
        ),
        (
            "truncated",
            b"services:\n  web:\n    image: \"nginx".to_vec(),
        ),
        ("service-list", b"services:\n  - web\n".to_vec()),
        ("tabs", b"services:\n\tweb:\n\t\timage: x\n".to_vec()),
    ];
    for (name, bytes) in cases {
        let dir = std::env::temp_dir().join(format!("assay-hostile-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("compose.yaml"), &bytes).unwrap();
        std::fs::write(
            dir.join("ok.yaml"),
            "services:\n  ok:\n    image: nginx:1.27\n    privileged: true\n",
        )
        .unwrap();
        let (code, out, err) = run(assay(&dir).args(["check", ".", "-f", "json"]));
        let (config_code, _, _) = run(assay(&dir).args(["compose-config", "-f", "compose.yaml"]));
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(code, 1, "{name}: {err}");
        assert!(
            matches!(config_code, 0 | 1),
            "{name}: compose-config exit {config_code}"
        );
        let found = findings(&out);
        assert!(
            found.iter().any(|f| f.starts_with("compose.yaml")),
            "{name}: {found:?}"
        );
        assert!(
            found.iter().any(|f| f == "ok.yaml:4:17 HARD001"),
            "{name}: the other file was not checked: {found:?}"
        );
    }
}

#[test]
fn every_template_passes_every_rule() {
    let (code, list, _) = run(assay(&projects()).args(["template"]));
    assert_eq!(code, 0);
    let names: Vec<&str> = list
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(names, ["postgres", "redis", "nginx", "app"]);
    for name in names {
        let dir =
            std::env::temp_dir().join(format!("assay-template-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (code, _, err) = run(assay(&dir).args(["template", name, "-o", "compose.yaml"]));
        assert_eq!(code, 0, "{err}");
        let (printed_code, printed, _) = run(assay(&dir).args(["template", name]));
        let written = std::fs::read_to_string(dir.join("compose.yaml")).unwrap();
        let (code, out, err) =
            run(assay(&dir).args(["check", ".", "--fail-on", "info", "-f", "json"]));
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!((printed_code, printed), (0, written));
        assert_eq!(code, 0, "template {name}: {:?} {err}", findings(&out));
        assert!(findings(&out).is_empty());
    }
    let (code, _, err) = run(assay(&projects()).args(["template", "mongo"]));
    assert_eq!(code, 2);
    assert!(err.contains("unknown template `mongo`"), "{err}");
}

#[test]
fn the_compose_example_passes_every_rule() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/compose");
    let (code, out, err) =
        run(assay(&examples).args(["check", ".", "--fail-on", "info", "-f", "json"]));
    assert_eq!(code, 0, "{:?} {err}", findings(&out));
    assert!(findings(&out).is_empty());
}

#[test]
fn the_hardening_shows_when_a_template_is_weakened() {
    let dir = std::env::temp_dir().join(format!("assay-template-weak-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = include_str!("../templates/postgres.yaml")
        .replace(
            "    user: \"999:999\"                     # the image's postgres user\n",
            "",
        )
        .replace("    internal: true ", "    internal: false ");
    std::fs::write(dir.join("compose.yaml"), text).unwrap();
    let (code, out, _) = run(assay(&dir).args(["check", ".", "--fail-on", "info", "-f", "json"]));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 1);
    let rules: Vec<String> = findings(&out)
        .iter()
        .map(|f| f.rsplit(' ').next().unwrap().to_owned())
        .collect();
    assert_eq!(rules, ["HARD003", "COMPOSE006"]);
}
