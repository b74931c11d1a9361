//! `assay connectivity PATH…`: the allowed connections under the
//! deliverable's NetworkPolicies, in netpol-analyzer's naming.

use crate::discover::{self, DiscoverOptions};
use anyhow::{Result, anyhow, bail};
use assay_graph::Graph;
use assay_graph::output::Format;
use assay_model::Model;
use lexopt::prelude::*;
use std::io::Write as _;
use std::process::ExitCode;

#[derive(Debug)]
pub(crate) struct Args {
    pub(crate) paths: Vec<String>,
    pub(crate) format: Format,
    pub(crate) focus_workload: Option<String>,
    pub(crate) direction: Option<String>,
}

pub(crate) fn parse(parser: &mut lexopt::Parser) -> Result<Args> {
    let mut args = Args {
        paths: Vec::new(),
        format: Format::Text,
        focus_workload: None,
        direction: None,
    };
    while let Some(arg) = parser.next()? {
        match arg {
            Value(v) => args.paths.push(super::value_string(v, "a path")?),
            Long("format") | Short('f') => {
                let v = super::value_string(parser.value()?, "--format")?;
                args.format = Format::parse(&v).ok_or_else(|| {
                    anyhow!(
                        "invalid value `{v}` for --format (expected one of: {})",
                        Format::NAMES.join(", ")
                    )
                })?;
            }
            Long("focus-workload") => {
                args.focus_workload =
                    Some(super::value_string(parser.value()?, "--focus-workload")?);
            }
            Long("direction") => {
                let v = super::value_string(parser.value()?, "--direction")?;
                if v != "ingress" && v != "egress" {
                    bail!("invalid value `{v}` for --direction (expected ingress or egress)");
                }
                args.direction = Some(v);
            }
            other => bail!(
                "{} for `assay connectivity` (see `assay help`)",
                other.unexpected()
            ),
        }
    }
    if args.direction.is_some() && args.focus_workload.is_none() {
        bail!("--direction needs --focus-workload");
    }
    if args.paths.is_empty() {
        args.paths.push(".".to_owned());
    }
    Ok(args)
}

/// Read the deliverable under `paths` (no config, no ignore overrides).
pub(crate) fn load(paths: &[String]) -> Result<Model> {
    let options = DiscoverOptions {
        exclude: &[],
        config_exclude: None,
        no_ignore: false,
        hidden: false,
        stdin_filename: "<stdin>",
    };
    let inputs = discover::collect(paths, &options, &assay_yaml::Limits::default())?;
    if !inputs.unreadable.is_empty() {
        bail!("cannot read: {}", inputs.unreadable.join(", "));
    }
    if !inputs.empty.is_empty() {
        bail!("no files to check under {}", inputs.empty.join(", "));
    }
    Ok(Model::build(inputs.files))
}

/// `path:line:col: message` for every file that could not be read and
/// every policy the analysis left out.
pub(crate) fn report_invalid(graph: &Graph<'_>) -> Result<()> {
    let mut err = std::io::stderr().lock();
    for file in &graph.model.files {
        for e in &file.errors {
            writeln!(
                err,
                "assay: warning: {}:{}:{}: {} (the rest of the input is analysed)",
                file.path, e.span.start.line, e.span.start.col, e.message
            )?;
        }
    }
    for problem in &graph.invalid_policies {
        let path = graph
            .model
            .file(problem.location.file)
            .map_or("?", |f| f.path.as_str());
        let start = problem.location.span.start;
        writeln!(
            err,
            "assay: warning: {path}:{}:{}: {} is invalid and left out of the analysis: {}",
            start.line, start.col, problem.object, problem.message
        )?;
    }
    Ok(())
}

pub(crate) fn run(args: &Args) -> Result<ExitCode> {
    let model = load(&args.paths)?;
    let graph = Graph::build(&model);
    report_invalid(&graph)?;
    if let Some(focus) = &args.focus_workload
        && graph.find_workloads(focus).is_empty()
        && focus != "ingress-controller"
        && focus != assay_graph::connectivity::INGRESS_CONTROLLER
    {
        bail!("--focus-workload `{focus}` names no workload of the deliverable");
    }
    let connectivity = graph.connectivity().focus(
        &graph,
        args.focus_workload.as_deref(),
        args.direction.as_deref(),
    );
    let text = assay_graph::output::render(&graph, &connectivity, args.format);
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
