//! End-to-end tests of the `assay` binary: exit codes, inputs, bad input.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

mod support;
use support::TempDir;

fn assay() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_assay"));
    cmd.env_remove("NO_COLOR");
    cmd
}

fn run(cmd: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().unwrap();
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

const CLEAN_POD: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: clean\ndata:\n  a: \"1\"\n";
const BAD_ENV: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  enabled: on\n";

#[test]
fn exit_codes() {
    let dir = TempDir::new("exit");
    let clean = dir.write("clean.yaml", CLEAN_POD);
    let bad = dir.write("bad.yaml", BAD_ENV);
    let (code, _, _) = run(assay().args(["check", "--no-config"]).arg(&clean));
    assert_eq!(code, 0);
    let (code, out, _) = run(assay()
        .args(["check", "--no-config", "--format", "json"])
        .arg(&bad));
    assert_eq!(code, 1, "{out}");
    let (code, _, _) = run(assay()
        .args(["check", "--no-config", "--fail-on", "never"])
        .arg(&bad));
    assert_eq!(code, 0);
    let (code, _, err) = run(assay()
        .args(["check", "--no-config", "--format", "yml"])
        .arg(&bad));
    assert_eq!(code, 2);
    assert!(err.contains("--format") && err.contains("yml"), "{err}");
    let (code, _, err) = run(assay()
        .args(["check", "--no-config", "--select", "YAML06"])
        .arg(&bad));
    assert_eq!(code, 2);
    assert!(err.contains("YAML006"), "did you mean: {err}");
    let (code, _, err) = run(assay()
        .args(["check", "--no-config"])
        .arg(dir.path().join("missing.yaml")));
    assert_eq!(code, 2);
    assert!(err.contains("missing.yaml"), "{err}");
}

#[test]
fn config_file_is_discovered_and_strict() {
    let dir = TempDir::new("config");
    dir.write("deploy/bad.yaml", BAD_ENV);
    dir.write(".assay.yaml", "ignore: [YAML006]\n");
    let (code, out, err) = run(assay().args(["check"]).arg(dir.path().join("deploy")));
    assert_eq!(code, 0, "{out}{err}");
    dir.write(".assay.yaml", "ignroe: [YAML006]\n");
    let (code, _, err) = run(assay().args(["check"]).arg(dir.path().join("deploy")));
    assert_eq!(code, 2);
    assert!(
        err.contains(".assay.yaml:1:1") && err.contains("ignroe"),
        "{err}"
    );
}

#[test]
fn stdin_is_read_with_a_name() {
    let mut child = assay()
        .args([
            "check",
            "--no-config",
            "--concise",
            "--stdin-filename",
            "rendered.yaml",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(BAD_ENV.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.contains("rendered.yaml:6:12"), "{stdout}");
}

#[test]
fn gitignore_and_assayignore_are_honoured() {
    let dir = TempDir::new("ignore");
    dir.write("a.yaml", BAD_ENV);
    dir.write("generated/b.yaml", BAD_ENV);
    dir.write("vendor/c.yaml", BAD_ENV);
    dir.write("notes.txt", "not yaml");
    dir.write(".gitignore", "generated/\n");
    dir.write(".assayignore", "vendor/\n");
    let (_, out, _) = run(assay()
        .args(["check", "--no-config", "--concise"])
        .arg(dir.path()));
    assert!(out.contains("a.yaml"), "{out}");
    assert!(!out.contains("b.yaml") && !out.contains("c.yaml"), "{out}");
    let (_, out, _) = run(assay()
        .args(["check", "--no-config", "--concise", "--no-ignore"])
        .arg(dir.path()));
    assert!(out.contains("b.yaml") && out.contains("c.yaml"), "{out}");
    let (_, out, _) = run(assay()
        .args(["check", "--no-config", "--concise", "--exclude", "a.yaml"])
        .arg(dir.path()));
    assert!(!out.contains("a.yaml"), "{out}");
}

/// Every kind of bad input gives a located finding, and the good file next to
/// them is still checked.
#[test]
fn bad_input_never_stops_the_run() {
    let dir = TempDir::new("hostile");
    dir.write("good.yaml", BAD_ENV);
    dir.write("malformed.yaml", "a: [1, 2\nb: {\n");
    dir.write("tabs.yaml", "a:\n\tb: 1\n");
    dir.write(
        "duplicate.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n  name: e\n",
    );
    dir.write("latin1.yaml", b"name: caf\xe9\n");
    dir.write("binary.yaml", b"\x7fELF\x02\x01\x00\x00\x00");
    dir.write("empty.yaml", "");
    dir.write("utf16.yaml", {
        let mut b = vec![0xFF, 0xFE];
        for u in CLEAN_POD.encode_utf16() {
            b.extend(u.to_le_bytes());
        }
        b
    });
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        bomb.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 10].join(", ")
        ));
    }
    dir.write("alias-bomb.yaml", bomb);
    dir.write(
        "deep-flow.yaml",
        format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
    );
    let mut deep_block = String::new();
    for depth in 0..10_000 {
        deep_block.push_str(&" ".repeat(depth));
        deep_block.push_str("k:\n");
    }
    dir.write("deep-block.yaml", deep_block);
    // 200 MB, sparse: never read, the size check comes first.
    let huge = std::fs::File::create(dir.path().join("huge.yaml")).unwrap();
    huge.set_len(200 * 1024 * 1024).unwrap();
    drop(huge);

    let start = std::time::Instant::now();
    let (code, out, err) = run(assay()
        .args(["check", "--no-config", "--concise"])
        .arg(dir.path()));
    assert_eq!(code, 1, "{out}{err}");
    assert!(start.elapsed().as_secs() < 60, "the run must not hang");
    let expect = [
        ("good.yaml:6:12", "YAML006"),
        ("malformed.yaml:", "YAML001"),
        ("tabs.yaml:2:", "YAML001"),
        ("duplicate.yaml:5:3", "YAML002"),
        ("latin1.yaml:1:10", "YAML004"),
        ("binary.yaml:1:1", "YAML004"),
        ("deep-flow.yaml:", "YAML003"),
        ("deep-block.yaml:", "YAML003"),
        ("huge.yaml:1:1", "YAML003"),
    ];
    for (location, rule) in expect {
        assert!(
            out.lines()
                .any(|l| l.contains(location) && l.contains(rule)),
            "expected {rule} at {location} in:\n{out}"
        );
    }
    assert!(out.contains("max-file-size"), "{out}");
    assert!(
        !out.contains("empty.yaml") && !out.contains("utf16.yaml"),
        "{out}"
    );
    // The alias bomb parses (aliases are never expanded); it is just not a known document.
    assert!(
        out.lines()
            .filter(|l| l.contains("alias-bomb.yaml"))
            .all(|l| l.contains("YAML005")),
        "{out}"
    );
}

