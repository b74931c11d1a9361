//! A loaded project and typed views of its services.

use crate::load::UNLOCATED;
use crate::syntax::{PortSpec, VolumeSpec, VolumeType, parse_port, parse_volume};
use crate::value::{Entry, Node};
use crate::{ComposeError, ErrorKind};
use assay_span::{FileId, FileSpan};
use std::collections::BTreeSet;

/// Keys of a service in the Compose Specification (compose-spec JSON schema).
pub const SERVICE_KEYS: &[&str] = &[
    "annotations",
    "attach",
    "blkio_config",
    "build",
    "cap_add",
    "cap_drop",
    "cgroup",
    "cgroup_parent",
    "command",
    "configs",
    "container_name",
    "cpu_count",
    "cpu_percent",
    "cpu_period",
    "cpu_quota",
    "cpu_rt_period",
    "cpu_rt_runtime",
    "cpu_shares",
    "cpus",
    "cpuset",
    "credential_spec",
    "depends_on",
    "deploy",
    "develop",
    "device_cgroup_rules",
    "devices",
    "dns",
    "dns_opt",
    "dns_search",
    "domainname",
    "entrypoint",
    "env_file",
    "environment",
    "expose",
    "extends",
    "external_links",
    "extra_hosts",
    "gpus",
    "group_add",
    "healthcheck",
    "hostname",
    "image",
    "init",
    "ipc",
    "isolation",
    "label_file",
    "labels",
    "links",
    "logging",
    "mac_address",
    "mem_limit",
    "mem_reservation",
    "mem_swappiness",
    "memswap_limit",
    "models",
    "network_mode",
    "networks",
    "oom_kill_disable",
    "oom_score_adj",
    "pid",
    "pids_limit",
    "platform",
    "ports",
    "post_start",
    "pre_start",
    "pre_stop",
    "privileged",
    "profiles",
    "provider",
    "pull_policy",
    "pull_refresh_after",
    "read_only",
    "restart",
    "runtime",
    "scale",
    "secrets",
    "security_opt",
    "shm_size",
    "stdin_open",
    "stop_grace_period",
    "stop_signal",
    "storage_opt",
    "sysctls",
    "tmpfs",
    "tty",
    "ulimits",
    "use_api_socket",
    "user",
    "userns_mode",
    "uts",
    "volumes",
    "volumes_from",
    "working_dir",
];

/// One compose project: the merged model and what went wrong loading it.
#[derive(Clone, Debug)]
pub struct Project {
    /// `name:`, `COMPOSE_PROJECT_NAME`, or the folder's name, normalised.
    pub name: String,
    /// The project folder as written (the main file's folder).
    pub dir: String,
    /// The resolved top-level mapping.
    pub model: Node,
    /// Every file the project read (main, overrides, includes, extends bases).
    pub files: BTreeSet<FileId>,
    pub errors: Vec<ComposeError>,
    /// Variables used without a value or default (they read as empty).
    pub unset_variables: Vec<String>,
}

impl Project {
    pub(crate) fn new(
        name: String,
        dir: String,
        model: Node,
        files: BTreeSet<FileId>,
        mut errors: Vec<ComposeError>,
        unset_variables: Vec<String>,
    ) -> Self {
        let main = files.first().copied();
        let mut project = Self {
            name,
            dir,
            model,
            files,
            errors: Vec::new(),
            unset_variables,
        };
        errors.extend(project.validate());
        for error in &mut errors {
            if error.at.file == UNLOCATED.file {
                error.at = FileSpan::new(main.unwrap_or(UNLOCATED.file), UNLOCATED.span);
            }
        }
        errors.sort_by(|a, b| (a.at, &a.message).cmp(&(b.at, &b.message)));
        errors.dedup();
        project.errors = errors;
        project
    }

