//! Rule fixtures: `fixtures/<pack>/<ID>/fail*.yaml` must give at least one
//! finding of rule `<ID>` (snapshotted beside the fixture as `fail*.yaml.snap`),
//! `pass*.yaml` must give none. Fixtures may write `{{fake:KIND}}` for
//! credential-shaped values (see `common/fakes.rs`); no snapshot may contain one.

mod common;

use std::path::{Path, PathBuf};

fn fixture_dirs() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for pack in std::fs::read_dir(&root).expect("fixtures dir").flatten() {
        for rule in std::fs::read_dir(pack.path()).expect("pack dir").flatten() {
            out.push((rule.file_name().to_string_lossy().into_owned(), rule.path()));
        }
    }
    out.sort();
    out
}

#[test]
fn fixtures_fail_and_pass_as_named() {
    let mut problems = Vec::new();
    for (rule, dir) in fixture_dirs() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("rule dir")
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        for path in files {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.contains(".snap") {
                continue;
            }
            let raw = std::fs::read(&path).unwrap();
            let (bytes, fakes) = match std::str::from_utf8(&raw) {
                Ok(text) => {
                    let (text, fakes) = common::fakes::substitute(text);
                    (text.into_bytes(), fakes)
                }
                Err(_) => (raw, Vec::new()),
            };
            let (model, findings) = common::check(&name, &bytes);
            let count = findings
                .iter()
                .filter(|f| f.rule == rule && f.suppressed.is_none())
                .count();
            if name.starts_with("fail") {
                if count == 0 {
                    problems.push(format!(
                        "{}: expected a {rule} finding, got none",
                        path.display()
                    ));
                    continue;
                }
                let rendered = common::render(&model, &findings, &rule);
                for secret in &fakes {
                    assert!(
                        !rendered.contains(secret.as_str()),
                        "{}: a secret value leaked into the snapshot",
                        path.display()
                    );
                }
                insta::with_settings!({
                    snapshot_path => dir.clone(),
                    prepend_module_to_snapshot => false,
                    omit_expression => true,
                }, {
                    insta::assert_snapshot!(name.clone(), rendered);
                });
            } else if name.starts_with("pass") {
                if count != 0 {
                    problems.push(format!(
                        "{}: expected no {rule} finding, got:\n{}",
                        path.display(),
                        common::render(&model, &findings, &rule)
                    ));
                }
            } else {
                problems.push(format!(
                    "{}: fixture names start with `fail` or `pass`",
                    path.display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