#[test]
fn output_is_deterministic() {
    let dir = TempDir::new("determinism");
    for i in 0..20 {
        dir.write(&format!("f{i}.yaml"), BAD_ENV);
    }
    let first = run(assay()
        .args(["check", "--no-config", "--format", "json"])
        .arg(dir.path()))
    .1;
    let second = run(assay()
        .args(["check", "--no-config", "--format", "json"])
        .arg(dir.path()))
    .1;
    assert_eq!(first, second);
    assert!(first.contains("f19.yaml"));
}

#[test]
fn rules_and_explain() {
    let (code, out, _) = run(assay().args(["rules"]));
    assert_eq!(code, 0);
    for id in ["YAML001", "YAML006", "SUP001"] {
        assert!(out.contains(id), "{out}");
    }
    let (code, out, _) = run(assay().args(["explain", "duplicate-key"]));
    assert_eq!(code, 0);
    assert!(out.starts_with("# YAML002 duplicate-key"), "{out}");
    assert!(out.contains("## Why it matters"), "{out}");
    let (code, out, _) = run(assay().args(["explain", "YAML006", "--format", "json"]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["id"], "YAML006");
    let (code, _, err) = run(assay().args(["explain", "YAML02"]));
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `YAML002`"), "{err}");
}

/// Every format runs end to end on the bundled example, exits 1 (it has
/// errors), and the machine formats parse; `-o` writes the same bytes.
#[test]
fn every_format_on_the_example() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/shop");
    for format in ["text", "json", "sarif", "junit", "github"] {
        let (code, out, err) = run(assay()
            .args(["check", "--no-config", "--format", format])
            .arg(&example));
        assert_eq!(code, 1, "{format}: {err}");
        assert!(!out.contains('\u{1b}'), "{format}: colour when piped");
        match format {
            "json" => {
                let report: serde_json::Value = serde_json::from_str(&out).expect("JSON");
                assert_eq!(report["schemaVersion"], 1);
                assert!(report["summary"]["errors"].as_u64() > Some(0));
            }
            "sarif" => {
                let log: serde_json::Value = serde_json::from_str(&out).expect("SARIF is JSON");
                assert_eq!(log["version"], "2.1.0");
                assert!(
                    !log["runs"][0]["results"]
                        .as_array()
                        .expect("results")
                        .is_empty()
                );
            }
            "junit" => assert!(
                out.starts_with("<?xml") && out.contains("<failure"),
                "{out}"
            ),
            "github" => assert!(out.lines().any(|l| l.starts_with("::error file=")), "{out}"),
            _ => assert!(out.contains("-->") && out.contains("found "), "{out}"),
        }
        let dir = TempDir::new(&format!("output-{format}"));
        let target = dir.path().join("report.out");
        let (code, printed, _) = run(assay()
            .args(["check", "--no-config", "--format", format, "-o"])
            .arg(&target)
            .arg(&example));
        assert_eq!(code, 1);
        assert!(printed.is_empty(), "{printed}");
        assert_eq!(
            std::fs::read_to_string(&target).expect("report written"),
            out
        );
    }
    let (_, out, _) = run(assay()
        .args(["check", "--no-config", "--color", "always"])
        .arg(&example));
    assert!(out.contains("\u{1b}[1;31m"), "{out}");
}

