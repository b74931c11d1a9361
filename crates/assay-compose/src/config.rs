//! The project as `docker compose config --format json` prints it: defaults
//! filled in (project name, `default` network, resource names), short syntax
//! turned into long syntax, paths made absolute, values typed as Compose
//! types them, and `$` written `$$` so the output loads again unchanged.

use crate::join;
use crate::merge::{to_mapping, to_sequence};
use crate::project::{Project, Service};
use crate::syntax::{VolumeType, parse_port, parse_volume};
use crate::value::{Kind, Node};
use serde_json::{Map, Value, json};

const BOOLS: &[&str] = &[
    "privileged",
    "read_only",
    "init",
    "tty",
    "stdin_open",
    "oom_kill_disable",
    "use_api_socket",
];
const INTS: &[&str] = &[
    "pids_limit",
    "cpu_shares",
    "cpu_count",
    "cpu_percent",
    "cpu_period",
    "cpu_quota",
    "cpu_rt_period",
    "cpu_rt_runtime",
    "oom_score_adj",
    "scale",
    "mem_swappiness",
];
const BYTES: &[&str] = &["mem_limit", "mem_reservation", "memswap_limit", "shm_size"];
const STRING_LISTS: &[&str] = &[
    "cap_add",
    "cap_drop",
    "dns",
    "dns_search",
    "dns_opt",
    "security_opt",
    "expose",
    "profiles",
    "tmpfs",
    "external_links",
    "links",
    "volumes_from",
    "group_add",
    "device_cgroup_rules",
];
const MAPS: &[&str] = &["labels", "annotations", "sysctls"];

/// What `config_json` needs besides the project.
pub struct ConfigContext<'a> {
    /// The absolute project folder (relative paths resolve against it).
    pub workdir: &'a str,
    /// The user's home folder, for `~` in bind mounts.
    pub home: &'a str,
    /// Profiles to enable (`--profile`), besides `COMPOSE_PROFILES`.
    pub profiles: &'a [String],
    /// Reads an `env_file` (absolute path); `None` when it cannot be read.
    pub read: &'a dyn Fn(&str) -> Option<String>,
}

/// Whether a service is enabled: no profiles, or one of them is active.
fn enabled(service: &Service<'_>, active: &[&str]) -> bool {
    let profiles = service.profiles();
    profiles.is_empty() || active.contains(&"*") || profiles.iter().any(|p| active.contains(p))
}

/// The project in the JSON shape of `docker compose config --format json`.
/// Errors are `env_file`s that are required and cannot be read.
pub fn config_json(project: &Project, ctx: &ConfigContext<'_>) -> Result<Value, String> {
    let workdir = ctx.workdir;
    let mut top = Map::new();
    top.insert("name".to_owned(), json!(project.name));
    let mut active: Vec<&str> = ctx.profiles.iter().map(String::as_str).collect();
    if let Some(list) = project.environment.get("COMPOSE_PROFILES") {
        active.extend(list.split(',').map(str::trim).filter(|p| !p.is_empty()));
    }
    let mut services = Map::new();
    let mut uses_default = false;
    for service in project.services().iter().filter(|s| enabled(s, &active)) {
        let (value, default) = service_json(service, project, ctx)?;
        uses_default |= default;
        services.insert(service.name().to_owned(), value);
    }
    let used = used_resources(&services);
    top.insert("services".to_owned(), Value::Object(services));
    let mut networks = resources(project, "networks", workdir, &used);
    if uses_default && !networks.contains_key("default") {
        networks.insert("default".to_owned(), json!({}));
    }
    for (key, network) in &mut networks {
        if let Value::Object(map) = network {
            map.entry("ipam").or_insert_with(|| json!({}));
            if !map.contains_key("name") {
                let name = if map.get("external") == Some(&json!(true)) {
                    key.clone()
                } else {
                    format!("{}_{key}", project.name)
                };
                map.insert("name".to_owned(), json!(name));
            }
        }
    }
    for (key, section) in [("networks", networks)] {
        if !section.is_empty() {
            top.insert(key.to_owned(), Value::Object(section));
        }
    }
    for key in ["volumes", "secrets", "configs"] {
        let mut section = resources(project, key, workdir, &used);
        for (name, resource) in &mut section {
            if let Value::Object(map) = resource
                && !map.contains_key("name")
            {
                let full = if map.get("external") == Some(&json!(true)) {
                    name.clone()
                } else {
                    format!("{}_{name}", project.name)
                };
                map.insert("name".to_owned(), json!(full));
            }
        }
        if !section.is_empty() {
            top.insert(key.to_owned(), Value::Object(section));
        }
    }
    for entry in project.model.entries() {
        if entry.key.starts_with("x-") {
            top.insert(entry.key.clone(), plain_json(&entry.value));
        }
    }
    Ok(Value::Object(top))
}

