//! `assay check`.

use crate::args::{CheckArgs, ColorChoice};
use crate::baseline;
use crate::discover::{self, DiscoverOptions};
use crate::kustomize::Patches;
use crate::timings::Timings;
use anyhow::{Context as _, Result, bail};
use assay_config::{Config, FailOn};
use assay_diagnostics::Severity;
use assay_model::Model;
use assay_report::{Format, Options, Report, Summary};
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
    if !inputs.unreadable.is_empty() {
        bail!(
            "cannot read CRDs (--crds or `crds:` in the config) {}",
            inputs.unreadable.join(", ")
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

/// `--cluster-profile`, else the config's `clusterProfile:` (a bundled name,
/// or a file relative to the config's folder).
fn cluster_profile(
    args: &CheckArgs,
    config: &Config,
) -> Result<Option<assay_profile::ClusterProfile>> {
    let name = match (&args.cluster_profile, &config.cluster_profile) {
        (Some(flag), _) => flag.clone(),
        (None, Some(written)) if assay_profile::bundled(written).is_some() => written.clone(),
        (None, Some(written)) => {
            let base = config
                .path
                .as_deref()
                .and_then(Path::parent)
                .unwrap_or_else(|| Path::new(""));
            base.join(written).to_string_lossy().into_owned()
        }
        (None, None) => return Ok(None),
    };
    super::schedule::load_profile(&name).map(Some)
}

/// The previous deliverable (`--previous`, else the config's `previous:`),
/// read with the same discovery options and limits as the checked one.
fn load_previous(
    args: &CheckArgs,
    config: &Config,
    options: &DiscoverOptions<'_>,
    limits: &assay_yaml::Limits,
) -> Result<Option<Model>> {
    let paths: Vec<String> = if args.previous.is_empty() {
        config
            .previous
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect()
    } else {
        args.previous.clone()
    };
    if paths.is_empty() {
        return Ok(None);
    }
    if paths.iter().any(|p| p == "-") {
        bail!("--previous reads files and folders, not stdin (`-`)");
    }
    let inputs = discover::collect(&paths, options, limits)?;
    if !inputs.unreadable.is_empty() {
        bail!(
            "cannot read the previous deliverable (--previous or `previous:` in the config) {}",
            inputs.unreadable.join(", ")
        );
    }
    if let Some(path) = inputs.empty.first() {
        bail!("no files in the previous deliverable under {path} (--previous or `previous:`)");
    }
    Ok(Some(Model::build(inputs.files)))
}

pub(crate) fn run(args: &CheckArgs) -> Result<ExitCode> {
    let mut timings = Timings::from_env();
    if args.statistics && !matches!(args.format, Format::Text | Format::Json) {
        bail!(
            "--statistics prints text or json, not {} (use --format text or json)",
            args.format.as_str()
        );
    }
    let config = load_config(args)?;
    let selection = selection(args, &config)?;
    let version = kubernetes_version(args, &config)?;
    let fail_on = args
        .fail_on
        .or(config.fail_on)
        .unwrap_or(FailOn::Severity(Severity::Error));
    let config_folder = config
        .path
        .as_deref()
        .and_then(Path::parent)
        .unwrap_or(Path::new("."));
    let options = DiscoverOptions {
        exclude: &args.exclude,
        config_exclude: discover::config_excludes(config_folder, &config.exclude)?,
        no_ignore: args.no_ignore,
        hidden: args.hidden,
        stdin_filename: &args.stdin_filename,
    };
    let found = discover::find(&args.paths, &options)?;
    timings.end("walk");
    let mut inputs = discover::read_all(found, &options, &config.limits);
    assay_openapi::load_referenced_files(&mut inputs.files, &config.limits);
    timings.end("read+parse");
    let compose = super::compose_config::settings(&args.compose, &config.limits);
    let model = Model::build_with(inputs.files, &compose);
    timings.end("model");
    let crd_paths: Vec<String> = config
        .crds
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .chain(args.crds.iter().cloned())
        .collect();
    let crds = load_crds(&crd_paths, &options, &config.limits)?;
    timings.end("crds");
    let assume_present = config
        .assume_present
        .iter()
        .chain(&args.assume_present)
        .cloned()
        .collect();
    let mut engine = Engine::new(selection)
        .with_kubernetes_version(version)
        .with_crds(crds)
        .with_assume_present(assume_present);
    if let Some(profile) = cluster_profile(args, &config)? {
        engine = engine.with_cluster_profile(profile);
    }
    if let Some(previous) = load_previous(args, &config, &options, &config.limits)? {
        engine = engine.with_previous(previous);
    }
    timings.end("previous");
    let (mut findings, stats) = engine.run(&model);
    timings.end("rules");
    let patches = Patches::find(&model);
    patches.filter(&model, &mut findings);
    if let Some(path) = &args.write_baseline {
        let count = baseline::write(path, &model, &findings)?;
        let _ = writeln!(
            std::io::stderr(),
            "assay: recorded {count} findings in the baseline {}",
            path.display()
        );
    }
    let applied = match args.baseline.as_ref().or(args.write_baseline.as_ref()) {
        Some(path) => baseline::apply(path, &model, &mut findings)?,
        None => baseline::Applied::default(),
    };
    let mut summary = Summary::new(&model, &findings, stats.rules_run, fail_on.threshold());
    summary.skipped_ignored = inputs.skipped.ignored;
    summary.skipped_ignored_folders = inputs.skipped.ignored_folders;
    summary.skipped_hidden = inputs.skipped.hidden;
    summary.kustomize_patches = patches.count();
    summary.baselined = applied.baselined;
    summary.baseline_stale = applied.stale;
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
    let write = |out: &mut dyn std::io::Write| {
        if args.statistics {
            assay_report::write_statistics(&report, args.format == Format::Json, out)
        } else {
            assay_report::write(&report, args.format, &options, out)
        }
    };
    match &args.output {
        Some(path) => {
            let mut file = std::io::BufWriter::new(
                std::fs::File::create(path)
                    .with_context(|| format!("cannot write the report to {}", path.display()))?,
            );
            write(&mut file)?;
            file.flush()?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            write(&mut out)?;
            out.flush()?;
        }
    }
    timings.end("report");
    timings.print();
    let mut stderr = std::io::stderr();
    if args.statistics || args.format != Format::Text {
        for note in assay_report::notes(&report) {
            let _ = writeln!(stderr, "assay: {note}");
        }
    }
    for path in &inputs.empty {
        let _ = writeln!(
            stderr,
            "assay: error: no files to check under {path} (looked for .yaml, .yml and .json files{})",
            skipped_hint(&inputs.skipped)
        );
    }
    if !inputs.unreadable.is_empty() {
        let _ = writeln!(
            stderr,
            "assay: error: cannot read: {}",
            inputs.unreadable.join(", ")
        );
    }
    if !inputs.empty.is_empty() || !inputs.unreadable.is_empty() {
        return Ok(ExitCode::from(2));
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `; 3 hidden (--hidden), 2 ignored (--no-ignore)` when files were left out.
fn skipped_hint(skipped: &discover::Skipped) -> String {
    let mut parts = Vec::new();
    if skipped.hidden > 0 {
        parts.push(format!(
            "{} hidden (--hidden includes them)",
            skipped.hidden
        ));
    }
    if skipped.ignored > 0 || skipped.ignored_folders > 0 {
        parts.push(format!(
            "{} files and {} folders ignored by .gitignore/.assayignore (--no-ignore includes them)",
            skipped.ignored, skipped.ignored_folders
        ));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("; left out: {}", parts.join(", "))
    }
}
