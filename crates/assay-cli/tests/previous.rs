//! End-to-end tests of `assay check --previous` and `previous:` in the config.

mod support;

use std::process::Command;
use support::TempDir;

fn assay() -> Command {
    Command::new(env!("CARGO_BIN_EXE_assay"))
}

fn deployment(selector_labels: &str, image: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web, namespace: shop}}\nspec:\n  revisionHistoryLimit: 3\n  selector: {{matchLabels: {{{selector_labels}}}}}\n  template:\n    metadata: {{labels: {{app: web, tier: front}}}}\n    spec: {{containers: [{{name: web, image: \"{image}\"}}]}}\n"
    )
}

#[test]
fn previous_reports_a_changed_selector_at_the_new_file() {
    let dir = TempDir::new("previous-flag");
    dir.write("old/web.yaml", deployment("app: web", "web:1.0"));
    let new = dir.write(
        "new/web.yaml",
        deployment("app: web, tier: front", "web:1.1"),
    );
    let output = assay()
        .args([
            "check",
            "--no-config",
            "--select",
            "ROLLOUT011",
            "--concise",
        ])
        .arg(&new)
        .arg("--previous")
        .arg(dir.path().join("old"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("web.yaml:6:"),
        "located in the new file: {stdout}"
    );
    assert!(
        stdout.contains("ROLLOUT011") && stdout.contains("`spec.selector.matchLabels.tier`"),
        "{stdout}"
    );

    let unchanged = assay()
        .args(["check", "--no-config", "--select", "ROLLOUT011"])
        .arg(dir.path().join("old"))
        .arg("--previous")
        .arg(dir.path().join("old"))
        .output()
        .unwrap();
    assert_eq!(unchanged.status.code(), Some(0));
}

#[test]
fn previous_from_the_config_and_a_missing_previous_folder() {
    let dir = TempDir::new("previous-config");
    dir.write("v1/web.yaml", deployment("app: web", "web:1.0"));
    dir.write("v2/web.yaml", deployment("app: other", "web:1.1"));
    dir.write(
        "v2/.assay.yaml",
        "select: [ROLLOUT011]\nprevious: [../v1]\n",
    );
    let output = assay()
        .current_dir(dir.path())
        .args(["check", "v2"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("`spec.selector.matchLabels.app`"),
        "{stdout}"
    );

    let missing = assay()
        .args(["check", "--no-config", "--previous"])
        .arg(dir.path().join("nowhere"))
        .arg(dir.path().join("v2/web.yaml"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(missing.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("previous deliverable"), "{stderr}");
}
