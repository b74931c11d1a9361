//! Reading a `ClusterProfile` (or a `NodeList`) from YAML, every problem
//! located at its node.

use crate::taint::read_toleration;
use crate::{
    API_VERSION, Autoscaler, ClusterProfile, Installed, KIND, NodePool, Os, Provider, Release,
    Resources, RuntimeClass, Taint, TaintEffect, parse_quantity,
};
use assay_span::Pos;
use assay_yaml::{Limits, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// A problem in a profile file, at its line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileError {
    pub path: String,
    pub pos: Pos,
    pub message: String,
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.pos.line, self.pos.col, self.message
        )
    }
}

impl std::error::Error for ProfileError {}

/// The most pools a profile may declare, and nodes a pool may hold: bounds
/// that keep a mistyped count from turning the schedule into a long loop.
pub(crate) const MAX_POOLS: usize = 10_000;
pub(crate) const MAX_NODES_PER_POOL: u32 = 100_000;

pub(crate) struct Reader<'p> {
    pub(crate) path: &'p str,
    pub(crate) errors: Vec<ProfileError>,
}

impl Reader<'_> {
    pub(crate) fn error(&mut self, node: Value<'_>, message: impl Into<String>) {
        self.errors.push(ProfileError {
            path: self.path.to_owned(),
            pos: node.span().start,
            message: message.into(),
        });
    }

    /// The entries of a mapping whose keys are all in `allowed`; each other
    /// key is an error naming the allowed ones.
    pub(crate) fn mapping<'t>(
        &mut self,
        node: Value<'t>,
        what: &str,
        allowed: &[&str],
    ) -> Vec<(&'t str, Value<'t>, Value<'t>)> {
        if !node.is_mapping() {
            if !node.is_null() {
                self.error(node, format!("{what} must be a mapping"));
            }
            return Vec::new();
        }
        let mut out = Vec::new();
        for (key, value) in node.entries() {
            let name = key.as_str().unwrap_or_default();
            if allowed.contains(&name) {
                out.push((name, key, value));
            } else {
                self.error(
                    key,
                    format!(
                        "unknown key `{name}` in {what} (expected one of: {})",
                        allowed.join(", ")
                    ),
                );
            }
        }
        out
    }

    pub(crate) fn string(&mut self, node: Value<'_>, what: &str) -> Option<String> {
        match node.as_str() {
            Some(s) if !node.is_null() && !s.is_empty() => Some(s.to_owned()),
            _ => {
                self.error(node, format!("{what} must be a non-empty string"));
                None
            }
        }
    }

    fn count(&mut self, node: Value<'_>, what: &str, max: u32) -> Option<u32> {
        match node.as_str().and_then(|s| s.parse::<u32>().ok()) {
            Some(n) if n <= max => Some(n),
            Some(n) => {
                self.error(node, format!("{what} is {n}; at most {max} is supported"));
                None
            }
            None => {
                self.error(node, format!("{what} must be a whole number"));
                None
            }
        }
    }

    fn flag(&mut self, node: Value<'_>, what: &str) -> bool {
        match node.as_str() {
            Some("true") => true,
            Some("false") => false,
            _ => {
                self.error(node, format!("{what} must be true or false"));
                false
            }
        }
    }

    pub(crate) fn quantity(&mut self, node: Value<'_>, what: &str) -> Option<i64> {
        let text = node.as_str().unwrap_or_default();
        match parse_quantity(text) {
            Some(q) if q.0 >= 0 => i64::try_from(q.0).ok().or_else(|| {
                self.error(node, format!("{what} `{text}` is too large"));
                None
            }),
            _ => {
                self.error(
                    node,
                    format!(
                        "{what} `{text}` is not a Kubernetes quantity (e.g. 500m, 2, 4Gi, 100M)"
                    ),
                );
                None
            }
        }
    }

    pub(crate) fn string_map(&mut self, node: Value<'_>, what: &str) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        if !node.is_mapping() {
            if !node.is_null() {
                self.error(node, format!("{what} must map strings to strings"));
            }
            return out;
        }
        for (k, v) in node.entries() {
            match (k.as_str(), v.as_str()) {
                (Some(k), Some(v)) => {
                    out.insert(
                        k.to_owned(),
                        if v == "~" {
                            String::new()
                        } else {
                            v.to_owned()
                        },
                    );
                }
                _ => self.error(v, format!("{what} must map strings to strings")),
            }
        }
        out
    }

    pub(crate) fn string_list(&mut self, node: Value<'_>, what: &str) -> Vec<String> {
        if !node.is_sequence() {
            if !node.is_null() {
                self.error(node, format!("{what} must be a list of strings"));
            }
            return Vec::new();
        }
        let mut out = Vec::new();
        for item in node.items() {
            if let Some(s) = self.string(item, what) {
                out.push(s);
            }
        }
        out
    }

    /// `cpu`, `memory`, `pods`, `ephemeral-storage` in a mapping.
    pub(crate) fn resources(&mut self, node: Value<'_>, what: &str) -> Resources {
        let mut out = Resources::default();
        for (name, _, value) in
            self.mapping(node, what, &["cpu", "memory", "pods", "ephemeral-storage"])
        {
            let Some(q) = self.quantity(value, &format!("{what} {name}")) else {
                continue;
            };
            match name {
                // Millicores stay milli; the others are whole units rounded up.
                "cpu" => out.cpu_milli = q,
                "memory" => out.memory_bytes = ceil_units(q),
                "pods" => out.pods = ceil_units(q),
                _ => out.ephemeral_storage_bytes = ceil_units(q),
            }
        }
        out
    }

    pub(crate) fn taint(&mut self, node: Value<'_>) -> Option<Taint> {
        let mut key = None;
        let mut value = String::new();
        let mut effect = None;
        for (name, _, v) in self.mapping(node, "a taint", &["key", "value", "effect"]) {
            match name {
                "key" => key = self.string(v, "a taint's key"),
                "value" => value = v.as_str().unwrap_or_default().to_owned(),
                _ => {
                    let text = v.as_str().unwrap_or_default();
                    effect = TaintEffect::parse(text);
                    if effect.is_none() {
                        self.error(v, format!("taint effect `{text}` is not NoSchedule, PreferNoSchedule or NoExecute"));
                    }
                }
            }
        }
        if key.is_none() && !self.has_error_at(node) {
            self.error(node, "a taint needs a `key`");
        }
        if effect.is_none() && node.get("effect").is_none() {
            self.error(node, "a taint needs an `effect`");
        }
        Some(Taint {
            key: key?,
            value,
            effect: effect?,
        })
    }

    fn has_error_at(&self, node: Value<'_>) -> bool {
        let start = node.span().start;
        self.errors.iter().any(|e| e.pos == start)
    }
}

