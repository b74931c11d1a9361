//! The OpenAPI views over in-memory files: `$ref` resolution (local, relative
//! files, remote, missing, cycles, hop limit), operations and security, and
//! schema walks through recursive references.

use assay_model::{Model, SourceFile};
use assay_openapi::{MAX_REF_HOPS, RefErrorKind, SecurityState, Spec, Version, walk_schema};
use assay_span::FileId;
use assay_yaml::Limits;
use std::fmt::Write as _;

fn model(files: &[(&str, &str)]) -> Model {
    let files = files
        .iter()
        .enumerate()
        .map(|(i, (path, text))| {
            SourceFile::parse(
                FileId(u32::try_from(i).unwrap()),
                (*path).to_owned(),
                text.as_bytes(),
                &Limits::default(),
            )
        })
        .collect();
    Model::build(files)
}

fn spec(model: &Model) -> Spec<'_> {
    let file = &model.files[0];
    Spec::new(&model.files, file, file.tree.documents()[0].root).expect("an OpenAPI document")
}

const PETS: &str = r##"openapi: 3.1.0
info: {title: Pets, version: "1"}
security:
  - key: []
paths:
  /pets/{id}:
    $ref: "#/components/pathItems/Pet"
  /health:
    get:
      security: []
      responses:
        "200": {description: ok}
webhooks:
  newPet:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: "schemas/pet.yaml#/Pet"}
      responses:
        "200": {description: ok}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
  pathItems:
    Pet:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      put:
        parameters:
          - {name: id, in: path, required: true, schema: {type: integer}}
        requestBody:
          content:
            application/json:
              schema: {$ref: "schemas/pet.yaml#/Pet"}
        callbacks:
          changed:
            "{$request.body#/url}":
              post:
                responses:
                  "200": {description: ok}
        responses:
          "200": {description: ok}
"##;

const PET_SCHEMA: &str = r##"Pet:
  type: object
  properties:
    name: {type: string}
    parent: {$ref: "#/Pet"}
    tags:
      type: array
      items: {$ref: "#/Tag"}
Tag:
  type: object
  properties:
    label: {type: string}
"##;

#[test]
fn operations_of_paths_webhooks_and_callbacks() {
    let model = model(&[
        ("api/pets.yaml", PETS),
        ("api/schemas/pet.yaml", PET_SCHEMA),
    ]);
    let spec = spec(&model);
    assert_eq!(spec.version, Version::OpenApi31);
    let ops: Vec<String> = spec.operations().iter().map(|o| o.display()).collect();
    assert_eq!(
        ops,
        [
            "PUT /pets/{id}",
            "GET /health",
            "webhook newPet POST",
            "callback changed POST {$request.body#/url} of PUT /pets/{id}"
        ]
    );
    let operations = spec.operations();
    let put = &operations[0];
    assert_eq!(put.path_item_via.len(), 1);
    assert!(matches!(
        put.security(&spec),
        SecurityState::Applied {
            inherited: true,
            ..
        }
    ));
    assert!(matches!(
        operations[1].security(&spec),
        SecurityState::Disabled(_)
    ));
    // The operation's `id` replaces the path item's.
    let params = put.parameters(&spec);
    assert_eq!(params.len(), 1);
    let schema = params[0].schema(spec.version).unwrap();
    assert_eq!(schema.get_str("type"), Some("integer"));
}

#[test]
fn schema_walk_crosses_files_and_ends_on_recursion() {
    let model = model(&[
        ("api/pets.yaml", PETS),
        ("api/schemas/pet.yaml", PET_SCHEMA),
    ]);
    let spec = spec(&model);
    let operations = spec.operations();
    let body = &operations[0].request_bodies(&spec)[0];
    let mut seen = String::new();
    let errors = walk_schema(&spec.resolver, body.schema, &body.via, |visit, trail| {
        let _ = writeln!(
            seen,
            "{} {}:{} {}",
            model.files[visit.schema.file.id.0 as usize].path,
            visit.anchor.span.start.line,
            visit.anchor.span.start.col,
            trail.describe(visit.trail)
        );
        true
    });
    assert!(errors.is_empty());
    assert_eq!(
        seen,
        "api/schemas/pet.yaml 2:3 `schemas/pet.yaml#/Pet`
api/schemas/pet.yaml 4:5 `schemas/pet.yaml#/Pet`.name
api/schemas/pet.yaml 6:5 `schemas/pet.yaml#/Pet`.tags
api/schemas/pet.yaml 10:3 `schemas/pet.yaml#/Pet`.tags[] → `#/Tag`
api/schemas/pet.yaml 12:5 `schemas/pet.yaml#/Pet`.tags[] → `#/Tag`.label
"
    );
}

fn resolve_error(text: &str) -> (RefErrorKind, String) {
    let model = model(&[("api.yaml", text)]);
    let spec = spec(&model);
    let start = spec.root.get("start").unwrap();
    let error = spec.resolver.resolve(start).unwrap_err();
    (
        error.kind.clone(),
        format!(
            "{}:{} {error}",
            error.at.span.start.line, error.at.span.start.col
        ),
    )
}

