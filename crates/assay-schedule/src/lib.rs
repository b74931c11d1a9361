//! `assay schedule`: where each pod of a deliverable can run on a cluster
//! profile. Every pod template runs through the kube-scheduler's filters in
//! the default profile's order (NodeUnschedulable, NodeName, TaintToleration,
//! NodeAffinity, NodePorts, NodeResourcesFit, PodTopologySpread,
//! InterPodAffinity; `pkg/scheduler/apis/config/v1/default_plugins.go`) on
//! every node of every pool; a pod that fits nowhere gets the scheduler's
//! own `FailedScheduling` message. Replicas are placed first-fit decreasing
//! by requests, then pools scale up (to their autoscaling maximum) for what
//! is left. The volume plugins are not modelled: a deliverable carries no
//! PersistentVolumes or CSI limits to check against.

pub mod messages;
mod pod;
mod report;

pub use pod::InputProblem;
pub use report::{to_json, to_markdown, to_text};

use assay_model::{Model, ObjectView};
use assay_profile::{ClusterProfile, NodePool, Os, Resources, Taint, TaintEffect, untolerated};
use assay_span::FileSpan;
use pod::{HostPort, NodeTerm, PodModel, read_pod};
use std::collections::{BTreeMap, BTreeSet};

/// How one workload fared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkloadResult {
    /// `Deployment shop/web`.
    pub object: String,
    pub location: FileSpan,
    /// Replicas wanted (for a DaemonSet: the nodes it targets).
    pub replicas: u32,
    /// Placed on the nodes that exist now.
    pub placed_now: u32,
    /// Placed once pools scale up to their maximum.
    pub placed_after_scale_up: u32,
    /// Pools where an empty node would take a replica.
    pub pools: Vec<String>,
    /// Replicas per pool after scale-up.
    pub placement: BTreeMap<String, u32>,
    /// The `FailedScheduling` message for the first replica that did not fit
    /// on the nodes that exist now.
    pub failed_scheduling: Option<String>,
    /// Why admission rejects the pod before scheduling.
    pub rejected: Option<String>,
}

impl WorkloadResult {
    /// Some replica fits nowhere, even with every pool at its maximum.
    #[must_use]
    pub fn unschedulable(&self) -> bool {
        self.rejected.is_some() || self.placed_after_scale_up < self.replicas
    }
}

/// How one pool ends up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolResult {
    pub name: String,
    pub os: Os,
    /// Nodes running now.
    pub nodes: u32,
    /// Nodes that received at least one pod.
    pub nodes_used: u32,
    /// Nodes needed after scale-up (at most `max`).
    pub nodes_needed: u32,
    pub max: u32,
    /// Allocatable of all nodes needed, and what the placed pods request.
    pub allocatable: Resources,
    pub requested: Resources,
}

/// The outcome of scheduling a deliverable on a profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub profile: String,
    pub kubernetes_version: String,
    pub workloads: Vec<WorkloadResult>,
    pub pools: Vec<PoolResult>,
    /// Fields the API server would reject, located.
    pub problems: Vec<InputProblem>,
}

impl Schedule {
    /// Any workload that cannot run, or any rejected field.
    #[must_use]
    pub fn failed(&self) -> bool {
        !self.problems.is_empty() || self.workloads.iter().any(WorkloadResult::unschedulable)
    }
}

struct Node {
    pool: usize,
    name: String,
    zone: Option<String>,
    requested: Resources,
    host_ports: Vec<HostPort>,
    /// Workload index of every pod placed here.
    pods: Vec<usize>,
    /// Added by scale-up.
    added: bool,
}

struct Cluster<'p> {
    profile: &'p ClusterProfile,
    nodes: Vec<Node>,
    /// Nodes per pool (indexes into `nodes`), running and added.
    per_pool: Vec<Vec<usize>>,
}

const HOSTNAME: &str = "kubernetes.io/hostname";
const ZONE: &str = "topology.kubernetes.io/zone";

impl<'p> Cluster<'p> {
    fn new(profile: &'p ClusterProfile) -> Self {
        let mut cluster = Cluster {
            profile,
            nodes: Vec::new(),
            per_pool: vec![Vec::new(); profile.pools.len()],
        };
        for (index, pool) in profile.pools.iter().enumerate() {
            for _ in 0..pool.count {
                cluster.add_node(index, false);
            }
        }
        cluster
    }

