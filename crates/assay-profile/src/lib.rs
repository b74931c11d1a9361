//! Cluster profiles: what the cluster a deliverable goes to looks like (node
//! pools with their OS, Windows build, labels, taints and allocatable
//! resources; installed add-ons), read from a `ClusterProfile` file, from a
//! `NodeList` (`kubectl get nodes -o yaml`), or from the bundled profiles.
//! assay never contacts a cluster: a profile is all it knows about one.

mod bundled;
mod nodelist;
mod quantity;
mod read;
mod taint;

pub use bundled::{BUNDLED, bundled, bundled_names};
pub use quantity::{Milli, parse_quantity};
pub use read::{ProfileError, parse_profile};
pub use taint::{Taint, TaintEffect, Toleration, TolerationOperator, read_toleration, untolerated};

use std::collections::BTreeMap;

/// The API version and kind of a profile file.
pub const API_VERSION: &str = "assay.dev/v1";
pub const KIND: &str = "ClusterProfile";

/// Where the cluster runs; decides which provider-specific annotations work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Provider {
    Aks,
    Eks,
    Gke,
    Kind,
    Generic,
}

impl Provider {
    pub const ALL: [Provider; 5] = [
        Provider::Aks,
        Provider::Eks,
        Provider::Gke,
        Provider::Kind,
        Provider::Generic,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Aks => "aks",
            Provider::Eks => "eks",
            Provider::Gke => "gke",
            Provider::Kind => "kind",
            Provider::Generic => "generic",
        }
    }

    #[must_use]
    pub fn parse(text: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

/// A node operating system (`kubernetes.io/os`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Os {
    Linux,
    Windows,
}

impl Os {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Os::Linux => "linux",
            Os::Windows => "windows",
        }
    }

    #[must_use]
    pub fn parse(text: &str) -> Option<Os> {
        match text {
            "linux" => Some(Os::Linux),
            "windows" => Some(Os::Windows),
            _ => None,
        }
    }
}

/// The Kubernetes release of the cluster; the patch matters for scheduler
/// messages that changed in patch releases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Release {
    pub major: u32,
    pub minor: u32,
    /// `None`: the newest patch of the minor is assumed.
    pub patch: Option<u32>,
}

impl Release {
    /// Parse `1.34`, `v1.34.2` or `v1.30.4-eks-a737599` (a build suffix is ignored).
    #[must_use]
    pub fn parse(text: &str) -> Option<Release> {
        let text = text.trim().strip_prefix('v').unwrap_or(text.trim());
        let core = text.split(['-', '+']).next()?;
        let mut parts = core.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        let patch = match parts.next() {
            Some(p) => Some(p.parse().ok()?),
            None => None,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(Release {
            major,
            minor,
            patch,
        })
    }
}

impl std::fmt::Display for Release {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.patch {
            Some(p) => write!(f, "{}.{}.{p}", self.major, self.minor),
            None => write!(f, "{}.{}", self.major, self.minor),
        }
    }
}

/// Resources of one node, or requested by one pod: cpu in millicores, the
/// others in bytes or counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Resources {
    pub cpu_milli: i64,
    pub memory_bytes: i64,
    pub pods: i64,
    pub ephemeral_storage_bytes: i64,
}

/// One node pool: nodes that share OS, build, labels, taints and size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodePool {
    pub name: String,
    /// Nodes running now.
    pub count: u32,
    /// Autoscaling bounds; equal to `count` when the pool does not scale.
    pub min: u32,
    pub max: u32,
    pub os: Os,
    pub arch: String,
    /// `node.kubernetes.io/windows-build` (`10.0.20348`) on Windows pools.
    pub windows_build: Option<String>,
    /// Node labels, including the well-known ones the kubelet sets
    /// (`kubernetes.io/os`, `kubernetes.io/arch`, windows-build).
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<Taint>,
    /// Allocatable resources of each node.
    pub allocatable: Resources,
    /// Seconds a new node takes from scale-up to Ready (spike simulation).
    pub join_seconds: u32,
    /// Zones (`topology.kubernetes.io/zone`) the pool's nodes are spread
    /// over, node `i` in `zones[i % len]`; empty when nodes carry no zone.
    pub zones: Vec<String>,
    /// `spec.unschedulable` (cordoned).
    pub unschedulable: bool,
}