#[test]
fn unresolvable_references_are_located() {
    let (kind, text) =
        resolve_error("openapi: 3.0.0\nstart: {$ref: '#/a'}\na: {$ref: '#/b'}\nb: {$ref: '#/a'}\n");
    assert_eq!(kind, RefErrorKind::Cycle);
    assert_eq!(
        text,
        "3:5 `$ref: #/b` is part of a reference cycle that never reaches a value"
    );
    let (kind, text) = resolve_error("openapi: 3.0.0\nstart: {$ref: '#/nothing/here'}\n");
    assert_eq!(kind, RefErrorKind::MissingPointer);
    assert!(text.starts_with("2:9 "), "{text}");
    let (kind, _) = resolve_error("openapi: 3.0.0\nstart: {$ref: 'missing.yaml#/A'}\n");
    assert_eq!(kind, RefErrorKind::MissingFile("missing.yaml".to_owned()));
    let (kind, _) = resolve_error("openapi: 3.0.0\nstart: {$ref: 'https://example.com/a.yaml'}\n");
    assert_eq!(kind, RefErrorKind::Remote);
    let mut chain = String::from("openapi: 3.0.0\nstart: {$ref: '#/r0'}\n");
    for i in 0..=MAX_REF_HOPS {
        let _ = writeln!(chain, "r{i}: {{$ref: '#/r{}'}}", i + 1);
    }
    let _ = writeln!(chain, "r{}: {{type: string}}", MAX_REF_HOPS + 1);
    assert_eq!(resolve_error(&chain).0, RefErrorKind::TooManyHops);
}

#[test]
fn pointers_unescape_and_index_sequences() {
    let text = "swagger: '2.0'\nstart: {$ref: '#/paths/~1pets~1%7Bid%7D/parameters/0'}\npaths:\n  /pets/{id}:\n    parameters:\n      - {name: id, in: path, type: string}\n";
    let model = model(&[("api.yaml", text)]);
    let spec = spec(&model);
    assert_eq!(spec.version, Version::Swagger2);
    let start = spec.root.get("start").unwrap();
    let target = spec.resolver.resolve(start).unwrap().target;
    assert_eq!(target.get_str("name"), Some("id"));
}

#[test]
fn referenced_files_are_read_once_and_missing_ones_left_out() {
    let dir = std::env::temp_dir().join(format!("assay-openapi-refs-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("schemas")).unwrap();
    let api = dir.join("api.yaml");
    std::fs::write(
        &api,
        "openapi: 3.0.3\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'schemas/a.yaml'}\n    B: {$ref: './schemas/a.yaml#/B'}\n    C: {$ref: 'gone.yaml'}\n    D: {$ref: 'https://example.com/d.yaml'}\n",
    )
    .unwrap();
    std::fs::write(dir.join("schemas/a.yaml"), "B: {$ref: '../b.yaml'}\n").unwrap();
    std::fs::write(dir.join("b.yaml"), "type: string\n").unwrap();
    let path = api.to_string_lossy().into_owned();
    let mut files = vec![SourceFile::parse(
        FileId(0),
        path,
        &std::fs::read(&api).unwrap(),
        &Limits::default(),
    )];
    assay_openapi::load_referenced_files(&mut files, &Limits::default());
    let names: Vec<String> = files
        .iter()
        .map(|f| f.path.rsplit('/').next().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["api.yaml", "a.yaml", "b.yaml"]);
    assert_eq!(files[2].id, FileId(2));
    let _ = std::fs::remove_dir_all(&dir);
}

mod resolver_properties {
    use super::*;
    use assay_openapi::{MAX_SCHEMA_VISITS, walk_schema};
    use proptest::prelude::*;

    /// What component `r{i}` of a generated document is.
    #[derive(Clone, Debug)]
    enum Node {
        RefTo(usize),
        Missing,
        Remote,
        OtherFile,
        Object(Vec<usize>),
        Text,
    }

    fn node() -> impl Strategy<Value = Node> {
        prop_oneof![
            4 => (0usize..12).prop_map(Node::RefTo),
            1 => Just(Node::Missing),
            1 => Just(Node::Remote),
            1 => Just(Node::OtherFile),
            3 => proptest::collection::vec(0usize..12, 0..4).prop_map(Node::Object),
            1 => Just(Node::Text),
        ]
    }

    fn document(nodes: &[Node]) -> String {
        let mut text = String::from(
            "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n",
        );
        for (i, n) in nodes.iter().enumerate() {
            let body = match n {
                Node::RefTo(j) => format!("{{$ref: '#/components/schemas/r{j}'}}"),
                Node::Missing => "{$ref: '#/components/schemas/nothing'}".to_owned(),
                Node::Remote => "{$ref: 'https://example.com/x.yaml#/A'}".to_owned(),
                Node::OtherFile => "{$ref: 'other.yaml#/A'}".to_owned(),
                Node::Object(children) => {
                    let props: Vec<String> = children
                        .iter()
                        .enumerate()
                        .map(|(k, j)| format!("p{k}: {{$ref: '#/components/schemas/r{j}'}}"))
                        .collect();
                    format!("{{type: object, properties: {{{}}}}}", props.join(", "))
                }
                Node::Text => "{type: string}".to_owned(),
            };
            let _ = writeln!(text, "    r{i}: {body}");
        }
        text
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Any graph of references resolves to a value or a located error,
        /// and a schema walk over it ends, each schema visited once.
        #[test]
        fn references_resolve_or_fail_located(nodes in proptest::collection::vec(node(), 1..12)) {
            let text = document(&nodes);
            let model = model(&[("api.yaml", &text), ("other.yaml", "A: {$ref: 'api.yaml#/components/schemas/r0'}\n")]);
            let spec = spec(&model);
            let schemas = spec.root.get("components").unwrap().get("schemas").unwrap();
            for (_, _, schema) in schemas.entries() {
                match spec.resolver.resolve(schema) {
                    Ok(resolved) => prop_assert!(resolved.target.reference().is_none()),
                    Err(error) => prop_assert!(error.at.span.start.line >= 1),
                }
                let mut visits = 0usize;
                let _ = walk_schema(&spec.resolver, schema, &[], |_, _| {
                    visits += 1;
                    true
                });
                prop_assert!(visits <= nodes.len() + 1);
                prop_assert!(visits <= MAX_SCHEMA_VISITS);
            }
        }
    }
}
