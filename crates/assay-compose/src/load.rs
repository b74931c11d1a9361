//! Loading a compose project: the files given (`-f a -f b`, or one file and
//! its `compose.override.yaml`), interpolated, with `include` and `extends`
//! applied, merged in order (compose-go `loader.loadYamlModel`).

use crate::interpolate::{Environment, interpolate};
use crate::merge::{MergeError, enforce_unicity, merge, strip_resets};
use crate::value::{ConvertError, Entry, Kind, Node, convert};
use crate::{ComposeError, ErrorKind, Project};
use assay_span::{FileId, FileSpan, Span};
use assay_yaml::Tree;
use std::collections::BTreeSet;

/// Where the loader gets files from: the run's source map, and the disk when
/// the caller allows it. Paths are as written, relative to the process.
pub trait Sources {
    /// The id of the YAML file at `path`, parsing it on first use; or why it
    /// cannot be read.
    fn yaml(&mut self, path: &str) -> Result<FileId, String>;
    /// The parsed tree of a file [`Sources::yaml`] returned.
    fn tree(&self, file: FileId) -> Option<&Tree>;
    /// The text of a plain file (`.env`), when it exists.
    fn text(&mut self, path: &str) -> Option<String>;
}

/// How a project is loaded.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// `--env-file` paths: replace the project's `.env` when given.
    pub env_files: Vec<String>,
    /// The process environment, only when the user asked for it (`--use-env`):
    /// by default results never depend on the machine.
    pub process_env: Option<Environment>,
    /// Most nodes one file may expand to through aliases.
    pub max_nodes: usize,
}

/// Where problems with no place in a YAML file (an unreadable `.env`) are
/// recorded until [`Project::new`] moves them to the main file's first line.
pub(crate) const UNLOCATED: FileSpan = FileSpan::new(
    FileId(u32::MAX),
    Span::new(assay_span::Pos::new(1, 1), assay_span::Pos::new(1, 1)),
);

/// Nested `include` / `extends` chains deeper than this are reported, not followed.
pub const MAX_CHAIN: usize = 32;

/// Top-level keys of the Compose Specification.
pub const TOP_LEVEL_KEYS: &[&str] = &[
    "version", "name", "services", "networks", "volumes", "secrets", "configs", "include", "models",
];

/// The folder part of a path as written (`""` for a bare file name).
#[must_use]
pub fn dir_of(path: &str) -> &str {
    match path.rfind(['/', '\\']) {
        Some(0) => "/",
        Some(i) => path.get(..i).unwrap_or_default(),
        None => "",
    }
}

/// `rel` relative to folder `dir`, lexically normalised (`a/./b/../c` → `a/c`).
#[must_use]
pub fn join(dir: &str, rel: &str) -> String {
    let joined = if rel.starts_with('/') || dir.is_empty() {
        rel.to_owned()
    } else {
        format!("{}/{rel}", dir.trim_end_matches('/'))
    };
    normalize(&joined)
}

fn normalize(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            other => parts.push(other),
        }
    }
    let body = parts.join("/");
    if absolute {
        format!("/{body}")
    } else if body.is_empty() {
        ".".to_owned()
    } else {
        body
    }
}

/// The override file Docker Compose picks up beside `path`, by name.
#[must_use]
pub fn override_name(path: &str) -> Option<String> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let (stem, ext) = name.rsplit_once('.')?;
    if !matches!(ext, "yaml" | "yml") || !matches!(stem, "compose" | "docker-compose") {
        return None;
    }
    Some(join(dir_of(path), &format!("{stem}.override.{ext}")))
}

struct Loader<'s> {
    sources: &'s mut dyn Sources,
    errors: Vec<ComposeError>,
    files: BTreeSet<FileId>,
    max_nodes: usize,
    unset: BTreeSet<String>,
}

