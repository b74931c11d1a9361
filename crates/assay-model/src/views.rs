//! Typed read-only views of the Kubernetes kinds the packs reason about
//! across objects (connectivity, scaling, rollouts, RBAC). Each is a thin
//! wrapper over the object's tree: fields are read on demand, nothing is
//! copied, and a field that is missing or malformed reads as absent (the
//! schema pack reports malformed fields; these views never fail).

use crate::{ObjectView, k8s_bool, k8s_int};
use assay_yaml::Value;

/// A `LabelSelector` (`matchLabels` and `matchExpressions`), or a Service's
/// plain map selector.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelSelector<'m> {
    pub match_labels: Vec<(&'m str, &'m str)>,
    pub expressions: Vec<SelectorExpression<'m>>,
}

/// One `matchExpressions` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectorExpression<'m> {
    pub key: &'m str,
    /// `In`, `NotIn`, `Exists`, `DoesNotExist` (anything else matches nothing).
    pub operator: &'m str,
    pub values: Vec<&'m str>,
}

impl<'m> LabelSelector<'m> {
    /// A `metav1.LabelSelector` node.
    #[must_use]
    pub fn from_label_selector(node: Value<'m>) -> Self {
        let mut selector = Self::from_map(node.get("matchLabels"));
        for expr in node
            .get("matchExpressions")
            .into_iter()
            .flat_map(Value::items)
        {
            let (Some(key), Some(operator)) = (expr.get_str("key"), expr.get_str("operator"))
            else {
                continue;
            };
            let values = expr
                .get("values")
                .into_iter()
                .flat_map(Value::items)
                .filter_map(Value::as_str)
                .collect();
            selector.expressions.push(SelectorExpression {
                key,
                operator,
                values,
            });
        }
        selector
    }

    /// A plain `key: value` map (a Service's `spec.selector`).
    #[must_use]
    pub fn from_map(node: Option<Value<'m>>) -> Self {
        let match_labels = node
            .into_iter()
            .flat_map(Value::entries)
            .filter_map(|(k, v)| Some((k.as_str()?, v.as_str()?)))
            .collect();
        Self {
            match_labels,
            expressions: Vec::new(),
        }
    }

    /// An empty selector: selects every pod (NetworkPolicy, PDB in
    /// `policy/v1`) or, for a Service, none — the caller knows which.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.expressions.is_empty()
    }

    /// Whether `labels` satisfy every requirement (Kubernetes semantics:
    /// `NotIn` and `DoesNotExist` match when the key is absent).
    #[must_use]
    pub fn matches(&self, labels: &[(&str, &str)]) -> bool {
        let get = |key: &str| labels.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        self.match_labels.iter().all(|(k, v)| get(k) == Some(*v))
            && self
                .expressions
                .iter()
                .all(|e| match (e.operator, get(e.key)) {
                    ("In", Some(v)) => e.values.contains(&v),
                    ("NotIn", Some(v)) => !e.values.contains(&v),
                    ("NotIn" | "DoesNotExist", None) | ("Exists", Some(_)) => true,
                    _ => false,
                })
    }
}

/// A port reference that is a number or a name (`IntOrString`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortRef<'m> {
    Number(i64),
    Name(&'m str),
}

impl<'m> PortRef<'m> {
    /// Read as the API server does: an integer, or a string that is a name
    /// (a quoted number stays a string, i.e. a name).
    #[must_use]
    pub fn of(node: Value<'m>) -> Option<Self> {
        k8s_int(node)
            .map(PortRef::Number)
            .or_else(|| node.as_str().map(PortRef::Name))
    }
}

/// One entry of a Service's `spec.ports`.
#[derive(Clone, Copy, Debug)]
pub struct ServicePort<'m> {
    pub node: Value<'m>,
    pub name: Option<&'m str>,
    pub port: Option<i64>,
    /// Defaults to `port` when unset.
    pub target_port: Option<PortRef<'m>>,
    pub protocol: &'m str,
}

/// A `Service`.
#[derive(Clone, Copy, Debug)]
pub struct ServiceView<'m> {
    pub object: ObjectView<'m>,
}

impl<'m> ServiceView<'m> {
    #[must_use]
    pub fn new(object: ObjectView<'m>) -> Option<Self> {
        (object.kind() == "Service").then_some(Self { object })
    }

