//! What the scheduler needs of one pod template, read once from the tree.

use assay_model::{LabelSelector, ObjectView, k8s_int};
use assay_profile::{ClusterProfile, Resources, Toleration, parse_quantity, read_toleration};
use assay_span::FileSpan;
use assay_yaml::Value;
use std::collections::BTreeMap;

/// A node selector requirement operator (`NodeSelectorOperator`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NodeOp {
    In,
    NotIn,
    Exists,
    DoesNotExist,
    Gt,
    Lt,
    /// Rejected by the API server; matches nothing.
    Invalid,
}

#[derive(Clone, Debug)]
pub(crate) struct NodeRequirement {
    pub(crate) key: String,
    pub(crate) op: NodeOp,
    pub(crate) values: Vec<String>,
}

impl NodeRequirement {
    /// `nodeaffinity` matching (`labels.Requirement.Matches` for labels; for
    /// `matchFields` the only field is `metadata.name`).
    pub(crate) fn matches(&self, value: Option<&str>) -> bool {
        match (self.op, value) {
            (NodeOp::In, Some(v)) => self.values.iter().any(|x| x == v),
            (NodeOp::NotIn, Some(v)) => !self.values.iter().any(|x| x == v),
            (NodeOp::NotIn | NodeOp::DoesNotExist, None) | (NodeOp::Exists, Some(_)) => true,
            (NodeOp::Gt | NodeOp::Lt, Some(v)) => {
                let (Ok(label), Some(Ok(bound))) = (
                    v.parse::<i64>(),
                    self.values.first().map(|b| b.parse::<i64>()),
                ) else {
                    return false;
                };
                if self.op == NodeOp::Gt {
                    label > bound
                } else {
                    label < bound
                }
            }
            _ => false,
        }
    }
}

/// One `nodeSelectorTerms[]` entry: all of its requirements must hold.
#[derive(Clone, Debug, Default)]
pub(crate) struct NodeTerm {
    pub(crate) expressions: Vec<NodeRequirement>,
    /// `matchFields` on `metadata.name`.
    pub(crate) fields: Vec<NodeRequirement>,
}

/// A `hostPort` a container asks for.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct HostPort {
    pub(crate) ip: String,
    pub(crate) protocol: String,
    pub(crate) port: i64,
}

impl HostPort {
    /// `HostPortInfo.CheckConflict`: 0.0.0.0 conflicts with every address.
    pub(crate) fn conflicts(&self, other: &HostPort) -> bool {
        self.port == other.port
            && self.protocol == other.protocol
            && (self.ip == other.ip || self.ip == "0.0.0.0" || other.ip == "0.0.0.0")
    }
}

/// A hard (`DoNotSchedule`) topology spread constraint.
#[derive(Clone, Debug)]
pub(crate) struct Spread<'m> {
    pub(crate) max_skew: i64,
    pub(crate) key: String,
    pub(crate) selector: LabelSelector<'m>,
    /// `nodeAffinityPolicy: Honor` (the default): only nodes that match the
    /// pod's node selector and affinity count as domains.
    pub(crate) honor_affinity: bool,
    /// `nodeTaintsPolicy: Honor` (default `Ignore`).
    pub(crate) honor_taints: bool,
}

/// A required pod (anti-)affinity term.
#[derive(Clone, Debug)]
pub(crate) struct PodTerm<'m> {
    pub(crate) selector: LabelSelector<'m>,
    /// Namespaces the term selects pods in; `None` means every namespace
    /// (a `namespaceSelector: {}`).
    pub(crate) namespaces: Option<Vec<String>>,
    pub(crate) key: String,
}

impl PodTerm<'_> {
    pub(crate) fn selects(&self, namespace: &str, labels: &[(&str, &str)]) -> bool {
        self.namespaces
            .as_ref()
            .is_none_or(|n| n.iter().any(|x| x == namespace))
            && self.selector.matches(labels)
    }
}

/// A located problem in the input: something the API server would reject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputProblem {
    pub location: FileSpan,
    pub object: String,
    pub message: String,
}

/// What the scheduler reads of one pod template.
#[derive(Clone, Debug)]
pub(crate) struct PodModel<'m> {
    pub(crate) namespace: &'m str,
    pub(crate) labels: Vec<(&'m str, &'m str)>,
    pub(crate) requests: Resources,
    pub(crate) node_name: Option<&'m str>,
    pub(crate) node_selector: BTreeMap<String, String>,
    /// Required node affinity: any term must match; `None` when unset.
    pub(crate) affinity: Option<Vec<NodeTerm>>,
    pub(crate) tolerations: Vec<Toleration>,
    pub(crate) host_ports: Vec<HostPort>,
    pub(crate) spreads: Vec<Spread<'m>>,
    pub(crate) pod_affinity: Vec<PodTerm<'m>>,
    pub(crate) pod_anti_affinity: Vec<PodTerm<'m>>,
    /// Why admission would reject the pod before scheduling (RuntimeClass).
    pub(crate) rejected: Option<String>,
    pub(crate) is_daemon: bool,
}

