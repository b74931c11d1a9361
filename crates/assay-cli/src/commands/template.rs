//! `assay template NAME [-o FILE]`: hardened compose validation templates that
//! pass every rule (the tests check each one).

use anyhow::{Context as _, Result, bail};
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

/// Every template: name, what it is, and its text.
pub(crate) const TEMPLATES: &[(&str, &str, &str)] = &[
    (
        "postgres",
        "PostgreSQL on an internal network, password from a secret file",
        include_str!("../../templates/postgres.yaml"),
    ),
    (
        "redis",
        "Redis on an internal network, persistent volume",
        include_str!("../../templates/redis.yaml"),
    ),
    (
        "nginx",
        "nginx (unprivileged image) published on loopback",
        include_str!("../../templates/nginx.yaml"),
    ),
    (
        "app",
        "a generic application service, secret from a file",
        include_str!("../../templates/app.yaml"),
    ),
];

pub(crate) fn run(name: Option<&str>, output: Option<&Path>) -> Result<ExitCode> {
    let Some(name) = name else {
        let mut out = std::io::stdout().lock();
        for (name, summary, _) in TEMPLATES {
            writeln!(out, "{name:<10} {summary}")?;
        }
        return Ok(ExitCode::SUCCESS);
    };
    let Some((_, _, text)) = TEMPLATES.iter().find(|(n, _, _)| *n == name) else {
        let names: Vec<&str> = TEMPLATES.iter().map(|(n, _, _)| *n).collect();
        bail!(
            "unknown template `{name}` (expected one of: {})",
            names.join(", ")
        );
    };
    match output {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write the template to {}", path.display()))?,
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}
