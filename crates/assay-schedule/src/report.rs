//! The schedule as a text table, Markdown or JSON. Every list is in a fixed
//! order (workloads as read, pools as declared), so output is byte-stable.

use crate::{PoolResult, Schedule, WorkloadResult};
use assay_model::Model;
use assay_span::FileSpan;
use serde_json::{Value, json};
use std::fmt::Write as _;

fn location(model: &Model, at: FileSpan) -> String {
    let path = model.file(at.file).map_or("<unknown>", |f| f.path.as_str());
    format!("{path}:{}:{}", at.span.start.line, at.span.start.col)
}

fn status(w: &WorkloadResult) -> &'static str {
    if w.rejected.is_some() {
        "rejected"
    } else if w.placed_after_scale_up < w.replicas {
        "unschedulable"
    } else if w.placed_now < w.replicas {
        "after scale-up"
    } else {
        "ok"
    }
}

fn pools_text(w: &WorkloadResult) -> String {
    if w.pools.is_empty() {
        "-".to_owned()
    } else {
        w.pools.join(",")
    }
}

fn cpu(milli: i64) -> String {
    if milli % 1000 == 0 {
        format!("{}", milli / 1000)
    } else {
        format!("{milli}m")
    }
}

fn memory(bytes: i64) -> String {
    const GI: i64 = 1024 * 1024 * 1024;
    const MI: i64 = 1024 * 1024;
    if bytes >= GI && bytes % (GI / 10) == 0 || bytes >= 10 * GI {
        format!("{:.1}Gi", bytes as f64 / GI as f64)
    } else {
        format!("{}Mi", (bytes + MI - 1) / MI)
    }
}

fn needed(p: &PoolResult) -> String {
    format!("{}/{}", p.nodes_needed, p.max)
}

fn heading(schedule: &Schedule) -> String {
    let nodes: u32 = schedule.pools.iter().map(|p| p.nodes).sum();
    format!(
        "Schedule of {} workload(s) on profile {} (Kubernetes {}, {nodes} node(s) in {} pool(s))",
        schedule.workloads.len(),
        schedule.profile,
        schedule.kubernetes_version,
        schedule.pools.len()
    )
}

