//! The allowed connections between every pair of workloads, external IP
//! ranges and the Ingress controller, under Kubernetes NetworkPolicy
//! semantics (kubernetes.io/docs/concepts/services-networking/network-policies/):
//!
//! - a pod no policy selects in a direction is not isolated in it: all allowed;
//! - otherwise the union of the rules of every policy that selects it and
//!   has that direction in its (defaulted) `policyTypes`;
//! - a connection needs the source's egress and the destination's ingress;
//! - named ports resolve against the destination pod's containers.

use crate::ip::{Family, IpRange, merge};
use crate::policy::{Peer, Policy, PolicyRule};
use crate::ports::{ConnSet, PortSet, Protocol};
use crate::workload::Workload;
use crate::{Graph, NAMESPACE_NAME_LABEL};
use assay_model::{LabelSelector, PortRef};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The namespace netpol-analyzer gives its Ingress controller pod; no
/// label selector of a deliverable is expected to match it but an empty one.
pub const INGRESS_CONTROLLER_NAMESPACE: &str = "ingress-controller-ns";
/// The Ingress controller's node name in every output.
pub const INGRESS_CONTROLLER: &str = "{ingress-controller}";

/// One end of a connection.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Endpoint {
    /// Index into `Graph::workloads`.
    Workload(usize),
    External(IpRange),
    IngressController,
}

/// An allowed connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connection {
    pub src: Endpoint,
    pub dst: Endpoint,
    /// `ns/name[Kind]`, `a.b.c.d-e.f.g.h[External]` or `{ingress-controller}`
    /// (shared: a workload's name appears in many connections).
    pub src_name: Arc<str>,
    pub dst_name: Arc<str>,
    /// Shared between the connections that allow the same traffic.
    pub conn: Arc<ConnSet>,
    /// `conn` as netpol-analyzer writes it (`TCP 80,443`, `All Connections`).
    pub conn_text: Arc<str>,
}

/// Hands out one shared copy (and its text) per distinct connection set:
/// a destination sees few distinct sets, and a million connections then
/// cost a million pointer copies instead of a million allocations.
#[derive(Default)]
struct Interner {
    seen: Vec<(Arc<ConnSet>, Arc<str>)>,
}

impl Interner {
    /// Distinct sets remembered per interner; past it, sets are not shared.
    const LIMIT: usize = 64;

    fn get(&mut self, conn: Cow<'_, ConnSet>) -> (Arc<ConnSet>, Arc<str>) {
        if let Some((set, text)) = self.seen.iter().find(|(s, _)| **s == *conn) {
            return (set.clone(), text.clone());
        }
        let text: Arc<str> = conn.to_string().into();
        let set = Arc::new(conn.into_owned());
        if self.seen.len() < Self::LIMIT {
            self.seen.push((set.clone(), text.clone()));
        }
        (set, text)
    }
}

/// The connection list, sorted by source then destination name.
#[derive(Clone, Debug, Default)]
pub struct Connectivity {
    pub connections: Vec<Connection>,
}

/// A set of workload indices.
#[derive(Clone, Debug)]
struct Bits(Vec<u64>);

impl Bits {
    fn new(len: usize) -> Self {
        Bits(vec![0; len.div_ceil(64)])
    }

    fn set(&mut self, i: usize) {
        if let Some(word) = self.0.get_mut(i / 64) {
            *word |= 1 << (i % 64);
        }
    }

    fn has(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
}

/// What a pod looks like to a peer selector.
struct PodFacts<'a> {
    namespace: &'a str,
    labels: &'a [(&'a str, &'a str)],
    namespace_labels: &'a [(&'a str, &'a str)],
}

fn selector_matches(selector: Option<&LabelSelector<'_>>, labels: &[(&str, &str)]) -> bool {
    selector.is_none_or(|s| s.matches(labels))
}