#[test]
fn explain_api_rule_lists_the_lifecycle_table() {
    let (code, out, _) = run(assay().args(["explain", "API001"]));
    assert_eq!(code, 0);
    assert!(out.contains("## References"), "{out}");
    assert!(out.contains("## API lifecycle table"), "{out}");
    assert!(
        out.contains(
            "| `extensions/v1beta1` | Ingress | 1.14 | 1.22 | `networking.k8s.io/v1` (1.19+) |"
        ),
        "{out}"
    );
    let (code, out, _) = run(assay().args(["explain", "API003", "--format", "json"]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        v["extra"]
            .as_str()
            .is_some_and(|t| t.contains("| `policy/v1beta1` | PodSecurityPolicy |")),
        "{out}"
    );
}

/// Credential-shaped values assembled at run time (never committed), with
/// the part that must never be printed.
fn generated_secrets() -> Vec<(String, String)> {
    let mut state: u32 = 0x2545_f491;
    let mut pick = |alphabet: &str, n: usize| -> String {
        let chars: Vec<char> = alphabet.chars().collect();
        (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                chars[state as usize % chars.len()]
            })
            .collect()
    };
    let aws_tail = pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
    let github_tail = pick(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        36,
    );
    let password = pick("abcdefghijklmnopqrstuvwxyz0123456789", 18);
    vec![
        (["AK", "IA"].concat() + &aws_tail, aws_tail),
        (["gh", "p_"].concat() + &github_tail, github_tail),
        (password.clone(), password),
    ]
}

/// No format prints a secret value, or any six characters of one.
#[test]
fn no_format_prints_a_secret_value() {
    let secrets = generated_secrets();
    let manifest = format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  annotations:\n    ci-token: {github}\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api:1.0\n          env:\n            - name: AWS_ACCESS_KEY_ID\n              value: {aws}\n            - name: DATABASE_URL\n              value: postgres://app:{password}@db:5432/app\n            - name: ADMIN_PASSWORD\n              value: {password}  # assay:ignore SEC001 rotated weekly\n",
        aws = secrets[0].0,
        github = secrets[1].0,
        password = secrets[2].0,
    );
    let dir = TempDir::new("secrets");
    dir.write("deploy.yaml", manifest);
    // Not base64: the schema error must not quote it either.
    dir.write(
        "secret.yaml",
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: {}\n",
            secrets[2].0
        ),
    );
    dir.write(
        "compose.yaml",
        format!(
            "services:\n  api:\n    image: api:1.0\n    environment:\n      AWS_KEY: {}\n",
            secrets[0].0
        ),
    );
    for format in ["text", "json", "sarif", "junit", "github"] {
        for extra in [
            &[][..],
            &["--show-suppressed"][..],
            &["--concise"][..],
            &["--color", "always"][..],
        ] {
            let (code, out, err) = run(assay()
                .args(["check", "--no-config", "--format", format])
                .args(extra)
                .arg(dir.path()));
            assert_eq!(code, 1, "{format}: {err}");
            assert!(
                out.contains("SEC001") && out.contains("SEC002") && out.contains("SCHEMA001"),
                "{format}: {out}"
            );
            for (_, hidden) in &secrets {
                let chars: Vec<char> = hidden.chars().collect();
                for part in chars.windows(6) {
                    let part: String = part.iter().collect();
                    assert!(
                        !out.contains(&part) && !err.contains(&part),
                        "{format} {extra:?} printed `{part}` of a secret:\n{out}{err}"
                    );
                }
            }
        }
    }
}

