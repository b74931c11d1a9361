//! `assay compose-config`: the resolved compose project, in the JSON shape of
//! `docker compose config --format json`, so the two can be compared.

use crate::args::ComposeArgs;
use anyhow::{Result, bail};
use assay_compose::{ConfigContext, LoadOptions, config_json, join};
use assay_model::{ComposeSettings, Model};
use assay_yaml::Limits;
use std::io::Write as _;
use std::process::ExitCode;

/// The compose settings of a run: `-f` files as one project, the disk readable.
pub(crate) fn settings(compose: &ComposeArgs, limits: &Limits) -> ComposeSettings {
    ComposeSettings {
        read_disk: true,
        projects: if compose.files.is_empty() {
            Vec::new()
        } else {
            vec![compose.files.clone()]
        },
        options: LoadOptions {
            env_files: compose.env_files.clone(),
            process_env: compose.use_env.then(|| std::env::vars().collect()),
            max_nodes: limits.max_alias_expansion,
        },
        limits: limits.clone(),
    }
}

pub(crate) fn run(compose: &ComposeArgs) -> Result<ExitCode> {
    let limits = Limits::default();
    for file in &compose.files {
        if !std::path::Path::new(file).is_file() {
            bail!("cannot read the compose file {file}");
        }
    }
    let model = Model::build_with(Vec::new(), &settings(compose, &limits));
    let Some(project) = model.compose.first() else {
        bail!("no compose project in {}", compose.files.join(", "));
    };
    let load_errors: Vec<String> = model
        .files
        .iter()
        .flat_map(|f| f.errors.iter().map(move |e| format!("{}:{e}", f.path)))
        .collect();
    let project_errors: Vec<String> = project
        .errors
        .iter()
        .map(|e| {
            let path = model
                .file(e.at.file)
                .map_or("<unknown>", |f| f.path.as_str());
            format!("{path}:{}: {}", e.at.span.start, e.message)
        })
        .collect();
    if !load_errors.is_empty() || !project_errors.is_empty() {
        let mut err = std::io::stderr().lock();
        for line in load_errors.iter().chain(&project_errors) {
            writeln!(err, "assay: error: {line}")?;
        }
        return Ok(ExitCode::from(1));
    }
    let cwd = std::env::current_dir()?;
    let workdir = join(&cwd.to_string_lossy(), &project.dir);
    let home = std::env::var("HOME").unwrap_or_default();
    let read = |path: &str| std::fs::read_to_string(path).ok();
    let context = ConfigContext {
        workdir: &workdir,
        home: &home,
        profiles: &compose.profiles,
        read: &read,
    };
    let json = match config_json(project, &context) {
        Ok(json) => json,
        Err(message) => {
            writeln!(std::io::stderr(), "assay: error: {message}")?;
            return Ok(ExitCode::from(1));
        }
    };
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &json)?;
    writeln!(out)?;
    Ok(ExitCode::SUCCESS)
}