/// Whether a pod peer admits `pod`: `podSelector` alone means the policy's
/// namespace, `namespaceSelector` alone every pod of matching namespaces,
/// both: AND.
fn peer_admits_pod(peer: &Peer<'_>, policy_namespace: &str, pod: &PodFacts<'_>) -> bool {
    match peer {
        Peer::IpBlock { .. } => false,
        Peer::Pods { pods, namespaces } => {
            let namespace_ok = match namespaces {
                None => pod.namespace == policy_namespace,
                Some(ns) => ns.matches(pod.namespace_labels),
            };
            namespace_ok && selector_matches(pods.as_ref(), pod.labels)
        }
    }
}

fn peer_admits_range(peer: &Peer<'_>, atom: IpRange) -> bool {
    match peer {
        Peer::IpBlock { ranges, .. } => ranges.iter().any(|r| r.covers(&atom)),
        Peer::Pods { .. } => false,
    }
}

/// A rule, flattened for fast pair queries.
struct CompiledRule<'g, 'm> {
    rule: &'g PolicyRule<'m>,
    /// The rule admits every peer (`from`/`to` omitted or empty).
    any_peer: bool,
    /// Workloads its pod peers admit.
    workloads: Bits,
    admits_ingress_controller: bool,
    /// The rule's ports when they name no port (the same on every destination).
    fixed_ports: Option<ConnSet>,
}

impl CompiledRule<'_, '_> {
    /// The ports this rule opens on `destination`, borrowed when fixed.
    fn ports_on<'a>(&'a self, destination: Option<&Workload<'_>>) -> Cow<'a, ConnSet> {
        match &self.fixed_ports {
            Some(ports) => Cow::Borrowed(ports),
            None => Cow::Owned(self.rule.ports_on(destination)),
        }
    }
}

/// A destination's ingress rules with their ports resolved on it.
type ResolvedRules<'a, 'g, 'm> = Vec<(&'a CompiledRule<'g, 'm>, Cow<'a, ConnSet>)>;

/// Add `ports` to a union being built, copying only when two sets meet.
fn union_into<'a>(acc: &mut Option<Cow<'a, ConnSet>>, ports: Cow<'a, ConnSet>) {
    match acc {
        None => *acc = Some(ports),
        Some(current) if current.is_all() => {}
        Some(current) => current.to_mut().union_with(&ports),
    }
}

/// The compiled rules that apply to one workload in one direction; `None`:
/// not isolated in that direction.
type Side = Option<Vec<usize>>;

struct Analysis<'g, 'm> {
    graph: &'g Graph<'m>,
    ingress_rules: Vec<CompiledRule<'g, 'm>>,
    egress_rules: Vec<CompiledRule<'g, 'm>>,
    ingress: Vec<Side>,
    egress: Vec<Side>,
}

fn compile<'g, 'm>(
    graph: &'g Graph<'m>,
    policy: &'g Policy<'m>,
    rules: &'g [PolicyRule<'m>],
    facts: &[PodFacts<'_>],
    ingress_controller: &PodFacts<'_>,
) -> Vec<CompiledRule<'g, 'm>> {
    rules
        .iter()
        .map(|rule| {
            let mut workloads = Bits::new(graph.workloads.len());
            let mut admits_ingress_controller = false;
            let any_peer = rule.peers.is_none();
            if let Some(peers) = &rule.peers {
                for peer in peers {
                    for (i, pod) in facts.iter().enumerate() {
                        if peer_admits_pod(peer, &policy.namespace, pod) {
                            workloads.set(i);
                        }
                    }
                    admits_ingress_controller |=
                        peer_admits_pod(peer, &policy.namespace, ingress_controller);
                }
            }
            let names_a_port = rule
                .ports
                .iter()
                .flatten()
                .any(|p| matches!(p.port, Some(PortRef::Name(_))));
            CompiledRule {
                rule,
                any_peer,
                workloads,
                admits_ingress_controller,
                fixed_ports: (!names_a_port).then(|| rule.ports_on(None)),
            }
        })
        .collect()
}

