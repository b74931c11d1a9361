//! Value validations of custom resource schemas (pattern, bounds, lengths,
//! list types, formats, junctors, nullable).

use assay_schema::{CrdSet, Gvk, validate, version};
use assay_span::Span;
use assay_yaml::{Limits, parse};

/// A CRD whose `spec` has the given properties (indented by 20 spaces).
fn crd(properties: &str) -> String {
    // A `\` line continuation eats the first line's indentation.
    let pad = if properties.starts_with(' ') {
        ""
    } else {
        "                "
    };
    format!(
        "\
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
              properties:
{pad}{properties}"
    )
}

/// Errors of `spec` (YAML, indented by 2) against the CRD's properties.
fn run(properties: &str, spec: &str) -> Vec<String> {
    let crd = crd(properties);
    let (tree, errors) = parse(&crd, &Limits::default());
    assert!(errors.is_empty(), "{errors:?}");
    let mut set = CrdSet::new();
    assert_eq!(set.add(tree.value(tree.documents()[0].root)), 1);
    let schema = set
        .get(&Gvk::from_api_version("example.com/v1", "Widget"))
        .unwrap();
    let pad = if spec.starts_with(' ') { "" } else { "  " };
    let yaml = format!(
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n{pad}{spec}"
    );
    let (tree, errors) = parse(&yaml, &Limits::default());
    assert!(errors.is_empty(), "{errors:?}");
    validate(
        tree.value(tree.documents()[0].root),
        schema,
        version(1, 37),
        Span::default(),
    )
    .errors
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

#[test]
fn pattern() {
    let props = "                name:\n                  type: string\n                  pattern: '^[a-z]\\d+$'\n";
    assert!(run(props, "  name: a12\n").is_empty());
    assert_eq!(
        run(props, "  name: A12\n"),
        [
            "6:9 spec.name: expected a string matching the pattern `^[a-z]\\d+$`, found the string \"A12\""
        ]
    );
    // Go's \d is ASCII only.
    assert_eq!(run(props, "  name: a١\n").len(), 1);
    // Case-insensitive and word boundaries (ASCII, as in Go).
    let ci = "                name:\n                  type: string\n                  pattern: '(?i)^web\\b'\n";
    assert!(run(ci, "  name: WEB-1\n").is_empty());
    assert_eq!(run(ci, "  name: webx\n").len(), 1);
    // A pattern that does not compile is skipped.
    let bad = "                name:\n                  type: string\n                  pattern: '(unclosed'\n";
    assert!(run(bad, "  name: anything\n").is_empty());
}

#[test]
fn numeric_bounds_and_multiples() {
    let props = "\
                replicas:
                  type: integer
                  minimum: 1
                  maximum: 10
                  multipleOf: 2
                ratio:
                  type: number
                  minimum: 0
                  exclusiveMinimum: true
                  maximum: 1
                  exclusiveMaximum: true
                  multipleOf: 0.1
";
    assert!(run(props, "  replicas: 4\n  ratio: 0.3\n").is_empty());
    assert_eq!(
        run(props, "  replicas: 0\n  ratio: 1\n"),
        [
            "6:13 spec.replicas: expected a number >= 1, found the integer 0",
            "7:10 spec.ratio: expected a number < 1, found the integer 1"
        ]
    );
    assert_eq!(
        run(props, "  replicas: 11\n  ratio: 0\n"),
        [
            "6:13 spec.replicas: expected a number <= 10, found the integer 11",
            "6:13 spec.replicas: expected a multiple of 2, found the integer 11",
            "7:10 spec.ratio: expected a number > 0, found the integer 0"
        ]
    );
    assert_eq!(
        run(props, "  ratio: 0.25\n"),
        ["6:10 spec.ratio: expected a multiple of 0.1, found the number 0.25"]
    );
}

#[test]
fn lengths_items_and_properties() {
    let props = "\
                name:
                  type: string
                  minLength: 2
                  maxLength: 3
                tags:
                  type: array
                  minItems: 1
                  maxItems: 2
                  items:
                    type: string
                labels:
                  type: object
                  minProperties: 1
                  maxProperties: 1
                  additionalProperties:
                    type: string
";
    // Lengths count characters, not bytes.
    assert!(run(props, "  name: äöü\n  tags: [a]\n  labels: {a: b}\n").is_empty());
    assert_eq!(
        run(props, "  name: abcd\n  tags: []\n  labels: {}\n"),
        [
            "6:9 spec.name: expected a string of at most 3 characters, found the string \"abcd\" (4)",
            "7:9 spec.tags: expected at least 1 item, found 0",
            "8:11 spec.labels: expected at least 1 property, found 0"
        ]
    );
    assert_eq!(
        run(
            props,
            "  name: a\n  tags: [a, b, c]\n  labels: {a: b, c: d}\n"
        ),
        [
            "6:9 spec.name: expected a string of at least 2 characters, found the string \"a\" (1)",
            "7:9 spec.tags: expected at most 2 items, found 3",
            "8:11 spec.labels: expected at most 1 property, found 2"
        ]
    );
}

#[test]
fn list_types_and_unique_items() {
    let props = "\
                hosts:
                  type: array
                  x-kubernetes-list-type: set
                  items:
                    type: string
                ports:
                  type: array
                  x-kubernetes-list-type: map
                  x-kubernetes-list-map-keys: [port, protocol]
                  items:
                    type: object
                    properties:
                      port: {type: integer}
                      protocol: {type: string}
                      name: {type: string}
                numbers:
                  type: array
                  uniqueItems: true
                  items:
                    type: number
";
    let good = "  hosts: [a, b]\n  ports:\n    - {port: 80, protocol: TCP}\n    - {port: 80, protocol: UDP}\n  numbers: [1, 2]\n";
    assert!(run(props, good).is_empty());
    let bad = "  hosts: [a, b, a]\n  ports:\n    - {port: 80, protocol: TCP, name: a}\n    - {port: 80, protocol: TCP, name: b}\n  numbers: [1, 1.0]\n";
    assert_eq!(
        run(props, bad),
        [
            "6:17 spec.hosts[2]: expected unique items (`x-kubernetes-list-type: set`), found a duplicate of [0]",
            "9:7 spec.ports[1]: expected unique keys (`x-kubernetes-list-type: map`), found port=80, protocol=\"TCP\" again (also at [0])",
            "10:16 spec.numbers[1]: expected unique items (`uniqueItems`), found a duplicate of [0]"
        ]
    );
}

#[test]
fn formats() {
    let props = "\
                id: {type: string, format: uuid}
                host: {type: string, format: hostname}
                ip: {type: string, format: ipv4}
                net: {type: string, format: cidr}
                when: {type: string, format: date-time}
                day: {type: string, format: date}
                every: {type: string, format: duration}
                blob: {type: string, format: byte}
                mac: {type: string, format: mac}
                size: {type: integer, format: int32}
                other: {type: string, format: something-else}
";
    let good = "\
  id: 123e4567-e89b-12d3-a456-426614174000
  host: web.example.com
  ip: 10.0.0.1
  net: 10.0.0.0/8
  when: 2024-01-02T03:04:05Z
  day: 2024-02-29
  every: 1h30m
  blob: aGVsbG8=
  mac: 00:1a:2b:3c:4d:5e
  size: 99999999999
  other: anything
";
    assert!(run(props, good).is_empty(), "{:?}", run(props, good));
    let bad = "\
  id: not-a-uuid
  host: web_1.example.com
  ip: 10.0.0.300
  net: 10.0.0.0
  when: 2024-01-02 03:04:05
  day: 2023-02-29
  every: soon
  blob: hello!
  mac: 00:1a:2b
";
    let errors = run(props, bad);
    assert_eq!(errors.len(), 9, "{errors:#?}");
    assert_eq!(
        errors[0],
        "6:7 spec.id: expected a string in format uuid, found the string \"not-a-uuid\""
    );
    assert!(errors[7].contains("format byte (base64)"), "{}", errors[7]);
}

#[test]
fn junctors() {
    let props = "\
                source:
                  type: object
                  properties:
                    git: {type: string}
                    image: {type: string}
                  oneOf:
                    - required: [git]
                    - required: [image]
                mode:
                  type: string
                  anyOf:
                    - pattern: '^fast'
                    - pattern: '^slow'
                  not:
                    enum: [slowest]
                count:
                  type: integer
                  allOf:
                    - minimum: 1
                    - maximum: 5
";
    assert!(run(props, "  source: {git: x}\n  mode: fast\n  count: 3\n").is_empty());
    let errors = run(
        props,
        "  source: {git: x, image: img}\n  mode: slowest\n  count: 9\n",
    );
    assert_eq!(
        errors,
        [
            "6:11 spec.source: expected a value matching exactly one `oneOf` schema, found one matching #1 and #2",
            "7:9 spec.mode: expected a value not matching the `not` schema, found the string \"slowest\"",
            "8:10 spec.count: expected a number <= 5, found the integer 9"
        ]
    );
    let errors = run(props, "  source: {}\n  mode: medium\n");
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors[0].contains("found one matching none"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].starts_with("7:9 spec.mode: expected a value matching at least one `anyOf` schema, found the string \"medium\""),
        "{}",
        errors[1]
    );
}

