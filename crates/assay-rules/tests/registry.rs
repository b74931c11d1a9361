//! Registry completeness: every rule has its doc sections, fixtures and
//! snapshot, its doc examples do what they say, and nothing is unregistered.

mod common;

use assay_rules::{PACKS, REQUIRED_SECTIONS, all_rules, doc_examples, parse_doc};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn ids_names_and_packs() {
    let mut problems = Vec::new();
    let mut ids = BTreeSet::new();
    let mut names = BTreeSet::new();
    for pack in PACKS {
        let mut previous = "";
        for rule in pack.rules {
            let meta = rule.meta();
            let digits = meta.id.strip_prefix(pack.prefix).unwrap_or("");
            if !(2..=7).contains(&pack.prefix.len())
                || !pack.prefix.chars().all(|c| c.is_ascii_uppercase())
                || digits.len() != 3
                || !digits.chars().all(|c| c.is_ascii_digit())
            {
                problems.push(format!(
                    "{}: id must be the pack prefix {} and three digits",
                    meta.id, pack.prefix
                ));
            }
            if meta.id <= previous {
                problems.push(format!(
                    "{}: rules of pack {} must be listed in id order",
                    meta.id, pack.prefix
                ));
            }
            previous = meta.id;
            if !ids.insert(meta.id) {
                problems.push(format!("{}: duplicate id", meta.id));
            }
            if !names.insert(meta.name) {
                problems.push(format!("{}: duplicate name {}", meta.id, meta.name));
            }
            let kebab = !meta.name.is_empty()
                && meta.name.split('-').all(|w| {
                    !w.is_empty()
                        && w.chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                });
            if !kebab {
                problems.push(format!(
                    "{}: name `{}` must be kebab-case",
                    meta.id, meta.name
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn docs_have_every_section_in_order() {
    let mut problems = Vec::new();
    for rule in all_rules() {
        let meta = rule.meta();
        let doc = parse_doc(meta.doc);
        if doc.summary.is_empty() || doc.summary.chars().count() > 80 || doc.summary.ends_with('.')
        {
            problems.push(format!(
                "{}: summary line must be 1-80 characters without a final period: `{}`",
                meta.id, doc.summary
            ));
        }
        let titles: Vec<&str> = doc.sections.iter().map(|s| s.title.as_str()).collect();
        if titles != REQUIRED_SECTIONS {
            problems.push(format!(
                "{}: doc sections are {titles:?}, expected {REQUIRED_SECTIONS:?}",
                meta.id
            ));
        }
        if doc.sections.iter().any(|s| s.body.is_empty()) {
            problems.push(format!("{}: a doc section is empty", meta.id));
        }
        if doc
            .section("References")
            .is_some_and(|r| !r.contains("http") && !r.contains("README"))
        {
            problems.push(format!("{}: References must cite a source", meta.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn doc_examples_do_what_they_say() {
    let mut problems = Vec::new();
    for rule in all_rules() {
        let meta = rule.meta();
        let examples = doc_examples(meta.doc);
        if !examples.iter().any(|e| e.expect_finding) && meta.id != "YAML004" {
            problems.push(format!(
                "{}: the doc needs a ```yaml,expect_finding example",
                meta.id
            ));
        }
        if !examples.iter().any(|e| !e.expect_finding) && meta.id != "YAML003" {
            problems.push(format!(
                "{}: the doc needs a plain ```yaml example that gives no finding",
                meta.id
            ));
        }
        for example in examples {
            // Run the example exactly as `assay explain` prints it: a user who
            // copies it gets the finding (no `{{fake:…}}` placeholder).
            if example.text.contains("{{fake:") {
                problems.push(format!(
                    "{}: a doc example holds a test placeholder; write a realistic, obviously fake value",
                    meta.id
                ));
            }
            let (model, findings) = common::check(&example.file_name, example.text.as_bytes());
            let rendered = common::render(&model, &findings, meta.id);
            let leaked = findings
                .iter()
                .flat_map(|f| &f.secrets)
                .filter_map(|s| {
                    let text = &model.file(s.file)?.text;
                    let index = assay_span::LineIndex::new(text);
                    text.get(index.offset(text, s.span.start)?..index.offset(text, s.span.end)?)
                })
                .any(|secret| rendered.contains(secret));
            if leaked {
                problems.push(format!(
                    "{}: a secret value of a doc example leaked into a finding",
                    meta.id
                ));
            }
            let count = findings.iter().filter(|f| f.rule == meta.id).count();
            let expected = usize::from(example.expect_finding);
            if count != expected {
                problems.push(format!(
                    "{}: doc example gives {count} finding(s) of the rule, expected {expected}:\n{}\n{}",
                    meta.id,
                    example.text,
                    common::render(&model, &findings, meta.id)
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_rule_has_fixtures_and_snapshots() {
    let mut problems = Vec::new();
    for pack in PACKS {
        for rule in pack.rules {
            let id = rule.meta().id;
            let dir = crate_dir()
                .join("tests/fixtures")
                .join(pack.folder)
                .join(id);
            let files: Vec<String> = std::fs::read_dir(&dir)
                .map(|d| {
                    d.flatten()
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            if !files
                .iter()
                .any(|f| f.starts_with("fail") && !f.ends_with(".snap"))
            {
                problems.push(format!(
                    "{id}: add tests/fixtures/{}/{id}/fail.yaml (must give a {id} finding)",
                    pack.folder
                ));
            }
            if !files.iter().any(|f| f.starts_with("pass")) {
                problems.push(format!(
                    "{id}: add tests/fixtures/{}/{id}/pass.yaml (must give no {id} finding)",
                    pack.folder
                ));
            }
            for f in files
                .iter()
                .filter(|f| f.starts_with("fail") && !f.ends_with(".snap"))
            {
                if !files.contains(&format!("{f}.snap")) {
                    problems.push(format!("{id}: {f} has no snapshot {f}.snap (run `cargo insta test --accept -p assay-rules`, then review)"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_rule_file_and_fixture_dir_is_registered() {
    let mut problems = Vec::new();
    let registered: BTreeSet<String> = all_rules()
        .map(|r| r.meta().id.to_ascii_lowercase())
        .collect();
    for pack in PACKS {
        let src = crate_dir().join("src/packs").join(pack.folder);
        for entry in std::fs::read_dir(&src).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name == "mod.rs" || !name.ends_with(".rs") {
                continue;
            }
            let id = name.split('_').next().unwrap_or_default();
            if !registered.contains(id) || !id.starts_with(&pack.prefix.to_ascii_lowercase()) {
                problems.push(format!(
                    "src/packs/{}/{name} is not a registered rule of pack {}",
                    pack.folder, pack.prefix
                ));
            }
        }
        let fixtures = crate_dir().join("tests/fixtures").join(pack.folder);
        for entry in std::fs::read_dir(&fixtures).into_iter().flatten().flatten() {
            let id = entry.file_name().to_string_lossy().to_ascii_lowercase();
            if !registered.contains(&id) {
                problems.push(format!(
                    "tests/fixtures/{}/{id} belongs to no registered rule",
                    pack.folder
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn rule_list_snapshot() {
    let mut listing = String::new();
    for rule in all_rules() {
        let m = rule.meta();
        let _ = writeln!(
            listing,
            "{} {} {} {}",
            m.id,
            m.name,
            m.severity,
            m.fix.as_str()
        );
    }
    insta::assert_snapshot!(listing);
}
