//! Every reporter over one run: snapshots, schema validation, determinism, and
//! the guarantee that no format prints a secret value.

use assay_diagnostics::Finding;
use assay_model::{Model, SourceFile};
use assay_report::{Format, Options, Report, Summary};
use assay_rules::{Engine, Selection};
use assay_span::{FileId, FileSpan, Pos, Span};
use assay_yaml::Limits;
use std::path::{Path, PathBuf};

const DEPLOYMENT: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    version: 1.10
  annotations:
    ignore.assay.dev/YAML007: "the port name is looked up by a legacy tool"
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
          env:
            - name: FEATURE_CACHE
              value: on
            - name: SESSION_KEY
              value: SECRET_PLACEHOLDER
          ports:
            - containerPort: "8080"
"#;

const BROKEN: &str = "a: [1, 2\nb: {\n";

/// A credential-shaped value, assembled at run time so none is committed.
fn canary() -> String {
    ["canary", "-s3cr3t-", "Zq7vX2"].concat()
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

struct Run {
    model: Model,
    findings: Vec<Finding>,
    summary: Summary,
}

fn run() -> Run {
    let deployment = DEPLOYMENT.replace("SECRET_PLACEHOLDER", &canary());
    let files = vec![
        SourceFile::parse(
            FileId(0),
            "deploy/web.yaml".into(),
            deployment.as_bytes(),
            &Limits::default(),
        ),
        SourceFile::parse(
            FileId(1),
            "deploy/broken.yaml".into(),
            BROKEN.as_bytes(),
            &Limits::default(),
        ),
    ];
    let model = Model::build(files);
    let (mut findings, stats) = Engine::new(Selection {
        // Packs that will not grow new rules on this input, so the snapshots
        // change only when a reporter does.
        select: vec!["YAML".into(), "SUP".into()],
        ..Selection::default()
    })
    .run(&model);
    // A finding that marks the canary as a secret, as the SEC rules do.
    let value_line = 20;
    let len = u32::try_from(canary().chars().count()).expect("short");
    let span = Span::new(Pos::new(value_line, 22), Pos::new(value_line, 22 + len));
    findings.push(
        Finding::new(
            "YAML006",
            assay_diagnostics::Severity::Error,
            FileSpan::new(FileId(0), span),
            "env `SESSION_KEY` holds a literal secret (****… (20 chars))",
        )
        .object("Deployment shop/web")
        .fix("move it to a Secret")
        .label(
            FileSpan::new(FileId(0), Span::new(Pos::new(19, 21), Pos::new(19, 32))),
            "the variable is named here",
        )
        .secret(FileSpan::new(FileId(0), span)),
    );
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let summary = Summary::new(
        &model,
        &findings,
        stats.rules_run,
        Some(assay_diagnostics::Severity::Error),
    );
    Run {
        model,
        findings,
        summary,
    }
}

fn render(run: &Run, format: Format, options: Options) -> String {
    let report = Report {
        model: &run.model,
        findings: &run.findings,
        summary: run.summary.clone(),
        masked: &[],
        tool_version: "0.0.0-test",
    };
    let mut out = Vec::new();
    assay_report::write(&report, format, &options, &mut out).expect("write to a Vec");
    String::from_utf8(out).expect("reports are UTF-8")
}

#[test]
fn the_fixture_has_what_the_snapshots_expect() {
    let run = run();
    let canary_line = run.model.files[0].text.lines().nth(19).unwrap_or_default();
    assert!(canary_line.contains(&canary()), "{canary_line}");
    assert!(run.summary.suppressed >= 1, "{:?}", run.summary);
    assert!(run.findings.iter().any(|f| f.rule == "YAML001"));
}

#[test]
fn text_snapshot() {
    let run = run();
    insta::assert_snapshot!(render(&run, Format::Text, Options::default()));
}

#[test]
fn text_with_suppressed_and_color_snapshot() {
    let run = run();
    let options = Options {
        color: true,
        show_suppressed: true,
        concise: false,
    };
    insta::assert_snapshot!(render(&run, Format::Text, options));
}

#[test]
fn concise_snapshot() {
    let run = run();
    let options = Options {
        concise: true,
        ..Options::default()
    };
    insta::assert_snapshot!(render(&run, Format::Text, options));
}

#[test]
fn json_snapshot() {
    insta::assert_snapshot!(render(&run(), Format::Json, Options::default()));
}

#[test]
fn sarif_snapshot() {
    insta::assert_snapshot!(render(&run(), Format::Sarif, Options::default()));
}

#[test]
fn junit_snapshot() {
    insta::assert_snapshot!(render(&run(), Format::Junit, Options::default()));
}

#[test]
fn github_snapshot() {
    insta::assert_snapshot!(render(&run(), Format::Github, Options::default()));
}

#[test]
fn no_format_prints_a_secret_value() {
    let run = run();
    let secret = canary();
    for format in Format::ALL {
        for (color, show_suppressed, concise) in [
            (false, false, false),
            (true, true, false),
            (false, true, true),
        ] {
            let options = Options {
                color,
                show_suppressed,
                concise,
            };
            let out = render(&run, format, options);
            // Not even a part of it: no six characters in a row.
            let chars: Vec<char> = secret.chars().collect();
            for part in chars.windows(6) {
                let part: String = part.iter().collect();
                assert!(
                    !out.contains(&part),
                    "{} leaked `{part}` of the secret:\n{out}",
                    format.as_str()
                );
            }
        }
    }
}

#[test]
fn every_format_is_deterministic() {
    for format in Format::ALL {
        let first = render(&run(), format, Options::default());
        for _ in 0..3 {
            assert_eq!(
                first,
                render(&run(), format, Options::default()),
                "{}",
                format.as_str()
            );
        }
    }
}

fn validator(schema_path: &Path) -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_slice(
        &std::fs::read(schema_path).unwrap_or_else(|e| panic!("{}: {e}", schema_path.display())),
    )
    .expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

fn assert_valid(validator: &jsonschema::Validator, document: &serde_json::Value) {
    let errors: Vec<String> = validator
        .iter_errors(document)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn json_matches_its_published_schema() {
    let validator = validator(&workspace_root().join("docs/schema/report-v1.schema.json"));
    let out: serde_json::Value =
        serde_json::from_str(&render(&run(), Format::Json, Options::default())).expect("JSON");
    assert_valid(&validator, &out);
    // The schema can fail: a report without findings' fingerprints is rejected.
    let mut broken = out;
    broken["findings"][0]
        .as_object_mut()
        .expect("a finding")
        .remove("fingerprint");
    assert!(!validator.is_valid(&broken));
}

/// The official SARIF 2.1.0 schema, shipped by the npm package
/// `@microsoft/sarif-multitool-linux` (`.ci/install-sarif-schema` installs it).
/// The tests that need it are ignored by default, so a run without it says
/// "ignored" instead of "ok"; CI runs them with `--include-ignored`, and
/// they fail when the tool is missing.
fn sarif_tool_dir() -> PathBuf {
    let dir = std::env::var_os("ASSAY_SARIF_MULTITOOL_DIR").map_or_else(
        || workspace_root().join(".cache/npm/node_modules/@microsoft/sarif-multitool-linux"),
        PathBuf::from,
    );
    assert!(
        dir.join("sarif-2.1.0.json").is_file(),
        "run .ci/install-sarif-schema first: no SARIF schema in {}",
        dir.display()
    );
    dir
}

#[test]
#[ignore = "needs the SARIF multitool: .ci/install-sarif-schema, then cargo test -- --include-ignored"]
fn sarif_matches_the_official_schema() {
    let dir = sarif_tool_dir();
    let validator = validator(&dir.join("sarif-2.1.0.json"));
    let out: serde_json::Value =
        serde_json::from_str(&render(&run(), Format::Sarif, Options::default())).expect("JSON");
    assert_valid(&validator, &out);
    let mut broken = out;
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!validator.is_valid(&broken));
}

#[test]
#[ignore = "needs the SARIF multitool: .ci/install-sarif-schema, then cargo test -- --include-ignored"]
fn sarif_multitool_reports_no_errors() {
    let dir = sarif_tool_dir();
    let tmp = std::env::temp_dir().join(format!("assay-sarif-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("temp dir");
    let input = tmp.join("report.sarif");
    let output = tmp.join("validation.sarif");
    std::fs::write(&input, render(&run(), Format::Sarif, Options::default())).expect("write");
    let status = std::process::Command::new(dir.join("Sarif.Multitool"))
        .arg("validate")
        .arg(&input)
        .arg("--output")
        .arg(&output)
        .args(["--level", "Error", "Warning", "Note"])
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .output()
        .expect("Sarif.Multitool runs");
    let log: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&output).unwrap_or_else(|e| {
            panic!(
                "no validation log ({e}); multitool said:\n{}{}",
                String::from_utf8_lossy(&status.stdout),
                String::from_utf8_lossy(&status.stderr)
            )
        }))
        .expect("the validation log is JSON");
    let _ = std::fs::remove_dir_all(&tmp);
    let problems: Vec<String> = log["runs"][0]["results"]
        .as_array()
        .into_iter()
        .flatten()
        // A result without `level` is a warning (SARIF §3.27.10).
        .filter(|r| matches!(r["level"].as_str(), None | Some("error" | "warning")))
        .map(|r| {
            format!(
                "{} {}",
                r["ruleId"].as_str().unwrap_or_default(),
                r["message"]["arguments"]
            )
        })
        .collect();
    // SARIF2005 asks for `informationUri`: assay has no public home page yet.
    let expected = ["SARIF2005 [\"runs[0].tool.driver\",\"assay\"]"];
    assert_eq!(
        problems, expected,
        "unexpected multitool errors or warnings"
    );
}