/// `(section, name)` of every network, volume, secret and config a service
/// uses: `docker compose config` leaves the others out.
fn used_resources(services: &Map<String, Value>) -> Vec<(&'static str, String)> {
    let mut used = Vec::new();
    for service in services.values() {
        if let Some(Value::Object(networks)) = service.get("networks") {
            used.extend(networks.keys().map(|n| ("networks", n.clone())));
        }
        for volume in service
            .get("volumes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if volume.get("type") == Some(&json!("volume"))
                && let Some(Value::String(source)) = volume.get("source")
            {
                used.push(("volumes", source.clone()));
            }
        }
        for key in ["secrets", "configs"] {
            for mount in service
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(Value::String(source)) = mount.get("source") {
                    used.push((key, source.clone()));
                }
            }
        }
    }
    used
}

fn resources(
    project: &Project,
    key: &'static str,
    workdir: &str,
    used: &[(&str, String)],
) -> Map<String, Value> {
    let mut out = Map::new();
    for entry in project
        .model
        .get(key)
        .map(Node::entries)
        .unwrap_or_default()
    {
        if !used.iter().any(|(k, n)| *k == key && *n == entry.key) {
            continue;
        }
        let mut map = Map::new();
        for field in entry.value.entries() {
            let value = match field.key.as_str() {
                "file" => json!(absolute(workdir, field.value.as_str().unwrap_or_default())),
                "external" | "internal" | "attachable" | "enable_ipv6" | "enable_ipv4" => field
                    .value
                    .as_bool()
                    .map_or_else(|| plain_json(&field.value), Value::Bool),
                "labels" | "driver_opts" => map_json(&field.value),
                _ => plain_json(&field.value),
            };
            map.insert(field.key.clone(), value);
        }
        out.insert(entry.key.clone(), Value::Object(map));
    }
    out
}

/// One service; the flag says whether it joins the project's `default` network.
fn service_json(
    service: &Service<'_>,
    project: &Project,
    ctx: &ConfigContext<'_>,
) -> Result<(Value, bool), String> {
    let workdir = ctx.workdir;
    let mut map = Map::new();
    for entry in service.node().entries() {
        let key = entry.key.as_str();
        let node = &entry.value;
        if node.is_null() && !matches!(key, "command" | "entrypoint") {
            continue;
        }
        let value = match key {
            // Go's `omitempty`: a false boolean is not printed.
            k if BOOLS.contains(&k) && node.as_bool() == Some(false) => continue,
            k if BOOLS.contains(&k) => node.as_bool().map_or_else(|| plain_json(node), Value::Bool),
            k if INTS.contains(&k) => int_json(node),
            k if BYTES.contains(&k) => bytes_json(node),
            "cpus" => float_json(node),
            k if STRING_LISTS.contains(&k) => string_list(node),
            k if MAPS.contains(&k) => map_json(node),
            "command" | "entrypoint" => command_json(node),
            "environment" => continue,
            "ports" => ports_json(node),
            "volumes" => volumes_json(node, workdir, ctx.home),
            "devices" => devices_json(node),
            "stop_grace_period" => duration_json(node),
            "pull_policy" if node.as_str() == Some("if_not_present") => json!("missing"),
            "secrets" => mounts_json(node, "/run/secrets/"),
            "configs" => mounts_json(node, "/"),
            "depends_on" => depends_on_json(node),
            "networks" => networks_json(node),
            "healthcheck" => healthcheck_json(node),
            "deploy" => deploy_json(node),
            "build" => build_json(node, workdir, &project.environment),
            "env_file" => continue,
            "extends" => continue,
            _ => plain_json(node),
        };
        map.insert(key.to_owned(), value);
    }
    for key in ["command", "entrypoint"] {
        map.entry(key).or_insert(Value::Null);
    }
    let environment = environment_json(service, project, ctx)?;
    if !environment.is_empty() {
        map.insert("environment".to_owned(), Value::Object(environment));
    }
    implicit_dependencies(service, &mut map);
    let uses_default = !map.contains_key("network_mode") && !map.contains_key("networks");
    if uses_default {
        map.insert("networks".to_owned(), json!({"default": null}));
    }
    Ok((Value::Object(map), uses_default))
}

