//! `assay versions`: the Kubernetes versions whose schemas are bundled.

use anyhow::Result;
use std::io::Write as _;
use std::process::ExitCode;

pub(crate) fn run(json: bool) -> Result<ExitCode> {
    let names: Vec<&str> = assay_schema::versions()
        .iter()
        .map(assay_schema::VersionSchemas::name)
        .collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        let newest = names.last().copied().unwrap_or_default();
        let value = serde_json::json!({ "versions": names, "default": newest });
        writeln!(out, "{value}")?;
    } else {
        for name in &names {
            writeln!(out, "{name}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
