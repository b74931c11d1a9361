//! Command-line arguments. Usage errors name the flag or value at fault.

use anyhow::{Context as _, Result, anyhow, bail};
use assay_config::FailOn;
use assay_diagnostics::Severity;
use assay_report::Format;
use lexopt::prelude::*;
use std::ffi::OsString;
use std::path::PathBuf;

pub(crate) const USAGE: &str = "\
assay: verify infrastructure deliverables before they are applied

Usage:
  assay check [OPTIONS] [PATH ...]     check files and folders (recursively); '-' reads stdin
  assay rules [--pack PACK] [--format table|json|md]
                                       list every rule: id, pack, severity, summary
  assay explain RULE [--format md|json]
                                       print a rule's documentation (id or name)
  assay versions [--format text|json]  list the bundled Kubernetes versions (schemas)
  assay compose-config -f FILE [-f FILE ...] [--env-file FILE] [--use-env] [--profile NAME]
                       [--format json]
                                       print the resolved compose project as
                                       `docker compose config --format json` does
  assay template [NAME] [-o FILE]      print (or write) a hardened compose validation template:
                                       postgres, redis, nginx, app (no NAME: list them)
  assay schedule [PATH ...] --cluster-profile NAME|FILE [--format text|json|md] [-o FILE]
                                       where each pod can run on a cluster profile (exit 1 when
                                       a workload cannot be scheduled)
  assay profiles [--format text|json]  list the bundled cluster profiles
  assay connectivity [PATH ...] [--format text|json|csv|md|dot|mermaid]
                     [--focus-workload NAME] [--direction ingress|egress]
                                       allowed connections under the NetworkPolicies
  assay diagnose [PATH ...] --from NS/NAME --to TARGET:PORT [--format text|json]
                 [--cluster-profile NAME|FILE]
                                       why a workload can or cannot reach a target
                                       (exit 0 reachable, 1 not, 2 usage error)
  assay sandbox etcd PATH [--etcd-bin BIN] [--out DIR] [--timeout SECS]
                                       run the deliverable's etcd settings in the real etcd
                                       on loopback and write probe evidence (needs etcd)
  assay version                        print the version
  assay help                           print this help

Options of `assay check`:
  -f, --format FORMAT           text (default), json, sarif, junit, github
      --file FILE               a compose file of one project, merged in order like
                                `docker compose -f a.yaml -f b.yaml` (repeatable; `-f FILE`
                                works too when FILE ends in .yaml or .yml)
      --env-file FILE           read compose variables from FILE instead of the project's .env
      --use-env                 also read compose variables from the process environment
  -o, --output FILE             write the report to FILE instead of stdout
      --fail-on LEVEL           exit 1 when a finding is at or above LEVEL:
                                error (default), warning, info, never
      --select CODES            run only these rule ids or packs (comma-separated; repeatable)
      --ignore CODES            do not run these rule ids or packs (comma-separated; repeatable)
      --severity CODE=LEVEL     set the severity of a rule or pack (repeatable)
      --kubernetes-version X.Y  the Kubernetes version the deliverable targets (default: newest bundled)
      --crds PATH               CustomResourceDefinitions (file or folder) whose schemas validate
                                custom resources; not checked themselves (repeatable; added
                                to `crds:` in .assay.yaml)
      --cluster-profile P       the cluster the deliverable goes to: a bundled profile
                                (`assay profiles`), a ClusterProfile file or a NodeList;
                                used by the WIN and CLOUD packs (also `clusterProfile:`)
      --assume-present KIND/NAME
                                an object the cluster already has (also KIND/NAMESPACE/NAME):
                                GRAPH009 does not report references to it (repeatable;
                                added to `assumePresent:` in .assay.yaml)
      --config FILE             read this config file instead of discovering .assay.yaml
      --no-config               read no config file
      --exclude GLOB            skip paths matching this gitignore-style glob (repeatable)
      --no-ignore               do not honour .gitignore and .assayignore files (hidden
                                files stay out: add --hidden)
      --hidden                  also check hidden files and folders (.github/, .tekton/);
                                .git/ is never walked. What both leave out is counted
                                in the report
      --statistics              print one line per rule (count, id, name, fixable) instead
                                of the findings
      --write-baseline FILE     record today's findings (by fingerprint) in FILE
      --baseline FILE           report only findings not recorded in FILE
      --stdin-filename NAME     the name to report for input read from stdin (default: <stdin>)
      --show-suppressed         also print suppressed findings (they are always counted)
      --concise                 one line per finding, no code frames
      --color WHEN              auto (default: colour on a terminal), always, never