    fn add_node(&mut self, pool_index: usize, added: bool) -> usize {
        let pool = &self.profile.pools[pool_index];
        let ordinal = self.per_pool[pool_index].len();
        let zone = (!pool.zones.is_empty()).then(|| pool.zones[ordinal % pool.zones.len()].clone());
        let id = self.nodes.len();
        self.nodes.push(Node {
            pool: pool_index,
            name: format!("{}-{ordinal}", pool.name),
            zone,
            requested: Resources::default(),
            host_ports: Vec::new(),
            pods: Vec::new(),
            added,
        });
        self.per_pool[pool_index].push(id);
        id
    }

    fn pool(&self, node: usize) -> &'p NodePool {
        &self.profile.pools[self.nodes[node].pool]
    }

    fn label(&self, node: usize, key: &str) -> Option<&str> {
        let n = &self.nodes[node];
        match key {
            HOSTNAME => Some(n.name.as_str()),
            ZONE if n.zone.is_some() => n.zone.as_deref(),
            _ => self.pool(node).labels.get(key).map(String::as_str),
        }
    }

    fn node_count(&self, include_added: bool) -> u64 {
        self.nodes
            .iter()
            .filter(|n| include_added || !n.added)
            .count() as u64
    }
}

fn matches_term(cluster: &Cluster<'_>, node: usize, term: &NodeTerm) -> bool {
    // An empty term matches no node (`nodeaffinity.NewNodeSelector`).
    if term.expressions.is_empty() && term.fields.is_empty() {
        return false;
    }
    term.expressions
        .iter()
        .all(|e| e.matches(cluster.label(node, &e.key)))
        && term
            .fields
            .iter()
            .all(|f| f.matches(Some(cluster.nodes[node].name.as_str())))
}

fn matches_node_affinity(cluster: &Cluster<'_>, node: usize, pod: &PodModel<'_>) -> bool {
    pod.node_selector
        .iter()
        .all(|(k, v)| cluster.label(node, k) == Some(v.as_str()))
        && pod
            .affinity
            .as_ref()
            .is_none_or(|terms| terms.iter().any(|t| matches_term(cluster, node, t)))
}

const UNSCHEDULABLE_TAINT: &str = "node.kubernetes.io/unschedulable";

/// NodeUnschedulable, NodeName, TaintToleration, NodeAffinity: the filters
/// that do not depend on what else runs on the node.
fn static_reason(cluster: &Cluster<'_>, node: usize, pod: &PodModel<'_>) -> Option<String> {
    let pool = cluster.pool(node);
    if pool.unschedulable {
        let taint = Taint {
            key: UNSCHEDULABLE_TAINT.to_owned(),
            value: String::new(),
            effect: TaintEffect::NoSchedule,
        };
        if !pod.tolerations.iter().any(|t| t.tolerates(&taint)) {
            return Some(messages::NODE_UNSCHEDULABLE.to_owned());
        }
    }
    if pod.node_name.is_some_and(|n| n != cluster.nodes[node].name) {
        return Some(messages::NODE_NAME.to_owned());
    }
    if let Some(taint) = untolerated(&pool.taints, &pod.tolerations) {
        return Some(messages::untolerated_taint(
            cluster.profile.kubernetes_version,
            taint,
        ));
    }
    if !matches_node_affinity(cluster, node, pod) {
        return Some(messages::NODE_AFFINITY.to_owned());
    }
    None
}

/// NodeResourcesFit (`fitsRequest` in `noderesources/fit.go`): which of
/// pods, cpu, memory and ephemeral-storage do not fit, in the plugin's order.
fn fit_check(allocatable: Resources, used: Resources, request: Resources) -> [bool; 4] {
    let short = |want: i64, have: i64, taken: i64| want > 0 && want > have.saturating_sub(taken);
    [
        used.pods.saturating_add(1) > allocatable.pods,
        short(request.cpu_milli, allocatable.cpu_milli, used.cpu_milli),
        short(
            request.memory_bytes,
            allocatable.memory_bytes,
            used.memory_bytes,
        ),
        short(
            request.ephemeral_storage_bytes,
            allocatable.ephemeral_storage_bytes,
            used.ephemeral_storage_bytes,
        ),
    ]
}