/// Milli-units to whole units, rounded up.
fn ceil_units(milli: i64) -> i64 {
    milli / 1000 + i64::from(milli % 1000 > 0)
}

/// Parse a profile file: a `ClusterProfile`, or a `NodeList` / `List` of
/// `Node`s (what `kubectl get nodes -o yaml` prints), whose pools are inferred.
///
/// # Errors
/// Every problem found, each located; the profile is returned only when there is none.
pub fn parse_profile(path: &str, bytes: &[u8]) -> Result<ClusterProfile, Vec<ProfileError>> {
    let loaded = assay_yaml::load(bytes, &Limits::default());
    let mut reader = Reader {
        path,
        errors: Vec::new(),
    };
    let at = |pos: Pos, message: String| ProfileError {
        path: path.to_owned(),
        pos,
        message,
    };
    if !loaded.errors.is_empty() {
        return Err(loaded
            .errors
            .iter()
            .map(|e| at(e.span.start, e.message.clone()))
            .collect());
    }
    if let Some(dup) = loaded.tree.duplicate_keys().first() {
        return Err(vec![at(
            dup.duplicate.start,
            format!("key `{}` is written twice", dup.key),
        )]);
    }
    let docs = loaded.tree.documents();
    let Some(doc) = docs.first() else {
        return Err(vec![at(
            Pos::new(1, 1),
            "the profile file is empty".to_owned(),
        )]);
    };
    if docs.len() > 1 {
        return Err(vec![at(
            Pos::new(1, 1),
            "a profile file holds one document (a ClusterProfile or a NodeList)".to_owned(),
        )]);
    }
    let root = loaded.tree.value(doc.root);
    let kind = root.get_str("kind").unwrap_or_default();
    let profile = match kind {
        KIND => read_cluster_profile(&mut reader, root),
        "NodeList" | "List" => crate::nodelist::infer(&mut reader, root),
        _ => {
            reader.error(
                root.get("kind").unwrap_or(root),
                format!("expected `kind: {KIND}` (or a NodeList from `kubectl get nodes -o yaml`), found `{kind}`"),
            );
            None
        }
    };
    match profile {
        Some(p) if reader.errors.is_empty() => Ok(p),
        _ => {
            let mut errors = reader.errors;
            errors.sort_by_key(|e| e.pos);
            errors.dedup();
            Err(errors)
        }
    }
}

