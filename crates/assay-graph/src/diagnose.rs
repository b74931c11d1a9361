//! `assay diagnose`: can workload A reach B on port P? The layers a
//! connection crosses, walked in order, stopping at the first that fails:
//! DNS → Service → Ports → Readiness → Egress → Ingress → Placement.

use crate::connectivity::{between, egress_isolated, egress_to_dns};
use crate::ports::Protocol;
use crate::workload::Workload;
use crate::{Graph, ServiceNode, is_near_miss};
use assay_model::{PortRef, ServicePort};
use assay_profile::{ClusterProfile, Os};
use assay_schedule::{WorkloadResult, pool_fits, schedule};
use assay_span::FileSpan;
use assay_yaml::Value;
use std::fmt::Write as _;

/// A layer's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail,
    Unknown,
}

impl Status {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Unknown => "unknown",
        }
    }
}

/// One layer of the walk.
#[derive(Clone, Debug)]
pub struct Layer {
    /// `dns`, `service`, `ports`, `readiness`, `egress`, `ingress`, `placement`.
    pub layer: &'static str,
    pub status: Status,
    pub evidence: Vec<String>,
    pub locations: Vec<FileSpan>,
    /// For a failing layer: what to write, as YAML.
    pub fix: Option<String>,
}

/// The walk's result.
#[derive(Clone, Debug)]
pub struct Diagnosis {
    pub layers: Vec<Layer>,
}

impl Diagnosis {
    #[must_use]
    pub fn failing_layer(&self) -> Option<&'static str> {
        self.layers
            .iter()
            .find(|l| l.status == Status::Fail)
            .map(|l| l.layer)
    }

    #[must_use]
    pub fn reachable(&self) -> bool {
        self.failing_layer().is_none()
    }
}

/// A usage error: the message names what exists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The destination as written.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    /// `ns/name`: a Service, else a workload.
    Object { namespace: String, name: String },
    /// `name`, `name.ns`, `name.ns.svc`, `name.ns.svc.cluster.local`.
    Dns {
        namespace: Option<String>,
        name: String,
    },
}

fn parse_target(text: &str) -> Result<(Target, u16), UsageError> {
    let (host, port) = text.rsplit_once(':').ok_or_else(|| {
        UsageError(format!(
            "--to `{text}` needs a port: NAMESPACE/NAME:PORT or DNS-NAME:PORT"
        ))
    })?;
    let port: u16 = port.parse().ok().filter(|p| *p > 0).ok_or_else(|| {
        UsageError(format!(
            "--to `{text}`: `{port}` is not a port number (1-65535)"
        ))
    })?;
    if let Some((namespace, name)) = host.split_once('/') {
        return Ok((
            Target::Object {
                namespace: namespace.to_owned(),
                name: name.to_owned(),
            },
            port,
        ));
    }
    let host = host.trim_end_matches('.');
    let host = host
        .strip_suffix(".svc.cluster.local")
        .or_else(|| host.strip_suffix(".svc"))
        .unwrap_or(host);
    let target = match host.split_once('.') {
        None => Target::Dns {
            namespace: None,
            name: host.to_owned(),
        },
        Some((name, namespace)) if !namespace.contains('.') => Target::Dns {
            namespace: Some(namespace.to_owned()),
            name: name.to_owned(),
        },
        Some(_) => {
            return Err(UsageError(format!(
                "--to `{text}`: `{host}` is not a cluster Service name (NAME, NAME.NAMESPACE or NAME.NAMESPACE.svc.cluster.local); assay checks in-cluster destinations only"
            )));
        }
    };
    Ok((target, port))
}

fn find_source(graph: &Graph<'_>, from: &str) -> Result<usize, UsageError> {
    let found = graph.find_workloads(from);
    match found.as_slice() {
        [one] => Ok(*one),
        [] => {
            let names: Vec<String> = graph
                .workloads
                .iter()
                .map(|w| format!("{}/{}", w.namespace, w.name))
                .collect();
            Err(UsageError(format!(
                "--from `{from}` names no workload of the deliverable; workloads: {}",
                if names.is_empty() {
                    "none".to_owned()
                } else {
                    names.join(", ")
                }
            )))
        }
        many => {
            let names: Vec<String> = many
                .iter()
                .filter_map(|i| graph.workloads.get(*i))
                .map(|w| format!("{}/{}", w.namespace, w.name))
                .collect();
            Err(UsageError(format!(
                "--from `{from}` is ambiguous: write NAMESPACE/NAME ({})",
                names.join(", ")
            )))
        }
    }
}