/// Services another one shares a namespace or volumes with are dependencies
/// (compose-go `loader.Normalize`).
fn implicit_dependencies(service: &Service<'_>, map: &mut Map<String, Value>) {
    let mut implied: Vec<(String, bool)> = Vec::new();
    for link in service.list("links").iter().filter_map(Node::as_str) {
        implied.push((link.split(':').next().unwrap_or(link).to_owned(), true));
    }
    for key in ["network_mode", "ipc", "pid", "uts", "cgroup"] {
        if let Some(shared) = service
            .get(key)
            .and_then(Node::as_str)
            .and_then(|v| v.strip_prefix("service:"))
        {
            implied.push((shared.to_owned(), true));
        }
    }
    for from in service.list("volumes_from").iter().filter_map(Node::as_str) {
        if !from.starts_with("container:") {
            implied.push((from.split(':').next().unwrap_or(from).to_owned(), false));
        }
    }
    if implied.is_empty() {
        return;
    }
    let depends = map.entry("depends_on").or_insert_with(|| json!({}));
    let Value::Object(depends) = depends else {
        return;
    };
    for (name, restart) in implied {
        depends.entry(name).or_insert_with(|| {
            let mut entry = json!({"condition": "service_started", "required": true});
            if restart && let Value::Object(m) = &mut entry {
                m.insert("restart".to_owned(), json!(true));
            }
            entry
        });
    }
}

/// A Go duration as Go prints it (`90s` → `1m30s`), as compose-go's types do.
pub(crate) fn go_duration(text: &str) -> Option<String> {
    let mut total: f64 = 0.0;
    let mut rest = text.trim();
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, after) = rest.split_at(number_end);
        let number: f64 = number.parse().ok()?;
        let unit_end = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_end);
        let nanos = match unit {
            "ns" => 1.0,
            "us" | "µs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        total += number * nanos;
        rest = next;
    }
    let nanos = total.round() as u64;
    if nanos == 0 {
        return Some("0s".to_owned());
    }
    if nanos < 1_000_000_000 {
        let (value, unit) = if nanos < 1_000 {
            (nanos as f64, "ns")
        } else if nanos < 1_000_000 {
            (nanos as f64 / 1e3, "µs")
        } else {
            (nanos as f64 / 1e6, "ms")
        };
        return Some(format!("{}{unit}", trim_float(value)));
    }
    let hours = nanos / 3_600_000_000_000;
    let minutes = (nanos / 60_000_000_000) % 60;
    let seconds = (nanos % 60_000_000_000) as f64 / 1e9;
    let mut out = String::new();
    if hours > 0 {
        out.push_str(&format!("{hours}h"));
    }
    if hours > 0 || minutes > 0 {
        out.push_str(&format!("{minutes}m"));
    }
    out.push_str(&format!("{}s", trim_float(seconds)));
    Some(out)
}

fn trim_float(value: f64) -> String {
    let text = format!("{value:.9}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn duration_json(node: &Node) -> Value {
    node.as_str()
        .and_then(go_duration)
        .map_or_else(|| text_json(node), |d| json!(d))
}

fn devices_json(node: &Node) -> Value {
    Value::Array(
        node.items()
            .iter()
            .map(|item| match item.as_str() {
                Some(text) => {
                    let parts: Vec<&str> = text.split(':').collect();
                    let source = parts.first().copied().unwrap_or_default();
                    let target = parts.get(1).copied().unwrap_or(source);
                    let permissions = parts.get(2).copied().unwrap_or("rwm");
                    json!({"source": source, "target": target, "permissions": permissions})
                }
                None => plain_json(item),
            })
            .collect(),
    )
}

/// `$` as Compose writes it back (`$$`), so the output loads unchanged.
fn escaped(text: &str) -> String {
    text.replace('$', "$$")
}

/// A value typed as YAML 1.2 reads it (for fields assay has no type for).
fn plain_json(node: &Node) -> Value {
    match &node.kind {
        Kind::Scalar { text, plain: true } => {
            if node.is_null() {
                Value::Null
            } else if let Some(b) = node.as_bool() {
                Value::Bool(b)
            } else if let Ok(i) = text.parse::<i64>() {
                json!(i)
            } else if let Some(f) = text
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite() && text.contains('.'))
            {
                json!(f)
            } else {
                json!(escaped(text))
            }
        }
        Kind::Scalar { text, .. } => json!(escaped(text)),
        Kind::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|e| (e.key.clone(), plain_json(&e.value)))
                .collect(),
        ),
        Kind::Seq(items) => Value::Array(items.iter().map(plain_json).collect()),
    }
}