impl<'g, 'm> Analysis<'g, 'm> {
    fn new(graph: &'g Graph<'m>) -> Self {
        let namespace_labels: Vec<Vec<(&str, &str)>> = graph
            .workloads
            .iter()
            .map(|w| graph.namespace_labels(&w.namespace))
            .collect();
        let facts: Vec<PodFacts<'_>> = graph
            .workloads
            .iter()
            .zip(&namespace_labels)
            .map(|(w, ns)| PodFacts {
                namespace: &w.namespace,
                labels: &w.labels,
                namespace_labels: ns,
            })
            .collect();
        let ic_ns = [(NAMESPACE_NAME_LABEL, INGRESS_CONTROLLER_NAMESPACE)];
        let ingress_controller = PodFacts {
            namespace: INGRESS_CONTROLLER_NAMESPACE,
            labels: &[],
            namespace_labels: &ic_ns,
        };
        let mut ingress_rules = Vec::new();
        let mut egress_rules = Vec::new();
        let mut ingress: Vec<Side> = vec![None; graph.workloads.len()];
        let mut egress: Vec<Side> = vec![None; graph.workloads.len()];
        for policy in &graph.policies {
            let first_in = ingress_rules.len();
            let first_out = egress_rules.len();
            if policy.isolates_ingress {
                ingress_rules.extend(compile(
                    graph,
                    policy,
                    &policy.ingress,
                    &facts,
                    &ingress_controller,
                ));
            }
            if policy.isolates_egress {
                egress_rules.extend(compile(
                    graph,
                    policy,
                    &policy.egress,
                    &facts,
                    &ingress_controller,
                ));
            }
            for (i, w) in graph.workloads.iter().enumerate() {
                if !policy.selects(w) {
                    continue;
                }
                if policy.isolates_ingress
                    && let Some(side) = ingress.get_mut(i)
                {
                    side.get_or_insert_with(Vec::new)
                        .extend(first_in..ingress_rules.len());
                }
                if policy.isolates_egress
                    && let Some(side) = egress.get_mut(i)
                {
                    side.get_or_insert_with(Vec::new)
                        .extend(first_out..egress_rules.len());
                }
            }
        }
        Analysis {
            graph,
            ingress_rules,
            egress_rules,
            ingress,
            egress,
        }
    }

    /// What `side` of a workload allows to or from a peer `admitted` accepts;
    /// ports resolve on `destination`.
    fn allowed(
        &self,
        side: &Side,
        rules: &[CompiledRule<'g, 'm>],
        admitted: impl Fn(&CompiledRule<'g, 'm>) -> bool,
        destination: Option<&Workload<'_>>,
    ) -> ConnSet {
        let Some(indices) = side else {
            return ConnSet::all();
        };
        let mut out = ConnSet::none();
        for rule in indices.iter().filter_map(|i| rules.get(*i)) {
            if rule.any_peer || admitted(rule) {
                out.union_with(&rule.rule.ports_on(destination));
                if out.is_all() {
                    break;
                }
            }
        }
        out
    }

    fn workload(&self, i: usize) -> Option<&'g Workload<'m>> {
        self.graph.workloads.get(i)
    }

    /// Every boundary any ipBlock draws: the atoms of the address space.
    /// The IPv4 space is always there (netpol-analyzer's external peers);
    /// the IPv6 space only when some ipBlock is IPv6, so an IPv4-only
    /// deliverable's list does not grow a second "everything" line.
    fn atoms(&self) -> Vec<IpRange> {
        let blocks: Vec<IpRange> = [&self.ingress_rules, &self.egress_rules]
            .into_iter()
            .flat_map(|rules| rules.iter())
            .flat_map(|rule| rule.rule.peers.iter().flatten())
            .filter_map(|peer| match peer {
                Peer::IpBlock { ranges, .. } => Some(ranges.iter().copied()),
                Peer::Pods { .. } => None,
            })
            .flatten()
            .collect();
        let mut atoms = Vec::new();
        for family in [Family::V4, Family::V6] {
            let in_family = || blocks.iter().filter(|r| r.family == family);
            if family == Family::V6 && in_family().next().is_none() {
                continue;
            }
            // Where each atom starts: the space's start, each block's start,
            // and the address after each block's end.
            let mut starts: Vec<u128> = vec![0];
            for r in in_family() {
                starts.push(r.start);
                if r.end < family.last() {
                    starts.push(r.end + 1);
                }
            }
            starts.sort_unstable();
            starts.dedup();
            let ends = starts.iter().skip(1).map(|next| next - 1);
            atoms.extend(
                starts
                    .iter()
                    .zip(ends.chain([family.last()]))
                    .map(|(&start, end)| IpRange { family, start, end }),
            );
        }
        atoms
    }