fn fits(allocatable: Resources, used: Resources, request: Resources) -> bool {
    !fit_check(allocatable, used, request).contains(&true)
}

/// The first filter that failed on a node; its reasons are only spelt out
/// when a message is needed.
enum Failure {
    Reason(&'static str),
    Owned(String),
    Fit([bool; 4]),
}

impl Failure {
    fn reasons(self) -> Vec<String> {
        match self {
            Failure::Reason(r) => vec![r.to_owned()],
            Failure::Owned(r) => vec![r],
            Failure::Fit(short) => {
                let names = [None, Some("cpu"), Some("memory"), Some("ephemeral-storage")];
                short
                    .iter()
                    .zip(names)
                    .filter(|(s, _)| **s)
                    .map(|(_, name)| {
                        name.map_or_else(
                            || messages::TOO_MANY_PODS.to_owned(),
                            messages::insufficient,
                        )
                    })
                    .collect()
            }
        }
    }
}

/// Per replica attempt: the state PodTopologySpread and InterPodAffinity
/// compute in their PreFilter.
struct PreFilter {
    /// Per hard spread constraint: pods matching per domain, and the minimum.
    spread_counts: Vec<(BTreeMap<String, i64>, i64)>,
    /// (topology key, value) pairs where the pod's affinity terms are met, per term.
    affinity_domains: Vec<BTreeSet<(String, String)>>,
    /// No placed pod matches any affinity term and the pod matches all of
    /// them: the first pod of a group with affinity to itself goes anywhere.
    affinity_first_pod: bool,
    anti_affinity_domains: BTreeSet<(String, String)>,
    existing_anti_affinity: BTreeSet<(String, String)>,
}

struct Run<'m, 'p> {
    cluster: Cluster<'p>,
    /// One empty node per pool, to judge a pool before it has nodes.
    probes: Vec<Cluster<'p>>,
    pods: Vec<PodModel<'m>>,
    /// Workloads whose pods carry required anti-affinity (checked against every incoming pod).
    with_anti_affinity: Vec<usize>,
}

impl Run<'_, '_> {
    fn prefilter(&self, pod: &PodModel<'_>) -> PreFilter {
        let cluster = &self.cluster;
        let mut spread_counts = Vec::new();
        for c in &pod.spreads {
            let mut counts: BTreeMap<String, i64> = BTreeMap::new();
            for (id, node) in cluster.nodes.iter().enumerate() {
                let Some(domain) = cluster.label(id, &c.key) else {
                    continue;
                };
                if c.honor_affinity && !matches_node_affinity(cluster, id, pod) {
                    continue;
                }
                if c.honor_taints
                    && untolerated(&cluster.pool(id).taints, &pod.tolerations).is_some()
                {
                    continue;
                }
                let matching = node
                    .pods
                    .iter()
                    .filter(|w| {
                        let other = &self.pods[**w];
                        other.namespace == pod.namespace && c.selector.matches(&other.labels)
                    })
                    .count() as i64;
                *counts.entry(domain.to_owned()).or_insert(0) += matching;
            }
            let min = counts.values().copied().min().unwrap_or(0);
            spread_counts.push((counts, min));
        }
        let domains_of = |term: &pod::PodTerm<'_>, namespace_of: &dyn Fn(usize) -> bool| {
            let mut out = BTreeSet::new();
            for (id, node) in cluster.nodes.iter().enumerate() {
                let Some(value) = cluster.label(id, &term.key) else {
                    continue;
                };
                if node.pods.iter().any(|w| {
                    namespace_of(*w) && {
                        let other = &self.pods[*w];
                        term.selects(other.namespace, &other.labels)
                    }
                }) {
                    out.insert((term.key.clone(), value.to_owned()));
                }
            }
            out
        };
        let any = |_: usize| true;
        let affinity_domains: Vec<BTreeSet<(String, String)>> = pod
            .pod_affinity
            .iter()
            .map(|t| domains_of(t, &any))
            .collect();
        let affinity_first_pod = affinity_domains.iter().all(BTreeSet::is_empty)
            && pod
                .pod_affinity
                .iter()
                .all(|t| t.selects(pod.namespace, &pod.labels));
        let mut anti_affinity_domains = BTreeSet::new();
        for t in &pod.pod_anti_affinity {
            anti_affinity_domains.extend(domains_of(t, &any));
        }
        let mut existing_anti_affinity = BTreeSet::new();
        for w in &self.with_anti_affinity {
            let owner = &self.pods[*w];
            for t in &owner.pod_anti_affinity {
                if !t.selects(pod.namespace, &pod.labels) {
                    continue;
                }
                for (id, node) in cluster.nodes.iter().enumerate() {
                    if node.pods.contains(w)
                        && let Some(value) = cluster.label(id, &t.key)
                    {
                        existing_anti_affinity.insert((t.key.clone(), value.to_owned()));
                    }
                }
            }
        }
        PreFilter {
            spread_counts,
            affinity_domains,
            affinity_first_pod,
            anti_affinity_domains,
            existing_anti_affinity,
        }
    }

