//! `assay schedule PATH... --cluster-profile P`: where each pod can run.

use crate::discover::{self, DiscoverOptions};
use anyhow::{Context as _, Result, anyhow, bail};
use assay_model::Model;
use lexopt::prelude::*;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ScheduleFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug)]
pub(crate) struct ScheduleArgs {
    pub(crate) paths: Vec<String>,
    pub(crate) profile: String,
    pub(crate) format: ScheduleFormat,
    pub(crate) output: Option<PathBuf>,
}

pub(crate) fn parse(parser: &mut lexopt::Parser) -> Result<ScheduleArgs> {
    let mut paths = Vec::new();
    let mut profile = None;
    let mut format = ScheduleFormat::Text;
    let mut output = None;
    while let Some(arg) = parser.next()? {
        match arg {
            Value(v) => paths.push(
                v.into_string()
                    .map_err(|v| anyhow!("the path {} is not valid UTF-8", v.to_string_lossy()))?,
            ),
            Long("cluster-profile") => {
                profile =
                    Some(parser.value()?.into_string().map_err(|_| {
                        anyhow!("the value of --cluster-profile is not valid UTF-8")
                    })?);
            }
            Long("format") | Short('f') => {
                let v = parser.value()?.to_string_lossy().into_owned();
                format = match v.as_str() {
                    "text" => ScheduleFormat::Text,
                    "json" => ScheduleFormat::Json,
                    "md" | "markdown" => ScheduleFormat::Markdown,
                    _ => {
                        bail!("invalid value `{v}` for --format (expected one of: text, json, md)")
                    }
                };
            }
            Long("output") | Short('o') => output = Some(parser.value()?.into()),
            other => bail!(
                "{} for `assay schedule` (see `assay help`)",
                other.unexpected()
            ),
        }
    }
    let profile = profile.context(
        "`assay schedule` needs --cluster-profile NAME|FILE (`assay profiles` lists the bundled ones)",
    )?;
    if paths.is_empty() {
        paths.push(".".to_owned());
    }
    Ok(ScheduleArgs {
        paths,
        profile,
        format,
        output,
    })
}

/// Load a profile by bundled name or file; every error is printed located.
pub(crate) fn load_profile(name_or_path: &str) -> Result<assay_profile::ClusterProfile> {
    assay_profile::load(name_or_path).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        anyhow!("invalid cluster profile:\n{}", lines.join("\n"))
    })
}

pub(crate) fn run(args: &ScheduleArgs) -> Result<ExitCode> {
    let profile = load_profile(&args.profile)?;
    let options = DiscoverOptions {
        exclude: &[],
        config_exclude: None,
        no_ignore: false,
        hidden: false,
        stdin_filename: "<stdin>",
    };
    let inputs = discover::collect(&args.paths, &options, &assay_yaml::Limits::default())?;
    if !inputs.unreadable.is_empty() {
        bail!("cannot read: {}", inputs.unreadable.join(", "));
    }
    let model = Model::build(inputs.files);
    let schedule = assay_schedule::schedule(&model, &profile);
    let text = match args.format {
        ScheduleFormat::Text => assay_schedule::to_text(&model, &schedule),
        ScheduleFormat::Markdown => assay_schedule::to_markdown(&model, &schedule),
        ScheduleFormat::Json => {
            let mut s = serde_json::to_string_pretty(&assay_schedule::to_json(&model, &schedule))?;
            s.push('\n');
            s
        }
    };
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write the schedule to {}", path.display()))?,
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(if schedule.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
