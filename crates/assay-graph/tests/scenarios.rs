//! NetworkPolicy semantics, one small scenario per corner: each folder
//! under `scenarios/` is read as one deliverable, and its connection list
//! (plus the policies left out as invalid) is snapshotted beside it.

use assay_graph::Graph;
use assay_graph::output::{Format, render};
use assay_model::{Model, SourceFile};
use assay_span::FileId;
use assay_yaml::Limits;
use std::fmt::Write as _;
use std::path::Path;

fn load(dir: &Path) -> Model {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    let files = paths
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            SourceFile::parse(
                FileId(u32::try_from(i).unwrap()),
                name,
                &std::fs::read(p).unwrap(),
                &Limits::default(),
            )
        })
        .collect();
    Model::build(files)
}

fn describe(model: &Model) -> String {
    let graph = Graph::build(model);
    let mut out = String::new();
    for problem in &graph.invalid_policies {
        let file = model.file(problem.location.file).unwrap();
        let _ = writeln!(
            out,
            "invalid {}:{}:{} {}: {}",
            file.path,
            problem.location.span.start.line,
            problem.location.span.start.col,
            problem.object,
            problem.message
        );
    }
    out.push_str(&render(&graph, &graph.connectivity(), Format::Text));
    out
}

#[test]
fn scenarios() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 10, "scenarios missing");
    for dir in dirs {
        let model = load(&dir);
        let text = describe(&model);
        assert_eq!(
            text,
            describe(&model),
            "{}: not deterministic",
            dir.display()
        );
        insta::with_settings!({
            snapshot_path => dir.clone(),
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => dir.file_name().unwrap().to_string_lossy().into_owned(),
        }, {
            insta::assert_snapshot!("connectivity", text);
        });
    }
}
