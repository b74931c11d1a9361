//! The typed views read fields the way the API server defaults them.

use assay_model::{
    DataView, HpaView, IngressView, LabelSelector, Model, NamespaceView, NetworkPolicyView,
    ObjectView, PdbView, PodSecurityLabel, PortRef, RbacView, ServiceAccountView, ServiceView,
    SourceFile, labels_of,
};
use assay_span::FileId;
use assay_yaml::Limits;

const OBJECTS: &str = r#"apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports:
    - {name: http, port: 80, targetPort: http}
    - {port: 8443}
    - {port: 9000, targetPort: "9001", protocol: UDP}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: nginx
  tls: [{hosts: [shop.example.com], secretName: shop-tls}]
  defaultBackend: {service: {name: fallback, port: {number: 80}}}
  rules:
    - host: shop.example.com
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: only-egress, namespace: shop}
spec:
  podSelector:
    matchExpressions: [{key: tier, operator: In, values: [db, cache]}]
  egress: [{}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 10
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: web}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: flags, labels: {team: shop}}
data: {a: "1"}
binaryData: {b: AAAA}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: read, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
"#;

fn with_views(check: impl FnOnce(&[ObjectView<'_>])) {
    let file = SourceFile::parse(
        FileId(0),
        "all.yaml".into(),
        OBJECTS.as_bytes(),
        &Limits::default(),
    );
    let model = Model::build(vec![file]);
    let views: Vec<ObjectView<'_>> = model.object_views().collect();
    assert_eq!(views.len(), 7);
    check(&views);
}

#[test]
fn service_ports_default_target_port_and_protocol() {
    with_views(|views| {
        let service = ServiceView::new(views[0]).expect("a Service");
        assert_eq!(service.service_type(), "ClusterIP");
        assert!(service.selector().matches(&[("app", "web"), ("x", "y")]));
        assert!(!service.selector().matches(&[("app", "api")]));
        let ports = service.ports();
        assert_eq!(ports[0].target_port, Some(PortRef::Name("http")));
        assert_eq!(ports[1].target_port, Some(PortRef::Number(8443)));
        // A quoted number is a port *name* to the API server.
        assert_eq!(ports[2].target_port, Some(PortRef::Name("9001")));
        assert_eq!((ports[0].protocol, ports[2].protocol), ("TCP", "UDP"));
        assert!(ServiceView::new(views[1]).is_none());
    });
}

#[test]
fn ingress_backends_and_tls() {
    with_views(|views| {
        let ingress = IngressView::new(views[1]).expect("an Ingress");
        assert_eq!(ingress.class_name(), Some("nginx"));
        assert_eq!(ingress.tls_hosts(), ["shop.example.com"]);
        assert_eq!(ingress.rule_hosts().len(), 1);
        let backends = ingress.backends();
        assert_eq!(backends.len(), 2);
        assert_eq!(
            (backends[0].service, backends[0].port),
            (Some("fallback"), Some(PortRef::Number(80)))
        );
        assert_eq!(backends[1].service, Some("web"));
        assert_eq!(backends[1].port, Some(PortRef::Name("http")));
        assert_eq!(
            (backends[1].host, backends[1].path),
            (Some("shop.example.com"), Some("/"))
        );
    });
}

#[test]
fn network_policy_defaults_policy_types() {
    with_views(|views| {
        let policy = NetworkPolicyView::new(views[2]).expect("a NetworkPolicy");
        assert_eq!(policy.policy_types(), ["Ingress", "Egress"]);
        assert_eq!(policy.rules("egress").len(), 1);
        let selector = policy.pod_selector();
        assert!(selector.matches(&[("tier", "db")]));
        assert!(!selector.matches(&[("tier", "web")]));
        assert!(!selector.matches(&[]));
    });
}

#[test]
fn hpa_pdb_data_and_rbac() {
    with_views(|views| {
        let hpa = HpaView::new(views[3]).expect("an HPA");
        assert_eq!(hpa.target(), Some(("Deployment", "web")));
        assert_eq!((hpa.min_replicas(), hpa.max_replicas()), (1, Some(10)));
        assert_eq!(hpa.metrics().len(), 1);
        let pdb = PdbView::new(views[4]).expect("a PDB");
        assert!(pdb.min_available().is_none());
        assert!(pdb.max_unavailable().is_some());
        assert!(pdb.selector().matches(&[("app", "web")]));
        let data = DataView::new(views[5]).expect("a ConfigMap");
        assert_eq!(data.entries().len(), 2);
        assert_eq!(labels_of(views[5].metadata()), [("team", "shop")]);
        let binding = RbacView::new(views[6]).expect("a RoleBinding");
        assert_eq!(binding.role_ref(), Some(("Role", "reader")));
        assert_eq!(binding.subjects().len(), 1);
        assert!(binding.rules().is_empty());
    });
}

#[test]
fn selector_operators_follow_kubernetes() {
    let yaml = "matchExpressions:\n  - {key: a, operator: NotIn, values: [x]}\n  - {key: b, operator: DoesNotExist}\n  - {key: c, operator: Exists}\n";
    let file = SourceFile::parse(
        FileId(0),
        "s.yaml".into(),
        yaml.as_bytes(),
        &Limits::default(),
    );
    let root = file.tree.value(file.tree.documents()[0].root);
    let selector = LabelSelector::from_label_selector(root);
    assert!(selector.matches(&[("c", "1")]));
    assert!(selector.matches(&[("a", "y"), ("c", "")]));
    assert!(!selector.matches(&[("a", "x"), ("c", "1")]));
    assert!(!selector.matches(&[("b", "1"), ("c", "1")]));
    assert!(!selector.matches(&[("a", "y")]));
    assert!(LabelSelector::default().is_empty());
}

#[test]
fn container_view_reads_command_ports_probes_and_mounts() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: app\n      image: app:1\n      command: [/app, serve]\n      args: [--port, \"8080\"]\n      ports: [{name: http, containerPort: 8080}]\n      readinessProbe: {httpGet: {path: /ready, port: http}}\n      volumeMounts: [{name: data, mountPath: /data}]\n";
    let file = SourceFile::parse(
        FileId(0),
        "p.yaml".into(),
        yaml.as_bytes(),
        &Limits::default(),
    );
    let model = Model::build(vec![file]);
    let pod = model.object_views().next().expect("a Pod");
    let containers = pod.containers();
    let app = containers.first().expect("a container");
    assert_eq!(app.command().len(), 2);
    assert_eq!(app.args().len(), 2);
    assert_eq!(app.ports().len(), 1);
    assert!(app.port_named("http").is_some() && app.port_named("grpc").is_none());
    assert!(app.probe("readinessProbe").is_some() && app.probe("livenessProbe").is_none());
    assert_eq!(app.volume_mounts().len(), 1);
}

#[test]
fn service_account_and_namespace() {
    let yaml = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web}\nautomountServiceAccountToken: false\nimagePullSecrets: [{name: ghcr}]\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n    pod-security.kubernetes.io/enforce-version: v1.30\n    pod-security.kubernetes.io/warn: restricted\n";
    let file = SourceFile::parse(
        FileId(0),
        "sa.yaml".into(),
        yaml.as_bytes(),
        &Limits::default(),
    );
    let model = Model::build(vec![file]);
    let views: Vec<ObjectView<'_>> = model.object_views().collect();
    let sa = ServiceAccountView::new(views[0]).expect("a ServiceAccount");
    assert_eq!(sa.automount_token().map(|(b, _)| b), Some(false));
    assert_eq!(sa.image_pull_secrets(), ["ghcr"]);
    let ns = NamespaceView::new(views[1]).expect("a Namespace");
    assert_eq!(
        ns.pod_security(),
        [
            PodSecurityLabel {
                mode: "enforce",
                level: "restricted",
                version: Some("v1.30")
            },
            PodSecurityLabel {
                mode: "warn",
                level: "restricted",
                version: None
            },
        ]
    );
    assert!(NamespaceView::new(views[0]).is_none());
}
