//! End-to-end tests of what `assay check` reads (nothing skipped without a
//! word) and of the triage features (summary, statistics, baseline,
//! kustomize patches, config excludes).

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

mod support;
use support::TempDir;

fn assay() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_assay"));
    cmd.env_remove("NO_COLOR").env_remove("ASSAY_TIMINGS");
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

/// A ConfigMap with one ambiguous scalar: one YAML006 error at 6:12.
const BAD_ENV: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  enabled: on\n";

/// The command for permission tests: `assay` itself when the file system
/// refuses this user, else (root reads anything, and CI runs as root)
/// `assay` run as `nobody` through util-linux's `setpriv`; `None` when
/// neither works, and the test says it was skipped.
fn assay_without_root(dir: &Path) -> Option<Command> {
    use std::os::unix::fs::PermissionsExt as _;
    let probe = dir.join("probe");
    std::fs::create_dir_all(&probe).unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).unwrap();
    let enforced = std::fs::read_dir(&probe).is_err();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::remove_dir(&probe).unwrap();
    if enforced {
        return Some(assay());
    }
    let nobody = ["--reuid=65534", "--regid=65534", "--clear-groups"];
    let works = Command::new("setpriv")
        .args(nobody)
        .arg(env!("CARGO_BIN_EXE_assay"))
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !works {
        eprintln!(
            "SKIPPED: running as root without a working `setpriv`; permissions cannot be tested"
        );
        return None;
    }
    let mut cmd = Command::new("setpriv");
    cmd.args(nobody)
        .arg(env!("CARGO_BIN_EXE_assay"))
        .env_remove("NO_COLOR")
        .env_remove("ASSAY_TIMINGS");
    Some(cmd)
}

#[test]
fn hidden_and_ignored_files_are_counted_and_can_be_included() {
    let dir = TempDir::new("hidden");
    dir.write("a.yaml", BAD_ENV);
    dir.write(".github/workflows/ci.yaml", BAD_ENV);
    dir.write(".tekton/pipeline.yaml", BAD_ENV);
    dir.write(".hidden.yaml", BAD_ENV);
    dir.write("generated/b.yaml", BAD_ENV);
    dir.write("generated/c.yml", BAD_ENV);
    dir.write("scratch.yaml", BAD_ENV);
    dir.write(".gitignore", "generated/\nscratch.yaml\n");
    dir.write(".git/config.yaml", BAD_ENV);
    let (code, out, err) = run(assay()
        .args(["check", "--no-config", "--concise"])
        .arg(dir.path()));
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains(
            "not checked: 1 file and 1 folder ignored by .gitignore/.assayignore, 3 hidden; --no-ignore/--hidden to include"
        ),
        "{out}"
    );
    let (_, out, _) = run(assay()
        .args(["check", "--no-config", "--concise", "--hidden"])
        .arg(dir.path()));
    for file in ["ci.yaml", "pipeline.yaml", ".hidden.yaml"] {
        assert!(out.contains(file), "--hidden checks {file}: {out}");
    }
    assert!(!out.contains("config.yaml"), ".git is never walked: {out}");
    assert!(
        out.contains(
            "not checked: 1 file and 1 folder ignored by .gitignore/.assayignore; --no-ignore to include"
        ),
        "{out}"
    );
    // --no-ignore alone does not bring hidden files back, and says so.
    let (_, out, _) = run(assay()
        .args(["check", "--no-config", "--concise", "--no-ignore"])
        .arg(dir.path()));
    assert!(out.contains("b.yaml") && !out.contains("ci.yaml"), "{out}");
    assert!(
        out.contains("not checked: 3 hidden files; --hidden to include"),
        "{out}"
    );
    let (_, out, _) = run(assay()
        .args([
            "check",
            "--no-config",
            "--concise",
            "--no-ignore",
            "--hidden",
            "--format",
            "json",
        ])
        .arg(dir.path()));
    assert!(
        out.contains("\"skippedIgnored\": 0")
            && out.contains("\"skippedIgnoredFolders\": 0")
            && out.contains("\"skippedHidden\": 0"),
        "{out}"
    );
}