fn read_cluster_profile(r: &mut Reader<'_>, root: Value<'_>) -> Option<ClusterProfile> {
    let mut name = None;
    let mut description = String::new();
    let mut spec = None;
    for (key, _, value) in r.mapping(
        root,
        "the profile",
        &["apiVersion", "kind", "metadata", "spec"],
    ) {
        match key {
            "apiVersion" if value.as_str() != Some(API_VERSION) => {
                r.error(value, format!("expected `apiVersion: {API_VERSION}`"));
            }
            "metadata" => {
                for (k, _, v) in r.mapping(value, "metadata", &["name", "description"]) {
                    if k == "name" {
                        name = r.string(v, "metadata.name");
                    } else {
                        description = v.as_str().unwrap_or_default().trim().to_owned();
                    }
                }
            }
            "spec" => spec = Some(value),
            _ => {}
        }
    }
    if name.is_none() && root.get("metadata").is_none() {
        r.error(root, "the profile needs `metadata.name`");
    }
    let Some(spec) = spec else {
        r.error(root, "the profile needs a `spec`");
        return None;
    };
    let mut provider = None;
    let mut version = None;
    let mut pools = Vec::new();
    let mut installed = Installed::default();
    let mut knows_installed = false;
    for (key, _, value) in r.mapping(
        spec,
        "spec",
        &["provider", "kubernetesVersion", "pools", "installed"],
    ) {
        match key {
            "provider" => {
                let text = value.as_str().unwrap_or_default();
                provider = Provider::parse(text);
                if provider.is_none() {
                    let names: Vec<&str> = Provider::ALL.iter().map(|p| p.as_str()).collect();
                    r.error(
                        value,
                        format!(
                            "unknown provider `{text}` (expected one of: {})",
                            names.join(", ")
                        ),
                    );
                }
            }
            "kubernetesVersion" => {
                let text = value.as_str().unwrap_or_default();
                version = Release::parse(text);
                if version.is_none() {
                    r.error(value, format!("`kubernetesVersion` `{text}` is not a version such as \"1.33\" or \"1.34.2\""));
                }
            }
            "pools" => pools = read_pools(r, value),
            _ => {
                installed = read_installed(r, value);
                knows_installed = true;
            }
        }
    }
    for (field, present) in [
        ("provider", spec.get("provider").is_some()),
        ("kubernetesVersion", spec.get("kubernetesVersion").is_some()),
        ("pools", spec.get("pools").is_some()),
    ] {
        if !present {
            r.error(spec, format!("spec needs `{field}`"));
        }
    }
    Some(ClusterProfile {
        name: name?,
        description,
        provider: provider?,
        kubernetes_version: version?,
        pools,
        installed,
        knows_installed,
    })
}

const POOL_KEYS: &[&str] = &[
    "name",
    "count",
    "autoscaling",
    "os",
    "arch",
    "windowsBuild",
    "labels",
    "taints",
    "allocatable",
    "joinSeconds",
    "unschedulable",
    "zones",
];

fn read_pools(r: &mut Reader<'_>, node: Value<'_>) -> Vec<NodePool> {
    if !node.is_sequence() {
        r.error(node, "`pools` must be a list of node pools");
        return Vec::new();
    }
    if node.len() > MAX_POOLS {
        r.error(
            node,
            format!("{} pools; at most {MAX_POOLS} are supported", node.len()),
        );
        return Vec::new();
    }
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut pools = Vec::new();
    for item in node.items() {
        if let Some(pool) = read_pool(r, item) {
            if seen.insert(pool.name.clone()) {
                pools.push(pool);
            } else {
                r.error(
                    item.get("name").unwrap_or(item),
                    format!(
                        "pool `{}` is declared twice; pool names must be unique",
                        pool.name
                    ),
                );
            }
        }
    }
    if pools.is_empty() && r.errors.is_empty() {
        r.error(node, "a profile needs at least one pool");
    }
    pools
}