    /// Connections between workload `w` and the external ranges, both ways,
    /// with adjacent ranges of equal connections merged.
    fn external(&self, w: usize, name: &Arc<str>, atoms: &[IpRange]) -> Vec<Connection> {
        let mut out = Vec::new();
        let (Some(in_side), Some(out_side)) = (self.ingress.get(w), self.egress.get(w)) else {
            return out;
        };
        let destination = self.workload(w);
        let mut inbound: BTreeMap<ConnSet, Vec<IpRange>> = BTreeMap::new();
        let mut outbound: BTreeMap<ConnSet, Vec<IpRange>> = BTreeMap::new();
        for atom in atoms {
            let admits = |r: &CompiledRule<'_, '_>| {
                r.rule
                    .peers
                    .iter()
                    .flatten()
                    .any(|p| peer_admits_range(p, *atom))
            };
            let conn = self.allowed(in_side, &self.ingress_rules, admits, destination);
            if !conn.is_empty() {
                inbound.entry(conn).or_default().push(*atom);
            }
            let conn = self.allowed(out_side, &self.egress_rules, admits, None);
            if !conn.is_empty() {
                outbound.entry(conn).or_default().push(*atom);
            }
        }
        let mut interner = Interner::default();
        for (conn, ranges) in inbound {
            let (conn, conn_text) = interner.get(Cow::Owned(conn));
            for range in merge(ranges) {
                out.push(Connection {
                    src: Endpoint::External(range),
                    dst: Endpoint::Workload(w),
                    src_name: format!("{range}[External]").into(),
                    dst_name: name.clone(),
                    conn: conn.clone(),
                    conn_text: conn_text.clone(),
                });
            }
        }
        for (conn, ranges) in outbound {
            let (conn, conn_text) = interner.get(Cow::Owned(conn));
            for range in merge(ranges) {
                out.push(Connection {
                    src: Endpoint::Workload(w),
                    dst: Endpoint::External(range),
                    src_name: name.clone(),
                    dst_name: format!("{range}[External]").into(),
                    conn: conn.clone(),
                    conn_text: conn_text.clone(),
                });
            }
        }
        out
    }

    /// Connections from the Ingress controller: the TCP ports Ingress
    /// objects route to each workload (through a Service), that the
    /// workload's ingress policies admit from a pod of another namespace.
    fn ingress_controller_connections(&self) -> Vec<Connection> {
        let mut routed: BTreeMap<usize, PortSet> = BTreeMap::new();
        for route in &self.graph.ingress_routes {
            let Some(service) = route.service.and_then(|s| self.graph.services.get(s)) else {
                continue;
            };
            for &w in &service.selected {
                let Some(workload) = self.workload(w) else {
                    continue;
                };
                for target in route_target_ports(service, route.backend.port) {
                    let number = match target {
                        PortRef::Number(n) => Some(n),
                        PortRef::Name(name) => workload
                            .port_named(name)
                            .filter(|p| p.protocol == "TCP")
                            .map(|p| p.number),
                    };
                    let Some(port) = number
                        .filter(|n| workload.declares_port(*n, "TCP"))
                        .and_then(|n| u16::try_from(n).ok())
                    else {
                        continue;
                    };
                    routed
                        .entry(w)
                        .or_default()
                        .union_with(&PortSet::range(port, port));
                }
            }
        }
        let mut out = Vec::new();
        for (w, ports) in routed {
            let Some(in_side) = self.ingress.get(w) else {
                continue;
            };
            let allowed = self.allowed(
                in_side,
                &self.ingress_rules,
                |r| r.admits_ingress_controller,
                self.workload(w),
            );
            let conn = allowed.intersect(&ConnSet::of(Protocol::Tcp, ports));
            if !conn.is_empty() {
                let conn_text = conn.to_string().into();
                out.push(Connection {
                    src: Endpoint::IngressController,
                    dst: Endpoint::Workload(w),
                    src_name: INGRESS_CONTROLLER.into(),
                    dst_name: self
                        .workload(w)
                        .map(Workload::id)
                        .unwrap_or_default()
                        .into(),
                    conn: Arc::new(conn),
                    conn_text,
                });
            }
        }
        out
    }
}

