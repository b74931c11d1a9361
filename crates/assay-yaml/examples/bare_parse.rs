//! Throughput baseline for `bench/corpus.py`: parse every `.yaml`/`.yml`/`.json`
//! file under the given folders with bare `saphyr-parser` events (nothing
//! built: the reference speed) and with assay's tree builder, single-threaded,
//! from memory. Prints one JSON object with bytes, files and the best-of-N
//! seconds of each.
//!
//! Usage: `cargo run --release -p assay-yaml --example bare_parse -- DIR... [--passes N]`

use std::path::PathBuf;
use std::time::Instant;

fn files_under(roots: &[PathBuf]) -> Vec<PathBuf> {
    let mut stack: Vec<PathBuf> = roots.to_vec();
    let mut out = Vec::new();
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&path) {
                stack.extend(entries.flatten().map(|e| e.path()));
            }
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
        {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn best_of(passes: usize, mut f: impl FnMut() -> usize) -> (f64, usize) {
    let mut best = f64::INFINITY;
    let mut count = 0;
    for _ in 0..passes {
        let start = Instant::now();
        count = f();
        best = best.min(start.elapsed().as_secs_f64());
    }
    (best, count)
}

fn main() {
    let mut roots = Vec::new();
    let mut passes = 5;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--passes" {
            passes = args.next().and_then(|n| n.parse().ok()).unwrap_or(passes);
        } else {
            roots.push(PathBuf::from(arg));
        }
    }
    let texts: Vec<String> = files_under(&roots)
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .filter_map(|b| String::from_utf8(b).ok())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let (events_secs, events) = best_of(passes, || {
        texts
            .iter()
            .map(|t| {
                saphyr_parser::Parser::new_from_str(t)
                    .take_while(Result::is_ok)
                    .count()
            })
            .sum()
    });
    let limits = assay_yaml::Limits::default();
    let (tree_secs, nodes) = best_of(passes, || {
        texts
            .iter()
            .map(|t| assay_yaml::parse(t, &limits).0.node_count())
            .sum()
    });
    println!(
        "{{\"files\": {}, \"bytes\": {bytes}, \"events\": {events}, \"bare_parse_seconds\": {events_secs:.6}, \"tree_nodes\": {nodes}, \"tree_seconds\": {tree_secs:.6}}}",
        texts.len()
    );
}