#[test]
fn symlinks_are_followed_and_loops_reported_at_their_own_path() {
    let dir = TempDir::new("symlinks");
    dir.write("real/app.yaml", BAD_ENV);
    dir.write("deploy/own.yaml", BAD_ENV);
    std::os::unix::fs::symlink("../real/app.yaml", dir.path().join("deploy/linked.yaml")).unwrap();
    std::os::unix::fs::symlink("../real", dir.path().join("deploy/linked-folder")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("deploy/loop")).unwrap();
    let (code, out, err) = run(assay()
        .args(["check", "--no-config", "--concise", "deploy"])
        .current_dir(dir.path()));
    assert_eq!(
        code, 1,
        "a loop is a finding, not an I/O failure: {out}{err}"
    );
    assert!(out.contains("deploy/own.yaml:6:12"), "{out}");
    assert!(out.contains("deploy/linked.yaml:6:12"), "{out}");
    assert!(out.contains("deploy/linked-folder/app.yaml:6:12"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("deploy/loop:1:1: error[YAML004]")
                && l.contains("symlink loop")
                && l.contains("ancestor folder")),
        "{out}"
    );
    assert!(!out.contains("no such file"), "{out}");
}

#[test]
fn a_path_with_nothing_to_check_fails() {
    let dir = TempDir::new("empty");
    dir.write("docs/readme.txt", "not yaml");
    dir.write("only-hidden/.ci.yaml", BAD_ENV);
    let (code, _, err) = run(assay()
        .args(["check", "--no-config", "docs"])
        .current_dir(dir.path()));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no files to check under docs"), "{err}");
    let (code, _, err) = run(assay()
        .args(["check", "--no-config", "only-hidden"])
        .current_dir(dir.path()));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("no files to check under only-hidden") && err.contains("1 hidden (--hidden"),
        "{err}"
    );
    let (code, _, err) = run(assay()
        .args(["check", "--no-config", "--hidden", "only-hidden"])
        .current_dir(dir.path()));
    assert_eq!(code, 1, "{err}");
    // A mistyped folder is a missing path: the same exit code, named.
    let (code, _, err) = run(assay()
        .args(["check", "--no-config", "dcos"])
        .current_dir(dir.path()));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("cannot read: dcos (No such file or directory)"),
        "{err}"
    );
}

#[test]
fn the_size_limit_holds_for_devices_and_stdin() {
    let dir = TempDir::new("limit");
    let config = dir.write(".assay.yaml", "limits:\n  max-file-size: 4096\n");
    let (code, out, err) = run(assay()
        .args(["check", "--concise", "--config"])
        .arg(&config)
        .arg("/dev/zero"));
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("/dev/zero:1:1: error[YAML003]") && out.contains("max-file-size = 4096"),
        "{out}"
    );
    let mut child = assay()
        .args(["check", "--concise", "--config"])
        .arg(&config)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // More than the limit; assay stops reading, so the write may see a closed pipe.
    let _ = stdin.write_all(&vec![b'#'; 64 * 1024]);
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("<stdin>:1:1: error[YAML003]"), "{stdout}");
}

#[test]
fn unreadable_folders_and_files_are_reported_at_their_own_path() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = TempDir::new("unreadable");
    let Some(mut assay) = assay_without_root(dir.path()) else {
        return;
    };
    dir.write("deploy/good.yaml", BAD_ENV);
    dir.write("deploy/locked/secret.yaml", BAD_ENV);
    let locked_file = dir.write("deploy/locked-file.yaml", BAD_ENV);
    let locked = dir.path().join("deploy/locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(&locked_file, std::fs::Permissions::from_mode(0o000)).unwrap();
    let (code, out, err) = run(assay
        .args(["check", "--no-config", "--concise", "deploy"])
        .current_dir(dir.path()));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.contains("deploy/good.yaml:6:12"), "{out}");
    assert!(
        out.contains("deploy/locked:1:1: error[YAML004]") && out.contains("Permission denied"),
        "{out}"
    );
    assert!(
        out.contains("deploy/locked-file.yaml:1:1: error[YAML004]"),
        "{out}"
    );
    assert!(err.contains("deploy/locked (Permission denied)"), "{err}");
    assert!(
        err.contains("deploy/locked-file.yaml (Permission denied)"),
        "{err}"
    );
}