fn text_json(node: &Node) -> Value {
    node.as_str()
        .map_or_else(|| plain_json(node), |t| json!(escaped(t)))
}

fn int_json(node: &Node) -> Value {
    node.as_str()
        .and_then(|t| t.parse::<i64>().ok())
        .map_or_else(|| plain_json(node), |i| json!(i))
}

fn float_json(node: &Node) -> Value {
    node.as_str()
        .and_then(|t| t.parse::<f64>().ok())
        .filter(|f| f.is_finite())
        .map_or_else(|| plain_json(node), |f| json!(f))
}

/// `256m` → `"268435456"` (docker/go-units `RAMInBytes`: 1024-based).
pub(crate) fn bytes(text: &str) -> Option<u64> {
    let lower = text.trim().to_ascii_lowercase();
    let digits_end = lower
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(lower.len());
    let (number, unit) = lower.split_at(digits_end);
    let number: f64 = number.parse().ok()?;
    let factor: f64 = match unit.trim() {
        "" | "b" => 1.0,
        "k" | "kb" | "kib" => 1024.0,
        "m" | "mb" | "mib" => 1024.0 * 1024.0,
        "g" | "gb" | "gib" => 1024.0 * 1024.0 * 1024.0,
        "t" | "tb" | "tib" => 1024.0_f64.powi(4),
        "p" | "pb" | "pib" => 1024.0_f64.powi(5),
        _ => return None,
    };
    let value = (number * factor).trunc();
    (0.0..1.8e19).contains(&value).then_some(value as u64)
}

fn bytes_json(node: &Node) -> Value {
    node.as_str()
        .and_then(bytes)
        .map_or_else(|| plain_json(node), |b| json!(b.to_string()))
}

fn string_list(node: &Node) -> Value {
    match &node.kind {
        Kind::Seq(items) => Value::Array(items.iter().map(text_json).collect()),
        Kind::Scalar { .. } => json!([text_json(node)]),
        Kind::Map(_) => plain_json(node),
    }
}

fn map_json(node: &Node) -> Value {
    match &node.kind {
        Kind::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|e| {
                    (
                        e.key.clone(),
                        if e.value.is_null() {
                            json!("")
                        } else {
                            text_json(&e.value)
                        },
                    )
                })
                .collect(),
        ),
        Kind::Seq(items) => Value::Object(
            items
                .iter()
                .filter_map(Node::as_str)
                .map(|item| match item.split_once('=') {
                    Some((k, v)) => (k.to_owned(), json!(escaped(v))),
                    None => (item.to_owned(), json!("")),
                })
                .collect(),
        ),
        Kind::Scalar { .. } => plain_json(node),
    }
}