/// The pod ports an Ingress backend reaches through a Service: the
/// `targetPort` of the Service port it names (by name or number), or of
/// every Service port when it names none.
fn route_target_ports<'m>(
    service: &crate::ServiceNode<'m>,
    wanted: Option<PortRef<'_>>,
) -> Vec<PortRef<'m>> {
    let mut out = Vec::new();
    for port in &service.ports {
        let Some(target) = port.target_port else {
            continue;
        };
        match wanted {
            None => out.push(target),
            Some(PortRef::Name(name)) if port.name == Some(name) => return vec![target],
            Some(PortRef::Number(n)) if port.port == Some(n) => return vec![target],
            Some(_) => {}
        }
    }
    out
}

pub(crate) fn compute(graph: &Graph<'_>) -> Connectivity {
    let analysis = Analysis::new(graph);
    let atoms = analysis.atoms();
    let names: Vec<Arc<str>> = graph.workloads.iter().map(|w| w.id().into()).collect();
    let count = graph.workloads.len();
    // Workloads in name order, so each source's connections come out sorted.
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by(|a, b| names.get(*a).cmp(&names.get(*b)));
    let mut rank = vec![0usize; count];
    for (r, w) in order.iter().enumerate() {
        if let Some(slot) = rank.get_mut(*w) {
            *slot = r;
        }
    }
    let by_name = |a: &Endpoint, a_name: &str, b: &Endpoint, b_name: &str| match (a, b) {
        (Endpoint::Workload(x), Endpoint::Workload(y)) => rank.get(*x).cmp(&rank.get(*y)),
        _ => a_name.cmp(b_name),
    };
    // Each destination's ingress rules with their ports resolved on it, once.
    let ingress: Vec<Option<ResolvedRules<'_, '_, '_>>> = (0..count)
        .into_par_iter()
        .map(|dst| {
            let destination = graph.workloads.get(dst);
            analysis
                .ingress
                .get(dst)
                .and_then(Option::as_ref)
                .map(|indices| {
                    indices
                        .iter()
                        .filter_map(|i| analysis.ingress_rules.get(*i))
                        .map(|r| (r, r.ports_on(destination)))
                        .collect()
                })
        })
        .collect();
    let all = ConnSet::all();
    let mut blocks: Vec<Vec<Connection>> = order
        .par_iter()
        .map(|&src| {
            let mut out = Vec::new();
            let Some(src_name) = names.get(src) else {
                return out;
            };
            let mut interner = Interner::default();
            let egress_rules: Option<Vec<&CompiledRule<'_, '_>>> = analysis
                .egress
                .get(src)
                .and_then(Option::as_ref)
                .map(|indices| {
                    indices
                        .iter()
                        .filter_map(|i| analysis.egress_rules.get(*i))
                        .collect()
                });
            for &dst in order.iter().filter(|d| **d != src) {
                let (Some(dst_name), Some(in_rules)) = (names.get(dst), ingress.get(dst)) else {
                    continue;
                };
                let mut allowed_in: Option<Cow<'_, ConnSet>> = None;
                match in_rules {
                    None => allowed_in = Some(Cow::Borrowed(&all)),
                    Some(rules) => {
                        for (rule, ports) in rules {
                            if rule.any_peer || rule.workloads.has(src) {
                                union_into(&mut allowed_in, Cow::Borrowed(&**ports));
                            }
                        }
                    }
                }
                let Some(allowed_in) = allowed_in.filter(|c| !c.is_empty()) else {
                    continue;
                };
                let mut allowed_out: Option<Cow<'_, ConnSet>> = None;
                match &egress_rules {
                    None => allowed_out = Some(Cow::Borrowed(&all)),
                    Some(rules) => {
                        let destination = graph.workloads.get(dst);
                        for rule in rules {
                            if rule.any_peer || rule.workloads.has(dst) {
                                union_into(&mut allowed_out, rule.ports_on(destination));
                            }
                        }
                    }
                }
                let Some(allowed_out) = allowed_out else {
                    continue;
                };
                let conn = if allowed_out.is_all() {
                    allowed_in
                } else if allowed_in.is_all() {
                    allowed_out
                } else {
                    Cow::Owned(allowed_out.intersect(&allowed_in))
                };
                if conn.is_empty() {
                    continue;
                }
                let (conn, conn_text) = interner.get(conn);
                out.push(Connection {
                    src: Endpoint::Workload(src),
                    dst: Endpoint::Workload(dst),
                    src_name: src_name.clone(),
                    dst_name: dst_name.clone(),
                    conn,
                    conn_text,
                });
            }
            let (inbound, outbound): (Vec<Connection>, Vec<Connection>) = analysis
                .external(src, src_name, &atoms)
                .into_iter()
                .partition(|c| c.dst == Endpoint::Workload(src));
            if !outbound.is_empty() {
                out.extend(outbound);
                out.sort_by(|a, b| by_name(&a.dst, &a.dst_name, &b.dst, &b.dst_name));
            }
            // Inbound external lines belong to their source ranges' blocks.
            out.extend(inbound);
            out
        })
        .collect();
    // Split off the lines whose source is not a workload and give them their
    // own blocks, by source name.
    let mut foreign: Vec<Connection> = Vec::new();
    for block in &mut blocks {
        let first_foreign = block
            .iter()
            .position(|c| !matches!(c.src, Endpoint::Workload(_)))
            .unwrap_or(block.len());
        foreign.extend(block.drain(first_foreign..));
    }
    if !graph.ingress_routes.is_empty() {
        foreign.extend(analysis.ingress_controller_connections());
    }
    foreign.par_sort_unstable_by(|a, b| {
        a.src_name
            .cmp(&b.src_name)
            .then_with(|| by_name(&a.dst, &a.dst_name, &b.dst, &b.dst_name))
    });
    // Merge the workload blocks (already in name order) with the others.
    let mut connections =
        Vec::with_capacity(blocks.iter().map(Vec::len).sum::<usize>() + foreign.len());
    let mut foreign = foreign.into_iter().peekable();
    for block in blocks {
        let Some(first) = block.first() else {
            continue;
        };
        while let Some(next) = foreign.next_if(|f| f.src_name < first.src_name) {
            connections.push(next);
        }
        connections.extend(block);
    }
    connections.extend(foreign);
    Connectivity { connections }
}