    /// Every filter, in order; the reasons of the first that fails.
    fn filter(
        &self,
        node: usize,
        pod: &PodModel<'_>,
        static_result: Option<&Option<String>>,
        pre: &PreFilter,
    ) -> Result<(), Failure> {
        let cluster = &self.cluster;
        let computed;
        let static_result = match static_result {
            Some(r) => r,
            None => {
                computed = static_reason(cluster, node, pod);
                &computed
            }
        };
        if let Some(reason) = static_result {
            return Err(Failure::Owned(reason.clone()));
        }
        let n = &cluster.nodes[node];
        if pod
            .host_ports
            .iter()
            .any(|p| n.host_ports.iter().any(|q| p.conflicts(q)))
        {
            return Err(Failure::Reason(messages::NODE_PORTS));
        }
        let short = fit_check(cluster.pool(node).allocatable, n.requested, pod.requests);
        if short.contains(&true) {
            return Err(Failure::Fit(short));
        }
        for (c, (counts, min)) in pod.spreads.iter().zip(&pre.spread_counts) {
            let Some(domain) = cluster.label(node, &c.key) else {
                return Err(Failure::Reason(messages::TOPOLOGY_SPREAD_MISSING_LABEL));
            };
            let own = i64::from(c.selector.matches(&pod.labels));
            let here = counts.get(domain).copied().unwrap_or(0);
            if here + own - min > c.max_skew {
                return Err(Failure::Reason(messages::TOPOLOGY_SPREAD));
            }
        }
        // interpodaffinity/filtering.go, Filter: affinity, then the pod's
        // anti-affinity, then the anti-affinity of pods already placed.
        let domain = |key: &str| {
            cluster
                .label(node, key)
                .map(|v| (key.to_owned(), v.to_owned()))
        };
        let mut pods_exist = true;
        for (t, found) in pod.pod_affinity.iter().zip(&pre.affinity_domains) {
            match domain(&t.key) {
                None => return Err(Failure::Reason(messages::POD_AFFINITY)),
                Some(d) => pods_exist &= found.contains(&d),
            }
        }
        if !pods_exist && !pre.affinity_first_pod {
            return Err(Failure::Reason(messages::POD_AFFINITY));
        }
        if pod
            .pod_anti_affinity
            .iter()
            .any(|t| domain(&t.key).is_some_and(|d| pre.anti_affinity_domains.contains(&d)))
        {
            return Err(Failure::Reason(messages::POD_ANTI_AFFINITY));
        }
        if pre
            .existing_anti_affinity
            .iter()
            .any(|(k, v)| cluster.label(node, k) == Some(v.as_str()))
        {
            return Err(Failure::Reason(messages::EXISTING_ANTI_AFFINITY));
        }
        Ok(())
    }

