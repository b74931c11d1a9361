use assay_schema::{CrdSet, Gvk, Validation, validate, version, versions};
use assay_span::Span;
use assay_yaml::{Limits, parse};

fn check_in(minor: u32, yaml: &str) -> Validation {
    let (tree, errors) = parse(yaml, &Limits::default());
    assert!(errors.is_empty(), "{errors:?}");
    let root = tree.value(tree.documents()[0].root);
    let gvk = Gvk::from_api_version(
        root.get_str("apiVersion").unwrap(),
        root.get_str("kind").unwrap(),
    );
    let defs = version(1, minor).unwrap();
    let schema = defs
        .root(&gvk)
        .unwrap_or_else(|| panic!("no schema for {gvk:?}"));
    validate(root, schema, Some(defs), Span::default())
}

fn check(yaml: &str) -> Validation {
    check_in(37, yaml)
}

fn messages(v: &Validation) -> Vec<String> {
    v.errors
        .iter()
        .map(|e| {
            format!(
                "{}:{} {}: {}",
                e.span.start.line,
                e.span.start.col,
                assay_diagnostics::Secrets::default().render(&e.path),
                assay_diagnostics::Secrets::default().render(&e.message)
            )
        })
        .collect()
}

const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
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
            requests:
              cpu: 1e3
              memory: 128974848
";

#[test]
fn bundle_has_every_version() {
    let names: Vec<&str> = versions().iter().map(|v| v.name()).collect();
    assert_eq!(names.first(), Some(&"1.25"));
    assert_eq!(names.last(), Some(&"1.37"));
    assert_eq!(names.len(), 13);
}

#[test]
fn valid_deployment_passes_in_every_version() {
    for v in versions() {
        let r = check_in(v.minor(), DEPLOYMENT);
        assert!(r.errors.is_empty(), "{}: {:?}", v.name(), messages(&r));
    }
}

#[test]
fn wrong_type_has_path_and_position() {
    let yaml = DEPLOYMENT.replace("replicas: 2", "replicas: two");
    let r = check(&yaml);
    assert_eq!(
        messages(&r),
        ["8:13 spec.replicas: expected integer, found the string \"two\""]
    );
}

#[test]
fn unknown_field_points_at_key() {
    let yaml = DEPLOYMENT.replace(
        "          image: nginx:1.27\n",
        "          image: nginx:1.27\n          imagePullPolicyy: Always\n",
    );
    let r = check(&yaml);
    assert_eq!(
        messages(&r),
        [
            "20:11 spec.template.spec.containers[0].imagePullPolicyy: unknown field `imagePullPolicyy`"
        ]
    );
    assert_eq!(
        r.errors[0].fix.as_deref(),
        Some("did you mean `imagePullPolicy`?")
    );
}

#[test]
fn bad_quantity() {
    let yaml = DEPLOYMENT.replace("cpu: 500m", "cpu: 500 m");
    let r = check(&yaml);
    assert_eq!(
        messages(&r),
        [
            "24:20 spec.template.spec.containers[0].resources.limits.cpu: expected a quantity (`500m`, `1Gi`, `1e3` or a number), found the string \"500 m\""
        ]
    );
    let yaml = DEPLOYMENT.replace("memory: 1Gi", "memory: true");
    assert_eq!(check(&yaml).errors.len(), 1);
}

#[test]
fn missing_required_field() {
    let yaml = DEPLOYMENT.replace("  selector:\n    matchLabels:\n      app: web\n", "");
    let r = check(&yaml);
    assert_eq!(
        messages(&r),
        ["7:1 spec: missing required field `selector`"]
    );
}

#[test]
fn int_or_string() {
    let svc = "\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - port: 80
      targetPort: PORT
";
    for (target, ok) in [
        ("http", true),
        ("8080", true),
        ("\"8080\"", true),
        ("true", false),
        ("1.5", false),
        ("[1]", false),
    ] {
        let r = check(&svc.replace("PORT", target));
        assert_eq!(r.errors.is_empty(), ok, "{target}: {:?}", messages(&r));
    }
}

#[test]
fn yaml11_booleans_and_quoted_numbers() {
    let cm = "\
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
data:
  a: VALUE
";
    assert!(check(&cm.replace("VALUE", "\"on\"")).errors.is_empty());
    let r = check(&cm.replace("VALUE", "on"));
    assert_eq!(
        messages(&r),
        ["6:6 data.a: expected string, found `on`, the boolean true in YAML 1.1"]
    );
    assert!(!check(&cm.replace("VALUE", "1.0")).errors.is_empty());
    // null means "not set"
    assert!(check(&cm.replace("VALUE", "")).errors.is_empty());
}

