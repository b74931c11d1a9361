//! A `NodeList` (what `kubectl get nodes -o yaml` prints) turned into a
//! profile: nodes that share their pool label, OS, build, taints and size
//! become one pool.

use crate::read::{MAX_NODES_PER_POOL, Reader, windows_build_parts};
use crate::{ClusterProfile, Installed, NodePool, Os, Provider, Release, Resources, Taint};
use assay_yaml::Value;
use std::collections::BTreeMap;

/// Node labels that name a node's pool, per provider (AKS, EKS managed node
/// groups, eksctl, GKE, Karpenter).
const POOL_LABELS: &[&str] = &[
    "kubernetes.azure.com/agentpool",
    "agentpool",
    "eks.amazonaws.com/nodegroup",
    "alpha.eksctl.io/nodegroup-name",
    "cloud.google.com/gke-nodepool",
    "karpenter.sh/nodepool",
];

/// Labels unique to each node, dropped from the pool's labels.
const PER_NODE_LABELS: &[&str] = &["kubernetes.io/hostname", ZONE];
const ZONE: &str = "topology.kubernetes.io/zone";

#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct PoolKey {
    name: String,
    os: Os,
    arch: String,
    windows_build: Option<String>,
    taints: Vec<Taint>,
    allocatable: Resources,
    unschedulable: bool,
}

/// Nodes of one inferred pool: how many, the labels all of them share, and
/// the zone of each.
type Group = (u32, BTreeMap<String, String>, Vec<String>);