    fn place(&mut self, node: usize, workload: usize) {
        let pod = &self.pods[workload];
        let n = &mut self.cluster.nodes[node];
        n.requested.cpu_milli = n.requested.cpu_milli.saturating_add(pod.requests.cpu_milli);
        n.requested.memory_bytes = n
            .requested
            .memory_bytes
            .saturating_add(pod.requests.memory_bytes);
        n.requested.ephemeral_storage_bytes = n
            .requested
            .ephemeral_storage_bytes
            .saturating_add(pod.requests.ephemeral_storage_bytes);
        n.requested.pods += 1;
        n.host_ports.extend(pod.host_ports.iter().cloned());
        n.pods.push(workload);
    }

    /// Static filter results per pool, when they do not vary node by node.
    fn static_by_pool(&self, pod: &PodModel<'_>) -> Option<Vec<Option<String>>> {
        if pod.selects_per_node() {
            return None;
        }
        // One empty probe node per pool, so pools that run no node yet
        // (autoscaling from zero) are judged too.
        Some(
            self.probes
                .iter()
                .map(|probe| static_reason(probe, 0, pod))
                .collect(),
        )
    }

    /// The nodes to try, pool by pool in profile order: pools whose static
    /// filters already failed are skipped whole.
    fn candidates(
        &self,
        only: Option<usize>,
        statics: Option<&[Option<String>]>,
        include_added: bool,
    ) -> Vec<usize> {
        if let Some(node) = only {
            return vec![node];
        }
        let mut out = Vec::new();
        for (pool, nodes) in self.cluster.per_pool.iter().enumerate() {
            if statics
                .and_then(|s| s.get(pool))
                .is_some_and(Option::is_some)
            {
                continue;
            }
            out.extend(
                nodes
                    .iter()
                    .copied()
                    .filter(|n| include_added || !self.cluster.nodes[*n].added),
            );
        }
        out
    }

    /// Try the nodes in order; the first that passes takes the pod. When
    /// `explain` is set and no node passes, the reasons of every node are
    /// counted (a second pass, so placing allocates nothing per node).
    fn try_place(
        &mut self,
        workload: usize,
        only: Option<usize>,
        statics: Option<&[Option<String>]>,
        include_added: bool,
        explain: bool,
    ) -> Result<usize, BTreeMap<String, u64>> {
        let pre = self.prefilter(&self.pods[workload]);
        for node in self.candidates(only, statics, include_added) {
            let static_result = statics.and_then(|s| s.get(self.cluster.nodes[node].pool));
            if self
                .filter(node, &self.pods[workload], static_result, &pre)
                .is_ok()
            {
                self.place(node, workload);
                return Ok(node);
            }
        }
        let mut reasons: BTreeMap<String, u64> = BTreeMap::new();
        if !explain {
            return Err(reasons);
        }
        for node in 0..self.cluster.nodes.len() {
            if !include_added && self.cluster.nodes[node].added {
                continue;
            }
            if only.is_some_and(|o| o != node) {
                // A DaemonSet pod is bound to its node by node affinity.
                *reasons
                    .entry(messages::NODE_AFFINITY.to_owned())
                    .or_insert(0) += 1;
                continue;
            }
            let static_result = statics.and_then(|s| s.get(self.cluster.nodes[node].pool));
            let failure = self
                .filter(node, &self.pods[workload], static_result, &pre)
                .err();
            for reason in failure.into_iter().flat_map(Failure::reasons) {
                *reasons.entry(reason).or_insert(0) += 1;
            }
        }
        Err(reasons)
    }
}

impl Run<'_, '_> {
    /// Whether a new, empty node of the pool (with the DaemonSet pods it
    /// would get) passes the pod's static filters and has room for it.
    fn could_take(
        &self,
        pool_index: usize,
        workload: usize,
        daemons: &[usize],
        statics: &[Option<Vec<Option<String>>>],
    ) -> bool {
        let Some(probe) = self.probes.get(pool_index) else {
            return false;
        };
        let passes = |w: usize| match statics[w].as_ref().and_then(|s| s.get(pool_index)) {
            Some(result) => result.is_none(),
            None => true,
        };
        if !passes(workload) {
            return false;
        }
        let mut used = Resources::default();
        for &d in daemons {
            if passes(d) && static_reason(probe, 0, &self.pods[d]).is_none() {
                let r = self.pods[d].requests;
                used.cpu_milli += r.cpu_milli;
                used.memory_bytes = used.memory_bytes.saturating_add(r.memory_bytes);
                used.ephemeral_storage_bytes = used
                    .ephemeral_storage_bytes
                    .saturating_add(r.ephemeral_storage_bytes);
                used.pods += 1;
            }
        }
        fits(
            probe.pool(0).allocatable,
            used,
            self.pods[workload].requests,
        )
    }
}

