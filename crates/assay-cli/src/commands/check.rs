//! `assay check`.

use crate::args::{CheckArgs, ColorChoice};
use crate::discover::{self, DiscoverOptions};
use anyhow::{Context as _, Result, bail};
use assay_config::{Config, FailOn};
use assay_diagnostics::Severity;
use assay_model::Model;
use assay_report::{Options, Report, Summary};
use assay_rules::{Engine, KubernetesVersion, Selection};
use assay_schema::CrdSet;
use std::io::{IsTerminal as _, Write as _};
use std::path::Path;
use std::process::ExitCode;

fn load_config(args: &CheckArgs) -> Result<Config> {
    if args.no_config {
        return Ok(Config::default());
    }
    if let Some(path) = &args.config {
        return Ok(assay_config::load(path)?);
    }
    let start = args
        .paths
        .iter()
        .find(|p| p.as_str() != "-")
        .map_or_else(|| Path::new(".").to_owned(), |p| Path::new(p).to_owned());
    match assay_config::discover(&start) {
        Some(path) => Ok(assay_config::load(&path)?),
        None => Ok(Config::default()),
    }
}

fn selection(args: &CheckArgs, config: &Config) -> Result<Selection> {
    let mut selection = Selection {
        select: if args.select.is_empty() {
            config.select.clone()
        } else {
            args.select.clone()
        },
        ignore: config.ignore.iter().chain(&args.ignore).cloned().collect(),
        severity: config.severity.clone(),
    };
    for (code, level) in &args.severity {
        selection.severity.insert(code.clone(), *level);
    }
    if let Some(unknown) = selection.unknown_codes().first() {
        let hint = super::rules::did_you_mean(unknown)
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        bail!("unknown rule id or pack `{unknown}`{hint}; `assay rules` lists them");
    }
    Ok(selection)
}

fn kubernetes_version(args: &CheckArgs, config: &Config) -> Result<KubernetesVersion> {
    let Some(text) = args
        .kubernetes_version
        .as_deref()
        .or(config.kubernetes_version.as_deref())
    else {
        return Ok(KubernetesVersion::NEWEST);
    };
    let version = KubernetesVersion::parse(text).with_context(|| {
        format!("invalid Kubernetes version `{text}` (expected MAJOR.MINOR, e.g. 1.29)")
    })?;
    let oldest = KubernetesVersion {
        major: 1,
        minor: 16,
    };
    if version < oldest || version > KubernetesVersion::NEWEST {
        bail!(
            "Kubernetes version {version} is not supported (supported: {oldest} to {})",
            KubernetesVersion::NEWEST
        );
    }
    Ok(version)
}

/// The CustomResourceDefinitions under `--crds` paths and the config's
/// `crds:` (files or folders).
fn load_crds(
    paths: &[String],
    options: &DiscoverOptions<'_>,
    limits: &assay_yaml::Limits,
) -> Result<CrdSet> {
    let mut crds = CrdSet::new();
    if paths.is_empty() {
        return Ok(crds);
    }
    let inputs = discover::collect(paths, options, limits)?;
    if !inputs.missing.is_empty() {
        bail!(
            "cannot read CRDs (--crds or `crds:` in the config) {}",
            inputs.missing.join(", ")
        );
    }
    for file in &inputs.files {
        for doc in file.tree.documents() {
            let root = file.tree.value(doc.root);
            if root.get_str("kind") == Some("List") {
                for item in root
                    .get("items")
                    .into_iter()
                    .flat_map(assay_yaml::Value::items)
                {
                    crds.add(item);
                }
            } else {
                crds.add(root);
            }
        }
    }
    Ok(crds)
}

pub(crate) fn run(args: &CheckArgs) -> Result<ExitCode> {
    let config = load_config(args)?;
    let selection = selection(args, &config)?;
    let version = kubernetes_version(args, &config)?;
    let fail_on = args
        .fail_on
        .or(config.fail_on)
        .unwrap_or(FailOn::Severity(Severity::Error));
    let exclude: Vec<String> = config
        .exclude
        .iter()
        .chain(&args.exclude)
        .cloned()
        .collect();
    let options = DiscoverOptions {
        exclude: &exclude,
        no_ignore: args.no_ignore,
        stdin_filename: &args.stdin_filename,
    };
    let inputs = discover::collect(&args.paths, &options, &config.limits)?;
    let compose = super::compose_config::settings(&args.compose, &config.limits);
    let model = Model::build_with(inputs.files, &compose);
    let crd_paths: Vec<String> = config
        .crds
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .chain(args.crds.iter().cloned())
        .collect();
    let crds = load_crds(&crd_paths, &options, &config.limits)?;
    let engine = Engine::new(selection)
        .with_kubernetes_version(version)
        .with_crds(crds);
    let (findings, stats) = engine.run(&model);
    let summary = Summary::new(&model, &findings, stats.rules_run, fail_on.threshold());
    let failed = summary.failed;
    let report = Report {
        model: &model,
        findings: &findings,
        summary,
        masked: &stats.masked,
        tool_version: env!("CARGO_PKG_VERSION"),
    };
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let options = Options {
        color,
        show_suppressed: args.show_suppressed,
        concise: args.concise,
    };
    match &args.output {
        Some(path) => {
            let mut file = std::io::BufWriter::new(
                std::fs::File::create(path)
                    .with_context(|| format!("cannot write the report to {}", path.display()))?,
            );
            assay_report::write(&report, args.format, &options, &mut file)?;
            file.flush()?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            assay_report::write(&report, args.format, &options, &mut out)?;
            out.flush()?;
        }
    }
    if !inputs.missing.is_empty() {
        let _ = writeln!(
            std::io::stderr(),
            "assay: error: cannot read: {}",
            inputs.missing.join(", ")
        );
        return Ok(ExitCode::from(2));
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