Exit codes: 0 no finding at or above the fail threshold; 1 findings at or above it;
2 usage or configuration error, a path that is missing or cannot be read (permission
denied), or a path under which there is no file to check.
";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug)]
pub(crate) struct CheckArgs {
    pub(crate) paths: Vec<String>,
    pub(crate) format: Format,
    pub(crate) output: Option<PathBuf>,
    pub(crate) fail_on: Option<FailOn>,
    pub(crate) select: Vec<String>,
    pub(crate) ignore: Vec<String>,
    pub(crate) severity: Vec<(String, Severity)>,
    pub(crate) kubernetes_version: Option<String>,
    pub(crate) crds: Vec<String>,
    pub(crate) cluster_profile: Option<String>,
    pub(crate) assume_present: Vec<String>,
    pub(crate) config: Option<PathBuf>,
    pub(crate) no_config: bool,
    pub(crate) exclude: Vec<String>,
    pub(crate) no_ignore: bool,
    pub(crate) hidden: bool,
    pub(crate) statistics: bool,
    pub(crate) baseline: Option<PathBuf>,
    pub(crate) write_baseline: Option<PathBuf>,
    pub(crate) stdin_filename: String,
    pub(crate) show_suppressed: bool,
    pub(crate) concise: bool,
    pub(crate) color: ColorChoice,
    pub(crate) compose: ComposeArgs,
}

/// Compose options shared by `assay check` and `assay compose-config`.
#[derive(Debug, Default)]
pub(crate) struct ComposeArgs {
    /// `-f` / `--file`: the files of one project, in merge order.
    pub(crate) files: Vec<String>,
    pub(crate) env_files: Vec<String>,
    pub(crate) use_env: bool,
    /// `--profile` (compose-config only: `check` checks every service).
    pub(crate) profiles: Vec<String>,
}

/// The compose flags shared by `check` and `compose-config`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ComposeFlag {
    File,
    EnvFile,
    UseEnv,
}

impl ComposeFlag {
    fn of(arg: &lexopt::Arg<'_>) -> Option<Self> {
        match arg {
            Long("file") => Some(ComposeFlag::File),
            Long("env-file") => Some(ComposeFlag::EnvFile),
            Long("use-env") => Some(ComposeFlag::UseEnv),
            _ => None,
        }
    }
}

impl ComposeArgs {
    fn take(&mut self, flag: ComposeFlag, parser: &mut lexopt::Parser) -> Result<()> {
        match flag {
            ComposeFlag::File => self.files.push(value_str(parser.value()?, "--file")?),
            ComposeFlag::EnvFile => self
                .env_files
                .push(value_str(parser.value()?, "--env-file")?),
            ComposeFlag::UseEnv => self.use_env = true,
        }
        Ok(())
    }
}

fn parse_format(v: &str) -> Result<Format> {
    Format::parse(v).ok_or_else(|| {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
        anyhow!(
            "invalid value `{v}` for --format (expected one of: {})",
            names.join(", ")
        )
    })
}