/// How one pool treats a pod before any capacity question: whether its node
/// selection and affinity admit the pool, and the first taint it does not
/// tolerate (the RuntimeClass's scheduling merged in first).
#[derive(Clone, Copy, Debug)]
pub struct PoolFit<'p> {
    pub pool: &'p NodePool,
    pub selected: bool,
    pub untolerated: Option<&'p Taint>,
}

impl PoolFit<'_> {
    /// The pod may land on this pool.
    #[must_use]
    pub fn admits(&self) -> bool {
        self.selected && self.untolerated.is_none() && !self.pool.unschedulable
    }
}

/// [`PoolFit`] of every pool of the profile for the pod of `object`, in
/// profile order; empty when the object has no pod template.
#[must_use]
pub fn pool_fits<'p>(object: &ObjectView<'_>, profile: &'p ClusterProfile) -> Vec<PoolFit<'p>> {
    let Some(spec) = object.pod_spec() else {
        return Vec::new();
    };
    let mut ignored = Vec::new();
    let pod = read_pod(object, spec, profile, &mut ignored);
    profile
        .pools
        .iter()
        .enumerate()
        .map(|(index, pool)| {
            let probe = Cluster::new_probe(profile, index);
            PoolFit {
                pool,
                selected: matches_node_affinity(&probe, 0, &pod),
                untolerated: untolerated(&pool.taints, &pod.tolerations),
            }
        })
        .collect()
}

/// The effective request of one pod of `object` (`resource.PodRequests`:
/// app containers and sidecars, or the largest init step), without
/// RuntimeClass overhead; `None` when the object has no pod template.
#[must_use]
pub fn pod_requests(object: &ObjectView<'_>) -> Option<assay_profile::Resources> {
    object.pod_spec().map(pod::pod_requests)
}

struct Workload<'m> {
    view: ObjectView<'m>,
    replicas: Option<u32>,
}