/// Load one project from `paths` (the first is the main file) with `options`.
/// Problems become located [`ComposeError`]s in the project; loading goes on
/// with what could be read.
pub fn load_project(sources: &mut dyn Sources, paths: &[String], options: &LoadOptions) -> Project {
    let dir = paths.first().map_or("", |p| dir_of(p)).to_owned();
    let mut loader = Loader {
        sources,
        errors: Vec::new(),
        files: BTreeSet::new(),
        max_nodes: if options.max_nodes == 0 {
            100_000
        } else {
            options.max_nodes
        },
        unset: BTreeSet::new(),
    };
    let env = loader.environment(&dir, &options.env_files, options.process_env.as_ref());
    let mut chain = Vec::new();
    let model = loader.load_files(paths, &env, &mut chain, true);
    let name = project_name(&model, &env, &dir);
    Project::new(
        name,
        dir,
        model,
        loader.files,
        loader.errors,
        loader.unset.into_iter().collect(),
    )
}

fn project_name(model: &Node, env: &Environment, dir: &str) -> String {
    if let Some(name) = model.get_str("name").filter(|n| !n.is_empty()) {
        return normalize_project_name(name);
    }
    if let Some(name) = env.get("COMPOSE_PROJECT_NAME").filter(|n| !n.is_empty()) {
        return normalize_project_name(name);
    }
    let folder = if dir.is_empty() || dir == "." {
        std::env::current_dir()
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_default()
    } else {
        dir.trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(dir)
            .to_owned()
    };
    normalize_project_name(&folder)
}

/// Lower case, only `a-z0-9_-`, starting with a letter or digit
/// (compose-go `loader.NormalizeProjectName`).
#[must_use]
pub fn normalize_project_name(name: &str) -> String {
    let lower: String = name
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_' || *c == '-')
        .collect();
    lower
        .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_owned()
}