impl Connectivity {
    /// Only connections touching a workload named `focus` (`name` or
    /// `ns/name`), in `direction` (`ingress`: into it, `egress`: out of it).
    #[must_use]
    pub fn focus(self, graph: &Graph<'_>, focus: Option<&str>, direction: Option<&str>) -> Self {
        let focused: Vec<usize> = focus.map(|f| graph.find_workloads(f)).unwrap_or_default();
        let is_focus = |e: &Endpoint| match (focus, e) {
            (None, _) => true,
            (Some(_), Endpoint::Workload(i)) => focused.contains(i),
            (Some(f), Endpoint::IngressController) => {
                f == INGRESS_CONTROLLER || f == "ingress-controller"
            }
            (Some(_), Endpoint::External(_)) => false,
        };
        let connections = self
            .connections
            .into_iter()
            .filter(|c| match direction {
                Some("ingress") => is_focus(&c.dst),
                Some("egress") => is_focus(&c.src),
                _ => is_focus(&c.src) || is_focus(&c.dst),
            })
            .collect();
        Connectivity { connections }
    }

    /// Whether `src` may open a connection to `dst` on `port`.
    #[must_use]
    pub fn allows(&self, src: &Endpoint, dst: &Endpoint, protocol: Protocol, port: u16) -> bool {
        self.connections
            .iter()
            .any(|c| &c.src == src && &c.dst == dst && c.conn.allows(protocol, port))
    }
}

