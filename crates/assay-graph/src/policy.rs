//! NetworkPolicies read and validated the way the API server does
//! (`pkg/apis/networking/validation`): a policy it would reject is a located
//! problem and takes no part in the analysis.

use crate::ip::{IpRange, parse_cidr, subtract};
use crate::ports::{ConnSet, PortSet, Protocol};
use crate::workload::{Workload, namespace_of};
use assay_model::{LabelSelector, NetworkPolicyView, ObjectView, PortRef, k8s_int};
use assay_span::FileSpan;
use assay_yaml::Value;

/// A reason the API server would reject an object, located at the node at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub location: FileSpan,
    /// `NetworkPolicy shop/default-deny`.
    pub object: String,
    pub message: String,
}

/// Who a rule admits.
#[derive(Clone, Debug)]
pub enum Peer<'m> {
    /// `podSelector` and/or `namespaceSelector` (both in one peer: AND).
    Pods {
        pods: Option<LabelSelector<'m>>,
        namespaces: Option<LabelSelector<'m>>,
    },
    /// `ipBlock`: the address ranges left after `except`.
    IpBlock {
        ranges: Vec<IpRange>,
        node: Value<'m>,
    },
}

/// One `ports[]` entry.
#[derive(Clone, Copy, Debug)]
pub struct PolicyPort<'m> {
    pub protocol: Protocol,
    /// `None`: every port of the protocol.
    pub port: Option<PortRef<'m>>,
    pub end_port: Option<u16>,
}

/// One `ingress[]` or `egress[]` rule.
#[derive(Clone, Debug)]
pub struct PolicyRule<'m> {
    pub node: Value<'m>,
    /// `None`: every peer (`from`/`to` omitted or empty).
    pub peers: Option<Vec<Peer<'m>>>,
    /// `None`: every port (`ports` omitted or empty).
    pub ports: Option<Vec<PolicyPort<'m>>>,
}

/// A valid NetworkPolicy.
#[derive(Clone, Debug)]
pub struct Policy<'m> {
    pub object: ObjectView<'m>,
    pub namespace: String,
    pub name: String,
    pub pod_selector: LabelSelector<'m>,
    /// `Ingress` in `policyTypes` (written or defaulted).
    pub isolates_ingress: bool,
    pub isolates_egress: bool,
    pub ingress: Vec<PolicyRule<'m>>,
    pub egress: Vec<PolicyRule<'m>>,
}

impl<'m> Policy<'m> {
    /// `shop/default-deny`.
    #[must_use]
    pub fn id(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    #[must_use]
    pub fn selects(&self, workload: &Workload<'_>) -> bool {
        workload.namespace == self.namespace && self.pod_selector.matches(&workload.labels)
    }
}

impl PolicyPort<'_> {
    /// The ports this entry opens on `destination` (a named port resolves
    /// against the destination's containers, per pod, with their protocol).
    #[must_use]
    pub fn on(&self, destination: Option<&Workload<'_>>) -> ConnSet {
        match self.port {
            None => ConnSet::of(self.protocol, PortSet::all()),
            Some(PortRef::Number(n)) => {
                let start = u16::try_from(n).unwrap_or(0);
                let end = self.end_port.unwrap_or(start);
                ConnSet::of(self.protocol, PortSet::range(start, end))
            }
            Some(PortRef::Name(name)) => {
                let found = destination
                    .and_then(|w| w.port_named(name))
                    .filter(|p| Protocol::parse(p.protocol) == Some(self.protocol));
                match found.and_then(|p| u16::try_from(p.number).ok()) {
                    Some(n) => ConnSet::of(self.protocol, PortSet::range(n, n)),
                    None => ConnSet::none(),
                }
            }
        }
    }
}

impl PolicyRule<'_> {
    /// The ports this rule opens on `destination`.
    #[must_use]
    pub fn ports_on(&self, destination: Option<&Workload<'_>>) -> ConnSet {
        match &self.ports {
            None => ConnSet::all(),
            Some(ports) => {
                let mut out = ConnSet::none();
                for p in ports {
                    out.union_with(&p.on(destination));
                }
                out
            }
        }
    }
}

struct Reader<'a, 'm> {
    object: &'a ObjectView<'m>,
    problems: Vec<Invalid>,
}

