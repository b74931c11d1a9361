//! `assay sandbox etcd PATH`: start the real etcd from the deliverable's
//! settings on loopback, probe it, and write the evidence.

use anyhow::{Context as _, Result, anyhow, bail};
use assay_model::{Model, SourceFile};
use assay_sandbox::{Options, Verdict, etcd_on_path, find_etcd, run_etcd};
use assay_span::FileId;
use assay_yaml::Limits;
use lexopt::prelude::*;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

pub(crate) const USAGE: &str = "\
Usage: assay sandbox etcd PATH [--etcd-bin BIN] [--out DIR] [--timeout SECS]

Start the real etcd (PATH or --etcd-bin) with the etcd settings found in PATH
(a static pod, workload, ETCD_* variables or an etcd config file), on
127.0.0.1 with throwaway certificates, probe what a client can and cannot do,
and write DIR/etcd-sandbox.json and DIR/etcd-sandbox.md (DIR: ./evidence).
Exit 0 when every probe passes, 1 when one fails, 2 on errors.
";

#[derive(Debug, PartialEq, Eq)]
pub(crate) struct SandboxArgs {
    pub(crate) path: PathBuf,
    pub(crate) etcd_bin: Option<PathBuf>,
    pub(crate) out: PathBuf,
    pub(crate) timeout: Duration,
}

/// `sandbox etcd PATH [options]` (after `sandbox`); `None` for `--help`.
pub(crate) fn parse(parser: &mut lexopt::Parser) -> Result<Option<SandboxArgs>> {
    let mut component = None;
    let mut path = None;
    let mut etcd_bin = None;
    let mut out = PathBuf::from("evidence");
    let mut timeout = Duration::from_secs(30);
    while let Some(arg) = parser.next()? {
        match arg {
            Long("etcd-bin") => etcd_bin = Some(PathBuf::from(parser.value()?)),
            Long("out") => out = PathBuf::from(parser.value()?),
            Long("timeout") => {
                let text = parser.value()?.string()?;
                let secs: u64 = text
                    .parse()
                    .ok()
                    .filter(|s| (1..=600).contains(s))
                    .ok_or_else(|| {
                        anyhow!("--timeout takes seconds from 1 to 600, not `{text}`")
                    })?;
                timeout = Duration::from_secs(secs);
            }
            Long("help") | Short('h') => return Ok(None),
            Value(v) if component.is_none() => component = Some(v.string()?),
            Value(v) if path.is_none() => path = Some(PathBuf::from(v)),
            other => bail!("{}; see `assay sandbox --help`", other.unexpected()),
        }
    }
    match component.as_deref() {
        Some("etcd") => {}
        Some(other) => bail!("unknown sandbox `{other}` (the sandbox runs `etcd`)"),
        None => bail!("missing the component: `assay sandbox etcd PATH`"),
    }
    let path = path.ok_or_else(|| anyhow!("missing PATH: `assay sandbox etcd PATH`"))?;
    Ok(Some(SandboxArgs {
        path,
        etcd_bin,
        out,
        timeout,
    }))
}

/// Every YAML/JSON file under `path` (or `path` itself), sorted.
fn input_files(path: &Path) -> Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    if !path.is_dir() {
        bail!("{}: no such file or folder", path.display());
    }
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(path)
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(ignore::DirEntry::into_path)
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
        })
        .collect();
    files.sort();
    Ok(files)
}

pub(crate) fn run(args: &SandboxArgs) -> Result<ExitCode> {
    let limits = Limits::default();
    let mut sources = Vec::new();
    for (i, file) in input_files(&args.path)?.into_iter().enumerate() {
        let bytes = std::fs::read(&file).with_context(|| file.display().to_string())?;
        let id = FileId(u32::try_from(i).context("too many files")?);
        sources.push(SourceFile::parse(
            id,
            file.display().to_string(),
            &bytes,
            &limits,
        ));
    }
    let model = Model::build(sources);
    let profiles = find_etcd(&model);
    let Some(profile) = profiles.first() else {
        bail!(
            "{}: no etcd settings found (a container running etcd, ETCD_* variables, or an etcd config file)",
            args.path.display()
        );
    };
    let etcd_bin = match &args.etcd_bin {
        Some(bin) => bin.clone(),
        None => etcd_on_path().ok_or_else(|| {
            anyhow!("etcd is not on PATH; install it (Debian/Ubuntu: `sudo apt-get install etcd-server`) or pass `--etcd-bin PATH`")
        })?,
    };
    let temp_parent =
        std::env::var_os("ASSAY_SANDBOX_TMPDIR").map_or_else(std::env::temp_dir, PathBuf::from);
    let evidence = run_etcd(
        profile,
        &Options {
            etcd_bin,
            temp_parent,
            start_timeout: args.timeout,
        },
    )?;
    std::fs::create_dir_all(&args.out).with_context(|| args.out.display().to_string())?;
    let json = args.out.join("etcd-sandbox.json");
    let markdown = args.out.join("etcd-sandbox.md");
    std::fs::write(&json, evidence.to_json()).with_context(|| json.display().to_string())?;
    let summary = evidence.to_markdown();
    std::fs::write(&markdown, &summary).with_context(|| markdown.display().to_string())?;
    let mut stdout = std::io::stdout().lock();
    write!(stdout, "{summary}")?;
    writeln!(
        stdout,
        "\nevidence: {} and {}",
        json.display(),
        markdown.display()
    )?;
    if profiles.len() > 1 {
        writeln!(
            std::io::stderr(),
            "assay: note: {} more etcd settings found ({}); give a narrower PATH to sandbox them",
            profiles.len() - 1,
            profiles
                .iter()
                .skip(1)
                .map(|p| p.source.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        )?;
    }
    Ok(match evidence.result {
        Verdict::Pass => ExitCode::SUCCESS,
        Verdict::Fail => ExitCode::from(1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_args(args: &[&str]) -> Result<Option<SandboxArgs>> {
        parse(&mut lexopt::Parser::from_args(args.iter().copied()))
    }

    #[test]
    fn arguments() {
        let args = parse_args(&[
            "etcd",
            "deploy",
            "--etcd-bin",
            "/opt/etcd",
            "--timeout",
            "5",
        ])
        .unwrap()
        .unwrap();
        assert_eq!(args.path, PathBuf::from("deploy"));
        assert_eq!(args.etcd_bin, Some(PathBuf::from("/opt/etcd")));
        assert_eq!(args.out, PathBuf::from("evidence"));
        assert_eq!(args.timeout, Duration::from_secs(5));
        assert!(parse_args(&["--help"]).unwrap().is_none());
        let error = |a: &[&str]| parse_args(a).unwrap_err().to_string();
        assert!(error(&["vault", "x"]).contains("unknown sandbox `vault`"));
        assert!(error(&["etcd"]).contains("missing PATH"));
        assert!(error(&[]).contains("missing the component"));
        assert!(error(&["etcd", "x", "--timeout", "0"]).contains("1 to 600"));
        assert!(error(&["etcd", "x", "y"]).contains("unexpected"));
    }
}