    /// Every service that is a mapping, in the order written.
    #[must_use]
    pub fn services(&self) -> Vec<Service<'_>> {
        self.model
            .get("services")
            .map(Node::entries)
            .unwrap_or_default()
            .iter()
            .filter(|e| e.value.is_map())
            .map(|entry| Service {
                project: self,
                entry,
            })
            .collect()
    }

    #[must_use]
    pub fn service(&self, name: &str) -> Option<Service<'_>> {
        self.services().into_iter().find(|s| s.name() == name)
    }

    /// A top-level network definition.
    #[must_use]
    pub fn network(&self, name: &str) -> Option<&Entry> {
        self.model.get("networks").and_then(|n| n.entry(name))
    }

    fn validate(&self) -> Vec<ComposeError> {
        let mut errors = Vec::new();
        let mut invalid = |at: FileSpan, message: String| {
            errors.push(ComposeError {
                at,
                kind: ErrorKind::Invalid,
                message,
            });
        };
        for entry in self
            .model
            .get("services")
            .map(Node::entries)
            .unwrap_or_default()
        {
            if !entry.value.is_map() {
                if !entry.value.is_null() {
                    invalid(
                        entry.value.at,
                        format!("service `{}` must be a mapping of settings", entry.key),
                    );
                }
                continue;
            }
            let service = Service {
                project: self,
                entry,
            };
            for key in entry.value.entries() {
                if !SERVICE_KEYS.contains(&key.key.as_str()) && !key.key.starts_with("x-") {
                    invalid(
                        key.key_at,
                        format!("service `{}` has an unknown key `{}`", entry.key, key.key),
                    );
                }
            }
            if entry.value.get("image").is_none() && entry.value.get("build").is_none() {
                invalid(
                    entry.key_at,
                    format!(
                        "service `{}` has neither an `image` nor a `build` section",
                        entry.key
                    ),
                );
            }
            for item in service.get("ports").map(Node::items).unwrap_or_default() {
                if let Some(text) = item.as_str()
                    && let Err(message) = parse_port(text)
                {
                    invalid(item.at, format!("service `{}`: {message}", entry.key));
                }
            }
            for item in service.get("volumes").map(Node::items).unwrap_or_default() {
                if let Some(text) = item.as_str()
                    && let Err(message) = parse_volume(text)
                {
                    invalid(item.at, format!("service `{}`: {message}", entry.key));
                }
            }
        }
        errors
    }
}

/// One service of a project.
#[derive(Clone, Copy, Debug)]
pub struct Service<'p> {
    pub project: &'p Project,
    pub entry: &'p Entry,
}

/// A port, long syntax, and where it was written.
#[derive(Clone, Debug)]
pub struct Port {
    pub spec: PortSpec,
    pub at: FileSpan,
    /// `true` for the short `"5432:5432"` form.
    pub short: bool,
}

/// A volume mount, long syntax, and where it was written.
#[derive(Clone, Debug)]
pub struct Volume {
    pub spec: VolumeSpec,
    pub at: FileSpan,
    /// Where the source (host path or volume name) was written.
    pub source_at: FileSpan,
}

/// One `environment` variable.
#[derive(Clone, Debug)]
pub struct EnvVar<'p> {
    pub name: &'p str,
    /// `None` for `KEY` alone (taken from the shell at run time).
    pub value: Option<&'p str>,
    /// The node holding the value (`KEY=value` item or the map value).
    pub at: FileSpan,
}

/// A resource limit and the syntax that set it.
#[derive(Clone, Copy, Debug)]
pub struct Limit<'p> {
    pub node: &'p Node,
    /// `deploy.resources.limits.memory`, `mem_limit`, …
    pub form: &'static str,
}

/// One `depends_on` entry.
#[derive(Clone, Copy, Debug)]
pub struct Dependency<'p> {
    pub service: &'p str,
    pub at: FileSpan,
    /// `condition:` when written in the long syntax.
    pub condition: Option<&'p Node>,
}