impl Loader<'_> {
    fn error(&mut self, at: FileSpan, kind: ErrorKind, message: impl Into<String>) {
        self.errors.push(ComposeError {
            at,
            kind,
            message: message.into(),
        });
    }

    fn environment(
        &mut self,
        dir: &str,
        env_files: &[String],
        process: Option<&Environment>,
    ) -> Environment {
        let mut env = Environment::new();
        let files: Vec<String> = if env_files.is_empty() {
            vec![join(dir, ".env")]
        } else {
            env_files.to_vec()
        };
        for path in files {
            match self.sources.text(&path) {
                Some(text) => {
                    for problem in crate::dotenv::parse_into(&text, &mut env) {
                        self.error(
                            UNLOCATED,
                            ErrorKind::EnvFile,
                            format!("{path}:{}: {}", problem.line, problem.message),
                        );
                    }
                }
                None if !env_files.is_empty() => self.error(
                    UNLOCATED,
                    ErrorKind::EnvFile,
                    format!("env file {path} not found"),
                ),
                None => {}
            }
        }
        if let Some(process) = process {
            // The shell wins over `.env` (Compose Specification, "Interpolation").
            env.extend(process.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        env
    }

    /// Read, convert and interpolate one file; `None` when it cannot be read.
    fn read(
        &mut self,
        path: &str,
        from: Option<FileSpan>,
        env: &Environment,
    ) -> Option<(FileId, Node)> {
        let file = match self.sources.yaml(path) {
            Ok(file) => file,
            Err(reason) => {
                let at = from.unwrap_or(UNLOCATED);
                self.error(
                    at,
                    ErrorKind::MissingFile,
                    format!("cannot read {path}: {reason}"),
                );
                return None;
            }
        };
        self.files.insert(file);
        let tree = self.sources.tree(file)?;
        // A compose file is one document; an empty file is an empty project.
        let root = tree.documents().first().map(|d| tree.value(d.root));
        let converted = match root {
            Some(root) if !root.is_null() => convert(root, file, self.max_nodes),
            _ => Ok(Node::map(FileSpan::new(file, Span::default()), Vec::new())),
        };
        let mut node = match converted {
            Ok(node) => node,
            Err(ConvertError::TooLarge) => {
                let at = root.map_or_else(Span::default, |r| r.span());
                self.error(
                    FileSpan::new(file, at),
                    ErrorKind::Invalid,
                    format!(
                        "{path} expands to more than {} nodes through aliases",
                        self.max_nodes
                    ),
                );
                return None;
            }
        };
        if !node.is_map() {
            self.error(
                node.at,
                ErrorKind::Invalid,
                "a compose file must be a mapping at the top level",
            );
            return None;
        }
        self.interpolate_tree(&mut node, env);
        Some((file, node))
    }

    fn interpolate_tree(&mut self, root: &mut Node, env: &Environment) {
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            match &mut node.kind {
                Kind::Scalar { text, .. } => {
                    if !text.contains('$') {
                        continue;
                    }
                    match interpolate(text, env) {
                        Ok(done) => {
                            *text = done.text;
                            self.unset.extend(done.unset);
                        }
                        Err(err) => {
                            let at = node.at;
                            self.error(at, ErrorKind::Interpolation, err.to_string());
                        }
                    }
                }
                Kind::Map(entries) => stack.extend(entries.iter_mut().map(|e| &mut e.value)),
                Kind::Seq(items) => stack.extend(items.iter_mut()),
            }
        }
    }

    /// Load `paths` in order, merging each onto the previous ones.
    fn load_files(
        &mut self,
        paths: &[String],
        env: &Environment,
        chain: &mut Vec<String>,
        top: bool,
    ) -> Node {
        let mut model: Option<Node> = None;
        for (i, path) in paths.iter().enumerate() {
            let Some((file, mut cfg)) = self.read(path, None, env) else {
                continue;
            };
            if top && i == 0 {
                self.validate_top_level(&cfg);
            }
            chain.push(path.clone());
            self.apply_include(&mut cfg, path, chain);
            self.apply_extends(&mut cfg, file, path, env);
            chain.pop();
            model = match model {
                None => strip_resets(cfg),
                Some(base) => match merge(base.clone(), cfg, &mut Vec::new()) {
                    Ok(merged) => merged,
                    Err(MergeError { at, path }) => {
                        self.error(at, ErrorKind::Invalid, format!("cannot merge `{path}`: the value has another type than in the earlier file"));
                        Some(base)
                    }
                },
            };
            if let Some(model) = model.as_mut() {
                enforce_unicity(model);
            }
        }
        model.unwrap_or_else(|| Node::map(UNLOCATED, Vec::new()))
    }

    fn validate_top_level(&mut self, cfg: &Node) {
        for entry in cfg.entries() {
            if !TOP_LEVEL_KEYS.contains(&entry.key.as_str()) && !entry.key.starts_with("x-") {
                self.error(
                    entry.key_at,
                    ErrorKind::Invalid,
                    format!("unknown top-level key `{}` (the Compose Specification allows {} and `x-` extensions)", entry.key, TOP_LEVEL_KEYS.join(", ")),
                );
            }
        }
        if let Some(services) = cfg.get("services").filter(|s| !s.is_null() && !s.is_map()) {
            self.error(
                services.at,
                ErrorKind::Invalid,
                "`services` must be a mapping of service names to services",
            );
        }
        for (key, what) in [
            ("networks", "network"),
            ("volumes", "volume"),
            ("secrets", "secret"),
            ("configs", "config"),
        ] {
            if let Some(section) = cfg.get(key).filter(|s| !s.is_null() && !s.is_map()) {
                self.error(
                    section.at,
                    ErrorKind::Invalid,
                    format!("`{key}` must be a mapping of {what} names to {what}s"),
                );
            }
        }
    }

    /// `include:` (Compose Specification "Include"): each entry is loaded as its
    /// own project and its resources added; redefining one is an error.
    fn apply_include(&mut self, cfg: &mut Node, path: &str, chain: &mut Vec<String>) {
        let Some(position) = cfg.entries().iter().position(|e| e.key == "include") else {
            return;
        };
        let Some(entries) = cfg.entries_mut() else {
            return;
        };
        let include = entries.remove(position);
        let dir = dir_of(path).to_owned();
        let mut included_models = Vec::new();
        for item in include.value.items() {
            let (files, project_dir, env_files): (
                Vec<(String, FileSpan)>,
                Option<String>,
                Vec<String>,
            ) = match &item.kind {
                Kind::Scalar { text, .. } => (vec![(join(&dir, text), item.at)], None, Vec::new()),
                Kind::Map(_) => {
                    let files = match item.get("path") {
                        Some(p) if p.is_seq() => p
                            .items()
                            .iter()
                            .filter_map(|i| Some((join(&dir, i.as_str()?), i.at)))
                            .collect(),
                        Some(p) => p
                            .as_str()
                            .map(|s| vec![(join(&dir, s), p.at)])
                            .unwrap_or_default(),
                        None => Vec::new(),
                    };
                    let env_files = match item.get("env_file") {
                        Some(e) if e.is_seq() => e
                            .items()
                            .iter()
                            .filter_map(|i| i.as_str())
                            .map(|s| join(&dir, s))
                            .collect(),
                        Some(e) => e.as_str().map(|s| vec![join(&dir, s)]).unwrap_or_default(),
                        None => Vec::new(),
                    };
                    (
                        files,
                        item.get_str("project_directory").map(|d| join(&dir, d)),
                        env_files,
                    )
                }
                Kind::Seq(_) => (Vec::new(), None, Vec::new()),
            };
            if files.is_empty() {
                self.error(
                    item.at,
                    ErrorKind::Invalid,
                    "an `include` entry needs a `path`",
                );
                continue;
            }
            if let Some((first, at)) = files.first() {
                if chain.contains(first) {
                    self.error(
                        *at,
                        ErrorKind::Cycle,
                        format!(
                            "include cycle: {} includes {first} again",
                            chain.join(" includes ")
                        ),
                    );
                    continue;
                }
                if chain.len() >= MAX_CHAIN {
                    self.error(
                        *at,
                        ErrorKind::Cycle,
                        format!("includes nest more than {MAX_CHAIN} deep"),
                    );
                    continue;
                }
                // A missing file is reported where the include names it.
                if self.sources.yaml(first).is_err() {
                    self.error(
                        *at,
                        ErrorKind::MissingFile,
                        format!("included file {first} cannot be read"),
                    );
                    continue;
                }
            }
            let inc_dir = project_dir.unwrap_or_else(|| {
                files
                    .first()
                    .map(|(f, _)| dir_of(f).to_owned())
                    .unwrap_or_default()
            });
            let env = self.environment(&inc_dir, &env_files, None);
            let paths: Vec<String> = files.into_iter().map(|(p, _)| p).collect();
            let model = self.load_files(&paths, &env, chain, false);
            included_models.push((model, item.at));
        }
        let Some(entries) = cfg.entries_mut() else {
            return;
        };
        for (model, at) in included_models {
            for section in model.entries() {
                if !matches!(
                    section.key.as_str(),
                    "services" | "volumes" | "networks" | "secrets" | "configs" | "models"
                ) {
                    continue;
                }
                let target = match entries.iter_mut().find(|e| e.key == section.key) {
                    Some(existing) => existing,
                    None => {
                        entries.push(Entry {
                            key: section.key.clone(),
                            key_at: section.key_at,
                            value: Node::map(section.value.at, Vec::new()),
                        });
                        let Some(last) = entries.last_mut() else {
                            continue;
                        };
                        last
                    }
                };
                let Some(resources) = target.value.entries_mut() else {
                    continue;
                };
                for resource in section.value.entries() {
                    match resources.iter().find(|r| r.key == resource.key) {
                        Some(existing) if existing.value != resource.value => {
                            self.errors.push(ComposeError {
                                at,
                                kind: ErrorKind::Invalid,
                                message: format!("included file defines {} `{}`, which conflicts with the one defined here", section.key.trim_end_matches('s'), resource.key),
                            });
                        }
                        Some(_) => {}
                        None => resources.push(resource.clone()),
                    }
                }
            }
        }
    }

    /// `extends:` for every service of `cfg`, from the same file or another.
    fn apply_extends(&mut self, cfg: &mut Node, file: FileId, path: &str, env: &Environment) {
        let Some(services) = cfg.get("services").filter(|s| s.is_map()) else {
            return;
        };
        let names: Vec<String> = services
            .entries()
            .iter()
            .filter(|e| e.value.get("extends").is_some())
            .map(|e| e.key.clone())
            .collect();
        if names.is_empty() {
            return;
        }
        let snapshot = services.clone();
        let mut resolved = Vec::new();
        for name in names {
            let mut chain = vec![(path.to_owned(), name.clone())];
            if let Some(node) = self.extended(&snapshot, file, path, &name, env, &mut chain) {
                resolved.push((name, node));
            }
        }
        let Some(services) = cfg
            .entries_mut()
            .and_then(|e| e.iter_mut().find(|e| e.key == "services"))
        else {
            return;
        };
        let Some(entries) = services.value.entries_mut() else {
            return;
        };
        for (name, node) in resolved {
            if let Some(entry) = entries.iter_mut().find(|e| e.key == name) {
                entry.value = node;
            }
        }
    }

    /// The service `name` of `services` (from file `path`) with its `extends` applied.
    fn extended(
        &mut self,
        services: &Node,
        file: FileId,
        path: &str,
        name: &str,
        env: &Environment,
        chain: &mut Vec<(String, String)>,
    ) -> Option<Node> {
        let service = services.get(name)?.clone();
        let Some(extends) = service.get("extends") else {
            return Some(service);
        };
        let extends_at = extends.at;
        let (base_name, base_file) = match &extends.kind {
            Kind::Scalar { text, .. } => (text.clone(), None),
            Kind::Map(_) => match extends.get("service").and_then(Node::as_str) {
                Some(s) => (
                    s.to_owned(),
                    extends
                        .get("file")
                        .and_then(|f| Some((f.as_str()?.to_owned(), f.at))),
                ),
                None => {
                    self.error(
                        extends_at,
                        ErrorKind::Invalid,
                        format!("service `{name}`: `extends` needs a `service`"),
                    );
                    return Some(service);
                }
            },
            Kind::Seq(_) => {
                self.error(
                    extends_at,
                    ErrorKind::Invalid,
                    format!("service `{name}`: `extends` must be a service name or a mapping"),
                );
                return Some(service);
            }
        };
        let (base_services, base_path, base_id) = match base_file {
            None => (services.clone(), path.to_owned(), file),
            Some((rel, at)) => {
                let other = join(dir_of(path), &rel);
                let (id, node) = self.read(&other, Some(at), env)?;
                let Some(base_services) = node.get("services").cloned() else {
                    self.error(at, ErrorKind::Invalid, format!("service `{name}` extends `{base_name}` in {other}, which has no services"));
                    return Some(service);
                };
                (base_services, other, id)
            }
        };
        if chain
            .iter()
            .any(|(f, s)| *f == base_path && *s == base_name)
        {
            let cycle: Vec<String> = chain.iter().map(|(f, s)| format!("`{s}` ({f})")).collect();
            self.error(
                extends_at,
                ErrorKind::Cycle,
                format!(
                    "extends cycle: {} extends `{base_name}` again",
                    cycle.join(" extends ")
                ),
            );
            return Some(without_extends(service));
        }
        if chain.len() >= MAX_CHAIN {
            self.error(
                extends_at,
                ErrorKind::Cycle,
                format!("extends chains nest more than {MAX_CHAIN} deep"),
            );
            return Some(without_extends(service));
        }
        if base_services.get(&base_name).is_none() {
            self.error(
                extends_at,
                ErrorKind::Invalid,
                format!(
                    "service `{name}` extends `{base_name}`, which {base_path} does not define"
                ),
            );
            return Some(without_extends(service));
        }
        chain.push((base_path.clone(), base_name.clone()));
        let base = self.extended(&base_services, base_id, &base_path, &base_name, env, chain);
        chain.pop();
        let base = base?;
        let mut path_keys = vec!["services".to_owned(), "x".to_owned()];
        match merge(base, without_extends(service.clone()), &mut path_keys) {
            Ok(Some(merged)) => Some(merged),
            Ok(None) => None,
            Err(MergeError { at, path }) => {
                self.error(
                    at,
                    ErrorKind::Invalid,
                    format!("service `{name}`: cannot merge `{path}` with the extended service"),
                );
                Some(without_extends(service))
            }
        }
    }
}

fn without_extends(mut service: Node) -> Node {
    if let Some(entries) = service.entries_mut() {
        entries.retain(|e| e.key != "extends");
    }
    service
}