/// A RuntimeClass installed in the cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimeClass {
    pub name: String,
    pub handler: String,
    /// `scheduling.nodeSelector`, merged into the pod's node selector.
    pub node_selector: BTreeMap<String, String>,
    /// `scheduling.tolerations`, added to the pod's tolerations.
    pub tolerations: Vec<Toleration>,
    /// `overhead.podFixed`, added to the pod's requests.
    pub overhead: Resources,
}

impl RuntimeClass {
    /// A Hyper-V isolated Windows handler (containerd `runhcs-wcow-hypervisor`).
    #[must_use]
    pub fn is_hyperv(&self) -> bool {
        self.handler.to_ascii_lowercase().contains("hypervisor")
            || self.handler.to_ascii_lowercase().contains("hyperv")
    }
}

/// Which cluster autoscaler, if any, adds nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Autoscaler {
    None,
    ClusterAutoscaler,
    Karpenter,
}

impl Autoscaler {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Autoscaler::None => "none",
            Autoscaler::ClusterAutoscaler => "cluster-autoscaler",
            Autoscaler::Karpenter => "karpenter",
        }
    }
}

/// What is installed in the cluster besides the nodes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Installed {
    pub ingress_classes: Vec<String>,
    pub storage_classes: Vec<String>,
    pub cni: String,
    /// Whether the CNI enforces NetworkPolicy on Linux and on Windows nodes.
    pub network_policy_linux: bool,
    pub network_policy_windows: bool,
    pub metrics_server: bool,
    pub autoscaler: Autoscaler,
    pub runtime_classes: Vec<RuntimeClass>,
}

impl Default for Installed {
    fn default() -> Self {
        Self {
            ingress_classes: Vec::new(),
            storage_classes: Vec::new(),
            cni: String::new(),
            network_policy_linux: false,
            network_policy_windows: false,
            metrics_server: false,
            autoscaler: Autoscaler::None,
            runtime_classes: Vec::new(),
        }
    }
}

/// A cluster profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterProfile {
    pub name: String,
    pub description: String,
    pub provider: Provider,
    pub kubernetes_version: Release,
    pub pools: Vec<NodePool>,
    pub installed: Installed,
    /// Whether `installed` was written (a NodeList says nothing about add-ons,
    /// so rules about them stay silent).
    pub knows_installed: bool,
}

impl ClusterProfile {
    /// The pools of one OS.
    pub fn pools_of(&self, os: Os) -> impl Iterator<Item = &NodePool> {
        self.pools.iter().filter(move |p| p.os == os)
    }

    #[must_use]
    pub fn runtime_class(&self, name: &str) -> Option<&RuntimeClass> {
        self.installed
            .runtime_classes
            .iter()
            .find(|r| r.name == name)
    }

    /// Nodes running now, over all pools.
    #[must_use]
    pub fn node_count(&self) -> u64 {
        self.pools.iter().map(|p| u64::from(p.count)).sum()
    }
}

/// A profile by bundled name, or read from a file (a `ClusterProfile` or a
/// `NodeList`). `path` is used in error messages.
///
/// # Errors
/// Every problem of the file, each located.
pub fn load(name_or_path: &str) -> Result<ClusterProfile, Vec<ProfileError>> {
    if let Some(profile) = bundled(name_or_path) {
        return profile.map_err(|e| vec![e]);
    }
    let path = std::path::Path::new(name_or_path);
    if !path.exists() {
        return Err(vec![ProfileError {
            path: name_or_path.to_owned(),
            pos: assay_span::Pos::new(1, 1),
            message: format!(
                "no bundled profile and no file named `{name_or_path}` (bundled: {})",
                bundled_names().join(", ")
            ),
        }]);
    }
    let bytes = std::fs::read(path).map_err(|e| {
        vec![ProfileError {
            path: name_or_path.to_owned(),
            pos: assay_span::Pos::new(1, 1),
            message: format!("cannot read the profile: {e}"),
        }]
    })?;
    parse_profile(name_or_path, &bytes)
}