#[test]
fn versions_lists_the_bundled_kubernetes_versions() {
    let (code, out, _) = run(assay().arg("versions"));
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.first(), Some(&"1.25"));
    assert_eq!(lines.last(), Some(&"1.37"));
    assert_eq!(lines.len(), 13);
    let (code, out, _) = run(assay().args(["versions", "--format", "json"]));
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["default"], "1.37");
}

const WIDGET_CRD: &str = "\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: integer}
";

#[test]
fn crds_flag_validates_custom_resources() {
    let dir = TempDir::new("crds");
    dir.write("crds/widget.yaml", WIDGET_CRD);
    let widget = dir.write(
        "deploy/w.yaml",
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: big\n",
    );
    let (code, out, _) = run(assay()
        .args(["check", "--no-config", "--select", "SCHEMA", "--concise"])
        .arg(&widget));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("SCHEMA003"), "{out}");
    assert!(out.contains("1 object not validated (no schema)"), "{out}");
    let (code, out, _) = run(assay()
        .args([
            "check",
            "--no-config",
            "--select",
            "SCHEMA",
            "--concise",
            "--crds",
        ])
        .arg(dir.path().join("crds"))
        .arg(&widget));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("w.yaml:6:9") && out.contains("SCHEMA001"),
        "{out}"
    );
    // The CRD files themselves are not reported on.
    assert!(!out.contains("widget.yaml"), "{out}");
    let (code, _, err) = run(assay()
        .args(["check", "--no-config", "--crds"])
        .arg(dir.path().join("nope"))
        .arg(&widget));
    assert_eq!(code, 2);
    assert!(err.contains("--crds"), "{err}");
    let (code, out, _) = run(assay()
        .args(["check", "--no-config", "--select", "SCHEMA", "--kubernetes-version", "1.29"])
        .arg(dir.write(
            "vap.yaml",
            "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata:\n  name: p\n",
        )));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("exists in 1.30–1.37"), "{out}");
}

/// A finding of another rule whose code frame shows a line holding a secret
/// masks it even when the secret rules are not selected.
#[test]
fn frames_mask_secrets_whatever_the_selection() {
    let secrets = generated_secrets();
    let dir = TempDir::new("masked-frames");
    dir.write(
        "cm.yaml",
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  AWS_KEY: {aws}\n  AWS_KEY: {aws}\n",
            aws = secrets[0].0
        ),
    );
    for selection in ["YAML002", "YAML,HARD", "SEC"] {
        let (code, out, err) = run(assay()
            .args(["check", "--no-config", "--select", selection])
            .arg(dir.path()));
        assert_eq!(code, 1, "{selection}: {err}");
        assert!(out.contains("AWS_KEY: ****"), "{selection}: {out}");
        assert!(
            !out.contains(&secrets[0].1[..6]),
            "{selection} leaked:\n{out}"
        );
        assert_eq!(
            out.contains("SEC00"),
            selection == "SEC",
            "{selection}: {out}"
        );
    }
}

#[test]
fn config_crds_are_relative_to_the_config() {
    let dir = TempDir::new("config-crds");
    dir.write("project/crds/widget.yaml", WIDGET_CRD);
    dir.write("project/.assay.yaml", "crds: [crds]\n");
    let widget = dir.write(
        "project/deploy/w.yaml",
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: big\n",
    );
    let config = dir.path().join("project/.assay.yaml");
    // Run from elsewhere: the CRD path is the config folder's.
    let (code, out, _) = run(assay()
        .current_dir(dir.path())
        .args(["check", "--select", "SCHEMA", "--concise", "--config"])
        .arg(&config)
        .arg(&widget));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("SCHEMA001") && out.contains("w.yaml:6:9"),
        "{out}"
    );
    // Merged with --crds (a second CRD from the command line).
    dir.write(
        "other/gadget.yaml",
        WIDGET_CRD
            .replace("Widget", "Gadget")
            .replace("widgets", "gadgets"),
    );
    let gadget = dir.write(
        "project/deploy/g.yaml",
        "apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\nspec:\n  size: big\n",
    );
    let (code, out, _) = run(assay()
        .args(["check", "--select", "SCHEMA", "--concise", "--config"])
        .arg(&config)
        .arg("--crds")
        .arg(dir.path().join("other"))
        .arg(&widget)
        .arg(&gadget));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("w.yaml:6:9") && out.contains("g.yaml:6:9"),
        "{out}"
    );
    assert!(!out.contains("SCHEMA003"), "{out}");
    // A missing CRD path of the config is an error.
    dir.write("project/.assay.yaml", "crds: [nope]\n");
    let (code, _, err) = run(assay()
        .args(["check", "--config"])
        .arg(&config)
        .arg(&widget));
    assert_eq!(code, 2);
    assert!(err.contains("crds"), "{err}");
}