impl<'m> Reader<'_, 'm> {
    fn invalid(&mut self, node: Value<'_>, message: String) {
        self.problems.push(Invalid {
            location: self.object.at(node.span()),
            object: self.object.display(),
            message,
        });
    }

    /// A `metav1.LabelSelector`, checked (operators, values).
    fn selector(&mut self, node: Value<'m>) -> LabelSelector<'m> {
        for expr in node
            .get("matchExpressions")
            .into_iter()
            .flat_map(Value::items)
        {
            let values = expr.get("values").map_or(0, Value::len);
            match expr.get("operator") {
                None => self.invalid(expr, "a `matchExpressions` entry needs an `operator`".into()),
                Some(op) => match op.as_str() {
                    Some("In" | "NotIn") if values == 0 => self.invalid(
                        op,
                        format!(
                            "operator `{}` needs at least one value in `values`",
                            op.as_str().unwrap_or_default()
                        ),
                    ),
                    Some("Exists" | "DoesNotExist") if values > 0 => self.invalid(
                        op,
                        format!(
                            "operator `{}` takes no `values`",
                            op.as_str().unwrap_or_default()
                        ),
                    ),
                    Some("In" | "NotIn" | "Exists" | "DoesNotExist") => {}
                    other => self.invalid(
                        op,
                        format!(
                            "`{}` is not a label selector operator (In, NotIn, Exists, DoesNotExist)",
                            other.unwrap_or("?")
                        ),
                    ),
                },
            }
            if expr.get_str("key").is_none() {
                self.invalid(expr, "a `matchExpressions` entry needs a `key`".into());
            }
        }
        LabelSelector::from_label_selector(node)
    }

    fn peer(&mut self, node: Value<'m>) -> Option<Peer<'m>> {
        let pods = node.get("podSelector");
        let namespaces = node.get("namespaceSelector");
        if let Some(block) = node.get("ipBlock") {
            if pods.is_some() || namespaces.is_some() {
                self.invalid(
                    block,
                    "a peer with `ipBlock` may not also set `podSelector` or `namespaceSelector`"
                        .into(),
                );
                return None;
            }
            return self.ip_block(block);
        }
        if pods.is_none() && namespaces.is_none() {
            self.invalid(
                node,
                "a peer must set `podSelector`, `namespaceSelector` or `ipBlock`".into(),
            );
            return None;
        }
        Some(Peer::Pods {
            pods: pods.map(|p| self.selector(p)),
            namespaces: namespaces.map(|n| self.selector(n)),
        })
    }

    fn ip_block(&mut self, block: Value<'m>) -> Option<Peer<'m>> {
        let Some(cidr_node) = block.get("cidr") else {
            self.invalid(block, "`ipBlock` needs a `cidr`".into());
            return None;
        };
        let cidr = match parse_cidr(cidr_node.as_str().unwrap_or_default()) {
            Ok(c) => c,
            Err(message) => {
                self.invalid(cidr_node, message);
                return None;
            }
        };
        let mut holes = Vec::new();
        let mut ok = true;
        for except in block.get("except").into_iter().flat_map(Value::items) {
            let text = except.as_str().unwrap_or_default();
            match parse_cidr(text) {
                Err(message) => {
                    self.invalid(except, message);
                    ok = false;
                }
                Ok(hole) if !cidr.contains(&hole) || hole == cidr => {
                    self.invalid(
                        except,
                        format!(
                            "`except: {text}` must be a strict subset of `cidr: {}`",
                            cidr_node.as_str().unwrap_or_default()
                        ),
                    );
                    ok = false;
                }
                Ok(hole) => holes.push(hole.0),
            }
        }
        if !ok {
            return None;
        }
        let ranges = subtract(&[cidr.0], &holes);
        Some(Peer::IpBlock {
            ranges,
            node: block,
        })
    }

    fn port(&mut self, node: Value<'m>) -> Option<PolicyPort<'m>> {
        let protocol = match node.get("protocol") {
            None => Protocol::Tcp,
            Some(p) => match p.as_str().and_then(Protocol::parse) {
                Some(protocol) => protocol,
                None => {
                    self.invalid(
                        p,
                        format!(
                            "`{}` is not a protocol (TCP, UDP or SCTP)",
                            p.as_str().unwrap_or("?")
                        ),
                    );
                    return None;
                }
            },
        };
        let port_node = node.get("port");
        let port = port_node.and_then(PortRef::of);
        match (port, port_node) {
            (Some(PortRef::Number(n)), Some(at)) if !(1..=65535).contains(&n) => {
                self.invalid(at, format!("port {n} is outside 1-65535"));
                return None;
            }
            (Some(PortRef::Name(name)), Some(at)) if !is_iana_service_name(name) => {
                self.invalid(
                    at,
                    format!(
                        "`{name}` is not a valid port name (an IANA service name: at most 15 lowercase letters, digits and `-`, with a letter, no `-` at either end or twice in a row)"
                    ),
                );
                return None;
            }
            _ => {}
        }
        let mut end_port = None;
        if let Some(end) = node.get("endPort") {
            match (port, k8s_int(end)) {
                (Some(PortRef::Number(start)), Some(e)) if e >= start && e <= 65535 => {
                    end_port = u16::try_from(e).ok();
                }
                (Some(PortRef::Number(start)), _) => {
                    self.invalid(
                        end,
                        format!("`endPort` must be a number from `port` ({start}) to 65535"),
                    );
                    return None;
                }
                _ => {
                    self.invalid(end, "`endPort` needs a numeric `port`".into());
                    return None;
                }
            }
        }
        Some(PolicyPort {
            protocol,
            port,
            end_port,
        })
    }

    fn rule(&mut self, node: Value<'m>, peers_key: &str) -> PolicyRule<'m> {
        let peer_nodes: Vec<Value<'m>> = node
            .get(peers_key)
            .into_iter()
            .flat_map(Value::items)
            .collect();
        let port_nodes: Vec<Value<'m>> = node
            .get("ports")
            .into_iter()
            .flat_map(Value::items)
            .collect();
        let peers = (!peer_nodes.is_empty()).then(|| {
            peer_nodes
                .into_iter()
                .filter_map(|p| self.peer(p))
                .collect()
        });
        let ports = (!port_nodes.is_empty()).then(|| {
            port_nodes
                .into_iter()
                .filter_map(|p| self.port(p))
                .collect()
        });
        PolicyRule { node, peers, ports }
    }
}

/// A port name as `IsValidPortName` accepts it.
#[must_use]
pub fn is_iana_service_name(name: &str) -> bool {
    (1..=15).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && name.bytes().any(|b| b.is_ascii_lowercase())
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--")
}

/// Read one NetworkPolicy: the policy when the API server would accept it,
/// and every problem found.
#[must_use]
pub fn read<'m>(object: ObjectView<'m>) -> (Option<Policy<'m>>, Vec<Invalid>) {
    let Some(view) = NetworkPolicyView::new(object) else {
        return (None, Vec::new());
    };
    let mut reader = Reader {
        object: &object,
        problems: Vec::new(),
    };
    let pod_selector = match object.root.path(&["spec", "podSelector"]) {
        Some(node) => reader.selector(node),
        None => LabelSelector::default(),
    };
    let types = view.policy_types();
    for t in object
        .root
        .path(&["spec", "policyTypes"])
        .into_iter()
        .flat_map(Value::items)
    {
        if !matches!(t.as_str(), Some("Ingress" | "Egress")) {
            reader.invalid(
                t,
                format!(
                    "`{}` is not a policy type (Ingress or Egress)",
                    t.as_str().unwrap_or("?")
                ),
            );
        }
    }
    let ingress = view
        .rules("ingress")
        .into_iter()
        .map(|r| reader.rule(r, "from"))
        .collect();
    let egress = view
        .rules("egress")
        .into_iter()
        .map(|r| reader.rule(r, "to"))
        .collect();
    let problems = reader.problems;
    if !problems.is_empty() {
        return (None, problems);
    }
    let policy = Policy {
        object,
        namespace: namespace_of(&object),
        name: object.object.name.clone().unwrap_or_default(),
        pod_selector,
        isolates_ingress: types.contains(&"Ingress"),
        isolates_egress: types.contains(&"Egress"),
        ingress,
        egress,
    };
    (Some(policy), problems)
}

#[cfg(test)]
mod tests {
    use super::is_iana_service_name;

    #[test]
    fn port_names() {
        for ok in ["http", "dns-tcp", "h2c", "a1234567890bcde"] {
            assert!(is_iana_service_name(ok), "{ok}");
        }
        for bad in [
            "",
            "HTTP",
            "8080",
            "-http",
            "http-",
            "dns--tcp",
            "a1234567890bcdef",
            "my_port",
        ] {
            assert!(!is_iana_service_name(bad), "{bad}");
        }
    }
}