impl<'p> Service<'p> {
    #[must_use]
    pub fn name(&self) -> &'p str {
        &self.entry.key
    }

    /// Where the service's name was written (the place for missing settings).
    #[must_use]
    pub fn name_at(&self) -> FileSpan {
        self.entry.key_at
    }

    #[must_use]
    pub fn node(&self) -> &'p Node {
        &self.entry.value
    }

    #[must_use]
    pub fn get(&self, key: &str) -> Option<&'p Node> {
        self.entry.value.get(key).filter(|v| !v.is_null())
    }

    /// A setting and where its key was written.
    #[must_use]
    pub fn setting(&self, key: &str) -> Option<&'p Entry> {
        self.entry.value.entry(key).filter(|e| !e.value.is_null())
    }

    /// `service "db"`, with its profiles when it has any.
    #[must_use]
    pub fn describe(&self) -> String {
        let profiles = self.profiles();
        if profiles.is_empty() {
            format!("service \"{}\"", self.name())
        } else {
            format!(
                "service \"{}\" (profiles: {})",
                self.name(),
                profiles.join(", ")
            )
        }
    }

    #[must_use]
    pub fn profiles(&self) -> Vec<&'p str> {
        self.get("profiles")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(Node::as_str)
            .collect()
    }

    #[must_use]
    pub fn image(&self) -> Option<&'p Node> {
        self.get("image")
    }

    /// `ports`, short and long syntax (entries that do not parse are skipped:
    /// the loader reports them).
    #[must_use]
    pub fn ports(&self) -> Vec<Port> {
        let mut out = Vec::new();
        for item in self.get("ports").map(Node::items).unwrap_or_default() {
            if let Some(text) = item.as_str() {
                for spec in parse_port(text).unwrap_or_default() {
                    out.push(Port {
                        spec,
                        at: item.at,
                        short: true,
                    });
                }
            } else if item.is_map() {
                let Some(target) = item.get_str("target").and_then(|t| t.parse().ok()) else {
                    continue;
                };
                out.push(Port {
                    spec: PortSpec {
                        host_ip: item
                            .get_str("host_ip")
                            .filter(|h| !h.is_empty())
                            .map(str::to_owned),
                        published: item
                            .get_str("published")
                            .filter(|p| !p.is_empty())
                            .map(str::to_owned),
                        target,
                        protocol: item.get_str("protocol").unwrap_or("tcp").to_owned(),
                    },
                    at: item.at,
                    short: false,
                });
            }
        }
        out
    }

    /// `volumes`, short and long syntax.
    #[must_use]
    pub fn volumes(&self) -> Vec<Volume> {
        let mut out = Vec::new();
        for item in self.get("volumes").map(Node::items).unwrap_or_default() {
            if let Some(text) = item.as_str() {
                if let Ok(spec) = parse_volume(text) {
                    out.push(Volume {
                        spec,
                        at: item.at,
                        source_at: item.at,
                    });
                }
            } else if item.is_map() {
                let kind = item
                    .get_str("type")
                    .and_then(VolumeType::parse)
                    .unwrap_or(VolumeType::Volume);
                out.push(Volume {
                    spec: VolumeSpec {
                        kind,
                        source: item.get_str("source").unwrap_or_default().to_owned(),
                        target: item.get_str("target").unwrap_or_default().to_owned(),
                        read_only: item.get("read_only").and_then(Node::as_bool) == Some(true),
                        options: Vec::new(),
                    },
                    at: item.at,
                    source_at: item.get("source").map_or(item.at, |s| s.at),
                });
            }
        }
        out
    }

    /// `environment`, list (`KEY=value`) or mapping syntax.
    #[must_use]
    pub fn environment(&self) -> Vec<EnvVar<'p>> {
        let Some(env) = self.get("environment") else {
            return Vec::new();
        };
        if env.is_map() {
            return env
                .entries()
                .iter()
                .map(|e| EnvVar {
                    name: &e.key,
                    value: (!e.value.is_null()).then(|| e.value.as_str()).flatten(),
                    at: if e.value.is_null() {
                        e.key_at
                    } else {
                        e.value.at
                    },
                })
                .collect();
        }
        env.items()
            .iter()
            .filter_map(|item| {
                let text = item.as_str()?;
                let (name, value) = match text.split_once('=') {
                    Some((n, v)) => (n, Some(v)),
                    None => (text, None),
                };
                Some(EnvVar {
                    name,
                    value,
                    at: item.at,
                })
            })
            .collect()
    }

    /// `build.args`, list or mapping syntax.
    #[must_use]
    pub fn build_args(&self) -> Vec<EnvVar<'p>> {
        let Some(args) = self.get("build").and_then(|b| b.get("args")) else {
            return Vec::new();
        };
        if args.is_map() {
            return args
                .entries()
                .iter()
                .map(|e| EnvVar {
                    name: &e.key,
                    value: e.value.as_str().filter(|_| !e.value.is_null()),
                    at: e.value.at,
                })
                .collect();
        }
        args.items()
            .iter()
            .filter_map(|item| {
                let (name, value) = item.as_str()?.split_once('=')?;
                Some(EnvVar {
                    name,
                    value: Some(value),
                    at: item.at,
                })
            })
            .collect()
    }

    fn limit(
        &self,
        long: &str,
        legacy: &'static str,
        long_form: &'static str,
    ) -> Option<Limit<'p>> {
        let deploy = self
            .get("deploy")
            .and_then(|d| d.path(&["resources", "limits", long]))
            .filter(|n| !n.is_null());
        deploy
            .map(|node| Limit {
                node,
                form: long_form,
            })
            .or_else(|| self.get(legacy).map(|node| Limit { node, form: legacy }))
    }

    /// The memory limit: `deploy.resources.limits.memory` or `mem_limit`.
    #[must_use]
    pub fn memory_limit(&self) -> Option<Limit<'p>> {
        self.limit("memory", "mem_limit", "deploy.resources.limits.memory")
    }

    /// The CPU limit: `deploy.resources.limits.cpus` or `cpus`.
    #[must_use]
    pub fn cpu_limit(&self) -> Option<Limit<'p>> {
        self.limit("cpus", "cpus", "deploy.resources.limits.cpus")
    }

    /// The process limit: `deploy.resources.limits.pids` or `pids_limit`.
    #[must_use]
    pub fn pids_limit(&self) -> Option<Limit<'p>> {
        self.limit("pids", "pids_limit", "deploy.resources.limits.pids")
    }

    /// Which limit syntax the service already uses, to suggest the same one.
    #[must_use]
    pub fn uses_deploy_limits(&self) -> bool {
        self.get("deploy")
            .and_then(|d| d.path(&["resources", "limits"]))
            .is_some()
            || !["mem_limit", "cpus", "pids_limit"]
                .iter()
                .any(|k| self.get(k).is_some())
    }

    /// `depends_on`, list or mapping syntax.
    #[must_use]
    pub fn depends_on(&self) -> Vec<Dependency<'p>> {
        let Some(deps) = self.get("depends_on") else {
            return Vec::new();
        };
        if deps.is_map() {
            return deps
                .entries()
                .iter()
                .map(|e| Dependency {
                    service: &e.key,
                    at: e.key_at,
                    condition: e.value.get("condition"),
                })
                .collect();
        }
        deps.items()
            .iter()
            .filter_map(|item| {
                Some(Dependency {
                    service: item.as_str()?,
                    at: item.at,
                    condition: None,
                })
            })
            .collect()
    }

    /// Names of the networks the service joins (list or mapping syntax); empty
    /// means the project's `default` network.
    #[must_use]
    pub fn networks(&self) -> Vec<(&'p str, FileSpan)> {
        let Some(networks) = self.get("networks") else {
            return Vec::new();
        };
        if networks.is_map() {
            networks
                .entries()
                .iter()
                .map(|e| (e.key.as_str(), e.key_at))
                .collect()
        } else {
            networks
                .items()
                .iter()
                .filter_map(|i| Some((i.as_str()?, i.at)))
                .collect()
        }
    }

    /// Items of a list setting such as `cap_add`, `security_opt`, `devices`.
    #[must_use]
    pub fn list(&self, key: &str) -> &'p [Node] {
        self.get(key).map(Node::items).unwrap_or_default()
    }
}
