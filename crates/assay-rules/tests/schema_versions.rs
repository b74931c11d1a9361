//! The SCHEMA pack against several target Kubernetes versions.

use assay_model::{Model, SourceFile};
use assay_rules::{Engine, KubernetesVersion, Selection};
use assay_span::FileId;
use assay_yaml::Limits;

fn run(minor: u32, yaml: &str, crds: Option<&str>) -> Vec<String> {
    let file = SourceFile::parse(
        FileId(0),
        "in.yaml".to_owned(),
        yaml.as_bytes(),
        &Limits::default(),
    );
    let model = Model::build(vec![file]);
    let mut engine = Engine::new(Selection {
        select: vec!["SCHEMA".to_owned()],
        ..Selection::default()
    })
    .with_kubernetes_version(KubernetesVersion { major: 1, minor });
    if let Some(crds) = crds {
        let (tree, _) = assay_yaml::parse(crds, &Limits::default());
        let mut set = assay_schema::CrdSet::new();
        for doc in tree.documents() {
            set.add(tree.value(doc.root));
        }
        engine = engine.with_crds(set);
    }
    let (findings, _) = engine.run(&model);
    findings
        .iter()
        .map(|f| {
            format!(
                "{} {}:{} {}",
                f.rule, f.location.span.start.line, f.location.span.start.col, f.message
            )
        })
        .collect()
}

const FLOW_SCHEMA_V1BETA3: &str = "\
apiVersion: flowcontrol.apiserver.k8s.io/v1beta3
kind: FlowSchema
metadata:
  name: fs
spec:
  priorityLevelConfiguration:
    name: global-default
  matchingPrecedence: 1000
";

#[test]
fn flowcontrol_v1beta3_lives_from_1_26_to_1_31() {
    for minor in [26, 29, 31] {
        assert_eq!(
            run(minor, FLOW_SCHEMA_V1BETA3, None),
            Vec::<String>::new(),
            "1.{minor}"
        );
    }
    // Removed in 1.32: the API pack's to report, not SCHEMA002.
    assert_eq!(run(33, FLOW_SCHEMA_V1BETA3, None), Vec::<String>::new());
    // Not yet served in 1.25.
    assert_eq!(
        run(25, FLOW_SCHEMA_V1BETA3, None),
        [
            "SCHEMA002 2:7 `flowcontrol.apiserver.k8s.io/v1beta3` `FlowSchema` does not exist in Kubernetes 1.25; it exists in 1.26–1.31"
        ]
    );
    let invalid =
        FLOW_SCHEMA_V1BETA3.replace("matchingPrecedence: 1000", "matchingPrecedence: high");
    assert_eq!(
        run(29, &invalid, None),
        ["SCHEMA001 8:23 spec.matchingPrecedence: expected integer, found the string \"high\""]
    );
}

#[test]
fn kind_only_in_newer_versions() {
    let vap = "\
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: p
spec:
  validations:
    - expression: object.spec.replicas <= 5
";
    assert_eq!(run(30, vap, None), Vec::<String>::new());
    assert_eq!(
        run(29, vap, None),
        [
            "SCHEMA002 2:7 `admissionregistration.k8s.io/v1` `ValidatingAdmissionPolicy` does not exist in Kubernetes 1.29; it exists in 1.30–1.37"
        ]
    );
}

#[test]
fn sidecar_restart_policy_needs_1_28() {
    let pod = "\
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  os:
    name: linux
  initContainers:
    - name: proxy
      image: envoy:1.31
      restartPolicy: Always
  containers:
    - name: app
      image: app:1
";
    assert_eq!(run(28, pod, None), Vec::<String>::new());
    assert_eq!(run(37, pod, None), Vec::<String>::new());
    assert_eq!(
        run(27, pod, None),
        ["SCHEMA001 11:7 spec.initContainers[0].restartPolicy: unknown field `restartPolicy`"]
    );
}

const WIDGET_CRD: &str = "\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                replicas: {type: integer}
";

#[test]
fn crds_from_the_command_line() {
    let widget = "\
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  replicas: many
";
    assert_eq!(
        run(37, widget, None),
        [
            "SCHEMA003 2:7 `example.com/v1` `Widget` not validated: no CustomResourceDefinition for it in the input or under --crds"
        ]
    );
    assert_eq!(
        run(37, widget, Some(WIDGET_CRD)),
        ["SCHEMA001 6:13 spec.replicas: expected integer, found the string \"many\""]
    );
    // The CRD given in the input itself works the same, and is itself valid.
    let both = format!("{WIDGET_CRD}---\n{widget}");
    assert_eq!(
        run(37, &both, None),
        ["SCHEMA001 27:13 spec.replicas: expected integer, found the string \"many\""]
    );
}

#[test]
fn targets_older_than_the_bundle_use_the_oldest_bundled_version() {
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n";
    assert_eq!(run(20, cm, None), Vec::<String>::new());
}

const CRD_WITH_SELECTABLE_FIELDS: &str = "\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      selectableFields:
        - jsonPath: .spec.color
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                color: {type: string}
";

/// `selectableFields` (custom resource field selectors) arrived in 1.30.
#[test]
fn crd_selectable_fields_exist_from_1_30() {
    let at_1_29 = run(29, CRD_WITH_SELECTABLE_FIELDS, None);
    assert_eq!(at_1_29.len(), 1, "{at_1_29:?}");
    assert!(
        at_1_29[0].starts_with("SCHEMA001 13:7 spec.versions[0].selectableFields: unknown field"),
        "{at_1_29:?}"
    );
    for minor in [30, 37] {
        assert_eq!(
            run(minor, CRD_WITH_SELECTABLE_FIELDS, None),
            Vec::<String>::new(),
            "1.{minor}"
        );
    }
}