struct Walk<'g, 'm> {
    graph: &'g Graph<'m>,
    layers: Vec<Layer>,
}

impl Walk<'_, '_> {
    fn push(
        &mut self,
        layer: &'static str,
        status: Status,
        evidence: Vec<String>,
        locations: Vec<FileSpan>,
        fix: Option<String>,
    ) -> bool {
        self.layers.push(Layer {
            layer,
            status,
            evidence,
            locations,
            fix,
        });
        status != Status::Fail
    }
}

fn at(service: &ServiceNode<'_>, node: Option<Value<'_>>) -> FileSpan {
    node.map_or_else(
        || service.view.object.anchor(),
        |n| service.view.object.at(n.span()),
    )
}

fn workload_anchor(w: &Workload<'_>) -> Option<FileSpan> {
    w.object().map(assay_model::ObjectView::anchor)
}

/// Where the pod template's labels are written, to point a label fix at.
fn labels_yaml(labels: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (k, v) in labels {
        let _ = write!(out, "\n            {k}: {v}");
    }
    out
}

/// Walk every layer from `from` (a workload) to `to` (`ns/name:port` or a
/// DNS name with a port).
///
/// # Errors
/// An unknown or ambiguous source, or a destination that is not
/// `NAME:PORT`.
pub fn diagnose(
    graph: &Graph<'_>,
    from: &str,
    to: &str,
    profile: Option<&ClusterProfile>,
) -> Result<Diagnosis, UsageError> {
    let src = find_source(graph, from)?;
    let (target, port) = parse_target(to)?;
    let source = graph
        .workloads
        .get(src)
        .ok_or_else(|| UsageError(format!("--from `{from}`")))?;
    let mut walk = Walk {
        graph,
        layers: Vec::new(),
    };
    let by_dns = matches!(target, Target::Dns { .. });
    let (namespace, name) = match &target {
        Target::Object { namespace, name } => (namespace.clone(), name.clone()),
        Target::Dns { namespace, name } => (
            namespace
                .clone()
                .unwrap_or_else(|| source.namespace.clone()),
            name.clone(),
        ),
    };
    let service = graph
        .services
        .iter()
        .find(|s| s.namespace == namespace && s.name == name);
    // A workload named directly: reach it through a Service that exposes the
    // port if there is one, else by pod IP.
    let direct = graph.find_workloads(&format!("{namespace}/{name}"));
    let (service, destinations) = match (service, &target, direct.as_slice()) {
        (Some(s), _, _) => (Some(s), None),
        (None, Target::Object { .. }, [w]) => {
            let via = graph.services.iter().find(|s| {
                s.selected.contains(w) && s.ports.iter().any(|p| p.port == Some(i64::from(port)))
            });
            (via, via.is_none().then(|| vec![*w]))
        }
        _ => (None, None),
    };
    if !dns_layer(
        &mut walk,
        service,
        destinations.is_some(),
        &namespace,
        &name,
        by_dns,
    ) {
        return Ok(Diagnosis {
            layers: walk.layers,
        });
    }
    // (workload, destination port, protocol) for each selected workload.
    let endpoints: Vec<(usize, u16, Protocol)> = match (service, destinations) {
        (Some(service), _) => {
            if service.view.service_type() == "ExternalName" {
                walk.push(
                    "service",
                    Status::Unknown,
                    vec![format!(
                        "{} is an ExternalName: traffic leaves the cluster, which the manifests cannot tell more about",
                        service.display()
                    )],
                    vec![service.view.object.anchor()],
                    None,
                );
                return Ok(Diagnosis {
                    layers: walk.layers,
                });
            }
            if !service_layer(&mut walk, service) {
                return Ok(Diagnosis {
                    layers: walk.layers,
                });
            }
            match ports_layer(&mut walk, service, port) {
                Some(found) => found,
                None => {
                    return Ok(Diagnosis {
                        layers: walk.layers,
                    });
                }
            }
        }
        (None, Some(workloads)) => {
            walk.push(
                "service",
                Status::Unknown,
                vec!["no Service in between: the client addresses pod IPs directly".to_owned()],
                Vec::new(),
                None,
            );
            walk.push(
                "ports",
                Status::Pass,
                vec![format!("connecting straight to pod port {port}/TCP")],
                Vec::new(),
                None,
            );
            workloads
                .into_iter()
                .map(|w| (w, port, Protocol::Tcp))
                .collect()
        }
        (None, None) => {
            return Ok(Diagnosis {
                layers: walk.layers,
            });
        }
    };
    if !readiness_layer(&mut walk, &endpoints) {
        return Ok(Diagnosis {
            layers: walk.layers,
        });
    }
    if !egress_layer(&mut walk, src, &endpoints, by_dns) {
        return Ok(Diagnosis {
            layers: walk.layers,
        });
    }
    if !ingress_layer(&mut walk, src, &endpoints) {
        return Ok(Diagnosis {
            layers: walk.layers,
        });
    }
    placement_layer(&mut walk, src, &endpoints, profile);
    Ok(Diagnosis {
        layers: walk.layers,
    })
}

