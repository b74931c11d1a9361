//! `diagnose` layer by layer: one query per case, the walk snapshotted.

use assay_graph::Graph;
use assay_graph::diagnose::diagnose;
use assay_model::{Model, SourceFile};
use assay_span::FileId;
use assay_yaml::Limits;
use std::fmt::Write as _;
use std::path::Path;

fn model() -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diagnose/deploy.yaml");
    let file = SourceFile::parse(
        FileId(0),
        "deploy.yaml".into(),
        &std::fs::read(path).unwrap(),
        &Limits::default(),
    );
    Model::build(vec![file])
}

#[test]
fn layers() {
    let model = model();
    let graph = Graph::build(&model);
    let cases = [
        ("client", "api:81"),
        ("client", "api:53"),
        ("client", "typo:80"),
        ("client", "manual:80"),
        ("client", "external:443"),
        ("client", "db:5432"),
        ("client", "db.data:5432"),
        ("shop/client", "data/db:5432"),
        ("client", "api:80"),
    ];
    let mut out = String::new();
    for (from, to) in cases {
        let d = diagnose(&graph, from, to).unwrap();
        let _ = writeln!(out, "## {from} -> {to}: failing {:?}", d.failing_layer());
        for l in &d.layers {
            let _ = writeln!(out, "{} {}", l.layer, l.status.as_str());
            for e in &l.evidence {
                let _ = writeln!(out, "  {e}");
            }
            for at in &l.locations {
                let _ = writeln!(out, "  at {}:{}", at.span.start.line, at.span.start.col);
            }
            if let Some(fix) = &l.fix {
                let _ = writeln!(out, "  fix: {}", fix.replace('\n', "\n       "));
            }
        }
    }
    insta::assert_snapshot!(out);
    assert!(diagnose(&graph, "nobody", "api:80").is_err());
    assert!(diagnose(&graph, "client", "api").is_err());
}