fn read_pool(r: &mut Reader<'_>, node: Value<'_>) -> Option<NodePool> {
    let errors_before = r.errors.len();
    let mut name = None;
    let mut count = None;
    let mut bounds = None;
    let mut os = None;
    let mut arch = "amd64".to_owned();
    let mut windows_build = None;
    let mut labels = BTreeMap::new();
    let mut taints = Vec::new();
    let mut allocatable = None;
    let mut join_seconds = 0;
    let mut unschedulable = false;
    let mut zones = Vec::new();
    for (key, _, value) in r.mapping(node, "a pool", POOL_KEYS) {
        match key {
            "name" => name = r.string(value, "a pool's name"),
            "count" => count = r.count(value, "`count`", MAX_NODES_PER_POOL),
            "autoscaling" => {
                let mut min = None;
                let mut max = None;
                for (k, _, v) in r.mapping(value, "`autoscaling`", &["min", "max"]) {
                    let n = r.count(v, &format!("`autoscaling.{k}`"), MAX_NODES_PER_POOL);
                    if k == "min" { min = n } else { max = n }
                }
                match (min, max) {
                    (Some(min), Some(max)) if min <= max => bounds = Some((min, max)),
                    (Some(_), Some(_)) => r.error(value, "`autoscaling.min` is larger than `max`"),
                    _ => r.error(value, "`autoscaling` needs `min` and `max`"),
                }
            }
            "os" => {
                let text = value.as_str().unwrap_or_default();
                os = Os::parse(text);
                if os.is_none() {
                    r.error(
                        value,
                        format!("`os` must be linux or windows, not `{text}`"),
                    );
                }
            }
            "arch" => arch = r.string(value, "`arch`").unwrap_or(arch),
            "windowsBuild" => {
                let text = value.as_str().unwrap_or_default();
                if windows_build_parts(text).is_none() {
                    r.error(
                        value,
                        format!(
                            "`windowsBuild` `{text}` is not MAJOR.MINOR.BUILD such as 10.0.20348"
                        ),
                    );
                }
                windows_build = Some(text.to_owned());
            }
            "labels" => labels = r.string_map(value, "`labels`"),
            "taints" => {
                if value.is_sequence() {
                    taints = value.items().filter_map(|t| r.taint(t)).collect();
                } else if !value.is_null() {
                    r.error(value, "`taints` must be a list");
                }
            }
            "allocatable" => allocatable = Some(r.resources(value, "`allocatable`")),
            "joinSeconds" => join_seconds = r.count(value, "`joinSeconds`", 86_400).unwrap_or(0),
            "zones" => zones = r.string_list(value, "`zones`"),
            _ => unschedulable = r.flag(value, "`unschedulable`"),
        }
    }
    for (field, present) in [
        ("name", node.get("name").is_some()),
        ("count", node.get("count").is_some()),
        ("os", node.get("os").is_some()),
        ("allocatable", node.get("allocatable").is_some()),
    ] {
        if !present && node.is_mapping() {
            r.error(node, format!("a pool needs `{field}`"));
        }
    }
    if os == Some(Os::Windows) && windows_build.is_none() && node.is_mapping() {
        r.error(node, "a Windows pool needs `windowsBuild` (node.kubernetes.io/windows-build, e.g. 10.0.20348)");
    }
    if os == Some(Os::Linux) && windows_build.is_some() {
        r.error(
            node.get("windowsBuild").unwrap_or(node),
            "`windowsBuild` is only for Windows pools",
        );
    }
    let os = os?;
    // The kubelet sets these labels itself; a profile that writes them must agree.
    let mut well_known = vec![
        ("kubernetes.io/os", os.as_str().to_owned()),
        ("kubernetes.io/arch", arch.clone()),
    ];
    if let Some(build) = &windows_build {
        well_known.push(("node.kubernetes.io/windows-build", build.clone()));
    }
    for (key, value) in well_known {
        match labels.get(key) {
            Some(written) if *written != value => r.error(
                node.get("labels").unwrap_or(node),
                format!("label `{key}: {written}` contradicts the pool's {value}"),
            ),
            _ => {
                labels.insert(key.to_owned(), value);
            }
        }
    }
    if r.errors.len() > errors_before {
        return None;
    }
    let count = count?;
    let (min, max) = bounds.unwrap_or((count, count));
    if count < min || count > max {
        r.error(
            node.get("count").unwrap_or(node),
            format!("`count` {count} lies outside autoscaling {min}..{max}"),
        );
        return None;
    }
    Some(NodePool {
        name: name?,
        count,
        min,
        max,
        os,
        arch,
        windows_build,
        labels,
        taints,
        allocatable: allocatable?,
        join_seconds,
        zones,
        unschedulable,
    })
}