/// A `-f` value that names a compose file rather than a report format.
fn is_compose_file(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ListFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug)]
pub(crate) enum Command {
    Check(Box<CheckArgs>),
    Rules {
        pack: Option<String>,
        format: ListFormat,
    },
    Explain {
        rule: String,
        format: ListFormat,
    },
    Versions {
        json: bool,
    },
    ComposeConfig(ComposeArgs),
    Template {
        name: Option<String>,
        output: Option<PathBuf>,
    },
    Schedule(crate::commands::schedule::ScheduleArgs),
    Profiles {
        json: bool,
    },
    Connectivity(crate::commands::connectivity::Args),
    Diagnose(crate::commands::diagnose::Args),
    Sandbox(crate::commands::sandbox::SandboxArgs),
    SandboxHelp,
    Version,
    Help,
}

fn value_str(value: OsString, flag: &str) -> Result<String> {
    value.into_string().map_err(|v| {
        anyhow!(
            "the value of {flag} is not valid UTF-8: {}",
            v.to_string_lossy()
        )
    })
}

fn codes(value: &str) -> impl Iterator<Item = String> + '_ {
    value
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
}

/// Commands that print their own help for `--help`; every other command
/// prints the general usage.
const OWN_HELP: [&str; 1] = ["sandbox"];

/// `assay <command> … --help` (or `-h`), before any `--`: help on stdout,
/// exit 0, whatever else the line holds.
fn asks_for_help(args: &[OsString]) -> bool {
    let command_has_own_help = args
        .first()
        .is_some_and(|c| OWN_HELP.iter().any(|own| c == own));
    !command_has_own_help
        && args
            .iter()
            .skip(1)
            .take_while(|a| *a != "--")
            .any(|a| a == "--help" || a == "-h")
}

pub(crate) fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command> {
    let args: Vec<OsString> = args.into_iter().collect();
    if asks_for_help(&args) {
        return Ok(Command::Help);
    }
    let mut parser = lexopt::Parser::from_args(args);
    let sub = match parser.next()? {
        None => return Ok(Command::Help),
        Some(Value(v)) => value_str(v, "the command")?,
        Some(Long("help") | Short('h')) => return Ok(Command::Help),
        Some(Long("version") | Short('V')) => return Ok(Command::Version),
        Some(other) => bail!(
            "{}; expected a command first (check, rules, explain)",
            other.unexpected()
        ),
    };
    match sub.as_str() {
        "check" => parse_check(&mut parser),
        "rules" => parse_rules(&mut parser),
        "explain" => parse_explain(&mut parser),
        "versions" => parse_versions(&mut parser),
        "compose-config" => parse_compose_config(&mut parser),
        "template" => parse_template(&mut parser),
        "schedule" => crate::commands::schedule::parse(&mut parser).map(Command::Schedule),
        "profiles" => {
            crate::commands::profiles::parse(&mut parser).map(|json| Command::Profiles { json })
        }
        "connectivity" => {
            crate::commands::connectivity::parse(&mut parser).map(Command::Connectivity)
        }
        "diagnose" => crate::commands::diagnose::parse(&mut parser).map(Command::Diagnose),
        "sandbox" => Ok(crate::commands::sandbox::parse(&mut parser)?
            .map_or(Command::SandboxHelp, Command::Sandbox)),
        "version" => Ok(Command::Version),
        "help" => Ok(Command::Help),
        other => {
            bail!(
                "unknown command `{other}` (expected check, rules, explain, versions, schedule, profiles, connectivity, diagnose, sandbox, compose-config, template, version or help)"
            )
        }
    }
}

fn parse_list_format(text: &str, flag: &str, allowed: &[(&str, ListFormat)]) -> Result<ListFormat> {
    allowed
        .iter()
        .find(|(name, _)| *name == text)
        .map(|(_, f)| *f)
        .ok_or_else(|| {
            let names: Vec<&str> = allowed.iter().map(|(n, _)| *n).collect();
            anyhow!(
                "invalid value `{text}` for {flag} (expected one of: {})",
                names.join(", ")
            )
        })
}