    /// `ClusterIP` unless set.
    #[must_use]
    pub fn service_type(&self) -> &'m str {
        self.object
            .root
            .path(&["spec", "type"])
            .and_then(Value::as_str)
            .unwrap_or("ClusterIP")
    }

    #[must_use]
    pub fn selector(&self) -> LabelSelector<'m> {
        LabelSelector::from_map(self.object.root.path(&["spec", "selector"]))
    }

    #[must_use]
    pub fn ports(&self) -> Vec<ServicePort<'m>> {
        self.object
            .root
            .path(&["spec", "ports"])
            .into_iter()
            .flat_map(Value::items)
            .map(|node| {
                let port = node.get("port").and_then(k8s_int);
                ServicePort {
                    node,
                    name: node.get_str("name"),
                    port,
                    target_port: node
                        .get("targetPort")
                        .and_then(PortRef::of)
                        .or(port.map(PortRef::Number)),
                    protocol: node.get_str("protocol").unwrap_or("TCP"),
                }
            })
            .collect()
    }
}

/// The backend of an Ingress path or default backend.
#[derive(Clone, Copy, Debug)]
pub struct IngressBackend<'m> {
    pub node: Value<'m>,
    pub service: Option<&'m str>,
    pub port: Option<PortRef<'m>>,
    /// The rule's host (`None`: every host).
    pub host: Option<&'m str>,
    pub path: Option<&'m str>,
}

/// An `Ingress` (`networking.k8s.io/v1`).
#[derive(Clone, Copy, Debug)]
pub struct IngressView<'m> {
    pub object: ObjectView<'m>,
}

impl<'m> IngressView<'m> {
    #[must_use]
    pub fn new(object: ObjectView<'m>) -> Option<Self> {
        (object.kind() == "Ingress").then_some(Self { object })
    }

    #[must_use]
    pub fn class_name(&self) -> Option<&'m str> {
        self.object
            .root
            .path(&["spec", "ingressClassName"])
            .and_then(Value::as_str)
    }

    /// Hosts covered by `spec.tls`.
    #[must_use]
    pub fn tls_hosts(&self) -> Vec<&'m str> {
        self.object
            .root
            .path(&["spec", "tls"])
            .into_iter()
            .flat_map(Value::items)
            .flat_map(|tls| tls.get("hosts").into_iter().flat_map(Value::items))
            .filter_map(Value::as_str)
            .collect()
    }

    /// Hosts named by `spec.rules`.
    #[must_use]
    pub fn rule_hosts(&self) -> Vec<Value<'m>> {
        self.rules().filter_map(|r| r.get("host")).collect()
    }

    fn rules(&self) -> impl Iterator<Item = Value<'m>> + 'm {
        self.object
            .root
            .path(&["spec", "rules"])
            .into_iter()
            .flat_map(Value::items)
    }

    /// Every backend: the default backend, then each rule path's.
    #[must_use]
    pub fn backends(&self) -> Vec<IngressBackend<'m>> {
        let backend = |node: Value<'m>, host, path| {
            let service = node.get("service");
            IngressBackend {
                node,
                service: service.and_then(|s| s.get_str("name")),
                port: service.and_then(|s| s.get("port")).and_then(|p| {
                    p.get("number")
                        .and_then(k8s_int)
                        .map(PortRef::Number)
                        .or_else(|| p.get_str("name").map(PortRef::Name))
                }),
                host,
                path,
            }
        };
        let mut out: Vec<IngressBackend<'m>> = self
            .object
            .root
            .path(&["spec", "defaultBackend"])
            .map(|node| backend(node, None, None))
            .into_iter()
            .collect();
        for rule in self.rules() {
            let host = rule.get_str("host");
            for path in rule
                .path(&["http", "paths"])
                .into_iter()
                .flat_map(Value::items)
            {
                if let Some(node) = path.get("backend") {
                    out.push(backend(node, host, path.get_str("path")));
                }
            }
        }
        out
    }
}

/// A `NetworkPolicy`.
#[derive(Clone, Copy, Debug)]
pub struct NetworkPolicyView<'m> {
    pub object: ObjectView<'m>,
}

impl<'m> NetworkPolicyView<'m> {
    #[must_use]
    pub fn new(object: ObjectView<'m>) -> Option<Self> {
        (object.kind() == "NetworkPolicy").then_some(Self { object })
    }