/// `10.0.20348` as numbers; `None` when not three numeric parts.
#[must_use]
pub(crate) fn windows_build_parts(text: &str) -> Option<(u32, u32, u32)> {
    let mut parts = text.split('.').map(|p| p.parse::<u32>().ok());
    let out = (parts.next()??, parts.next()??, parts.next()??);
    match parts.next() {
        // A revision (10.0.20348.2527) is allowed: the build is the third part.
        None | Some(Some(_)) => Some(out),
        Some(None) => None,
    }
}

fn read_installed(r: &mut Reader<'_>, node: Value<'_>) -> Installed {
    let mut out = Installed::default();
    for (key, _, value) in r.mapping(
        node,
        "`installed`",
        &[
            "ingressClasses",
            "storageClasses",
            "cni",
            "metricsServer",
            "autoscaler",
            "runtimeClasses",
        ],
    ) {
        match key {
            "ingressClasses" => out.ingress_classes = r.string_list(value, "`ingressClasses`"),
            "storageClasses" => out.storage_classes = r.string_list(value, "`storageClasses`"),
            "cni" => {
                for (k, _, v) in r.mapping(value, "`cni`", &["name", "networkPolicy"]) {
                    if k == "name" {
                        out.cni = r.string(v, "`cni.name`").unwrap_or_default();
                    } else {
                        for (os, _, flag) in
                            r.mapping(v, "`cni.networkPolicy`", &["linux", "windows"])
                        {
                            let enforced = r.flag(flag, &format!("`cni.networkPolicy.{os}`"));
                            if os == "linux" {
                                out.network_policy_linux = enforced;
                            } else {
                                out.network_policy_windows = enforced;
                            }
                        }
                    }
                }
            }
            "metricsServer" => out.metrics_server = r.flag(value, "`metricsServer`"),
            "autoscaler" => {
                let text = value.as_str().unwrap_or_default();
                out.autoscaler = match text {
                    "none" => Autoscaler::None,
                    "cluster-autoscaler" => Autoscaler::ClusterAutoscaler,
                    "karpenter" => Autoscaler::Karpenter,
                    _ => {
                        r.error(value, format!("`autoscaler` must be none, cluster-autoscaler or karpenter, not `{text}`"));
                        Autoscaler::None
                    }
                };
            }
            _ => {
                if value.is_sequence() {
                    out.runtime_classes = value
                        .items()
                        .filter_map(|v| read_runtime_class(r, v))
                        .collect();
                } else if !value.is_null() {
                    r.error(value, "`runtimeClasses` must be a list");
                }
            }
        }
    }
    out
}

