//! Only the definitions that validation reaches are decompressed. One test in
//! its own binary, so that no other test decodes anything in this process.

use assay_schema::{Gvk, decoded_definitions, validate, version};
use assay_span::Span;
use assay_yaml::{Limits, parse};

const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
          resources:
            limits:
              cpu: 500m
              memory: 1Gi
";

#[test]
fn validating_a_deployment_decodes_only_what_it_reaches() {
    assert_eq!(decoded_definitions(), 0);
    let defs = version(1, 37).unwrap();
    let (tree, errors) = parse(DEPLOYMENT, &Limits::default());
    assert!(errors.is_empty(), "{errors:?}");
    let root = tree.value(tree.documents()[0].root);
    let schema = defs
        .root(&Gvk::from_api_version("apps/v1", "Deployment"))
        .unwrap();
    let result = validate(root, schema, Some(defs), Span::default());
    assert!(result.errors.is_empty(), "{:?}", result.errors);
    let decoded = decoded_definitions();
    // Deployment, DeploymentSpec, ObjectMeta, LabelSelector, PodTemplateSpec,
    // PodSpec, Container, ContainerPort, ResourceRequirements, Quantity, …
    assert!(
        (5..=20).contains(&decoded),
        "{decoded} definitions decoded for one Deployment"
    );
    for name in [
        "io.k8s.api.apps.v1.Deployment",
        "io.k8s.api.core.v1.PodSpec",
        "io.k8s.api.core.v1.Container",
    ] {
        assert!(defs.is_decoded(name), "{name} not decoded");
    }
    // Fields the Deployment does not set, and unrelated kinds, stay compressed.
    for name in [
        "io.k8s.api.core.v1.Probe",
        "io.k8s.api.core.v1.Volume",
        "io.k8s.api.networking.v1.Ingress",
        "io.k8s.api.batch.v1.CronJobSpec",
        "io.k8s.api.core.v1.ServiceSpec",
    ] {
        assert!(!defs.is_decoded(name), "{name} decoded");
    }
    // A second object of the same kind decodes nothing more.
    let again = validate(root, schema, Some(defs), Span::default());
    assert!(again.errors.is_empty());
    assert_eq!(decoded_definitions(), decoded);
    // An older version shares the definitions that did not change.
    let old = version(1, 36).unwrap();
    let schema = old
        .root(&Gvk::from_api_version("apps/v1", "Deployment"))
        .unwrap();
    assert!(
        validate(root, schema, Some(old), Span::default())
            .errors
            .is_empty()
    );
    assert!(
        decoded_definitions() < 2 * decoded,
        "{}",
        decoded_definitions()
    );
}