fn parse_rules(parser: &mut lexopt::Parser) -> Result<Command> {
    let mut pack = None;
    let mut format = ListFormat::Table;
    while let Some(arg) = parser.next()? {
        match arg {
            Long("pack") => pack = Some(value_str(parser.value()?, "--pack")?),
            Long("format") | Short('f') => {
                let v = value_str(parser.value()?, "--format")?;
                format = parse_list_format(
                    &v,
                    "--format",
                    &[
                        ("table", ListFormat::Table),
                        ("json", ListFormat::Json),
                        ("md", ListFormat::Markdown),
                    ],
                )?;
            }
            Long("help") | Short('h') => return Ok(Command::Help),
            other => bail!("{} for `assay rules`", other.unexpected()),
        }
    }
    Ok(Command::Rules { pack, format })
}

fn parse_versions(parser: &mut lexopt::Parser) -> Result<Command> {
    let mut json = false;
    while let Some(arg) = parser.next()? {
        match arg {
            Long("format") | Short('f') => {
                let v = value_str(parser.value()?, "--format")?;
                json = match v.as_str() {
                    "text" => false,
                    "json" => true,
                    _ => bail!("invalid value `{v}` for --format (expected one of: text, json)"),
                };
            }
            Long("help") | Short('h') => return Ok(Command::Help),
            other => bail!("{} for `assay versions`", other.unexpected()),
        }
    }
    Ok(Command::Versions { json })
}

fn parse_compose_config(parser: &mut lexopt::Parser) -> Result<Command> {
    let mut compose = ComposeArgs::default();
    while let Some(arg) = parser.next()? {
        if let Some(flag) = ComposeFlag::of(&arg) {
            compose.take(flag, parser)?;
            continue;
        }
        match arg {
            Short('f') => compose.files.push(value_str(parser.value()?, "-f")?),
            Long("profile") => compose
                .profiles
                .push(value_str(parser.value()?, "--profile")?),
            Long("format") => {
                let v = value_str(parser.value()?, "--format")?;
                if v != "json" {
                    bail!("invalid value `{v}` for --format (expected json)");
                }
            }
            Long("help") | Short('h') => return Ok(Command::Help),
            other => bail!("{} for `assay compose-config`", other.unexpected()),
        }
    }
    if compose.files.is_empty() {
        bail!("`assay compose-config` needs at least one compose file: -f compose.yaml");
    }
    Ok(Command::ComposeConfig(compose))
}

fn parse_template(parser: &mut lexopt::Parser) -> Result<Command> {
    let mut name = None;
    let mut output = None;
    while let Some(arg) = parser.next()? {
        match arg {
            Value(v) if name.is_none() => name = Some(value_str(v, "the template")?),
            Long("output") | Short('o') => output = Some(parser.value()?.into()),
            Long("help") | Short('h') => return Ok(Command::Help),
            other => bail!("{} for `assay template`", other.unexpected()),
        }
    }
    Ok(Command::Template { name, output })
}

fn parse_explain(parser: &mut lexopt::Parser) -> Result<Command> {
    let mut rule = None;
    let mut format = ListFormat::Markdown;
    while let Some(arg) = parser.next()? {
        match arg {
            Value(v) if rule.is_none() => rule = Some(value_str(v, "the rule")?),
            Long("format") | Short('f') => {
                let v = value_str(parser.value()?, "--format")?;
                format = parse_list_format(
                    &v,
                    "--format",
                    &[("md", ListFormat::Markdown), ("json", ListFormat::Json)],
                )?;
            }
            Long("help") | Short('h') => return Ok(Command::Help),
            other => bail!("{} for `assay explain`", other.unexpected()),
        }
    }
    let rule =
        rule.context("`assay explain` needs a rule id or name, e.g. `assay explain SEC001`")?;
    Ok(Command::Explain { rule, format })
}