    /// `spec.podSelector`; empty selects every pod of the namespace.
    #[must_use]
    pub fn pod_selector(&self) -> LabelSelector<'m> {
        self.object
            .root
            .path(&["spec", "podSelector"])
            .map(LabelSelector::from_label_selector)
            .unwrap_or_default()
    }

    /// `spec.policyTypes`, defaulted as the API server does: `Ingress`, plus
    /// `Egress` when egress rules are present.
    #[must_use]
    pub fn policy_types(&self) -> Vec<&'m str> {
        let spec = self.object.root.get("spec");
        let written: Vec<&'m str> = spec
            .and_then(|s| s.get("policyTypes"))
            .into_iter()
            .flat_map(Value::items)
            .filter_map(Value::as_str)
            .collect();
        if !written.is_empty() {
            return written;
        }
        let mut types = vec!["Ingress"];
        if spec.and_then(|s| s.get("egress")).is_some() {
            types.push("Egress");
        }
        types
    }

    /// The `ingress` or `egress` rules (`direction`), as written.
    #[must_use]
    pub fn rules(&self, direction: &str) -> Vec<Value<'m>> {
        self.object
            .root
            .path(&["spec", direction])
            .into_iter()
            .flat_map(Value::items)
            .collect()
    }
}

/// A `HorizontalPodAutoscaler`.
#[derive(Clone, Copy, Debug)]
pub struct HpaView<'m> {
    pub object: ObjectView<'m>,
}

impl<'m> HpaView<'m> {
    #[must_use]
    pub fn new(object: ObjectView<'m>) -> Option<Self> {
        (object.kind() == "HorizontalPodAutoscaler").then_some(Self { object })
    }

    /// (`kind`, `name`) of `spec.scaleTargetRef`.
    #[must_use]
    pub fn target(&self) -> Option<(&'m str, &'m str)> {
        let target = self.object.root.path(&["spec", "scaleTargetRef"])?;
        Some((target.get_str("kind")?, target.get_str("name")?))
    }

    /// `spec.minReplicas`, 1 when unset.
    #[must_use]
    pub fn min_replicas(&self) -> i64 {
        self.object
            .root
            .path(&["spec", "minReplicas"])
            .and_then(k8s_int)
            .unwrap_or(1)
    }

    #[must_use]
    pub fn max_replicas(&self) -> Option<i64> {
        self.object
            .root
            .path(&["spec", "maxReplicas"])
            .and_then(k8s_int)
    }

    #[must_use]
    pub fn metrics(&self) -> Vec<Value<'m>> {
        self.object
            .root
            .path(&["spec", "metrics"])
            .into_iter()
            .flat_map(Value::items)
            .collect()
    }
}

/// A `PodDisruptionBudget`.
#[derive(Clone, Copy, Debug)]
pub struct PdbView<'m> {
    pub object: ObjectView<'m>,
}

impl<'m> PdbView<'m> {
    #[must_use]
    pub fn new(object: ObjectView<'m>) -> Option<Self> {
        (object.kind() == "PodDisruptionBudget").then_some(Self { object })
    }

    #[must_use]
    pub fn selector(&self) -> LabelSelector<'m> {
        self.object
            .root
            .path(&["spec", "selector"])
            .map(LabelSelector::from_label_selector)
            .unwrap_or_default()
    }

    /// `minAvailable` (a count or a percentage string).
    #[must_use]
    pub fn min_available(&self) -> Option<Value<'m>> {
        self.object.root.path(&["spec", "minAvailable"])
    }

    #[must_use]
    pub fn max_unavailable(&self) -> Option<Value<'m>> {
        self.object.root.path(&["spec", "maxUnavailable"])
    }
}

/// A `ConfigMap` or `Secret`: its keys and values.
#[derive(Clone, Copy, Debug)]
pub struct DataView<'m> {
    pub object: ObjectView<'m>,
}

impl<'m> DataView<'m> {
    #[must_use]
    pub fn new(object: ObjectView<'m>) -> Option<Self> {
        matches!(object.kind(), "ConfigMap" | "Secret").then_some(Self { object })
    }

    /// (`key` node, `value` node) of `data`, `stringData` and `binaryData`.
    #[must_use]
    pub fn entries(&self) -> Vec<(Value<'m>, Value<'m>)> {
        ["data", "stringData", "binaryData"]
            .into_iter()
            .filter_map(|section| self.object.root.get(section))
            .flat_map(Value::entries)
            .collect()
    }
}