/// Schedule every workload of `model` on `profile`.
#[must_use]
pub fn schedule(model: &Model, profile: &ClusterProfile) -> Schedule {
    let mut problems = Vec::new();
    let mut workloads = Vec::new();
    let mut pods = Vec::new();
    for view in model.object_views() {
        if view.kind() == "PodTemplate" {
            continue;
        }
        let Some(spec) = view.pod_spec() else {
            continue;
        };
        pods.push(read_pod(&view, spec, profile, &mut problems));
        workloads.push(Workload {
            replicas: pod::replicas(&view),
            view,
        });
    }
    let with_anti_affinity = pods
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.pod_anti_affinity.is_empty())
        .map(|(i, _)| i)
        .collect();
    let mut run = Run {
        cluster: Cluster::new(profile),
        probes: (0..profile.pools.len())
            .map(|p| Cluster::new_probe(profile, p))
            .collect(),
        pods,
        with_anti_affinity,
    };
    let statics: Vec<Option<Vec<Option<String>>>> =
        run.pods.iter().map(|p| run.static_by_pool(p)).collect();
    let count = workloads.len();
    let mut placed_now = vec![0u32; count];
    let mut placed_later = vec![0u32; count];
    let mut wanted = vec![0u32; count];
    let mut messages_of: Vec<Option<String>> = vec![None; count];
    let mut placement: Vec<BTreeMap<String, u32>> = vec![BTreeMap::new(); count];
    let total_nodes = run.cluster.node_count(false);

    // DaemonSets first: one pod on every node whose taints and affinity admit it.
    let daemons: Vec<usize> = (0..count)
        .filter(|i| run.pods[*i].is_daemon && run.pods[*i].rejected.is_none())
        .collect();
    for node in 0..run.cluster.nodes.len() {
        let _ = place_daemons(
            &mut run,
            &daemons,
            node,
            &statics,
            &mut wanted,
            &mut placed_now,
            &mut placed_later,
            &mut placement,
            &mut messages_of,
            total_nodes,
            false,
        );
    }

    // Then every replica, largest request first (first-fit decreasing).
    let mut queue: Vec<(usize, u32)> = Vec::new();
    for (i, w) in workloads.iter().enumerate() {
        if run.pods[i].rejected.is_some() {
            wanted[i] = w.replicas.unwrap_or(0);
            continue;
        }
        if let Some(n) = w.replicas {
            wanted[i] = n;
            queue.extend((0..n).map(|r| (i, r)));
        }
    }
    queue.sort_by(|a, b| {
        let (ra, rb) = (run.pods[a.0].requests, run.pods[b.0].requests);
        (rb.cpu_milli, rb.memory_bytes)
            .cmp(&(ra.cpu_milli, ra.memory_bytes))
            .then(a.cmp(b))
    });
    let mut left = Vec::new();
    for (workload, replica) in queue {
        let explain = messages_of[workload].is_none();
        match run.try_place(workload, None, statics[workload].as_deref(), false, explain) {
            Ok(node) => {
                placed_now[workload] += 1;
                placed_later[workload] += 1;
                let pool = run.cluster.pool(node).name.clone();
                *placement[workload].entry(pool).or_insert(0) += 1;
            }
            Err(reasons) => {
                if messages_of[workload].is_none() {
                    messages_of[workload] = Some(messages::fit_error(total_nodes, &reasons));
                }
                left.push((workload, replica));
            }
        }
    }

    // Scale-up: added nodes first, then a new node in the first pool that
    // would take the pod and is below its maximum.
    for (workload, _) in left {
        if let Ok(node) = run.try_place(workload, None, statics[workload].as_deref(), true, false) {
            placed_later[workload] += 1;
            let pool = run.cluster.pool(node).name.clone();
            *placement[workload].entry(pool).or_insert(0) += 1;
            continue;
        }
        for pool_index in 0..profile.pools.len() {
            let pool = &profile.pools[pool_index];
            if run.cluster.per_pool[pool_index].len() >= pool.max as usize
                || !run.could_take(pool_index, workload, &daemons, &statics)
            {
                continue;
            }
            let node = run.cluster.add_node(pool_index, true);
            let counted = place_daemons(
                &mut run,
                &daemons,
                node,
                &statics,
                &mut wanted,
                &mut placed_now,
                &mut placed_later,
                &mut placement,
                &mut messages_of,
                total_nodes,
                true,
            );
            if run
                .try_place(workload, Some(node), None, true, false)
                .is_ok()
            {
                placed_later[workload] += 1;
                *placement[workload].entry(pool.name.clone()).or_insert(0) += 1;
                break;
            }
            // The new node does not help this pod: take it away again.
            remove_last_node(
                &mut run,
                pool_index,
                &counted,
                &mut wanted,
                &mut placed_later,
                &mut placement,
            );
        }
    }

    let results = workloads
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let pod = &run.pods[i];
            let pools = profile
                .pools
                .iter()
                .enumerate()
                .filter(|(p, pool)| {
                    run.probes
                        .get(*p)
                        .is_some_and(|probe| static_reason(probe, 0, pod).is_none())
                        && fits(pool.allocatable, Resources::default(), pod.requests)
                })
                .map(|(_, pool)| pool.name.clone())
                .collect();
            WorkloadResult {
                object: w.view.display(),
                location: w.view.anchor(),
                replicas: wanted[i],
                placed_now: placed_now[i],
                placed_after_scale_up: placed_later[i],
                pools,
                placement: placement[i].clone(),
                failed_scheduling: messages_of[i].clone(),
                rejected: pod.rejected.clone(),
            }
        })
        .collect();
    let pools = profile
        .pools
        .iter()
        .enumerate()
        .map(|(p, pool)| {
            let nodes = &run.cluster.per_pool[p];
            let mut requested = Resources::default();
            for n in nodes {
                let r = run.cluster.nodes[*n].requested;
                requested.cpu_milli += r.cpu_milli;
                requested.memory_bytes = requested.memory_bytes.saturating_add(r.memory_bytes);
                requested.pods += r.pods;
                requested.ephemeral_storage_bytes = requested
                    .ephemeral_storage_bytes
                    .saturating_add(r.ephemeral_storage_bytes);
            }
            let needed = u32::try_from(nodes.len()).unwrap_or(u32::MAX);
            let times = i64::from(needed);
            PoolResult {
                name: pool.name.clone(),
                os: pool.os,
                nodes: pool.count,
                nodes_used: u32::try_from(
                    nodes
                        .iter()
                        .filter(|n| !run.cluster.nodes[**n].pods.is_empty())
                        .count(),
                )
                .unwrap_or(u32::MAX),
                nodes_needed: needed.max(pool.count),
                max: pool.max,
                allocatable: Resources {
                    cpu_milli: pool.allocatable.cpu_milli.saturating_mul(times),
                    memory_bytes: pool.allocatable.memory_bytes.saturating_mul(times),
                    pods: pool.allocatable.pods.saturating_mul(times),
                    ephemeral_storage_bytes: pool
                        .allocatable
                        .ephemeral_storage_bytes
                        .saturating_mul(times),
                },
                requested,
            }
        })
        .collect();
    problems.sort_by(|a, b| a.location.cmp(&b.location).then(a.message.cmp(&b.message)));
    Schedule {
        profile: profile.name.clone(),
        kubernetes_version: profile.kubernetes_version.to_string(),
        workloads: results,
        pools,
        problems,
    }
}