fn dns_layer(
    walk: &mut Walk<'_, '_>,
    service: Option<&ServiceNode<'_>>,
    direct: bool,
    namespace: &str,
    name: &str,
    by_dns: bool,
) -> bool {
    if let Some(s) = service {
        let kind = if s.view.service_type() == "ExternalName" {
            let external = s
                .view
                .object
                .root
                .path(&["spec", "externalName"])
                .and_then(Value::as_str)
                .unwrap_or("?");
            format!("an ExternalName alias of `{external}`")
        } else if s
            .view
            .object
            .root
            .path(&["spec", "clusterIP"])
            .and_then(Value::as_str)
            == Some("None")
        {
            "headless: it resolves to the ready pods' IPs".to_owned()
        } else {
            "it resolves to the Service's cluster IP".to_owned()
        };
        let how = if by_dns {
            format!("`{}.{}.svc.cluster.local`", s.name, s.namespace)
        } else {
            format!("{}/{}", s.namespace, s.name)
        };
        return walk.push(
            "dns",
            Status::Pass,
            vec![format!("{how} is {}: {kind}", s.display())],
            vec![s.view.object.anchor()],
            None,
        );
    }
    if direct {
        return walk.push(
            "dns",
            Status::Unknown,
            vec![format!(
                "{namespace}/{name} is a workload, and no Service in the deliverable exposes it on that port: it has no DNS name"
            )],
            Vec::new(),
            None,
        );
    }
    let graph = walk.graph;
    let mut evidence = vec![format!(
        "no Service `{name}` in namespace `{namespace}` in the deliverable"
    )];
    let elsewhere: Vec<&ServiceNode<'_>> = graph
        .services
        .iter()
        .filter(|s| s.name == name && s.namespace != namespace)
        .collect();
    let near: Vec<&ServiceNode<'_>> = graph
        .services
        .iter()
        .filter(|s| s.namespace == namespace && is_near_miss(name, &s.name))
        .collect();
    let mut fix = None;
    let mut locations = Vec::new();
    if let Some(s) = elsewhere.first() {
        evidence.push(format!(
            "{} exists in namespace `{}`: a short name resolves in the caller's namespace only",
            s.display(),
            s.namespace
        ));
        locations.push(s.view.object.anchor());
        fix = Some(format!(
            "use the qualified name `{}.{}`",
            s.name, s.namespace
        ));
    } else if let Some(s) = near.first() {
        evidence.push(format!("did you mean `{}`?", s.name));
        locations.push(s.view.object.anchor());
        fix = Some(format!("use the Service name `{}`", s.name));
    }
    walk.push("dns", Status::Fail, evidence, locations, fix)
}