/// A `Role` or `ClusterRole` rule, or a binding's subjects and role.
#[derive(Clone, Copy, Debug)]
pub struct RbacView<'m> {
    pub object: ObjectView<'m>,
}

/// The kinds [`RbacView`] reads.
pub const RBAC_KINDS: &[&str] = &["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"];

impl<'m> RbacView<'m> {
    #[must_use]
    pub fn new(object: ObjectView<'m>) -> Option<Self> {
        RBAC_KINDS
            .contains(&object.kind())
            .then_some(Self { object })
    }

    /// A role's `rules` (`apiGroups`, `resources`, `verbs`, …).
    #[must_use]
    pub fn rules(&self) -> Vec<Value<'m>> {
        self.object
            .root
            .get("rules")
            .into_iter()
            .flat_map(Value::items)
            .collect()
    }

    /// A binding's (`kind`, `name`) of `roleRef`.
    #[must_use]
    pub fn role_ref(&self) -> Option<(&'m str, &'m str)> {
        let role = self.object.root.get("roleRef")?;
        Some((role.get_str("kind")?, role.get_str("name")?))
    }

    /// A binding's `subjects`.
    #[must_use]
    pub fn subjects(&self) -> Vec<Value<'m>> {
        self.object
            .root
            .get("subjects")
            .into_iter()
            .flat_map(Value::items)
            .collect()
    }
}

/// A `ServiceAccount`.
#[derive(Clone, Copy, Debug)]
pub struct ServiceAccountView<'m> {
    pub object: ObjectView<'m>,
}

impl<'m> ServiceAccountView<'m> {
    #[must_use]
    pub fn new(object: ObjectView<'m>) -> Option<Self> {
        (object.kind() == "ServiceAccount").then_some(Self { object })
    }

    /// `automountServiceAccountToken`, with its node; `None` when unset
    /// (Kubernetes then mounts the token).
    #[must_use]
    pub fn automount_token(&self) -> Option<(bool, Value<'m>)> {
        let node = self.object.root.get("automountServiceAccountToken")?;
        Some((k8s_bool(node)?, node))
    }

    /// Names in `imagePullSecrets`.
    #[must_use]
    pub fn image_pull_secrets(&self) -> Vec<&'m str> {
        self.object
            .root
            .get("imagePullSecrets")
            .into_iter()
            .flat_map(Value::items)
            .filter_map(|s| s.get_str("name"))
            .collect()
    }
}

/// A Pod Security Admission mode of a namespace (`enforce`, `audit`, `warn`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PodSecurityLabel<'m> {
    pub mode: &'m str,
    /// `privileged`, `baseline` or `restricted`, as written.
    pub level: &'m str,
    /// `pod-security.kubernetes.io/<mode>-version`, when set (`latest` otherwise).
    pub version: Option<&'m str>,
}

/// A `Namespace`.
#[derive(Clone, Copy, Debug)]
pub struct NamespaceView<'m> {
    pub object: ObjectView<'m>,
}

impl<'m> NamespaceView<'m> {
    #[must_use]
    pub fn new(object: ObjectView<'m>) -> Option<Self> {
        (object.kind() == "Namespace").then_some(Self { object })
    }

    /// The Pod Security Admission labels
    /// (`pod-security.kubernetes.io/enforce: restricted`, …), by mode.
    #[must_use]
    pub fn pod_security(&self) -> Vec<PodSecurityLabel<'m>> {
        let labels = labels_of(self.object.metadata());
        let get = |key: String| labels.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        ["enforce", "audit", "warn"]
            .into_iter()
            .filter_map(|mode| {
                let level = get(format!("pod-security.kubernetes.io/{mode}"))?;
                Some(PodSecurityLabel {
                    mode,
                    level,
                    version: get(format!("pod-security.kubernetes.io/{mode}-version")),
                })
            })
            .collect()
    }
}

/// Labels of an object's `metadata.labels` (a `Namespace`'s Pod Security
/// Admission labels, a Pod's own labels).
#[must_use]
pub fn labels_of<'m>(metadata: Option<Value<'m>>) -> Vec<(&'m str, &'m str)> {
    metadata
        .and_then(|m| m.get("labels"))
        .into_iter()
        .flat_map(Value::entries)
        .filter_map(|(k, v)| Some((k.as_str()?, v.as_str()?)))
        .collect()
}
