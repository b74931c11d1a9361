//! `assay profiles`: the bundled cluster profiles and what each assumes.

use anyhow::{Result, anyhow, bail};
use lexopt::prelude::*;
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

/// `--format text|json`; `true` for JSON.
pub(crate) fn parse(parser: &mut lexopt::Parser) -> Result<bool> {
    let mut json = false;
    while let Some(arg) = parser.next()? {
        match arg {
            Long("format") | Short('f') => {
                let v = parser.value()?.to_string_lossy().into_owned();
                json = match v.as_str() {
                    "text" => false,
                    "json" => true,
                    _ => bail!("invalid value `{v}` for --format (expected one of: text, json)"),
                };
            }
            other => bail!("{} for `assay profiles`", other.unexpected()),
        }
    }
    Ok(json)
}

pub(crate) fn run(json: bool) -> Result<ExitCode> {
    let mut profiles = Vec::new();
    for name in assay_profile::bundled_names() {
        let profile = assay_profile::bundled(name)
            .ok_or_else(|| anyhow!("bundled profile {name} is missing"))?
            .map_err(|e| anyhow!("bundled profile {name} is invalid: {e}"))?;
        profiles.push(profile);
    }
    let mut out = String::new();
    if json {
        let list: Vec<serde_json::Value> = profiles
            .iter()
            .map(|p| {
                serde_json::json!({
                    "name": p.name,
                    "provider": p.provider.as_str(),
                    "kubernetesVersion": p.kubernetes_version.to_string(),
                    "description": p.description,
                    "pools": p.pools.iter().map(|pool| serde_json::json!({
                        "name": pool.name,
                        "os": pool.os.as_str(),
                        "windowsBuild": pool.windows_build,
                        "count": pool.count,
                        "min": pool.min,
                        "max": pool.max,
                        "taints": pool.taints.iter().map(ToString::to_string).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        out = serde_json::to_string_pretty(&serde_json::json!({ "profiles": list }))?;
        out.push('\n');
    } else {
        for p in &profiles {
            let _ = writeln!(
                out,
                "{} ({}, Kubernetes {})\n  {}",
                p.name,
                p.provider.as_str(),
                p.kubernetes_version,
                p.description
            );
            for pool in &p.pools {
                let build = pool
                    .windows_build
                    .as_deref()
                    .map(|b| format!(" {b}"))
                    .unwrap_or_default();
                let taints: Vec<String> = pool.taints.iter().map(ToString::to_string).collect();
                let _ = writeln!(
                    out,
                    "  - {}: {}{build}, {} node(s) ({}..{}), taints: {}",
                    pool.name,
                    pool.os.as_str(),
                    pool.count,
                    pool.min,
                    pool.max,
                    if taints.is_empty() {
                        "none".to_owned()
                    } else {
                        taints.join(", ")
                    }
                );
            }
            out.push('\n');
        }
        out.push_str("Use one with `--cluster-profile NAME`, or give a ClusterProfile file or `kubectl get nodes -o yaml` output.\n");
    }
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
