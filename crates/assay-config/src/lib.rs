//! `.assay.yaml`: where it is, what it says.
//!
//! ```yaml
//! select: [SEC, HARD]          # rule ids or pack prefixes to run (default: all)
//! ignore: [HARD013]            # rule ids or packs not to run
//! severity:                    # per rule id or pack
//!   HARD006: info
//! failOn: warning              # error | warning | info | never (default: error)
//! exclude: ["charts/**/templates/**"]   # gitignore-style globs, relative to the config's folder
//! kubernetesVersion: "1.29"    # target version (default: newest bundled)
//! crds: [crds/, vendor/operator/crds.yaml]  # CRD files or folders, relative to the config's folder
//! clusterProfile: aks-mixed    # a bundled profile, or a profile file relative to the config's folder
//! assumePresent: [Secret/tls, ConfigMap/shop/settings]  # objects the cluster already has (GRAPH009)
//! previous: [../release-41/]   # the deliverable this one replaces, relative to the config's folder (ROLLOUT011)
//! limits:                      # input limits (see assay-yaml's Limits)
//!   max-file-size: 67108864
//!   max-depth: 256
//! ```

use assay_diagnostics::Severity;
use assay_span::Pos;
use assay_yaml::{Limits, Value};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// File names looked for, in order, in each folder walking up.
pub const CONFIG_FILE_NAMES: [&str; 2] = [".assay.yaml", ".assay.yml"];

const TOP_KEYS: [&str; 11] = [
    "select",
    "ignore",
    "severity",
    "failOn",
    "exclude",
    "kubernetesVersion",
    "crds",
    "limits",
    "clusterProfile",
    "assumePresent",
    "previous",
];
const LIMIT_KEYS: [&str; 6] = [
    "max-file-size",
    "max-documents",
    "max-nodes",
    "max-depth",
    "max-scalar-size",
    "max-alias-expansion",
];

/// The fail threshold: a severity, or never fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Severity(Severity),
    Never,
}

impl FailOn {
    #[must_use]
    pub fn parse(text: &str) -> Option<FailOn> {
        match text {
            "never" => Some(FailOn::Never),
            other => Severity::parse(other).map(FailOn::Severity),
        }
    }

    #[must_use]
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Severity(s) => Some(s),
            FailOn::Never => None,
        }
    }
}

/// What a config file says. Every field is optional; flags override it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// The file it was read from.
    pub path: Option<PathBuf>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub fail_on: Option<FailOn>,
    pub exclude: Vec<String>,
    /// Objects the cluster already has (`KIND/NAME` or `KIND/NAMESPACE/NAME`):
    /// references to them are not reported.
    pub assume_present: Vec<String>,
    pub kubernetes_version: Option<String>,
    /// CustomResourceDefinition files or folders (`crds:`), already joined
    /// to the config file's folder; added to `--crds`.
    pub crds: Vec<PathBuf>,
    pub limits: Limits,
    /// `clusterProfile:` as written: a bundled profile name or a file
    /// relative to the config's folder (the CLI resolves which).
    pub cluster_profile: Option<String>,
    /// The previous deliverable's files or folders (`previous:`), already
    /// joined to the config file's folder; `--previous` replaces them.
    pub previous: Vec<PathBuf>,
}

/// A config problem, located in the config file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub pos: Pos,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.pos.line,
            self.pos.col,
            self.message
        )
    }
}

impl std::error::Error for ConfigError {}

/// The config file that applies to `start`: the first `.assay.yaml` found in
/// `start` (or its folder, for a file) or any parent folder.
#[must_use]
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = if start.is_file() {
        start.parent()?
    } else {
        start
    };
    let absolute = std::path::absolute(start).ok()?;
    absolute.ancestors().find_map(|dir| {
        CONFIG_FILE_NAMES
            .iter()
            .map(|name| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// Read and parse a config file.
///
/// # Errors
/// I/O errors, YAML errors, unknown keys and invalid values, each located.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let bytes = std::fs::read(path).map_err(|e| ConfigError {
        path: path.to_owned(),
        pos: Pos::new(1, 1),
        message: format!("cannot read the config file: {e}"),
    })?;
    parse(path, &bytes)
}