/// `env_file` contents, then `environment` (which wins); a bare `KEY` takes
/// its value from the project's variables when they have it.
fn environment_json(
    service: &Service<'_>,
    project: &Project,
    ctx: &ConfigContext<'_>,
) -> Result<Map<String, Value>, String> {
    let mut map = Map::new();
    let env_files: Vec<&Node> = match service.get("env_file") {
        Some(node) if node.is_seq() => node.items().iter().collect(),
        Some(node) => vec![node],
        None => Vec::new(),
    };
    for item in env_files {
        let (path, required) = match item.as_str() {
            Some(path) => (path, true),
            None => (
                item.get_str("path").unwrap_or_default(),
                item.get("required").and_then(Node::as_bool).unwrap_or(true),
            ),
        };
        let path = absolute(ctx.workdir, path);
        match (ctx.read)(&path) {
            Some(text) => {
                let mut values = project.environment.clone();
                let before: Vec<String> = values.keys().cloned().collect();
                crate::dotenv::parse_into(&text, &mut values);
                for (k, v) in values {
                    if !before.contains(&k) || project.environment.get(&k) != Some(&v) {
                        map.insert(k, json!(escaped(&v)));
                    }
                }
            }
            None if required => return Err(format!("env file {path} not found")),
            None => {}
        }
    }
    let items = service
        .get("environment")
        .map(|n| to_sequence(n.clone()))
        .unwrap_or_default();
    for item in &items {
        let Some(text) = item.as_str() else { continue };
        match text.split_once('=') {
            Some((k, v)) => map.insert(k.to_owned(), json!(escaped(v))),
            None => map.insert(
                text.to_owned(),
                project
                    .environment
                    .get(text)
                    .map_or(Value::Null, |v| json!(escaped(v))),
            ),
        };
    }
    Ok(map)
}

/// Split a command line as compose-go does (`shellwords`): quotes group words.
pub(crate) fn shell_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            (Some(_), c) => current.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, '\\') => {
                if let Some(next) = chars.next() {
                    current.push(next);
                    in_word = true;
                }
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            (None, c) => {
                current.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(current);
    }
    words
}

fn command_json(node: &Node) -> Value {
    match &node.kind {
        _ if node.is_null() => Value::Null,
        Kind::Scalar { text, .. } => Value::Array(
            shell_words(text)
                .iter()
                .map(|w| json!(escaped(w)))
                .collect(),
        ),
        Kind::Seq(items) => Value::Array(items.iter().map(text_json).collect()),
        Kind::Map(_) => plain_json(node),
    }
}

fn ports_json(node: &Node) -> Value {
    let mut out = Vec::new();
    for item in node.items() {
        match &item.kind {
            Kind::Scalar { text, .. } => {
                for spec in parse_port(text).unwrap_or_default() {
                    let mut map = Map::new();
                    map.insert("mode".to_owned(), json!("ingress"));
                    if let Some(ip) = &spec.host_ip {
                        map.insert("host_ip".to_owned(), json!(ip));
                    }
                    map.insert("target".to_owned(), json!(spec.target));
                    if let Some(published) = &spec.published {
                        map.insert("published".to_owned(), json!(published));
                    }
                    map.insert("protocol".to_owned(), json!(spec.protocol));
                    out.push(Value::Object(map));
                }
            }
            Kind::Map(entries) => {
                let mut map = Map::new();
                map.insert("mode".to_owned(), json!("ingress"));
                map.insert("protocol".to_owned(), json!("tcp"));
                for e in entries {
                    let value = match e.key.as_str() {
                        "target" => int_json(&e.value),
                        _ => text_json(&e.value),
                    };
                    map.insert(e.key.clone(), value);
                }
                out.push(Value::Object(map));
            }
            Kind::Seq(_) => out.push(plain_json(item)),
        }
    }
    Value::Array(out)
}

fn absolute(workdir: &str, path: &str) -> String {
    if path.starts_with('/') || path.starts_with('~') || path.contains("://") {
        path.to_owned()
    } else {
        join(workdir, path)
    }
}

/// A bind source as Compose resolves it: `~` is the home folder, a relative
/// path is relative to the project, a Windows path stays as written.
fn bind_source(workdir: &str, home: &str, source: &str) -> String {
    if let Some(rest) = source.strip_prefix('~') {
        return format!("{home}{rest}");
    }
    let windows = source.as_bytes().get(1) == Some(&b':') || source.starts_with("\\\\");
    if windows {
        source.to_owned()
    } else {
        absolute(workdir, source)
    }
}

/// `path.Clean` for a container path.
fn clean(path: &str) -> String {
    if path.is_empty() {
        return String::new();
    }
    let cleaned = join("", path);
    if path.starts_with('/') && !cleaned.starts_with('/') {
        format!("/{cleaned}")
    } else {
        cleaned
    }
}