/// What `graph`'s policies allow from workload `src` to workload `dst`, for
/// one query (diagnose): egress, ingress.
#[must_use]
pub fn between(graph: &Graph<'_>, src: usize, dst: usize) -> (ConnSet, ConnSet) {
    let analysis = Analysis::new(graph);
    let destination = graph.workloads.get(dst);
    let (Some(out_side), Some(in_side)) = (analysis.egress.get(src), analysis.ingress.get(dst))
    else {
        return (ConnSet::none(), ConnSet::none());
    };
    let egress = analysis.allowed(
        out_side,
        &analysis.egress_rules,
        |r| r.workloads.has(dst),
        destination,
    );
    let ingress = analysis.allowed(
        in_side,
        &analysis.ingress_rules,
        |r| r.workloads.has(src),
        destination,
    );
    (egress, ingress)
}

/// Whether `src`'s egress policies isolate it.
#[must_use]
pub fn egress_isolated(graph: &Graph<'_>, src: usize) -> bool {
    graph.workloads.get(src).is_some_and(|w| {
        graph
            .policies
            .iter()
            .any(|p| p.isolates_egress && p.selects(w))
    })
}

/// What `src`'s egress allows to cluster DNS (pods `k8s-app: kube-dns` in
/// `kube-system`, ports 53), on UDP and TCP.
#[must_use]
pub fn egress_to_dns(graph: &Graph<'_>, src: usize) -> (bool, bool) {
    let Some(w) = graph.workloads.get(src) else {
        return (false, false);
    };
    let dns_labels = [("k8s-app", "kube-dns")];
    let dns_ns = graph.namespace_labels("kube-system");
    let dns = PodFacts {
        namespace: "kube-system",
        labels: &dns_labels,
        namespace_labels: &dns_ns,
    };
    let selecting: Vec<&Policy<'_>> = graph
        .policies
        .iter()
        .filter(|p| p.isolates_egress && p.selects(w))
        .collect();
    if selecting.is_empty() {
        return (true, true);
    }
    let mut conn = ConnSet::none();
    for policy in selecting {
        for rule in &policy.egress {
            let admits = rule.peers.as_ref().is_none_or(|peers| {
                peers
                    .iter()
                    .any(|p| peer_admits_pod(p, &policy.namespace, &dns))
            });
            if admits {
                // CoreDNS names its ports `dns` (UDP) and `dns-tcp` (TCP).
                for port in rule.ports.iter().flatten() {
                    let resolved = match port.port {
                        Some(PortRef::Name("dns")) if port.protocol == Protocol::Udp => {
                            ConnSet::of(Protocol::Udp, PortSet::range(53, 53))
                        }
                        Some(PortRef::Name("dns-tcp")) if port.protocol == Protocol::Tcp => {
                            ConnSet::of(Protocol::Tcp, PortSet::range(53, 53))
                        }
                        _ => port.on(None),
                    };
                    conn.union_with(&resolved);
                }
                if rule.ports.is_none() {
                    conn = ConnSet::all();
                }
            }
        }
    }
    (
        conn.allows(Protocol::Udp, 53),
        conn.allows(Protocol::Tcp, 53),
    )
}
