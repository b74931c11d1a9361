//! `diagnose` layer by layer: one query per case, the walk snapshotted.

use assay_graph::Graph;
use assay_graph::diagnose::diagnose;
use assay_model::{Model, SourceFile};
use assay_profile::ClusterProfile;
use assay_span::FileId;
use assay_yaml::Limits;
use std::fmt::Write as _;
use std::path::Path;

fn model() -> Model {
    model_of("deploy.yaml")
}

fn model_of(name: &str) -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/diagnose")
        .join(name);
    let file = SourceFile::parse(
        FileId(0),
        name.into(),
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
    insta::assert_snapshot!(walk(&graph, &cases, None));
    assert!(diagnose(&graph, "nobody", "api:80", None).is_err());
    assert!(diagnose(&graph, "client", "api", None).is_err());
}

/// The placement layer on a profile with a tainted Windows pool: a pod
/// pinned to Windows without the toleration, one that tolerates it (on
/// nodes whose CNI does not enforce NetworkPolicy), one selecting a label no
/// pool has, and no profile at all.
#[test]
fn placement() {
    let model = model_of("placement.yaml");
    let graph = Graph::build(&model);
    let profile = assay_profile::load("gke-mixed").unwrap();
    let cases = [
        ("shop/client", "legacy:80"),
        ("shop/client", "portal:80"),
        ("shop/client", "cache:6379"),
        ("shop/cache", "portal:80"),
    ];
    insta::assert_snapshot!(walk(&graph, &cases, Some(&profile)));
    let unknown = diagnose(&graph, "shop/client", "legacy:80", None).unwrap();
    let last = unknown.layers.last().unwrap();
    assert_eq!((last.layer, last.status.as_str()), ("placement", "unknown"));
    assert!(unknown.reachable());
}

fn walk(graph: &Graph<'_>, cases: &[(&str, &str)], profile: Option<&ClusterProfile>) -> String {
    let mut out = String::new();
    for (from, to) in cases {
        let d = diagnose(graph, from, to, profile).unwrap();
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
    out
}