fn service_layer(walk: &mut Walk<'_, '_>, service: &ServiceNode<'_>) -> bool {
    let graph = walk.graph;
    let selector_node = service.view.object.root.path(&["spec", "selector"]);
    if service.selector.is_empty() {
        return walk.push(
            "service",
            Status::Fail,
            vec![format!(
                "{} has no selector: its endpoints must be written by hand (EndpointSlices), and none select pods of the deliverable",
                service.display()
            )],
            vec![at(service, selector_node)],
            Some("spec:\n  selector:\n    app: <the pod template's app label>".to_owned()),
        );
    }
    if service.selected.is_empty() {
        let mut evidence = vec![format!(
            "{} selects no pod: no workload in namespace `{}` has the labels {}",
            service.display(),
            service.namespace,
            service
                .selector
                .match_labels
                .iter()
                .map(|(k, v)| format!("`{k}: {v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )];
        let mut fix = None;
        let mut locations = vec![at(service, selector_node)];
        if let Some((w, key, written, actual)) =
            selector_typo(graph, &service.namespace, &service.selector.match_labels)
        {
            evidence.push(format!(
                "did you mean `{key}: {actual}` (as {} has), not `{written}`?",
                w.display()
            ));
            locations.extend(workload_anchor(w));
            fix = Some(format!("spec:\n  selector:\n    {key}: {actual}"));
        }
        return walk.push("service", Status::Fail, evidence, locations, fix);
    }
    let names: Vec<String> = service
        .selected
        .iter()
        .filter_map(|i| graph.workloads.get(*i))
        .map(Workload::id)
        .collect();
    walk.push(
        "service",
        Status::Pass,
        vec![format!(
            "{} selects {}",
            service.display(),
            names.join(", ")
        )],
        vec![at(service, selector_node)],
        None,
    )
}

/// A workload of `namespace` whose labels are one typo away from a
/// selector's `matchLabels`: (workload, key, written value, the workload's value).
pub fn selector_typo<'g, 'm, 's>(
    graph: &'g Graph<'m>,
    namespace: &str,
    match_labels: &[(&'s str, &'s str)],
) -> Option<(&'g Workload<'m>, &'s str, &'s str, &'m str)> {
    for w in graph.workloads.iter().filter(|w| w.namespace == namespace) {
        let mut mismatch = None;
        let mut others_match = true;
        for (key, value) in match_labels {
            match w.labels.iter().find(|(k, _)| k == key) {
                Some((_, v)) if v == value => {}
                Some((_, v)) if is_near_miss(value, v) && mismatch.is_none() => {
                    mismatch = Some((*key, *value, *v));
                }
                _ => others_match = false,
            }
        }
        if let (Some((key, written, actual)), true) = (mismatch, others_match) {
            return Some((w, key, written, actual));
        }
    }
    None
}

fn ports_layer(
    walk: &mut Walk<'_, '_>,
    service: &ServiceNode<'_>,
    port: u16,
) -> Option<Vec<(usize, u16, Protocol)>> {
    let graph = walk.graph;
    let Some(service_port) = service
        .ports
        .iter()
        .find(|p| p.port == Some(i64::from(port)))
    else {
        let exposed: Vec<String> = service
            .ports
            .iter()
            .filter_map(|p| p.port.map(|n| format!("{n}/{}", p.protocol)))
            .collect();
        walk.push(
            "ports",
            Status::Fail,
            vec![format!(
                "{} does not expose port {port}; it exposes {}",
                service.display(),
                if exposed.is_empty() {
                    "none".to_owned()
                } else {
                    exposed.join(", ")
                }
            )],
            vec![at(service, service.view.object.root.path(&["spec", "ports"]))],
            Some(format!(
                "spec:\n  ports:\n    - name: port-{port}\n      port: {port}\n      targetPort: <the container port>"
            )),
        );
        return None;
    };
    let protocol = Protocol::parse(service_port.protocol).unwrap_or(Protocol::Tcp);
    let mut endpoints = Vec::new();
    let mut evidence = Vec::new();
    let mut locations = vec![service_port_at(service, service_port)];
    for &w in &service.selected {
        let Some(workload) = graph.workloads.get(w) else {
            continue;
        };
        match service_port.target_port {
            Some(PortRef::Name(name)) => match workload.port_named(name) {
                Some(p) if p.protocol == service_port.protocol => {
                    evidence.push(format!(
                        "port {port} → `{name}` = container port {}/{} of {}",
                        p.number,
                        p.protocol,
                        workload.id()
                    ));
                    if let Ok(n) = u16::try_from(p.number) {
                        endpoints.push((w, n, protocol));
                    }
                }
                Some(p) => {
                    walk.push(
                        "ports",
                        Status::Fail,
                        vec![format!(
                            "port {port} is {} but container port `{name}` of {} is {}",
                            service_port.protocol,
                            workload.id(),
                            p.protocol
                        )],
                        vec![
                            service_port_at(service, service_port),
                            workload_at(workload, p.node),
                        ],
                        Some(format!("      protocol: {}", p.protocol)),
                    );
                    return None;
                }
                None => {
                    let names: Vec<&str> = workload.ports.iter().filter_map(|p| p.name).collect();
                    let mut found = vec![format!(
                        "targetPort `{name}` names no container port of {} (named ports: {})",
                        workload.id(),
                        if names.is_empty() {
                            "none".to_owned()
                        } else {
                            names.join(", ")
                        }
                    )];
                    let fix = names.iter().find(|n| is_near_miss(name, n)).map(|n| {
                        found.push(format!("did you mean `{n}`?"));
                        format!("      targetPort: {n}")
                    });
                    locations.extend(workload_anchor(workload));
                    walk.push("ports", Status::Fail, found, locations, fix);
                    return None;
                }
            },
            Some(PortRef::Number(n)) => {
                let note = if workload.ports.is_empty()
                    || workload.declares_port(n, service_port.protocol)
                {
                    String::new()
                } else {
                    " (not declared as a containerPort: it works only if the process listens there)"
                        .to_owned()
                };
                evidence.push(format!(
                    "port {port} → container port {n}/{} of {}{note}",
                    service_port.protocol,
                    workload.id()
                ));
                if let Ok(n) = u16::try_from(n) {
                    endpoints.push((w, n, protocol));
                }
            }
            None => {}
        }
    }
    locations.sort();
    walk.push("ports", Status::Pass, evidence, locations, None);
    Some(endpoints)
}

fn service_port_at(service: &ServiceNode<'_>, port: &ServicePort<'_>) -> FileSpan {
    service.view.object.at(port.node.span())
}

fn workload_at(w: &Workload<'_>, node: Value<'_>) -> FileSpan {
    w.object().map_or_else(
        || FileSpan::new(assay_span::FileId(0), node.span()),
        |o| o.at(node.span()),
    )
}

fn readiness_layer(walk: &mut Walk<'_, '_>, endpoints: &[(usize, u16, Protocol)]) -> bool {
    let graph = walk.graph;
    let mut evidence = Vec::new();
    let mut locations = Vec::new();
    for &(w, _, _) in endpoints {
        let Some(workload) = graph.workloads.get(w) else {
            continue;
        };
        let Some(object) = workload.object() else {
            continue;
        };
        for container in object
            .containers()
            .into_iter()
            .filter(|c| c.kind == assay_model::ContainerKind::Regular)
        {
            let Some(probe) = container.probe("readinessProbe") else {
                evidence.push(format!(
                    "{}: no readiness probe, ready once started",
                    container.describe()
                ));
                continue;
            };
            let port = ["httpGet", "tcpSocket", "grpc"]
                .into_iter()
                .find_map(|k| probe.path(&[k, "port"]));
            match port.and_then(PortRef::of) {
                Some(PortRef::Name(name)) if container.port_named(name).is_none() => {
                    let names: Vec<&str> = container
                        .ports()
                        .into_iter()
                        .filter_map(|p| p.get_str("name"))
                        .collect();
                    let at = port.map_or_else(|| object.anchor(), |p| object.at(p.span()));
                    let fix = names
                        .iter()
                        .find(|n| is_near_miss(name, n))
                        .or(names.first())
                        .map(|n| format!("readinessProbe:\n  httpGet:\n    port: {n}"));
                    walk.push(
                        "readiness",
                        Status::Fail,
                        vec![format!(
                            "{} of {}: the readiness probe's port `{name}` names no port of the container, so the probe fails and the pods never become endpoints",
                            container.describe(),
                            workload.id()
                        )],
                        vec![at],
                        fix,
                    );
                    return false;
                }
                Some(p) => {
                    let text = match p {
                        PortRef::Number(n) => n.to_string(),
                        PortRef::Name(n) => n.to_owned(),
                    };
                    evidence.push(format!(
                        "{} of {}: readiness probe on port {text}",
                        container.describe(),
                        workload.id()
                    ));
                    locations.push(object.at(probe.span()));
                }
                None => evidence.push(format!(
                    "{} of {}: readiness probe (exec), not checkable statically",
                    container.describe(),
                    workload.id()
                )),
            }
        }
    }
    walk.push("readiness", Status::Pass, evidence, locations, None)
}

fn egress_layer(
    walk: &mut Walk<'_, '_>,
    src: usize,
    endpoints: &[(usize, u16, Protocol)],
    needs_dns: bool,
) -> bool {
    let graph = walk.graph;
    let Some(source) = graph.workloads.get(src) else {
        return false;
    };
    let policies: Vec<FileSpan> = graph
        .policies
        .iter()
        .filter(|p| p.isolates_egress && p.selects(source))
        .map(|p| p.object.anchor())
        .collect();
    if !egress_isolated(graph, src) {
        return walk.push(
            "egress",
            Status::Pass,
            vec![format!(
                "no NetworkPolicy restricts egress of {}: all outgoing traffic allowed",
                source.id()
            )],
            Vec::new(),
            None,
        );
    }
    let mut evidence = Vec::new();
    if needs_dns {
        let (udp, tcp) = egress_to_dns(graph, src);
        if !(udp && tcp) {
            let missing = match (udp, tcp) {
                (false, false) => "UDP and TCP",
                (false, true) => "UDP",
                _ => "TCP",
            };
            return walk.push(
                "egress",
                Status::Fail,
                vec![format!(
                    "the egress policies of {} do not allow DNS ({missing} 53 to kube-dns in kube-system): the name never resolves",
                    source.id()
                )],
                policies,
                Some(format!(
                    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-dns\n  namespace: {}\nspec:\n  podSelector: {{}}\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: kube-system\n          podSelector:\n            matchLabels:\n              k8s-app: kube-dns\n      ports:\n        - protocol: UDP\n          port: 53\n        - protocol: TCP\n          port: 53",
                    source.namespace
                )),
            );
        }
        evidence.push("DNS (UDP and TCP 53 to kube-dns) allowed".to_owned());
    }
    for &(dst, port, protocol) in endpoints {
        let Some(destination) = graph.workloads.get(dst) else {
            continue;
        };
        let (egress, _) = between(graph, src, dst);
        if !egress.allows(protocol, port) {
            return walk.push(
                "egress",
                Status::Fail,
                vec![format!(
                    "the egress policies of {} do not allow {} {port} to {}",
                    source.id(),
                    protocol.as_str(),
                    destination.id()
                )],
                policies,
                Some(format!(
                    "egress:\n  - to:\n      - namespaceSelector:\n          matchLabels:\n            kubernetes.io/metadata.name: {}\n        podSelector:\n          matchLabels:{}\n    ports:\n      - protocol: {}\n        port: {port}",
                    destination.namespace,
                    labels_yaml(&destination.labels),
                    protocol.as_str()
                )),
            );
        }
        evidence.push(format!(
            "egress to {} on {} {port} allowed",
            destination.id(),
            protocol.as_str()
        ));
    }
    walk.push("egress", Status::Pass, evidence, policies, None)
}

fn ingress_layer(
    walk: &mut Walk<'_, '_>,
    src: usize,
    endpoints: &[(usize, u16, Protocol)],
) -> bool {
    let graph = walk.graph;
    let Some(source) = graph.workloads.get(src) else {
        return false;
    };
    let mut evidence = Vec::new();
    let mut locations = Vec::new();
    for &(dst, port, protocol) in endpoints {
        let Some(destination) = graph.workloads.get(dst) else {
            continue;
        };
        let policies: Vec<FileSpan> = graph
            .policies
            .iter()
            .filter(|p| p.isolates_ingress && p.selects(destination))
            .map(|p| p.object.anchor())
            .collect();
        let (_, ingress) = between(graph, src, dst);
        if !ingress.allows(protocol, port) {
            return walk.push(
                "ingress",
                Status::Fail,
                vec![format!(
                    "the ingress policies of {} do not allow {} {port} from {}",
                    destination.id(),
                    protocol.as_str(),
                    source.id()
                )],
                policies,
                Some(format!(
                    "ingress:\n  - from:\n      - namespaceSelector:\n          matchLabels:\n            kubernetes.io/metadata.name: {}\n        podSelector:\n          matchLabels:{}\n    ports:\n      - protocol: {}\n        port: {port}",
                    source.namespace,
                    labels_yaml(&source.labels),
                    protocol.as_str()
                )),
            );
        }
        if policies.is_empty() {
            evidence.push(format!(
                "no NetworkPolicy restricts ingress of {}",
                destination.id()
            ));
        } else {
            evidence.push(format!(
                "ingress to {} on {} {port} from {} allowed",
                destination.id(),
                protocol.as_str(),
                source.id()
            ));
        }
        locations.extend(policies);
    }
    walk.push("ingress", Status::Pass, evidence, locations, None)
}

/// Layer 7: can both ends run at all on the cluster the deliverable goes to?
/// The source and each endpoint workload go through `assay schedule`'s
/// filters (selectors, affinity, taints, resources, admission) on the
/// profile's pools. The connection fails when the source, or every endpoint,
/// fits on no pool even after scale-up.
fn placement_layer(
    walk: &mut Walk<'_, '_>,
    src: usize,
    endpoints: &[(usize, u16, Protocol)],
    profile: Option<&ClusterProfile>,
) {
    let Some(profile) = profile else {
        walk.push(
            "placement",
            Status::Unknown,
            vec![
                "no cluster profile: node operating systems, selectors and taints are not known (pass --cluster-profile)"
                    .to_owned(),
            ],
            Vec::new(),
            None,
        );
        return;
    };
    let graph = walk.graph;
    let placed = schedule(graph.model, profile);
    let result_of = |w: &Workload<'_>| {
        let anchor = w.object()?.anchor();
        placed.workloads.iter().find(|r| r.location == anchor)
    };
    let mut evidence = Vec::new();
    let mut locations = Vec::new();
    let mut fix = None;
    let mut destinations: Vec<usize> = endpoints.iter().map(|(w, _, _)| *w).collect();
    destinations.sort_unstable();
    destinations.dedup();
    let mut runs = |w: usize, evidence: &mut Vec<String>| -> bool {
        let Some(workload) = graph.workloads.get(w) else {
            return false;
        };
        let Some(result) = result_of(workload) else {
            evidence.push(format!(
                "{}: no pod template to place on profile `{}`",
                workload.display(),
                profile.name
            ));
            return true;
        };
        let verdict = describe_placement(workload, result, profile);
        evidence.push(verdict.text);
        if !verdict.runs {
            locations.push(result.location);
            if fix.is_none() {
                fix = placement_fix(workload, profile);
            }
        }
        verdict.runs
    };
    let source_runs = runs(src, &mut evidence);
    let destinations_running = destinations
        .iter()
        .filter(|w| runs(**w, &mut evidence))
        .count();
    let on_windows = destinations.iter().any(|w| {
        graph
            .workloads
            .get(*w)
            .and_then(&result_of)
            .is_some_and(|r| {
                r.placement.keys().any(|pool| {
                    profile
                        .pools
                        .iter()
                        .any(|p| &p.name == pool && p.os == Os::Windows)
                })
            })
    });
    if on_windows && profile.knows_installed && !profile.installed.network_policy_windows {
        evidence.push(format!(
            "profile `{}`: the CNI does not enforce NetworkPolicy on Windows nodes, so on those nodes the egress and ingress verdicts above are not enforced",
            profile.name
        ));
    }
    let nothing_serves = destinations_running == 0 && !destinations.is_empty();
    let status = if source_runs && !nothing_serves {
        Status::Pass
    } else {
        Status::Fail
    };
    if status == Status::Pass {
        fix = None;
    }
    walk.push("placement", status, evidence, locations, fix);
}

struct PlacementVerdict {
    runs: bool,
    text: String,
}

fn describe_placement(
    workload: &Workload<'_>,
    result: &WorkloadResult,
    profile: &ClusterProfile,
) -> PlacementVerdict {
    let who = workload.display();
    if let Some(why) = &result.rejected {
        return PlacementVerdict {
            runs: false,
            text: format!("{who} is rejected before scheduling: {why}"),
        };
    }
    if result.placed_after_scale_up == 0 {
        let text = match &result.failed_scheduling {
            Some(message) => format!(
                "{who} cannot be scheduled on profile `{}`: {message}",
                profile.name
            ),
            None => format!(
                "{who} runs no pod on profile `{}` ({} replicas wanted)",
                profile.name, result.replicas
            ),
        };
        return PlacementVerdict { runs: false, text };
    }
    let pools: Vec<String> = result
        .placement
        .keys()
        .map(|name| {
            let os = profile
                .pools
                .iter()
                .find(|p| &p.name == name)
                .map_or("?", |p| p.os.as_str());
            format!("`{name}` ({os})")
        })
        .collect();
    let mut text = format!("{who} runs on {}", pools.join(", "));
    if result.placed_after_scale_up < result.replicas {
        text.push_str(&format!(
            "; only {} of {} replicas fit, even with every pool at its maximum",
            result.placed_after_scale_up, result.replicas
        ));
    }
    PlacementVerdict { runs: true, text }
}

/// What to write so the pod fits a pool: the toleration for the taint that
/// keeps it off a pool its selectors admit, else a `nodeSelector` for a pool
/// of the OS the pod declares (`spec.os.name`, the `kubernetes.io/os`
/// selector it already has), else the first schedulable pool.
fn placement_fix(workload: &Workload<'_>, profile: &ClusterProfile) -> Option<String> {
    let object = workload.object()?;
    let fits = pool_fits(object, profile);
    if let Some(fit) = fits.iter().find(|f| f.selected && !f.pool.unschedulable) {
        let taint = fit.untolerated?;
        let effect = taint.effect.as_str();
        let value = if taint.value.is_empty() {
            "    operator: Exists\n".to_owned()
        } else {
            format!("    operator: Equal\n    value: \"{}\"\n", taint.value)
        };
        return Some(format!(
            "# {}: tolerate the taint of pool `{}`\ntolerations:\n  - key: \"{}\"\n{value}    effect: {effect}",
            workload.display(),
            fit.pool.name,
            taint.key
        ));
    }
    let spec = object.pod_spec();
    let selector = spec.and_then(|s| s.get("nodeSelector"));
    let wanted_os = spec
        .and_then(|s| s.path(&["os", "name"]))
        .or_else(|| selector.and_then(|s| s.get("kubernetes.io/os")))
        .and_then(Value::as_str);
    let pool = profile
        .pools
        .iter()
        .filter(|p| !p.unschedulable)
        .find(|p| wanted_os.is_none_or(|os| p.os.as_str() == os))?;
    // `nodeSelector` entries no pool of the profile carries.
    let missing: Vec<String> = selector
        .into_iter()
        .flat_map(Value::entries)
        .filter_map(|(key, value)| Some((key.as_str()?, value.as_str()?)))
        .filter(|(key, value)| {
            !profile
                .pools
                .iter()
                .any(|p| p.labels.get(*key).is_some_and(|v| v == value))
        })
        .map(|(key, value)| format!("`{key}={value}`"))
        .collect();
    let why = if missing.is_empty() {
        "its node affinity matches no pool".to_owned()
    } else {
        format!("no pool has the node label {}", missing.join(", "))
    };
    Some(format!(
        "# {}: {why}; select labels a pool has, e.g. pool `{}`\nnodeSelector:\n  kubernetes.io/os: {}",
        workload.display(),
        pool.name,
        pool.os.as_str()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        let dns = |ns: Option<&str>, name: &str| Target::Dns {
            namespace: ns.map(str::to_owned),
            name: name.to_owned(),
        };
        assert_eq!(
            parse_target("checkout:8080"),
            Ok((dns(None, "checkout"), 8080))
        );
        assert_eq!(
            parse_target("checkout.shop:8080"),
            Ok((dns(Some("shop"), "checkout"), 8080))
        );
        assert_eq!(
            parse_target("checkout.shop.svc.cluster.local:8080"),
            Ok((dns(Some("shop"), "checkout"), 8080))
        );
        assert_eq!(
            parse_target("shop/checkout:80"),
            Ok((
                Target::Object {
                    namespace: "shop".into(),
                    name: "checkout".into()
                },
                80
            ))
        );
        assert!(parse_target("checkout").is_err());
        assert!(parse_target("checkout:http").is_err());
        assert!(parse_target("checkout:0").is_err());
        assert!(parse_target("api.example.com:443").is_err());
    }
}