/// Labels set per node rather than per pool.
pub(crate) const PER_NODE_KEYS: &[&str] =
    &["kubernetes.io/hostname", "topology.kubernetes.io/zone"];

impl PodModel<'_> {
    /// Whether node selection depends on labels that differ node by node.
    pub(crate) fn selects_per_node(&self) -> bool {
        self.node_name.is_some()
            || self
                .node_selector
                .keys()
                .any(|k| PER_NODE_KEYS.contains(&k.as_str()))
            || self.affinity.iter().flatten().any(|t| {
                !t.fields.is_empty()
                    || t.expressions
                        .iter()
                        .any(|e| PER_NODE_KEYS.contains(&e.key.as_str()))
            })
    }
}

/// How many pods a workload runs (`None` for kinds that run none themselves,
/// and for DaemonSets, which run one per eligible node).
pub(crate) fn replicas(object: &ObjectView<'_>) -> Option<u32> {
    let read = |path: &[&str], default: i64| {
        object
            .root
            .path(path)
            .and_then(k8s_int)
            .unwrap_or(default)
            .clamp(0, i64::from(u32::MAX))
    };
    let n = match object.kind() {
        "Pod" => 1,
        "Deployment" | "StatefulSet" | "ReplicaSet" | "ReplicationController" => {
            read(&["spec", "replicas"], 1)
        }
        "Job" => read(&["spec", "parallelism"], 1),
        "CronJob" => read(&["spec", "jobTemplate", "spec", "parallelism"], 1),
        _ => return None,
    };
    u32::try_from(n).ok()
}

/// Requests of one container: `resources.requests`, defaulted from
/// `resources.limits` as the API server defaults them.
fn container_requests(container: Value<'_>) -> Resources {
    let get = |name: &str| {
        container
            .path(&["resources", "requests", name])
            .or_else(|| container.path(&["resources", "limits", name]))
            .and_then(Value::as_str)
            .and_then(parse_quantity)
            .filter(|q| q.0 > 0)
    };
    let units = |q: assay_profile::Milli| i64::try_from(q.ceil_units()).unwrap_or(i64::MAX);
    Resources {
        cpu_milli: get("cpu").map_or(0, |q| i64::try_from(q.0).unwrap_or(i64::MAX)),
        memory_bytes: get("memory").map_or(0, units),
        pods: 0,
        ephemeral_storage_bytes: get("ephemeral-storage").map_or(0, units),
    }
}

fn add(a: Resources, b: Resources) -> Resources {
    Resources {
        cpu_milli: a.cpu_milli.saturating_add(b.cpu_milli),
        memory_bytes: a.memory_bytes.saturating_add(b.memory_bytes),
        pods: a.pods.saturating_add(b.pods),
        ephemeral_storage_bytes: a
            .ephemeral_storage_bytes
            .saturating_add(b.ephemeral_storage_bytes),
    }
}

fn max(a: Resources, b: Resources) -> Resources {
    Resources {
        cpu_milli: a.cpu_milli.max(b.cpu_milli),
        memory_bytes: a.memory_bytes.max(b.memory_bytes),
        pods: a.pods.max(b.pods),
        ephemeral_storage_bytes: a.ephemeral_storage_bytes.max(b.ephemeral_storage_bytes),
    }
}

/// The pod's effective request (`resource.PodRequests`): the larger of the
/// app containers plus sidecars (restartable init containers) and, for each
/// regular init container, its request plus the sidecars started before it.
pub(crate) fn pod_requests(pod: Value<'_>) -> Resources {
    let mut sidecars = Resources::default();
    let mut init_peak = Resources::default();
    for init in pod.get("initContainers").into_iter().flat_map(Value::items) {
        let request = container_requests(init);
        if init.get_str("restartPolicy") == Some("Always") {
            sidecars = add(sidecars, request);
            init_peak = max(init_peak, sidecars);
        } else {
            init_peak = max(init_peak, add(request, sidecars));
        }
    }
    let mut app = sidecars;
    for c in pod.get("containers").into_iter().flat_map(Value::items) {
        app = add(app, container_requests(c));
    }
    max(app, init_peak)
}