impl<'p> Cluster<'p> {
    /// One empty node of one pool, to ask whether a pool could take a pod at all.
    fn new_probe(profile: &'p ClusterProfile, pool: usize) -> Self {
        let mut cluster = Cluster {
            profile,
            nodes: Vec::new(),
            per_pool: vec![Vec::new(); profile.pools.len()],
        };
        cluster.add_node(pool, true);
        cluster
    }
}

#[allow(clippy::too_many_arguments)]
fn place_daemons(
    run: &mut Run<'_, '_>,
    daemons: &[usize],
    node: usize,
    statics: &[Option<Vec<Option<String>>>],
    wanted: &mut [u32],
    placed_now: &mut [u32],
    placed_later: &mut [u32],
    placement: &mut [BTreeMap<String, u32>],
    messages_of: &mut [Option<String>],
    total_nodes: u64,
    added: bool,
) -> Vec<usize> {
    let pool_index = run.cluster.nodes[node].pool;
    let mut counted = Vec::new();
    for &d in daemons {
        let eligible = match statics[d].as_ref().and_then(|s| s.get(pool_index)) {
            Some(result) => result.is_none(),
            None => static_reason(&run.cluster, node, &run.pods[d]).is_none(),
        };
        if !eligible {
            continue;
        }
        wanted[d] += 1;
        counted.push(d);
        let explain = messages_of[d].is_none() && !added;
        match run.try_place(d, Some(node), statics[d].as_deref(), added, explain) {
            Ok(_) => {
                if !added {
                    placed_now[d] += 1;
                }
                placed_later[d] += 1;
                let pool = run.cluster.pool(node).name.clone();
                *placement[d].entry(pool).or_insert(0) += 1;
            }
            Err(reasons) => {
                if messages_of[d].is_none() && !added {
                    messages_of[d] = Some(messages::fit_error(total_nodes, &reasons));
                }
            }
        }
    }
    counted
}

/// Undo a node added by scale-up that took none of the pods it was added
/// for, with the DaemonSet pods that were counted for it.
fn remove_last_node(
    run: &mut Run<'_, '_>,
    pool_index: usize,
    counted_daemons: &[usize],
    wanted: &mut [u32],
    placed_later: &mut [u32],
    placement: &mut [BTreeMap<String, u32>],
) {
    let Some(node) = run.cluster.nodes.pop() else {
        return;
    };
    run.cluster.per_pool[pool_index].pop();
    let pool = &run.cluster.profile.pools[pool_index].name;
    for w in node.pods {
        placed_later[w] = placed_later[w].saturating_sub(1);
        if let Some(n) = placement[w].get_mut(pool) {
            *n = n.saturating_sub(1);
        }
    }
    for d in counted_daemons {
        wanted[*d] = wanted[*d].saturating_sub(1);
    }
    for map in placement.iter_mut() {
        map.retain(|_, n| *n > 0);
    }
}
