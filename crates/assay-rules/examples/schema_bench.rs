//! Time the SCHEMA pack against parsing, single thread, over a folder.
//!
//! `cargo run --release -p assay-rules --example schema_bench -- DIR [MINOR]`
//! Prints the parse time (read excluded), the model build time, and the time
//! of the SCHEMA rules (schemas of the kinds seen decoded on first use, which
//! is included in the first of the runs).

use assay_model::{Model, SourceFile};
use assay_rules::{Engine, KubernetesVersion, Selection};
use assay_span::FileId;
use assay_yaml::Limits;
use std::time::Instant;

fn walk(dir: &std::path::Path, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
            && let Ok(bytes) = std::fs::read(&path)
        {
            out.push((path.display().to_string(), bytes));
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "../shared/corpus".to_owned());
    let minor = args.next().and_then(|m| m.parse().ok()).unwrap_or(37);
    let mut inputs = Vec::new();
    walk(std::path::Path::new(&dir), &mut inputs);
    let bytes: usize = inputs.iter().map(|(_, b)| b.len()).sum();
    // Single thread, so the numbers compare.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build();
    let Ok(pool) = pool else { return };
    pool.install(|| {
        let start = Instant::now();
        let files: Vec<SourceFile> = inputs
            .iter()
            .enumerate()
            .map(|(i, (path, b))| {
                SourceFile::parse(
                    FileId(u32::try_from(i).unwrap_or(u32::MAX)),
                    path.clone(),
                    b,
                    &Limits::default(),
                )
            })
            .collect();
        let parse = start.elapsed();
        let start = Instant::now();
        let model = Model::build(files);
        let build = start.elapsed();
        let engine = Engine::new(Selection {
            select: vec!["SCHEMA".to_owned()],
            ..Selection::default()
        })
        .with_kubernetes_version(KubernetesVersion { major: 1, minor });
        let mut runs = Vec::new();
        let mut count = 0;
        for _ in 0..3 {
            let start = Instant::now();
            let (findings, _) = engine.run(&model);
            runs.push(start.elapsed());
            count = findings.len();
        }
        println!(
            "{} files, {:.1} MB, {} objects, target 1.{minor}",
            inputs.len(),
            bytes as f64 / 1e6,
            model.objects.len()
        );
        println!("parse {parse:?}, model {build:?}");
        println!(
            "SCHEMA rules: first run {:?} (decodes the schemas seen), then {:?}, {:?}; {count} findings",
            runs[0], runs[1], runs[2]
        );
        println!(
            "embedded definitions decompressed: {}",
            assay_schema::decoded_definitions()
        );
    });
}
