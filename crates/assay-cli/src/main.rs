//! The `assay` binary: glue between arguments, discovery, the engine and reporters.

mod args;
mod baseline;
mod commands;
mod discover;
mod kustomize;
mod timings;

use std::io::Write as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            let _ = writeln!(std::io::stderr(), "assay: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn run() -> anyhow::Result<ExitCode> {
    match args::parse(std::env::args_os().skip(1))? {
        args::Command::Check(check) => commands::check::run(&check),
        args::Command::Rules { pack, format } => commands::rules::list(pack.as_deref(), format),
        args::Command::Explain { rule, format } => commands::rules::explain(&rule, format),
        args::Command::Versions { json } => commands::versions::run(json),
        args::Command::Schedule(schedule) => commands::schedule::run(&schedule),
        args::Command::Profiles { json } => commands::profiles::run(json),
        args::Command::Connectivity(args) => commands::connectivity::run(&args),
        args::Command::Diagnose(args) => commands::diagnose::run(&args),
        args::Command::Sandbox(sandbox) => commands::sandbox::run(&sandbox),
        args::Command::SandboxHelp => {
            write!(std::io::stdout(), "{}", commands::sandbox::USAGE)?;
            Ok(ExitCode::SUCCESS)
        }
        args::Command::Version => {
            writeln!(std::io::stdout(), "assay {}", env!("CARGO_PKG_VERSION"))?;
            Ok(ExitCode::SUCCESS)
        }
        args::Command::Help => {
            write!(std::io::stdout(), "{}", args::USAGE)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