#[test]
fn nullable() {
    let props = "\
                list:
                  type: array
                  items: {type: string}
                maybe:
                  type: array
                  items: {type: string, nullable: true}
                map:
                  type: object
                  additionalProperties: {type: string}
                gone: {type: string}
";
    // An object field set to null is pruned; array items and map values are not.
    assert!(run(props, "  gone: null\n  maybe: [a, null]\n").is_empty());
    assert_eq!(
        run(props, "  list: [a, null]\n  map: {a: null}\n"),
        [
            "6:13 spec.list[1]: expected string, found null",
            "7:12 spec.map.a: expected string, found null"
        ]
    );
}

#[test]
fn defaults_apply_before_validation() {
    // Gateway API's address: `type` defaults to IPAddress, which picks the
    // first `oneOf` branch; without it both branches would match.
    let props = "\
                address:
                  type: object
                  required: [value]
                  properties:
                    type:
                      type: string
                      default: IPAddress
                    value:
                      type: string
                  oneOf:
                    - properties:
                        type:
                          enum: [IPAddress]
                        value:
                          anyOf:
                            - format: ipv4
                            - format: ipv6
                    - properties:
                        type:
                          not:
                            enum: [IPAddress]
                mode:
                  type: object
                  required: [kind]
                  properties:
                    kind:
                      type: string
                      default: auto
";
    assert!(run(props, "  address: {value: 10.0.0.1}\n  mode: {}\n").is_empty());
    assert_eq!(
        run(props, "  address: {type: IPAddress, value: 10.0.0.1}\n").len(),
        0
    );
    assert_eq!(
        run(props, "  address: {type: IPAddress, value: example.com}\n").len(),
        1
    );
}

#[test]
fn values_of_secret_named_fields_are_not_quoted() {
    let props = "                adminPassword:\n                  type: string\n                  minLength: 12\n";
    let short = ["sh", "ort1"].concat();
    assert_eq!(
        run(props, &format!("  adminPassword: {short}\n")),
        [
            "6:18 spec.adminPassword: expected a string of at least 12 characters, found a string (not shown: it may be a secret) (6)"
        ]
    );
}