/// Parse config text (`path` is used in error messages).
///
/// # Errors
/// YAML errors, unknown keys and invalid values, each located.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Config, ConfigError> {
    let err = |pos: Pos, message: String| ConfigError {
        path: path.to_owned(),
        pos,
        message,
    };
    let loaded = assay_yaml::load(bytes, &Limits::default());
    if let Some(e) = loaded.errors.first() {
        return Err(err(e.span.start, e.message.clone()));
    }
    if let Some(dup) = loaded.tree.duplicate_keys().first() {
        return Err(err(
            dup.duplicate.start,
            format!("key `{}` is written twice", dup.key),
        ));
    }
    let mut config = Config {
        path: Some(path.to_owned()),
        ..Config::default()
    };
    let Some(doc) = loaded.tree.documents().first() else {
        return Ok(config);
    };
    let root = loaded.tree.value(doc.root);
    if root.is_null() {
        return Ok(config);
    }
    if !root.is_mapping() {
        return Err(err(
            root.span().start,
            "the config must be a mapping of settings".to_owned(),
        ));
    }
    for (key, value) in root.entries() {
        let name = key.as_str().unwrap_or_default();
        match name {
            "select" => {
                config.select =
                    string_list(value).map_err(|(p, m)| err(p, format!("`select`: {m}")))?
            }
            "ignore" => {
                config.ignore =
                    string_list(value).map_err(|(p, m)| err(p, format!("`ignore`: {m}")))?
            }
            "assumePresent" => {
                config.assume_present =
                    string_list(value).map_err(|(p, m)| err(p, format!("`assumePresent`: {m}")))?;
            }
            "exclude" => {
                config.exclude =
                    string_list(value).map_err(|(p, m)| err(p, format!("`exclude`: {m}")))?
            }
            "severity" => {
                if !value.is_mapping() {
                    return Err(err(
                        value.span().start,
                        "`severity` must map rule ids or packs to error, warning or info"
                            .to_owned(),
                    ));
                }
                for (code, level) in value.entries() {
                    let code_text = code.as_str().unwrap_or_default().to_owned();
                    let level_text = level.as_str().unwrap_or_default();
                    let severity = Severity::parse(level_text).ok_or_else(|| {
                        err(level.span().start, format!("severity of `{code_text}` must be error, warning or info, not `{level_text}`"))
                    })?;
                    config.severity.insert(code_text, severity);
                }
            }
            "failOn" => {
                let text = value.as_str().unwrap_or_default();
                config.fail_on = Some(FailOn::parse(text).ok_or_else(|| {
                    err(
                        value.span().start,
                        format!("`failOn` must be error, warning, info or never, not `{text}`"),
                    )
                })?);
            }
            "kubernetesVersion" => {
                let text = value.as_str().unwrap_or_default();
                if text.is_empty() {
                    return Err(err(
                        value.span().start,
                        "`kubernetesVersion` must be a version such as \"1.29\"".to_owned(),
                    ));
                }
                config.kubernetes_version = Some(text.to_owned());
            }
            "crds" => {
                let base = path.parent().unwrap_or_else(|| Path::new(""));
                config.crds = string_list(value)
                    .map_err(|(p, m)| err(p, format!("`crds`: {m}")))?
                    .iter()
                    .map(|p| base.join(p))
                    .collect();
            }
            "previous" => {
                let base = path.parent().unwrap_or_else(|| Path::new(""));
                config.previous = string_list(value)
                    .map_err(|(p, m)| err(p, format!("`previous`: {m}")))?
                    .iter()
                    .map(|p| base.join(p))
                    .collect();
            }
            "limits" => parse_limits(value, &mut config.limits).map_err(|(p, m)| err(p, m))?,
            "clusterProfile" => {
                let text = value.as_str().filter(|t| !t.is_empty() && !value.is_null());
                config.cluster_profile = Some(
                    text.ok_or_else(|| {
                        err(
                            value.span().start,
                            "`clusterProfile` must be a bundled profile name or a file".to_owned(),
                        )
                    })?
                    .to_owned(),
                );
            }
            other => {
                return Err(err(
                    key.span().start,
                    format!(
                        "unknown key `{other}` in the config (expected one of: {})",
                        TOP_KEYS.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(config)
}

fn string_list(value: Value<'_>) -> Result<Vec<String>, (Pos, String)> {
    if let Some(text) = value.as_str().filter(|_| !value.is_null()) {
        return Ok(text
            .split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect());
    }
    if !value.is_sequence() {
        return Err((value.span().start, "expected a list of strings".to_owned()));
    }
    value
        .items()
        .map(|item| {
            item.as_str()
                .map(str::to_owned)
                .ok_or_else(|| (item.span().start, "expected a string".to_owned()))
        })
        .collect()
}

fn parse_limits(value: Value<'_>, limits: &mut Limits) -> Result<(), (Pos, String)> {
    if !value.is_mapping() {
        return Err((value.span().start, "`limits` must be a mapping".to_owned()));
    }
    for (key, v) in value.entries() {
        let name = key.as_str().unwrap_or_default();
        let number: u64 = v
            .as_str()
            .and_then(|t| t.replace('_', "").parse().ok())
            .filter(|n| *n > 0)
            .ok_or_else(|| {
                (
                    v.span().start,
                    format!("limit `{name}` must be a positive whole number"),
                )
            })?;
        let as_usize = usize::try_from(number).unwrap_or(usize::MAX);
        match name {
            "max-file-size" => limits.max_file_bytes = number,
            "max-documents" => limits.max_documents = as_usize,
            "max-nodes" => limits.max_nodes = as_usize,
            "max-depth" => limits.max_depth = as_usize,
            "max-scalar-size" => limits.max_scalar_bytes = as_usize,
            "max-alias-expansion" => limits.max_alias_expansion = as_usize,
            other => {
                return Err((
                    key.span().start,
                    format!(
                        "unknown limit `{other}` (expected one of: {})",
                        LIMIT_KEYS.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Config, ConfigError> {
        parse(Path::new(".assay.yaml"), text.as_bytes())
    }

    #[test]
    fn full_config() {
        let c = parse_str(
            "select: [SEC, HARD]\nignore: HARD013, HARD012\nseverity: {HARD006: info}\nfailOn: warning\nexclude: ['charts/**']\nkubernetesVersion: '1.29'\nlimits: {max-depth: 64, max-file-size: 1_000}\n",
        )
        .unwrap();
        assert_eq!(c.select, ["SEC", "HARD"]);
        assert_eq!(c.ignore, ["HARD013", "HARD012"]);
        assert_eq!(c.severity.get("HARD006"), Some(&Severity::Info));
        assert_eq!(c.fail_on, Some(FailOn::Severity(Severity::Warning)));
        assert_eq!(c.kubernetes_version.as_deref(), Some("1.29"));
        assert_eq!(c.limits.max_depth, 64);
        assert_eq!(c.limits.max_file_bytes, 1000);
    }

    #[test]
    fn unknown_keys_are_located_errors() {
        let e = parse_str("select: [SEC]\nfailon: error\n").unwrap_err();
        assert_eq!(e.pos, Pos::new(2, 1));
        assert!(e.message.contains("unknown key `failon`"), "{e}");
        assert!(e.message.contains("failOn"), "{e}");
        let e = parse_str("limits:\n  max-depht: 3\n").unwrap_err();
        assert_eq!(e.pos, Pos::new(2, 3));
    }

    #[test]
    fn bad_values_are_located_errors() {
        assert_eq!(
            parse_str("failOn: sometimes\n").unwrap_err().pos,
            Pos::new(1, 9)
        );
        assert_eq!(
            parse_str("severity: {HARD006: loud}\n").unwrap_err().pos,
            Pos::new(1, 21)
        );
        assert!(parse_str("limits: {max-depth: -1}\n").is_err());
        assert!(
            parse_str("select: [SEC]\nselect: [HARD]\n")
                .unwrap_err()
                .message
                .contains("twice")
        );
        assert!(parse_str("- a\n").is_err());
    }

    #[test]
    fn previous_is_relative_to_the_config_folder() {
        let c = parse(Path::new("project/.assay.yaml"), b"previous: [../v1/]\n").unwrap();
        assert_eq!(c.previous, [Path::new("project").join("../v1/")]);
        let e = parse(Path::new(".assay.yaml"), b"previous: {a: 1}\n").unwrap_err();
        assert!(e.message.contains("`previous`"), "{}", e.message);
    }

    #[test]
    fn crds_are_relative_to_the_config_folder() {
        let c = parse(
            Path::new("project/.assay.yaml"),
            b"crds: [crds/, vendor/op.yaml]\n",
        )
        .unwrap();
        assert_eq!(
            c.crds,
            [
                Path::new("project").join("crds/"),
                Path::new("project").join("vendor/op.yaml")
            ]
        );
        let c = parse(Path::new(".assay.yaml"), b"crds: crds\n").unwrap();
        assert_eq!(c.crds, [PathBuf::from("crds")]);
        let absolute = std::env::temp_dir().join("crds");
        let text = format!("crds: ['{}']\n", absolute.display());
        let c = parse(Path::new("project/.assay.yaml"), text.as_bytes()).unwrap();
        assert_eq!(c.crds, [absolute]);
        let e = parse_str("crds: {a: b}\n").unwrap_err();
        assert_eq!(e.pos, Pos::new(1, 7));
        assert!(e.message.contains("`crds`"), "{e}");
        let e = parse_str("crd: [a]\n").unwrap_err();
        assert!(e.message.contains("crds"), "{e}");
    }

    #[test]
    fn cluster_profile_is_kept_as_written() {
        let c = parse_str("clusterProfile: aks-mixed\n").unwrap();
        assert_eq!(c.cluster_profile.as_deref(), Some("aks-mixed"));
        let e = parse_str("clusterProfile:\n").unwrap_err();
        assert_eq!(e.pos, Pos::new(1, 15));
    }

    #[test]
    fn empty_config_is_default() {
        assert_eq!(
            parse_str("# nothing\n").unwrap().select,
            Vec::<String>::new()
        );
    }

    #[test]
    fn discovery_walks_up() {
        let dir = std::env::temp_dir().join(format!("assay-config-test-{}", std::process::id()));
        let nested = dir.join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(dir.join(".assay.yaml"), "failOn: never\n").unwrap();
        let found = discover(&nested).unwrap();
        assert!(found.ends_with(".assay.yaml"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
