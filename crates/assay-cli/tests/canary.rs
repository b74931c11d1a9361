//! The secret canary: credentials (built at run time, never committed) are
//! written where rules quote values — wrong types, numbers, quantities,
//! unknown fields, enums, kinds, images, duplicate keys, labels, annotations,
//! compose `environment` and `ports`, EncryptionConfiguration keys, OpenAPI
//! examples, defaults, servers and references — and no rule, selected alone
//! or with all the others, may print any part of them in any format.

#![allow(unreachable_pub)]

#[path = "../../assay-rules/tests/common/fakes.rs"]
#[allow(dead_code)]
mod fakes;

use std::process::Command;

mod support;
use support::TempDir;

fn assay() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_assay"));
    cmd.env_remove("NO_COLOR");
    cmd
}

/// The canary files (`{{fake:KIND}}` substituted) and the secret values used.
fn canary_files() -> (Vec<(&'static str, String)>, Vec<String>) {
    let templates = [
        (
            "deploy.yaml",
            "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    build: {{fake:github-pat}}
  annotations:
    deploy-key: {{fake:github-pat}}
spec:
  replicas: {{fake:github-pat}}
  {{fake:aws-access-key-id}}: unknown field named by a key
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: {{fake:github-pat}}
          imagePullPolicy: {{fake:gitlab-pat}}
          command: {{fake:github-pat}}
          args: [\"--token\", {{fake:stripe-live}}]
          env:
            - name: DB_PASSWORD
              value: {{fake:password}}
          ports:
            - containerPort: {{fake:npm}}
              hostPort: {{fake:google-api}}
          resources:
            limits:
              memory: {{fake:github-pat}}
              cpu: {{fake:aws-access-key-id}}
",
        ),
        (
            "kinds.yaml",
            "\
apiVersion: v1
kind: {{fake:github-pat}}
metadata:
  name: k
---
apiVersion: {{fake:gitlab-pat}}
kind: ConfigMap
metadata:
  name: c
data:
  CI_TOKEN: {{fake:github-pat}}
  CI_TOKEN: {{fake:github-pat}}
  password: {{fake:password-2}}
  enabled: on
---
apiVersion: v1
kind: Secret
metadata:
  name: db
type: {{fake:password-2}}
data:
  password: {{fake:password}}
stringData:
  token: 12
",
        ),
        (
            "compose.yaml",
            "\
services:
  api:
    image: api:1.0
    environment:
      - API_TOKEN={{fake:github-pat}}
      - DB_PASSWORD={{fake:password}}
    ports:
      - \"{{fake:aws-access-key-id}}\"
",
        ),
        (
            "encryption.yaml",
            "\
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [configmaps]
    providers:
      - identity: {}
      - aescbc:
          keys:
            - name: key1
              secret: {{fake:base64:aes-32}}
            - name: key2
              secret: {{fake:base64:password}}
      - secretbox: {keys: [{name: key3, secret: {{fake:random-token}}}]}
",
        ),
        (
            "openapi.yaml",
            "\
openapi: 3.0.3
info:
  title: canary
  version: {{fake:github-pat}}
servers:
  - url: http://api.example.com/{{fake:gitlab-pat}}
security:
  - {{fake:aws-access-key-id}}: []
paths:
  /items/{id}:
    get:
      parameters:
        - name: id
          in: path
          required: true
          schema: {type: string, example: {{fake:github-pat}}}
        - name: api_key
          in: query
          schema: {type: string, default: {{fake:stripe-live}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/{{fake:npm}}'}
              examples:
                one: {value: {token: {{fake:github-pat}}}}
components:
  securitySchemes:
    key: {type: apiKey, in: query, name: {{fake:google-api}}}
",
        ),
        (
            "broken.yaml",
            "\
apiVersion: v1
kind: ConfigMap
data:
  token: \"{{fake:github-pat}}
  other: [ {{fake:aws-access-key-id}}
",
        ),
    ];
    let mut secrets = Vec::new();
    let files = templates
        .into_iter()
        .map(|(name, template)| {
            let (text, used) = fakes::substitute(template);
            secrets.extend(used);
            (name, text)
        })
        .collect();
    (files, secrets)
}

/// The part of each secret no output may show: all but a 4-character public
/// prefix (`ghp_`, `AKIA` name the format).
fn hidden_parts(secrets: &[String]) -> Vec<String> {
    let mut parts: Vec<String> = secrets
        .iter()
        .map(|s| s.chars().skip(4).collect::<String>())
        .collect();
    parts.sort();
    parts.dedup();
    parts
}

fn leaked<'o>(output: &'o str, hidden: &[String]) -> Option<(&'o str, String)> {
    for secret in hidden {
        let chars: Vec<char> = secret.chars().collect();
        for window in chars.windows(8) {
            let part: String = window.iter().collect();
            if let Some(line) = output.lines().find(|l| l.contains(&part)) {
                return Some((line, part));
            }
        }
    }
    None
}

fn rule_ids() -> Vec<String> {
    let out = assay()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    rules
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["id"].as_str().map(str::to_owned))
        .collect()
}

/// Every rule alone (and all together), every format: no secret is printed,
/// not in a message, a fix, a label, a code frame, nor on stderr.
#[test]
fn no_rule_prints_a_secret_in_any_format() {
    let (files, secrets) = canary_files();
    let hidden = hidden_parts(&secrets);
    let dir = TempDir::new("canary");
    for (name, text) in &files {
        dir.write(name, text);
    }
    let mut selections = rule_ids();
    assert!(selections.len() > 30, "{selections:?}");
    selections.push(String::new());
    let mut failures = Vec::new();
    let mut reported = 0;
    for select in &selections {
        for format in ["text", "json", "sarif", "junit", "github"] {
            let mut cmd = assay();
            cmd.args([
                "check",
                "--no-config",
                "--show-suppressed",
                "--format",
                format,
            ]);
            if !select.is_empty() {
                cmd.args(["--select", select]);
            }
            let out = cmd.arg(dir.path()).output().unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.code().is_some_and(|c| c < 2),
                "{select} {format}: {stderr}"
            );
            if format == "json" && !select.is_empty() && stdout.contains(&format!("\"{select}\"")) {
                reported += 1;
            }
            for output in [&stdout, &stderr] {
                if let Some((line, part)) = leaked(output, &hidden) {
                    failures.push(format!(
                        "--select {select:?} --format {format}: `{part}` in {line}"
                    ));
                }
            }
        }
    }
    // The canary reaches the rules that quote values.
    assert!(reported >= 15, "only {reported} rules fired on the canary");
    assert!(
        failures.is_empty(),
        "{} leaks:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Masking is not a blanket: a Secret's name, a `secretName` reference and a
/// Secret's username stay readable in messages while its password is masked.
#[test]
fn names_and_references_stay_readable() {
    let (text, secrets) = fakes::substitute(
        "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: postgres-exporter
          envFrom:
            - secretRef:
                name: db-credentials
      volumes:
        - name: creds
          secret:
            secretName: db-credentials
---
apiVersion: v1
kind: Secret
metadata:
  name: db-credentials
stringData:
  username: postgres-exporter
  password: {{fake:password}}
",
    );
    let dir = TempDir::new("canary-readable");
    dir.write("app.yaml", &text);
    let out = assay()
        .args(["check", "--no-config", "--concise"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("image `postgres-exporter`"), "{stdout}");
    assert!(stdout.contains("Secret `db-credentials`"), "{stdout}");
    assert!(
        leaked(&stdout, &hidden_parts(&secrets)).is_none(),
        "{stdout}"
    );
}