#[test]
fn help_goes_to_stdout_and_succeeds() {
    for args in [
        &["check", "--help"][..],
        &["check", "-h"],
        &["help", "check"],
        &["rules", "--help"],
        &["explain", "--help"],
        &["versions", "--help"],
        &["connectivity", "--help"],
        &["diagnose", "deploy/", "-h"],
        &["check", "deploy/", "--format", "json", "--help"],
        &["--help"],
    ] {
        let (code, out, err) = run(assay().args(args));
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(
            out.contains("Usage:") && out.contains("--statistics"),
            "{args:?}: {out}"
        );
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}

/// Two objects with the same missing settings and one privileged container.
const DEPLOYMENTS: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: one
spec:
  containers:
    - name: app
      image: example/app:1.0
      securityContext:
        privileged: true
---
apiVersion: v1
kind: Pod
metadata:
  name: two
spec:
  containers:
    - name: app
      image: example/app:1.0
";

#[test]
fn summary_and_statistics_count_per_rule() {
    let dir = TempDir::new("summary");
    let file = dir.write("pods.yaml", DEPLOYMENTS);
    let (_, out, _) = run(assay()
        .args([
            "check",
            "--no-config",
            "--select",
            "HARD001,HARD010,HARD011",
        ])
        .arg(&file));
    let overview = out
        .split("findings by rule (errors first, then most frequent):\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no overview in {out}"));
    assert!(
        overview.starts_with(
            "  1  error    HARD001  privileged-container\n  2  warning  HARD010  missing-resource-requests\n  2  warning  HARD011  missing-memory-limit\nobjects with the most findings:\n  3  Pod one\n  2  Pod two\n"
        ),
        "{overview}"
    );
    let (code, out, _) = run(assay()
        .args([
            "check",
            "--no-config",
            "--statistics",
            "--select",
            "HARD001,HARD010,HARD011",
        ])
        .arg(&file));
    assert_eq!(code, 1, "statistics keep the exit code");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with("2\tHARD010\t") && lines[0].ends_with("missing-resource-requests"),
        "{out}"
    );
    assert!(
        lines[2].starts_with("1\tHARD001\t") && lines[2].ends_with("privileged-container"),
        "{out}"
    );
    let (_, out, _) = run(assay()
        .args([
            "check",
            "--no-config",
            "--statistics",
            "--format",
            "json",
            "--select",
            "HARD001",
        ])
        .arg(&file));
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(rows[0]["code"], "HARD001");
    assert_eq!(rows[0]["count"], 1);
    assert_eq!(rows[0]["severity"], "error");
    let (code, _, err) = run(assay()
        .args(["check", "--no-config", "--statistics", "--format", "sarif"])
        .arg(&file));
    assert_eq!(code, 2);
    assert!(err.contains("--statistics"), "{err}");
}

#[test]
fn a_baseline_hides_known_findings_and_reports_stale_ones() {
    let dir = TempDir::new("baseline");
    dir.write("deploy/pods.yaml", DEPLOYMENTS);
    dir.write("deploy/flags.yaml", BAD_ENV);
    let select = ["--no-config", "--select", "HARD001,HARD010,YAML006"];
    let (code, out, err) = run(assay()
        .arg("check")
        .args(select)
        .args(["--write-baseline", "assay-baseline.json", "deploy"])
        .current_dir(dir.path()));
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("recorded 4 findings"), "{err}");
    assert!(
        out.contains("4 findings in the baseline not shown"),
        "{out}"
    );
    let text = std::fs::read_to_string(dir.path().join("assay-baseline.json")).unwrap();
    let baseline: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(baseline["schemaVersion"], 1);
    let entries = baseline["findings"].as_array().unwrap();
    let keys: Vec<(String, String)> = entries
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_owned(),
                e["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "entries are sorted");
    assert_eq!(
        keys[0],
        ("deploy/flags.yaml".to_owned(), "YAML006".to_owned())
    );
    assert!(
        !text.contains("\"message\""),
        "no messages (nor source text) in the baseline: {text}"
    );

    // Same findings, checked through another path: nothing new.
    let (code, out, err) = run(assay()
        .arg("check")
        .args(select)
        .arg("--baseline")
        .arg(dir.path().join("assay-baseline.json"))
        .arg(dir.path().join("deploy")));
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("no problems found") && out.contains("4 findings in the baseline not shown"),
        "{out}"
    );

    // A new finding is reported; a fixed one is a stale entry.
    dir.write(
        "deploy/flags.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  enabled: \"on\"\n",
    );
    dir.write("deploy/more.yaml", BAD_ENV.replace("flags", "more"));
    let (code, out, err) = run(assay()
        .arg("check")
        .args(select)
        .args(["--concise", "--baseline", "assay-baseline.json", "deploy"])
        .current_dir(dir.path()));
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("deploy/more.yaml:6:12: error[YAML006]"),
        "{out}"
    );
    assert!(!out.contains("pods.yaml"), "{out}");
    assert!(
        out.contains("3 findings in the baseline not shown"),
        "{out}"
    );
    assert!(
        out.contains("info: 1 baseline entry no longer found"),
        "{out}"
    );
    let (_, out, err) = run(assay()
        .arg("check")
        .args(select)
        .args([
            "--format",
            "json",
            "--baseline",
            "assay-baseline.json",
            "deploy",
        ])
        .current_dir(dir.path()));
    assert!(
        out.contains("\"baselined\": 3") && out.contains("\"baselineStale\": 1"),
        "{out}"
    );
    assert!(
        err.contains("assay: 3 findings in the baseline not shown")
            && err.contains("assay: info: 1 baseline entry no longer found"),
        "other formats say it on stderr: {err}"
    );

    dir.write("not-a-baseline.json", "{\"findings\": 3}");
    let (code, _, err) = run(assay()
        .args([
            "check",
            "--no-config",
            "--baseline",
            "not-a-baseline.json",
            "deploy",
        ])
        .current_dir(dir.path()));
    assert_eq!(code, 2);
    assert!(err.contains("not an assay baseline"), "{err}");
}