fn strings(node: Option<Value<'_>>) -> Vec<String> {
    node.into_iter()
        .flat_map(Value::items)
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

fn node_requirement<'m>(
    expr: Value<'m>,
    field: bool,
    problems: &mut Vec<(Value<'m>, String)>,
) -> NodeRequirement {
    let key = expr.get_str("key").unwrap_or_default().to_owned();
    let values = strings(expr.get("values"));
    let op_node = expr.get("operator");
    let op_text = op_node.and_then(Value::as_str).unwrap_or_default();
    let mut op = match op_text {
        "In" => NodeOp::In,
        "NotIn" => NodeOp::NotIn,
        "Exists" if !field => NodeOp::Exists,
        "DoesNotExist" if !field => NodeOp::DoesNotExist,
        "Gt" if !field => NodeOp::Gt,
        "Lt" if !field => NodeOp::Lt,
        _ => NodeOp::Invalid,
    };
    let at = op_node.unwrap_or(expr);
    let problem = match op {
        NodeOp::Invalid => Some(format!(
            "node selector operator `{op_text}` is not valid here (In, NotIn, Exists, DoesNotExist, Gt, Lt; matchFields only In and NotIn); the API server rejects it"
        )),
        NodeOp::In | NodeOp::NotIn if values.is_empty() => Some(format!(
            "operator `{op_text}` needs at least one value; the API server rejects it"
        )),
        NodeOp::Exists | NodeOp::DoesNotExist if !values.is_empty() => Some(format!(
            "operator `{op_text}` must not have values; the API server rejects it"
        )),
        NodeOp::Gt | NodeOp::Lt
            if values.len() != 1 || values.first().is_some_and(|v| v.parse::<i64>().is_err()) =>
        {
            Some(format!(
                "operator `{op_text}` needs exactly one integer value; the API server rejects it"
            ))
        }
        _ => None,
    };
    if let Some(message) = problem {
        problems.push((at, message));
        op = NodeOp::Invalid;
    }
    if field && key != "metadata.name" {
        problems.push((expr.get("key").unwrap_or(expr), format!("`matchFields` supports only `metadata.name`, not `{key}`; the API server rejects it")));
        op = NodeOp::Invalid;
    }
    NodeRequirement { key, op, values }
}

fn pod_terms<'m>(
    node: Option<Value<'m>>,
    namespace: &str,
    problems: &mut Vec<(Value<'m>, String)>,
) -> Vec<PodTerm<'m>> {
    let mut out = Vec::new();
    for term in node.into_iter().flat_map(Value::items) {
        let selector = term
            .get("labelSelector")
            .map(LabelSelector::from_label_selector)
            .unwrap_or_default();
        for e in &selector.expressions {
            if !matches!(e.operator, "In" | "NotIn" | "Exists" | "DoesNotExist") {
                problems.push((term, format!("label selector operator `{}` is not In, NotIn, Exists or DoesNotExist; the API server rejects it", e.operator)));
            }
        }
        let listed = strings(term.get("namespaces"));
        let namespaces = match (term.get("namespaceSelector"), listed.is_empty()) {
            // An empty namespaceSelector selects every namespace.
            (Some(sel), _) if sel.is_empty() || sel.is_null() => None,
            (_, true) => Some(vec![namespace.to_owned()]),
            (_, false) => Some(listed),
        };
        let key = term.get_str("topologyKey").unwrap_or_default().to_owned();
        if key.is_empty() {
            problems.push((
                term,
                "a pod (anti-)affinity term needs a `topologyKey`; the API server rejects it"
                    .to_owned(),
            ));
            continue;
        }
        out.push(PodTerm {
            selector,
            namespaces,
            key,
        });
    }
    out
}

