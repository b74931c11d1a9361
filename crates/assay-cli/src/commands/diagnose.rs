//! `assay diagnose PATH… --from NS/NAME --to TARGET:PORT`: why can't A reach B?

use anyhow::{Result, bail};
use assay_graph::Graph;
use assay_graph::diagnose::{Diagnosis, Status, diagnose};
use lexopt::prelude::*;
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

#[derive(Debug)]
pub(crate) struct Args {
    pub(crate) paths: Vec<String>,
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) json: bool,
    pub(crate) cluster_profile: Option<String>,
}

pub(crate) fn parse(parser: &mut lexopt::Parser) -> Result<Args> {
    let mut paths = Vec::new();
    let (mut from, mut to, mut json) = (None, None, false);
    let mut cluster_profile = None;
    while let Some(arg) = parser.next()? {
        match arg {
            Value(v) => paths.push(super::value_string(v, "a path")?),
            Long("from") => from = Some(super::value_string(parser.value()?, "--from")?),
            Long("to") => to = Some(super::value_string(parser.value()?, "--to")?),
            Long("cluster-profile") => {
                cluster_profile = Some(super::value_string(parser.value()?, "--cluster-profile")?);
            }
            Long("format") | Short('f') => {
                let v = super::value_string(parser.value()?, "--format")?;
                json = match v.as_str() {
                    "text" => false,
                    "json" => true,
                    _ => bail!("invalid value `{v}` for --format (expected text or json)"),
                };
            }
            other => bail!(
                "{} for `assay diagnose` (see `assay help`)",
                other.unexpected()
            ),
        }
    }
    let (Some(from), Some(to)) = (from, to) else {
        bail!("`assay diagnose` needs --from NAMESPACE/NAME and --to TARGET:PORT");
    };
    if paths.is_empty() {
        paths.push(".".to_owned());
    }
    Ok(Args {
        paths,
        from,
        to,
        json,
        cluster_profile,
    })
}

fn location(graph: &Graph<'_>, at: assay_span::FileSpan) -> String {
    let path = graph.model.file(at.file).map_or("?", |f| f.path.as_str());
    format!("{path}:{}:{}", at.span.start.line, at.span.start.col)
}

fn render_json(graph: &Graph<'_>, diagnosis: &Diagnosis) -> String {
    let layers: Vec<serde_json::Value> = diagnosis
        .layers
        .iter()
        .map(|l| {
            let mut layer = serde_json::json!({
                "layer": l.layer,
                "status": l.status.as_str(),
                "evidence": l.evidence,
                "locations": l.locations.iter().map(|s| location(graph, *s)).collect::<Vec<_>>(),
            });
            if let (Some(fix), Some(map)) = (&l.fix, layer.as_object_mut()) {
                map.insert("fix".to_owned(), serde_json::Value::String(fix.clone()));
            }
            layer
        })
        .collect();
    let mut object = serde_json::json!({
        "reachable": diagnosis.reachable(),
        "layers": layers,
    });
    if let (Some(failing), Some(map)) = (diagnosis.failing_layer(), object.as_object_mut()) {
        map.insert(
            "failing_layer".to_owned(),
            serde_json::Value::String(failing.to_owned()),
        );
    }
    let mut out = serde_json::to_string_pretty(&object).unwrap_or_default();
    out.push('\n');
    out
}

fn render_text(graph: &Graph<'_>, args: &Args, diagnosis: &Diagnosis) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} → {}", args.from, args.to);
    for l in &diagnosis.layers {
        let status = match l.status {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Unknown => "UNKNOWN",
        };
        let _ = writeln!(out, "{status:<8}{}", l.layer);
        for e in &l.evidence {
            let _ = writeln!(out, "        {e}");
        }
        for at in &l.locations {
            let _ = writeln!(out, "        at {}", location(graph, *at));
        }
        if let Some(fix) = &l.fix {
            let _ = writeln!(out, "        fix:");
            for line in fix.lines() {
                let _ = writeln!(out, "          {line}");
            }
        }
    }
    match diagnosis.failing_layer() {
        Some(layer) => {
            let _ = writeln!(out, "not reachable: the {layer} layer fails");
        }
        None => {
            let _ = writeln!(out, "reachable");
        }
    }
    out
}

pub(crate) fn run(args: &Args) -> Result<ExitCode> {
    let model = super::connectivity::load(&args.paths)?;
    let graph = Graph::build(&model);
    super::connectivity::report_invalid(&graph)?;
    let profile = args
        .cluster_profile
        .as_deref()
        .map(super::schedule::load_profile)
        .transpose()?;
    let diagnosis = diagnose(&graph, &args.from, &args.to, profile.as_ref())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let text = if args.json {
        render_json(&graph, &diagnosis)
    } else {
        render_text(&graph, args, &diagnosis)
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(if diagnosis.reachable() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