/// Columns padded to their widest cell.
fn table(rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            let w = cell.chars().count();
            if widths.len() <= i {
                widths.push(w);
            } else if widths[i] < w {
                widths[i] = w;
            }
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                let _ = write!(line, "{cell:<width$}  ", width = widths[i]);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn pool_row(p: &PoolResult) -> Vec<String> {
    vec![
        p.name.clone(),
        p.os.as_str().to_owned(),
        p.nodes.to_string(),
        p.nodes_used.to_string(),
        needed(p),
        format!(
            "{}/{}",
            cpu(p.requested.cpu_milli),
            cpu(p.allocatable.cpu_milli)
        ),
        format!(
            "{}/{}",
            memory(p.requested.memory_bytes),
            memory(p.allocatable.memory_bytes)
        ),
        format!("{}/{}", p.requested.pods, p.allocatable.pods),
    ]
}

const POOL_HEADER: [&str; 8] = [
    "pool",
    "os",
    "nodes",
    "used",
    "needed/max",
    "cpu",
    "memory",
    "pods",
];

/// A plain-text report.
#[must_use]
pub fn to_text(model: &Model, schedule: &Schedule) -> String {
    let mut out = heading(schedule);
    out.push_str("\n\n");
    if schedule.workloads.is_empty() {
        out.push_str("No pod templates in the input.\n");
    } else {
        let mut rows = vec![
            ["workload", "replicas", "placed", "pools", "status"]
                .map(str::to_owned)
                .to_vec(),
        ];
        for w in &schedule.workloads {
            rows.push(vec![
                w.object.clone(),
                w.replicas.to_string(),
                format!("{}/{}", w.placed_now, w.placed_after_scale_up),
                pools_text(w),
                status(w).to_owned(),
            ]);
        }
        out.push_str(&table(&rows));
    }
    let failures: Vec<&WorkloadResult> = schedule
        .workloads
        .iter()
        .filter(|w| w.rejected.is_some() || w.failed_scheduling.is_some())
        .collect();
    if !failures.is_empty() {
        out.push('\n');
        for w in failures {
            let _ = writeln!(out, "{}: {}", location(model, w.location), w.object);
            if let Some(r) = &w.rejected {
                let _ = writeln!(out, "  {r}");
            }
            if let Some(m) = &w.failed_scheduling {
                let _ = writeln!(out, "  FailedScheduling: {m}");
            }
        }
    }
    out.push('\n');
    let mut rows = vec![POOL_HEADER.map(str::to_owned).to_vec()];
    rows.extend(schedule.pools.iter().map(pool_row));
    out.push_str(&table(&rows));
    if !schedule.problems.is_empty() {
        out.push_str("\nRejected by the API server:\n");
        for p in &schedule.problems {
            let _ = writeln!(
                out,
                "{}: {}: {}",
                location(model, p.location),
                p.object,
                p.message
            );
        }
    }
    let _ = writeln!(
        out,
        "\nplaced: now/after scale-up; needed/max: nodes the pool needs (bounded by its autoscaling maximum); cpu, memory, pods: requested/allocatable."
    );
    out
}

fn md_escape(text: &str) -> String {
    text.replace('|', "\\|")
}

/// A Markdown report (for a bundle's runbook or a pull request comment).
#[must_use]
pub fn to_markdown(model: &Model, schedule: &Schedule) -> String {
    let mut out = format!("## {}\n\n", heading(schedule));
    if schedule.workloads.is_empty() {
        out.push_str("No pod templates in the input.\n");
    } else {
        out.push_str("| workload | replicas | placed now | after scale-up | pools | status |\n|---|---|---|---|---|---|\n");
        for w in &schedule.workloads {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                md_escape(&w.object),
                w.replicas,
                w.placed_now,
                w.placed_after_scale_up,
                md_escape(&pools_text(w)),
                status(w)
            );
        }
    }
    for w in schedule
        .workloads
        .iter()
        .filter(|w| w.rejected.is_some() || w.failed_scheduling.is_some())
    {
        let _ = writeln!(
            out,
            "\n**{}** (`{}`)",
            md_escape(&w.object),
            location(model, w.location)
        );
        if let Some(r) = &w.rejected {
            let _ = writeln!(out, "\n> {r}");
        }
        if let Some(m) = &w.failed_scheduling {
            let _ = writeln!(out, "\n> FailedScheduling: {m}");
        }
    }
    out.push_str("\n| pool | os | nodes | used | needed/max | cpu | memory | pods |\n|---|---|---|---|---|---|---|---|\n");
    for p in &schedule.pools {
        let _ = writeln!(
            out,
            "| {} |",
            pool_row(p)
                .iter()
                .map(|c| md_escape(c))
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
    if !schedule.problems.is_empty() {
        out.push_str("\n### Rejected by the API server\n\n");
        for p in &schedule.problems {
            let _ = writeln!(
                out,
                "- `{}` {}: {}",
                location(model, p.location),
                md_escape(&p.object),
                md_escape(&p.message)
            );
        }
    }
    out
}

fn resources(r: assay_profile::Resources) -> Value {
    json!({
        "cpuMillis": r.cpu_milli,
        "memoryBytes": r.memory_bytes,
        "pods": r.pods,
        "ephemeralStorageBytes": r.ephemeral_storage_bytes,
    })
}

/// The schedule as JSON (keys in a fixed order).
#[must_use]
pub fn to_json(model: &Model, schedule: &Schedule) -> Value {
    let workloads: Vec<Value> = schedule
        .workloads
        .iter()
        .map(|w| {
            json!({
                "object": w.object,
                "location": location(model, w.location),
                "replicas": w.replicas,
                "placedNow": w.placed_now,
                "placedAfterScaleUp": w.placed_after_scale_up,
                "status": status(w),
                "pools": w.pools,
                "placement": w.placement,
                "failedScheduling": w.failed_scheduling,
                "rejected": w.rejected,
            })
        })
        .collect();
    let pools: Vec<Value> = schedule
        .pools
        .iter()
        .map(|p| {
            json!({
                "name": p.name,
                "os": p.os.as_str(),
                "nodes": p.nodes,
                "nodesUsed": p.nodes_used,
                "nodesNeeded": p.nodes_needed,
                "max": p.max,
                "allocatable": resources(p.allocatable),
                "requested": resources(p.requested),
            })
        })
        .collect();
    let problems: Vec<Value> = schedule
        .problems
        .iter()
        .map(|p| json!({"location": location(model, p.location), "object": p.object, "message": p.message}))
        .collect();
    json!({
        "profile": schedule.profile,
        "kubernetesVersion": schedule.kubernetes_version,
        "failed": schedule.failed(),
        "workloads": workloads,
        "pools": pools,
        "problems": problems,
    })
}