/// Read a workload's pod template. Problems the API server would reject are
/// pushed to `problems` at their node; the pod is still read as the scheduler
/// would treat it (an invalid operator matches nothing).
pub(crate) fn read_pod<'m>(
    object: &ObjectView<'m>,
    pod: Value<'m>,
    profile: &ClusterProfile,
    problems: &mut Vec<InputProblem>,
) -> PodModel<'m> {
    let mut located: Vec<(Value<'m>, String)> = Vec::new();
    let namespace = object.object.namespace.as_deref().unwrap_or("default");
    let labels = assay_model::labels_of(object.pod_metadata());
    let mut requests = pod_requests(pod);
    let mut node_selector: BTreeMap<String, String> = pod
        .get("nodeSelector")
        .into_iter()
        .flat_map(Value::entries)
        .filter_map(|(k, v)| Some((k.as_str()?.to_owned(), v.as_str()?.to_owned())))
        .collect();
    let affinity = pod
        .path(&[
            "affinity",
            "nodeAffinity",
            "requiredDuringSchedulingIgnoredDuringExecution",
        ])
        .map(|req| {
            req.get("nodeSelectorTerms")
                .into_iter()
                .flat_map(Value::items)
                .map(|term| NodeTerm {
                    expressions: term
                        .get("matchExpressions")
                        .into_iter()
                        .flat_map(Value::items)
                        .map(|e| node_requirement(e, false, &mut located))
                        .collect(),
                    fields: term
                        .get("matchFields")
                        .into_iter()
                        .flat_map(Value::items)
                        .map(|e| node_requirement(e, true, &mut located))
                        .collect(),
                })
                .collect()
        });
    let mut tolerations = Vec::new();
    for item in pod.get("tolerations").into_iter().flat_map(Value::items) {
        let (toleration, problem) = read_toleration(item);
        if let Some((span, message)) = problem {
            problems.push(InputProblem {
                location: object.at(span),
                object: object.display(),
                message,
            });
        }
        tolerations.push(toleration);
    }
    let is_daemon = object.kind() == "DaemonSet";
    if is_daemon {
        // The DaemonSet controller adds these tolerations to its pods
        // (pkg/controller/daemon/util/daemonset_util.go, AddOrUpdateDaemonPodTolerations).
        for key in [
            "node.kubernetes.io/not-ready",
            "node.kubernetes.io/unreachable",
            "node.kubernetes.io/disk-pressure",
            "node.kubernetes.io/memory-pressure",
            "node.kubernetes.io/pid-pressure",
            "node.kubernetes.io/unschedulable",
        ] {
            tolerations.push(Toleration {
                key: key.to_owned(),
                operator: assay_profile::TolerationOperator::Exists,
                value: String::new(),
                effect: None,
            });
        }
    }
    let mut host_ports = Vec::new();
    for container in object.containers() {
        if container.kind == assay_model::ContainerKind::Ephemeral {
            continue;
        }
        for port in container.ports() {
            let Some(number) = port.get("hostPort").and_then(k8s_int).filter(|p| *p > 0) else {
                continue;
            };
            host_ports.push(HostPort {
                ip: port
                    .get_str("hostIP")
                    .filter(|s| !s.is_empty())
                    .unwrap_or("0.0.0.0")
                    .to_owned(),
                protocol: port.get_str("protocol").unwrap_or("TCP").to_owned(),
                port: number,
            });
        }
    }
    let mut spreads = Vec::new();
    for c in pod
        .get("topologySpreadConstraints")
        .into_iter()
        .flat_map(Value::items)
    {
        if c.get_str("whenUnsatisfiable") != Some("DoNotSchedule") {
            continue;
        }
        let key = c.get_str("topologyKey").unwrap_or_default().to_owned();
        let max_skew = c.get("maxSkew").and_then(k8s_int).unwrap_or(1);
        if key.is_empty() || max_skew < 1 {
            located.push((c, "a topology spread constraint needs a `topologyKey` and `maxSkew` of at least 1; the API server rejects it".to_owned()));
            continue;
        }
        spreads.push(Spread {
            max_skew,
            key,
            selector: c
                .get("labelSelector")
                .map(LabelSelector::from_label_selector)
                .unwrap_or_default(),
            honor_affinity: c.get_str("nodeAffinityPolicy") != Some("Ignore"),
            honor_taints: c.get_str("nodeTaintsPolicy") == Some("Honor"),
        });
    }
    let pod_affinity = pod_terms(
        pod.path(&[
            "affinity",
            "podAffinity",
            "requiredDuringSchedulingIgnoredDuringExecution",
        ]),
        namespace,
        &mut located,
    );
    let pod_anti_affinity = pod_terms(
        pod.path(&[
            "affinity",
            "podAntiAffinity",
            "requiredDuringSchedulingIgnoredDuringExecution",
        ]),
        namespace,
        &mut located,
    );
    // The RuntimeClass admission plugin merges the class's scheduling into the
    // pod and adds its overhead (plugin/pkg/admission/runtimeclass/admission.go).
    let mut rejected = None;
    if let Some(name) = pod.get_str("runtimeClassName").filter(|n| !n.is_empty()) {
        match profile.runtime_class(name) {
            Some(class) => {
                for (k, v) in &class.node_selector {
                    match node_selector.get(k) {
                        Some(existing) if existing != v => {
                            rejected = Some(format!(
                                "pod rejected: conflict: runtimeClass.scheduling.nodeSelector[{k}] = {v}; pod.spec.nodeSelector[{k}] = {existing}"
                            ));
                        }
                        _ => {
                            node_selector.insert(k.clone(), v.clone());
                        }
                    }
                }
                tolerations.extend(class.tolerations.iter().cloned());
                requests = add(requests, class.overhead);
            }
            None if profile.knows_installed => {
                rejected = Some(format!("pod rejected: RuntimeClass \"{name}\" not found"));
            }
            None => {}
        }
    }
    for (node, message) in located {
        problems.push(InputProblem {
            location: object.at(node.span()),
            object: object.display(),
            message,
        });
    }
    PodModel {
        namespace,
        labels,
        requests,
        node_name: pod.get_str("nodeName").filter(|n| !n.is_empty()),
        node_selector,
        affinity,
        tolerations,
        host_ports,
        spreads,
        pod_affinity,
        pod_anti_affinity,
        rejected,
        is_daemon,
    }
}