#[test]
fn config_excludes_are_relative_to_the_config_file() {
    let dir = TempDir::new("exclude");
    dir.write(".assay.yaml", "exclude: [\"deploy/generated/**\"]\n");
    dir.write("deploy/app.yaml", BAD_ENV);
    dir.write("deploy/generated/out.yaml", BAD_ENV);
    for (cwd, path) in [
        (dir.path().to_owned(), "deploy"),
        (dir.path().join("deploy"), "."),
        (dir.path().to_owned(), "."),
    ] {
        let (_, out, err) = run(assay().args(["check", "--concise", path]).current_dir(&cwd));
        assert!(
            out.contains("app.yaml:6:12"),
            "{path} from {cwd:?}: {out}{err}"
        );
        assert!(!out.contains("out.yaml"), "{path} from {cwd:?}: {out}");
    }
}

#[test]
fn kustomize_patches_are_partial_objects() {
    let dir = TempDir::new("kustomize");
    dir.write(
        "overlay/kustomization.yaml",
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../base]\npatchesStrategicMerge:\n  - ./patches/privileged.yaml\n  - ./patches/job.yaml\npatches:\n  - path: patches/replicas.yaml\n  - path: ops.yaml\n    target: {kind: Deployment, name: web}\n  - patch: |-\n      - op: replace\n        path: /spec/replicas\n        value: 2\npatchesJson6902:\n  - target: {group: apps, version: v1, kind: Deployment, name: web}\n    path: ../overlay/json6902.yaml\n",
    );
    dir.write(
        "overlay/patches/privileged.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          securityContext:\n            privileged: true\n",
    );
    // Mounts a volume of the base and leaves restartPolicy to it (VAL).
    dir.write(
        "overlay/patches/job.yaml",
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\nspec:\n  template:\n    spec:\n      containers:\n        - name: migrate\n          volumeMounts:\n            - name: data\n              mountPath: /data\n",
    );
    dir.write(
        "overlay/patches/replicas.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n",
    );
    dir.write(
        "overlay/ops.yaml",
        "- op: replace\n  path: /spec/replicas\n  value: 2\n",
    );
    dir.write(
        "overlay/json6902.yaml",
        "- op: add\n  path: /spec/template/spec/containers/0/env/-\n  value: {name: MODE, value: fast}\n",
    );
    // Not listed by the kustomization: a whole object, checked as one.
    let unlisted =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 3\n";
    dir.write("overlay/unlisted.yaml", unlisted);
    let (_, out, err) = run(assay()
        .args(["check", "--no-config", "--concise", "overlay"])
        .current_dir(dir.path()));
    let patch_lines: Vec<&str> = out
        .lines()
        .filter(|l| {
            l.starts_with("overlay/patches/")
                || l.starts_with("overlay/ops.yaml")
                || l.starts_with("overlay/json6902.yaml")
        })
        .collect();
    assert_eq!(
        patch_lines.len(),
        1,
        "only what a patch writes is reported: {out}{err}"
    );
    assert!(
        patch_lines[0].starts_with("overlay/patches/privileged.yaml:11:25: error[HARD001]"),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.starts_with("overlay/unlisted.yaml:")
            && l.contains("SCHEMA001")
            && l.contains("missing required field")),
        "{out}"
    );
    assert!(
        out.contains("5 kustomize patches checked as partial objects"),
        "{out}"
    );
}

#[test]
fn assay_timings_prints_the_phases_on_stderr() {
    let dir = TempDir::new("timings");
    let file = dir.write("flags.yaml", BAD_ENV);
    let (_, out, err) = run(assay()
        .args(["check", "--no-config", "--format", "json"])
        .arg(&file)
        .env("ASSAY_TIMINGS", "1"));
    let line = err
        .lines()
        .find(|l| l.starts_with("assay: timings:"))
        .unwrap_or_else(|| panic!("no timings in {err}"));
    for phase in [
        "walk",
        "read+parse",
        "model",
        "crds",
        "rules",
        "report",
        "total",
    ] {
        assert!(line.contains(&format!(" {phase}=")), "{phase}: {line}");
    }
    assert!(out.starts_with('{'), "stdout keeps the report only: {out}");
    let (_, _, err) = run(assay().args(["check", "--no-config"]).arg(&file));
    assert!(!err.contains("timings"), "off by default: {err}");
}