#[test]
fn enums_and_kinds() {
    let yaml = DEPLOYMENT.replace("kind: Deployment", "kind: Deployment\n");
    assert!(check(&yaml).errors.is_empty());
    let d = version(1, 37).unwrap();
    assert!(d.has_kind(&Gvk::from_api_version("apps/v1", "Deployment")));
    assert!(!d.has_kind(&Gvk::from_api_version("extensions/v1beta1", "Ingress")));
}

#[test]
fn duplicate_keys_last_wins() {
    let yaml = DEPLOYMENT.replace("replicas: 2", "replicas: two\n  replicas: 3");
    assert!(check(&yaml).errors.is_empty());
}

#[test]
fn errors_are_capped() {
    let mut yaml = DEPLOYMENT.to_owned();
    for i in 0..40 {
        yaml.push_str(&format!("extra{i}: 1\n"));
    }
    let r = check(&yaml);
    assert_eq!(r.errors.len(), assay_schema::MAX_ERRORS);
    assert!(r.truncated);
}

#[test]
fn field_added_in_a_later_version() {
    // Sidecar containers: `restartPolicy` on a container exists since 1.28.
    let yaml = DEPLOYMENT.replace(
        "          image: nginx:1.27\n",
        "          image: nginx:1.27\n          restartPolicy: Always\n",
    );
    assert!(!check_in(27, &yaml).errors.is_empty());
    assert!(check_in(28, &yaml).errors.is_empty());
}

#[test]
fn crd_round_trip() {
    let crd = "\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names:
    kind: Widget
    plural: widgets
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
              required: [size]
              properties:
                size:
                  type: integer
                port:
                  x-kubernetes-int-or-string: true
                extra:
                  type: object
                  x-kubernetes-preserve-unknown-fields: true
                template:
                  type: object
                  x-kubernetes-embedded-resource: true
                  properties:
                    spec:
                      type: object
                      x-kubernetes-preserve-unknown-fields: true
";
    let (tree, _) = parse(crd, &Limits::default());
    let mut set = CrdSet::new();
    assert_eq!(set.add(tree.value(tree.documents()[0].root)), 1);
    let gvk = Gvk::from_api_version("example.com/v1", "Widget");
    let schema = set.get(&gvk).unwrap();
    let defs = version(1, 37);
    let run = |yaml: &str| {
        let (tree, _) = parse(yaml, &Limits::default());
        messages(&validate(
            tree.value(tree.documents()[0].root),
            schema,
            defs,
            Span::default(),
        ))
    };
    let good = "\
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
  labels: {a: b}
spec:
  size: 3
  port: http
  extra: {anything: [1, 2]}
  template:
    apiVersion: v1
    kind: Pod
    metadata: {name: x}
    spec: {whatever: 1}
";
    assert_eq!(run(good), Vec::<String>::new());
    let bad = good
        .replace("size: 3", "size: big")
        .replace("  name: w\n", "  name: w\n  nam: typo\n")
        .replace("  port: http\n", "  port: http\n  colour: red\n");
    assert_eq!(
        run(&bad),
        [
            "5:3 metadata.nam: unknown field `nam`",
            "8:9 spec.size: expected integer, found the string \"big\"",
            "10:3 spec.colour: unknown field `colour`",
        ]
    );
}

/// A value that may be a secret is never quoted in a message.
#[test]
fn secret_values_are_not_quoted() {
    // Built from pieces: no credential-shaped literal in the repository.
    let password = ["hunter", "2-", "not base64!"].concat();
    let secret = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: \"{password}\"\n"
    );
    let v = check(&secret);
    assert_eq!(v.errors.len(), 1, "{:?}", messages(&v));
    let error = &v.errors[0];
    assert!(error.sensitive);
    assert!(!error.message.contains("hunter"), "{}", error.message);
    assert!(error.message.contains("not shown"), "{}", error.message);
    // The same kind of error elsewhere quotes the value.
    let v = check(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\nbinaryData:\n  logo: \"not base64!\"\n",
    );
    assert_eq!(v.errors.len(), 1, "{:?}", messages(&v));
    assert!(!v.errors[0].sensitive);
    let shown = assay_diagnostics::Secrets::default().render(&v.errors[0].message);
    assert!(shown.contains("\"not base64!\""), "{shown}");
}
