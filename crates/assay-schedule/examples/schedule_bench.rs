//! Times `assay schedule` on a generated deliverable: 5,000 workloads (one to
//! three replicas, Linux and Windows, with selectors, tolerations and some
//! host ports) against a generated 50-pool profile.
//!
//! `cargo run --release -p assay-schedule --example schedule_bench`

use assay_model::{Model, SourceFile};
use assay_span::FileId;
use assay_yaml::Limits;
use std::fmt::Write as _;
use std::time::Instant;

const POOLS: usize = 50;
const WORKLOADS: usize = 5_000;

fn profile() -> String {
    let mut out = String::from(
        "apiVersion: assay.dev/v1\nkind: ClusterProfile\nmetadata: {name: bench}\nspec:\n  provider: generic\n  kubernetesVersion: \"1.33\"\n  pools:\n",
    );
    for p in 0..POOLS {
        let windows = p % 5 == 4;
        let _ = write!(
            out,
            "    - name: pool-{p}\n      count: 20\n      autoscaling: {{min: 20, max: 40}}\n      os: {}\n",
            if windows { "windows" } else { "linux" }
        );
        if windows {
            out.push_str("      windowsBuild: 10.0.20348\n      taints: [{key: os, value: windows, effect: NoSchedule}]\n");
        }
        let _ = write!(
            out,
            "      labels: {{tier: t{}}}\n      zones: [a, b, c]\n      allocatable: {{cpu: \"8\", memory: 32Gi, pods: 110}}\n",
            p % 7
        );
    }
    out
}

fn deliverable() -> String {
    let mut out = String::new();
    for w in 0..WORKLOADS {
        let windows = w % 5 == 0;
        let replicas = 1 + w % 3;
        let cpu = 100 + (w % 10) * 150;
        let _ = write!(
            out,
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: w{w}, namespace: ns{}}}\nspec:\n  replicas: {replicas}\n  selector: {{matchLabels: {{app: w{w}}}}}\n  template:\n    metadata: {{labels: {{app: w{w}}}}}\n    spec:\n",
            w % 20
        );
        if windows {
            out.push_str("      nodeSelector: {kubernetes.io/os: windows}\n      tolerations: [{key: os, operator: Equal, value: windows, effect: NoSchedule}]\n");
        } else if w % 3 == 0 {
            let _ = writeln!(out, "      nodeSelector: {{tier: t{}}}", w % 7);
        }
        let _ = write!(
            out,
            "      containers:\n        - name: c\n          image: app:{w}\n          resources: {{requests: {{cpu: {cpu}m, memory: {}Mi}}}}\n",
            128 + (w % 8) * 256
        );
        if w % 50 == 0 {
            let _ = writeln!(
                out,
                "          ports: [{{containerPort: 80, hostPort: {}}}]",
                8000 + w % 3
            );
        }
        out.push_str("---\n");
    }
    out
}

fn main() {
    let profile_text = profile();
    let text = deliverable();
    let start = Instant::now();
    let profile = assay_profile::parse_profile("bench-profile.yaml", profile_text.as_bytes())
        .unwrap_or_else(|e| panic!("{}", e[0]));
    let model = Model::build(vec![SourceFile::parse(
        FileId(0),
        "bench.yaml".to_owned(),
        text.as_bytes(),
        &Limits::default(),
    )]);
    let parsed = start.elapsed();
    let schedule = assay_schedule::schedule(&model, &profile);
    let total = start.elapsed();
    let replicas: u32 = schedule.workloads.iter().map(|w| w.replicas).sum();
    let placed: u32 = schedule
        .workloads
        .iter()
        .map(|w| w.placed_after_scale_up)
        .sum();
    println!(
        "{} workloads ({replicas} replicas, {placed} placed) on {} pools ({} nodes): parse {:.0} ms, schedule {:.0} ms, total {:.0} ms ({:.1} MB of YAML)",
        schedule.workloads.len(),
        schedule.pools.len(),
        profile.node_count(),
        parsed.as_secs_f64() * 1000.0,
        (total - parsed).as_secs_f64() * 1000.0,
        total.as_secs_f64() * 1000.0,
        text.len() as f64 / 1e6
    );
}