pub(crate) fn infer(r: &mut Reader<'_>, root: Value<'_>) -> Option<ClusterProfile> {
    let mut groups: BTreeMap<PoolKey, Group> = BTreeMap::new();
    let mut provider = None;
    let mut version: Option<Release> = None;
    r.mapping(
        root,
        "the NodeList",
        &["apiVersion", "kind", "metadata", "items"],
    );
    let items = root.get("items");
    if !items.is_some_and(Value::is_sequence) {
        r.error(
            items.unwrap_or(root),
            "a NodeList needs `items`, a list of Nodes",
        );
        return None;
    }
    for node in items.into_iter().flat_map(Value::items) {
        if node.get_str("kind") != Some("Node") {
            r.error(
                node.get("kind").unwrap_or(node),
                "every item of the list must be a Node",
            );
            continue;
        }
        r.mapping(
            node,
            "a Node",
            &["apiVersion", "kind", "metadata", "spec", "status"],
        );
        let name = node
            .path(&["metadata", "name"])
            .and_then(Value::as_str)
            .unwrap_or("<unnamed>");
        let mut labels = node
            .path(&["metadata", "labels"])
            .map(|l| r.string_map(l, "`metadata.labels`"))
            .unwrap_or_default();
        let os_text = labels
            .get("kubernetes.io/os")
            .cloned()
            .or_else(|| {
                node.path(&["status", "nodeInfo", "operatingSystem"])
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .unwrap_or_default();
        let Some(os) = Os::parse(&os_text) else {
            r.error(
                node,
                format!("Node {name} has no `kubernetes.io/os` label of linux or windows"),
            );
            continue;
        };
        let arch = labels
            .get("kubernetes.io/arch")
            .cloned()
            .unwrap_or_else(|| "amd64".to_owned());
        let windows_build = labels.get("node.kubernetes.io/windows-build").cloned();
        if let Some(build) = &windows_build
            && windows_build_parts(build).is_none()
        {
            r.error(node, format!("Node {name} has a `node.kubernetes.io/windows-build` label `{build}` that is not MAJOR.MINOR.BUILD"));
        }
        let Some(allocatable) = node.path(&["status", "allocatable"]) else {
            r.error(node, format!("Node {name} has no `status.allocatable`; export the nodes with `kubectl get nodes -o yaml`"));
            continue;
        };
        let allocatable = r.resources_lenient(allocatable);
        let taints: Vec<Taint> = node
            .path(&["spec", "taints"])
            .into_iter()
            .flat_map(Value::items)
            .filter_map(|t| r.taint(t))
            .collect();
        let unschedulable = node
            .path(&["spec", "unschedulable"])
            .and_then(Value::as_str)
            == Some("true");
        if let Some(id) = node.path(&["spec", "providerID"]).and_then(Value::as_str) {
            let from_id = provider_of(id);
            provider =
                Some(provider.map_or(
                    from_id,
                    |p: Provider| if p == from_id { p } else { Provider::Generic },
                ));
        }
        if let Some(v) = node
            .path(&["status", "nodeInfo", "kubeletVersion"])
            .and_then(Value::as_str)
            .and_then(Release::parse)
        {
            version = Some(version.map_or(v, |old| old.min(v)));
        }
        let pool_name = POOL_LABELS
            .iter()
            .find_map(|l| labels.get(*l))
            .cloned()
            .unwrap_or_else(|| format!("{}-{arch}", os.as_str()));
        let zone = labels.get(ZONE).cloned();
        for label in PER_NODE_LABELS {
            labels.remove(*label);
        }
        let key = PoolKey {
            name: pool_name,
            os,
            arch,
            windows_build,
            taints,
            allocatable,
            unschedulable,
        };
        let entry = groups
            .entry(key)
            .or_insert_with(|| (0, labels.clone(), Vec::new()));
        if entry.0 < MAX_NODES_PER_POOL {
            entry.0 += 1;
            entry.2.extend(zone);
        }
        // Keep only the labels every node of the pool has.
        entry.1.retain(|k, v| labels.get(k) == Some(v));
    }
    if groups.is_empty() {
        if r.errors.is_empty() {
            r.error(root, "the NodeList has no Nodes");
        }
        return None;
    }
    let mut used: BTreeMap<String, u32> = BTreeMap::new();
    let pools = groups
        .into_iter()
        .map(|(key, (count, labels, zones))| {
            let n = used.entry(key.name.clone()).or_insert(0);
            *n += 1;
            let name = if *n == 1 {
                key.name
            } else {
                format!("{}-{n}", key.name)
            };
            NodePool {
                name,
                count,
                min: count,
                max: count,
                os: key.os,
                arch: key.arch,
                windows_build: key.windows_build,
                labels,
                taints: key.taints,
                allocatable: key.allocatable,
                join_seconds: 0,
                // One zone per node, in node order, so node i keeps its zone.
                zones: if zones.len() == count as usize {
                    zones
                } else {
                    Vec::new()
                },
                unschedulable: key.unschedulable,
            }
        })
        .collect();
    Some(ClusterProfile {
        name: r.path.to_owned(),
        description: "inferred from a NodeList".to_owned(),
        provider: provider.unwrap_or(Provider::Generic),
        kubernetes_version: version.unwrap_or(Release {
            major: 1,
            minor: 37,
            patch: None,
        }),
        pools,
        installed: Installed::default(),
        knows_installed: false,
    })
}

/// The provider from a Node's `spec.providerID` scheme.
fn provider_of(provider_id: &str) -> Provider {
    match provider_id.split("://").next() {
        Some("azure") => Provider::Aks,
        Some("aws") => Provider::Eks,
        Some("gce") => Provider::Gke,
        Some("kind") => Provider::Kind,
        _ => Provider::Generic,
    }
}

impl Reader<'_> {
    /// `status.allocatable`: every resource the kubelet reports, of which the
    /// scheduler's four are kept (extended resources such as hugepages are
    /// not errors).
    fn resources_lenient(&mut self, node: Value<'_>) -> Resources {
        let mut out = Resources::default();
        for (key, value) in node.entries() {
            let name = key.as_str().unwrap_or_default();
            if !matches!(name, "cpu" | "memory" | "pods" | "ephemeral-storage") {
                continue;
            }
            let Some(q) = self.quantity(value, &format!("allocatable {name}")) else {
                continue;
            };
            let units = q / 1000 + i64::from(q % 1000 > 0);
            match name {
                "cpu" => out.cpu_milli = q,
                "memory" => out.memory_bytes = units,
                "pods" => out.pods = units,
                _ => out.ephemeral_storage_bytes = units,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::{Os, Provider, parse_profile};

    const NODES: &str = r#"apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata:
    name: aks-win-1
    labels: {kubernetes.io/os: windows, kubernetes.io/arch: amd64, node.kubernetes.io/windows-build: 10.0.20348, agentpool: win22, kubernetes.io/hostname: aks-win-1}
  spec:
    providerID: azure:///subscriptions/x/win-1
  status:
    allocatable: {cpu: 3860m, memory: 13200Mi, pods: "30", hugepages-2Mi: "0"}
    nodeInfo: {kubeletVersion: v1.33.3}
- apiVersion: v1
  kind: Node
  metadata:
    name: aks-win-2
    labels: {kubernetes.io/os: windows, kubernetes.io/arch: amd64, node.kubernetes.io/windows-build: 10.0.20348, agentpool: win22, kubernetes.io/hostname: aks-win-2}
  spec:
    providerID: azure:///subscriptions/x/win-2
  status:
    allocatable: {cpu: 3860m, memory: 13200Mi, pods: "30"}
    nodeInfo: {kubeletVersion: v1.33.3}
- apiVersion: v1
  kind: Node
  metadata:
    name: aks-sys-1
    labels: {kubernetes.io/os: linux, kubernetes.io/arch: amd64, agentpool: system}
  spec:
    providerID: azure:///subscriptions/x/sys-1
    taints: [{key: CriticalAddonsOnly, value: "true", effect: NoSchedule}]
  status:
    allocatable: {cpu: 1900m, memory: 5Gi, pods: "110"}
    nodeInfo: {kubeletVersion: v1.33.2}
"#;

    #[test]
    fn nodes_group_into_pools() {
        let p = parse_profile("nodes.yaml", NODES.as_bytes()).unwrap();
        assert_eq!(p.provider, Provider::Aks);
        assert_eq!(p.kubernetes_version.to_string(), "1.33.2");
        assert_eq!(p.pools.len(), 2);
        let sys = &p.pools[0];
        assert_eq!(
            (sys.name.as_str(), sys.count, sys.os),
            ("system", 1, Os::Linux)
        );
        assert_eq!(
            sys.taints[0].to_string(),
            "CriticalAddonsOnly=true:NoSchedule"
        );
        let win = &p.pools[1];
        assert_eq!((win.name.as_str(), win.count), ("win22", 2));
        assert_eq!(win.windows_build.as_deref(), Some("10.0.20348"));
        assert!(!win.labels.contains_key("kubernetes.io/hostname"));
        assert_eq!(win.allocatable.pods, 30);
    }

    #[test]
    fn bad_nodes_are_located() {
        let bad = NODES.replace("cpu: 1900m", "cpu: fast").replace(
            "kind: Node\n  metadata:\n    name: aks-win-2",
            "kind: Pod\n  metadata:\n    name: aks-win-2",
        );
        let e = parse_profile("nodes.yaml", bad.as_bytes()).unwrap_err();
        let text: Vec<String> = e.iter().map(ToString::to_string).collect();
        assert!(
            text.iter()
                .any(|m| m.contains("every item of the list must be a Node")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|m| m.contains("allocatable cpu `fast`")),
            "{text:?}"
        );
    }
}