fn parse_check(parser: &mut lexopt::Parser) -> Result<Command> {
    let mut args = CheckArgs {
        paths: Vec::new(),
        format: Format::Text,
        output: None,
        fail_on: None,
        select: Vec::new(),
        ignore: Vec::new(),
        severity: Vec::new(),
        kubernetes_version: None,
        crds: Vec::new(),
        cluster_profile: None,
        assume_present: Vec::new(),
        config: None,
        no_config: false,
        exclude: Vec::new(),
        no_ignore: false,
        hidden: false,
        statistics: false,
        baseline: None,
        write_baseline: None,
        stdin_filename: "<stdin>".to_owned(),
        show_suppressed: false,
        concise: false,
        color: ColorChoice::Auto,
        compose: ComposeArgs::default(),
    };
    while let Some(arg) = parser.next()? {
        if let Some(flag) = ComposeFlag::of(&arg) {
            args.compose.take(flag, parser)?;
            continue;
        }
        match arg {
            Value(v) => args.paths.push(value_str(v, "a path")?),
            Short('f') => {
                let v = value_str(parser.value()?, "-f")?;
                if is_compose_file(&v) {
                    args.compose.files.push(v);
                } else {
                    args.format = parse_format(&v)?;
                }
            }
            Long("format") => {
                args.format = parse_format(&value_str(parser.value()?, "--format")?)?;
            }
            Long("output") | Short('o') => args.output = Some(parser.value()?.into()),
            Long("fail-on") => {
                let v = value_str(parser.value()?, "--fail-on")?;
                args.fail_on = Some(FailOn::parse(&v).ok_or_else(|| {
                    anyhow!(
                        "invalid value `{v}` for --fail-on (expected error, warning, info or never)"
                    )
                })?);
            }
            Long("select") => args
                .select
                .extend(codes(&value_str(parser.value()?, "--select")?)),
            Long("ignore") => args
                .ignore
                .extend(codes(&value_str(parser.value()?, "--ignore")?)),
            Long("severity") => {
                let v = value_str(parser.value()?, "--severity")?;
                let (code, level) = v
                    .split_once('=')
                    .ok_or_else(|| anyhow!("invalid value `{v}` for --severity (expected CODE=LEVEL, e.g. HARD006=info)"))?;
                let level = Severity::parse(level)
                    .ok_or_else(|| anyhow!("invalid level `{level}` in --severity {v} (expected error, warning or info)"))?;
                args.severity.push((code.to_owned(), level));
            }
            Long("kubernetes-version") => {
                args.kubernetes_version = Some(value_str(parser.value()?, "--kubernetes-version")?);
            }
            Long("crds") => args.crds.push(value_str(parser.value()?, "--crds")?),
            Long("cluster-profile") => {
                args.cluster_profile = Some(value_str(parser.value()?, "--cluster-profile")?);
            }
            Long("assume-present") => {
                let v = value_str(parser.value()?, "--assume-present")?;
                if !matches!(v.split('/').count(), 2 | 3) || v.split('/').any(str::is_empty) {
                    bail!(
                        "invalid value `{v}` for --assume-present (expected KIND/NAME or KIND/NAMESPACE/NAME, e.g. Secret/tls)"
                    );
                }
                args.assume_present.push(v);
            }
            Long("config") => args.config = Some(parser.value()?.into()),
            Long("no-config") => args.no_config = true,
            Long("exclude") => args.exclude.push(value_str(parser.value()?, "--exclude")?),
            Long("no-ignore") => args.no_ignore = true,
            Long("hidden") => args.hidden = true,
            Long("statistics") => args.statistics = true,
            Long("baseline") => args.baseline = Some(parser.value()?.into()),
            Long("write-baseline") => args.write_baseline = Some(parser.value()?.into()),
            Long("stdin-filename") => {
                args.stdin_filename = value_str(parser.value()?, "--stdin-filename")?
            }
            Long("show-suppressed") => args.show_suppressed = true,
            Long("concise") => args.concise = true,
            Long("color" | "colour") => {
                let v = value_str(parser.value()?, "--color")?;
                args.color = match v.as_str() {
                    "auto" => ColorChoice::Auto,
                    "always" => ColorChoice::Always,
                    "never" => ColorChoice::Never,
                    _ => bail!("invalid value `{v}` for --color (expected auto, always or never)"),
                };
            }
            Long("help") | Short('h') => return Ok(Command::Help),
            other => bail!(
                "{} for `assay check` (see `assay help`)",
                other.unexpected()
            ),
        }
    }
    if args.paths.is_empty() {
        if args.compose.files.is_empty() {
            args.paths.push(".".to_owned());
        } else {
            args.paths.clone_from(&args.compose.files);
        }
    }
    Ok(Command::Check(Box::new(args)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_args(args: &[&str]) -> Result<Command> {
        parse(args.iter().map(OsString::from))
    }

    #[test]
    fn check_flags() {
        let Command::Check(c) = parse_args(&[
            "check",
            "deploy",
            "-",
            "--format",
            "sarif",
            "--select",
            "SEC,HARD001",
            "--severity",
            "HARD006=info",
            "--fail-on",
            "warning",
            "--kubernetes-version",
            "1.29",
            "--crds",
            "crds/",
            "--crds",
            "more.yaml",
        ])
        .unwrap() else {
            panic!("not check")
        };
        assert_eq!(c.paths, ["deploy", "-"]);
        assert_eq!(c.format, Format::Sarif);
        assert_eq!(c.select, ["SEC", "HARD001"]);
        assert_eq!(c.severity, [("HARD006".to_owned(), Severity::Info)]);
        assert_eq!(c.fail_on, Some(FailOn::Severity(Severity::Warning)));
        assert_eq!(c.crds, ["crds/", "more.yaml"]);
        assert!(matches!(
            parse_args(&["versions", "--format", "json"]).unwrap(),
            Command::Versions { json: true }
        ));
    }

    #[test]
    fn usage_errors_name_the_flag_or_value() {
        let e = parse_args(&["check", "--format", "xml"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("--format") && e.contains("xml"), "{e}");
        let e = parse_args(&["check", "--frobnicate"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("--frobnicate"), "{e}");
        let e = parse_args(&["chekc"]).unwrap_err().to_string();
        assert!(e.contains("chekc"), "{e}");
        let e = parse_args(&["check", "--fail-on", "loud"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("--fail-on") && e.contains("loud"), "{e}");
    }

    #[test]
    fn compose_files_with_f_or_file() {
        let Command::Check(c) = parse_args(&[
            "check",
            "-f",
            "a.yaml",
            "--file",
            "b.yml",
            "-f",
            "json",
            "--env-file",
            "prod.env",
            "--use-env",
        ])
        .unwrap() else {
            panic!("not check")
        };
        assert_eq!(c.compose.files, ["a.yaml", "b.yml"]);
        assert_eq!(c.paths, ["a.yaml", "b.yml"]);
        assert_eq!(c.format, Format::Json);
        assert_eq!(c.compose.env_files, ["prod.env"]);
        assert!(c.compose.use_env);
        let Command::ComposeConfig(c) = parse_args(&[
            "compose-config",
            "-f",
            "a.yaml",
            "-f",
            "b.yaml",
            "--format",
            "json",
        ])
        .unwrap() else {
            panic!("not compose-config")
        };
        assert_eq!(c.files, ["a.yaml", "b.yaml"]);
        assert!(parse_args(&["compose-config"]).is_err());
        assert!(parse_args(&["compose-config", "-f", "a.yaml", "--format", "yaml"]).is_err());
    }

    #[test]
    fn default_path_is_current_folder() {
        let Command::Check(c) = parse_args(&["check"]).unwrap() else {
            panic!()
        };
        assert_eq!(c.paths, ["."]);
    }
}