fn volumes_json(node: &Node, workdir: &str, home: &str) -> Value {
    let mut out = Vec::new();
    for item in node.items() {
        match &item.kind {
            Kind::Scalar { text, .. } => {
                let Ok(spec) = parse_volume(text) else {
                    out.push(text_json(item));
                    continue;
                };
                let mut map = Map::new();
                map.insert("type".to_owned(), json!(spec.kind.as_str()));
                if !spec.source.is_empty() {
                    let source = if spec.kind == VolumeType::Bind {
                        bind_source(workdir, home, &spec.source)
                    } else {
                        spec.source.clone()
                    };
                    map.insert("source".to_owned(), json!(source));
                }
                map.insert("target".to_owned(), json!(clean(&spec.target)));
                if spec.read_only {
                    map.insert("read_only".to_owned(), json!(true));
                }
                if spec.kind == VolumeType::Bind {
                    let mut bind = Map::new();
                    for option in &spec.options {
                        match option.as_str() {
                            "z" | "Z" => {
                                bind.insert("selinux".to_owned(), json!(option));
                            }
                            "shared" | "rshared" | "slave" | "rslave" | "private" | "rprivate" => {
                                bind.insert("propagation".to_owned(), json!(option));
                            }
                            _ => {}
                        }
                    }
                    bind.insert("create_host_path".to_owned(), json!(true));
                    map.insert("bind".to_owned(), Value::Object(bind));
                } else {
                    let nocopy = spec.options.iter().any(|o| o == "nocopy");
                    map.insert(
                        "volume".to_owned(),
                        if nocopy {
                            json!({"nocopy": true})
                        } else {
                            json!({})
                        },
                    );
                    if let Some(label) = spec
                        .options
                        .iter()
                        .find(|o| matches!(o.as_str(), "z" | "Z"))
                    {
                        map.insert("bind".to_owned(), json!({"selinux": label}));
                    }
                }
                out.push(Value::Object(map));
            }
            Kind::Map(entries) => {
                let mut map = Map::new();
                let bind = item.get_str("type") == Some("bind");
                for e in entries {
                    let value = match e.key.as_str() {
                        "source" if bind => json!(bind_source(
                            workdir,
                            home,
                            e.value.as_str().unwrap_or_default()
                        )),
                        "target" => json!(clean(e.value.as_str().unwrap_or_default())),
                        "read_only" => e
                            .value
                            .as_bool()
                            .map_or_else(|| plain_json(&e.value), Value::Bool),
                        _ => plain_json(&e.value),
                    };
                    map.insert(e.key.clone(), value);
                }
                if item.get_str("type") == Some("volume") && !map.contains_key("volume") {
                    map.insert("volume".to_owned(), json!({}));
                }
                out.push(Value::Object(map));
            }
            Kind::Seq(_) => out.push(plain_json(item)),
        }
    }
    Value::Array(out)
}

fn mounts_json(node: &Node, dir: &str) -> Value {
    Value::Array(
        node.items()
            .iter()
            .map(|item| match item.as_str() {
                Some(name) => json!({"source": escaped(name), "target": format!("{dir}{name}")}),
                None => {
                    let mut value = plain_json(item);
                    if let Value::Object(map) = &mut value
                        && dir == "/run/secrets/"
                        && !map.contains_key("target")
                        && let Some(Value::String(source)) = map.get("source").cloned()
                    {
                        map.insert("target".to_owned(), json!(format!("{dir}{source}")));
                    }
                    value
                }
            })
            .collect(),
    )
}

fn depends_on_json(node: &Node) -> Value {
    let mapping = to_mapping(node.clone(), true);
    Value::Object(
        mapping
            .entries()
            .iter()
            .map(|e| {
                let mut map = Map::new();
                map.insert(
                    "condition".to_owned(),
                    json!(e.value.get_str("condition").unwrap_or("service_started")),
                );
                map.insert(
                    "required".to_owned(),
                    json!(
                        e.value
                            .get("required")
                            .and_then(Node::as_bool)
                            .unwrap_or(true)
                    ),
                );
                if let Some(restart) = e.value.get("restart").and_then(Node::as_bool) {
                    map.insert("restart".to_owned(), json!(restart));
                }
                (e.key.clone(), Value::Object(map))
            })
            .collect(),
    )
}

fn networks_json(node: &Node) -> Value {
    let mapping = to_mapping(node.clone(), false);
    Value::Object(
        mapping
            .entries()
            .iter()
            .map(|e| {
                let value = if e.value.is_null() || e.value.as_str() == Some("") {
                    Value::Null
                } else {
                    plain_json(&e.value)
                };
                (e.key.clone(), value)
            })
            .collect(),
    )
}