fn read_runtime_class(r: &mut Reader<'_>, node: Value<'_>) -> Option<RuntimeClass> {
    let mut name = None;
    let mut handler = None;
    let mut node_selector = BTreeMap::new();
    let mut tolerations = Vec::new();
    let mut overhead = Resources::default();
    for (key, _, value) in r.mapping(
        node,
        "a runtime class",
        &["name", "handler", "scheduling", "overhead"],
    ) {
        match key {
            "name" => name = r.string(value, "a runtime class's name"),
            "handler" => handler = r.string(value, "a runtime class's handler"),
            "scheduling" => {
                for (k, _, v) in r.mapping(value, "`scheduling`", &["nodeSelector", "tolerations"])
                {
                    if k == "nodeSelector" {
                        node_selector = r.string_map(v, "`scheduling.nodeSelector`");
                    } else {
                        for item in v.items() {
                            let (toleration, problem) = read_toleration(item);
                            if let Some((span, message)) = problem {
                                r.errors.push(ProfileError {
                                    path: r.path.to_owned(),
                                    pos: span.start,
                                    message,
                                });
                            }
                            tolerations.push(toleration);
                        }
                    }
                }
            }
            _ => {
                for (_, _, v) in r.mapping(value, "`overhead`", &["podFixed"]) {
                    overhead = r.resources(v, "`overhead.podFixed`");
                }
            }
        }
    }
    if name.is_none() || handler.is_none() {
        r.error(node, "a runtime class needs `name` and `handler`");
    }
    Some(RuntimeClass {
        name: name?,
        handler: handler?,
        node_selector,
        tolerations,
        overhead,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        match parse_profile("p.yaml", text.as_bytes()) {
            Ok(_) => Vec::new(),
            Err(e) => e.iter().map(ToString::to_string).collect(),
        }
    }

    const HEAD: &str = "apiVersion: assay.dev/v1\nkind: ClusterProfile\nmetadata:\n  name: t\nspec:\n  provider: aks\n  kubernetesVersion: \"1.33\"\n";

    #[test]
    fn a_valid_profile_reads() {
        let text = format!(
            "{HEAD}  pools:\n    - name: win\n      count: 2\n      autoscaling: {{min: 1, max: 5}}\n      os: windows\n      windowsBuild: 10.0.20348\n      taints: [{{key: os, value: windows, effect: NoSchedule}}]\n      allocatable: {{cpu: 3860m, memory: 12Gi, pods: 30}}\n      joinSeconds: 420\n"
        );
        let p = parse_profile("p.yaml", text.as_bytes()).unwrap();
        let pool = &p.pools[0];
        assert_eq!((pool.count, pool.min, pool.max), (2, 1, 5));
        assert_eq!(pool.allocatable.cpu_milli, 3860);
        assert_eq!(pool.allocatable.memory_bytes, 12 * 1024 * 1024 * 1024);
        assert_eq!(
            pool.labels.get("kubernetes.io/os").map(String::as_str),
            Some("windows")
        );
        assert_eq!(
            pool.labels
                .get("node.kubernetes.io/windows-build")
                .map(String::as_str),
            Some("10.0.20348")
        );
        assert_eq!(pool.taints[0].to_string(), "os=windows:NoSchedule");
        assert_eq!(p.kubernetes_version.to_string(), "1.33");
        assert!(!p.knows_installed);
    }

    #[test]
    fn problems_are_located() {
        let text = format!(
            "{HEAD}  pools:\n    - name: a\n      count: 1\n      os: linux\n      colour: blue\n      allocatable: {{cpu: lots, memory: 1Gi}}\n    - name: a\n      count: 1\n      os: linux\n      allocatable: {{cpu: 1}}\n"
        );
        let e = errors(&text);
        assert!(
            e.iter()
                .any(|m| m.starts_with("p.yaml:12:7: unknown key `colour`")),
            "{e:?}"
        );
        assert!(
            e.iter()
                .any(|m| m.starts_with("p.yaml:13:26: `allocatable` cpu `lots`")),
            "{e:?}"
        );
        let dup = format!(
            "{HEAD}  pools:\n    - name: a\n      count: 1\n      os: linux\n      allocatable: {{cpu: 1}}\n    - name: a\n      count: 1\n      os: linux\n      allocatable: {{cpu: 1}}\n"
        );
        let e = errors(&dup);
        assert_eq!(
            e,
            ["p.yaml:13:13: pool `a` is declared twice; pool names must be unique"]
        );
        let e = errors(
            &HEAD
                .replace("aks", "openshift")
                .replace("\"1.33\"\n", "\"1.33\"\n  pools: []\n"),
        );
        assert!(
            e.iter()
                .any(|m| m.starts_with("p.yaml:6:13: unknown provider `openshift`")),
            "{e:?}"
        );
    }

    #[test]
    fn windows_pools_need_a_build_and_labels_must_agree() {
        let text = format!(
            "{HEAD}  pools:\n    - name: w\n      count: 1\n      os: windows\n      labels: {{kubernetes.io/os: linux}}\n      allocatable: {{cpu: 1}}\n"
        );
        let e = errors(&text);
        assert!(
            e.iter().any(|m| m.contains("needs `windowsBuild`")),
            "{e:?}"
        );
        assert!(e.iter().any(|m| m.contains("contradicts")), "{e:?}");
    }

    #[test]
    fn wrong_kind_and_bad_yaml_are_errors() {
        assert!(errors("kind: Deployment\n")[0].contains("expected `kind: ClusterProfile`"));
        assert!(!errors("kind: [\n").is_empty());
        assert!(errors("")[0].contains("empty"));
    }
}