fn healthcheck_json(node: &Node) -> Value {
    let mut map = Map::new();
    for e in node.entries() {
        let value = match e.key.as_str() {
            "test" => match &e.value.kind {
                Kind::Scalar { text, .. } => json!(["CMD-SHELL", escaped(text)]),
                _ => string_list(&e.value),
            },
            "retries" => int_json(&e.value),
            "interval" | "timeout" | "start_period" | "start_interval" => duration_json(&e.value),
            "disable" => e
                .value
                .as_bool()
                .map_or_else(|| plain_json(&e.value), Value::Bool),
            _ => text_json(&e.value),
        };
        map.insert(e.key.clone(), value);
    }
    Value::Object(map)
}

fn resources_json(node: &Node) -> Value {
    let mut map = Map::new();
    for e in node.entries() {
        let value = match e.key.as_str() {
            "cpus" => float_json(&e.value),
            "memory" => bytes_json(&e.value),
            "pids" => int_json(&e.value),
            _ => plain_json(&e.value),
        };
        map.insert(e.key.clone(), value);
    }
    Value::Object(map)
}

fn deploy_json(node: &Node) -> Value {
    let mut map = Map::new();
    for e in node.entries() {
        let value = match e.key.as_str() {
            "resources" => Value::Object(
                e.value
                    .entries()
                    .iter()
                    .map(|r| (r.key.clone(), resources_json(&r.value)))
                    .collect(),
            ),
            "replicas" => int_json(&e.value),
            "labels" => map_json(&e.value),
            _ => plain_json(&e.value),
        };
        map.insert(e.key.clone(), value);
    }
    map.entry("placement").or_insert_with(|| json!({}));
    Value::Object(map)
}

fn build_json(node: &Node, workdir: &str, env: &crate::Environment) -> Value {
    let mut map = Map::new();
    match &node.kind {
        Kind::Scalar { text, .. } => {
            map.insert("context".to_owned(), json!(absolute(workdir, text)));
        }
        _ => {
            for e in node.entries() {
                let value = match e.key.as_str() {
                    "context" => json!(absolute(workdir, e.value.as_str().unwrap_or("."))),
                    "args" => {
                        let mut args = map_json(&e.value);
                        if let Value::Object(m) = &mut args {
                            for (k, v) in m.iter_mut() {
                                if v == &json!("")
                                    && e.value
                                        .items()
                                        .iter()
                                        .any(|i| i.as_str() == Some(k.as_str()))
                                {
                                    *v = env.get(k).map_or(Value::Null, |x| json!(escaped(x)));
                                }
                            }
                        }
                        args
                    }
                    "labels" => map_json(&e.value),
                    _ => plain_json(&e.value),
                };
                map.insert(e.key.clone(), value);
            }
            map.entry("context")
                .or_insert_with(|| json!(absolute(workdir, ".")));
        }
    }
    if !map.contains_key("dockerfile_inline") {
        map.entry("dockerfile")
            .or_insert_with(|| json!("Dockerfile"));
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_units_and_shell_words() {
        assert_eq!(bytes("256m"), Some(268_435_456));
        assert_eq!(bytes("256M"), Some(268_435_456));
        assert_eq!(bytes("1g"), Some(1_073_741_824));
        assert_eq!(bytes("512"), Some(512));
        assert_eq!(bytes("1.5k"), Some(1536));
        assert_eq!(bytes("lots"), None);
        assert_eq!(
            shell_words("echo 'a b' \"c\\\"d\" e\\ f"),
            ["echo", "a b", "c\"d", "e f"]
        );
        assert_eq!(shell_words("  "), Vec::<String>::new());
        assert_eq!(go_duration("90s").as_deref(), Some("1m30s"));
        assert_eq!(go_duration("120s").as_deref(), Some("2m0s"));
        assert_eq!(go_duration("1h").as_deref(), Some("1h0m0s"));
        assert_eq!(go_duration("500ms").as_deref(), Some("500ms"));
        assert_eq!(go_duration("1.5s").as_deref(), Some("1.5s"));
        assert_eq!(go_duration("10").as_deref(), None);
    }
}
