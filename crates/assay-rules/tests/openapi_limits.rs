//! The OPENAPI pack on specs built at run time to stress its limits: 10,000
//! operations, a 5 MB document, and a reference chain longer than the hop
//! limit. Each gives a result (or a located error), never a crash or a hang.
//! Also: a spec split over files, with a broken `$ref` in a fragment.
//! Speed is measured by `bench/openapi_agreement.py`, not here.

use assay_model::{Model, SourceFile};
use assay_rules::{Engine, Selection};
use assay_span::FileId;
use assay_yaml::Limits;
use std::fmt::Write as _;

fn run(text: &str) -> Vec<assay_diagnostics::Finding> {
    let file = SourceFile::parse(
        FileId(0),
        "big.yaml".to_owned(),
        text.as_bytes(),
        &Limits::default(),
    );
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let model = Model::build(vec![file]);
    let engine = Engine::new(Selection {
        select: vec!["OPENAPI".to_owned()],
        ..Selection::default()
    });
    engine.run(&model).0
}

const HEADER: &str = "openapi: 3.0.3\ninfo: {title: Big, version: '1'}\nsecurity:\n  - key: []\n";
const COMPONENTS: &str = "components:\n  securitySchemes:\n    key: {type: apiKey, in: query, name: api_key}\n  schemas:\n    Item:\n      type: object\n      properties:\n        name: {type: string}\n        tags: {type: array, items: {type: string, maxLength: 20}}\n";

#[test]
fn ten_thousand_operations() {
    let mut text = String::from(HEADER);
    text.push_str("paths:\n");
    for i in 0..5_000 {
        let _ = write!(
            text,
            "  /items{i}/{{id}}:\n    get:\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: integer}}}}\n      responses:\n        '200': {{description: ok}}\n    put:\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: integer}}}}\n      requestBody:\n        content:\n          application/json:\n            schema: {{$ref: '#/components/schemas/Item'}}\n      responses:\n        '200': {{description: ok}}\n"
        );
    }
    text.push_str(COMPONENTS);
    let findings = run(&text);
    let by_rule = |id: &str| findings.iter().filter(|f| f.rule == id).count();
    // The shared body schema is reported once, counting every operation that uses it.
    assert_eq!(by_rule("OPENAPI011"), 1);
    let open_body = findings.iter().find(|f| f.rule == "OPENAPI011").unwrap();
    assert!(
        open_body.message.ends_with("(and 4999 more uses)"),
        "{}",
        open_body.message
    );
    // The inline `id` parameter is grouped by name: one finding for 10,000 uses.
    assert_eq!(by_rule("OPENAPI010"), 1);
    // The document-level findings stay one each.
    assert_eq!(by_rule("OPENAPI018"), 1);
    assert_eq!(by_rule("OPENAPI004"), 1);
}

#[test]
fn five_megabyte_spec() {
    let mut text = String::from(HEADER);
    text.push_str("paths:\n  /items:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/S0'}\n      responses:\n        '201': {description: created}\n");
    text.push_str(COMPONENTS);
    let description = "x".repeat(10_000);
    let mut i = 0;
    while text.len() < 5 * 1024 * 1024 {
        let _ = write!(
            text,
            "    S{i}:\n      type: object\n      additionalProperties: false\n      description: {description}\n      properties:\n        next: {{$ref: '#/components/schemas/S{}'}}\n        label: {{type: string}}\n",
            i + 1
        );
        i += 1;
    }
    // The last schema's `next` names nothing: a located error, and the rest is still checked.
    let findings = run(&text);
    assert!(text.len() >= 5 * 1024 * 1024);
    let unresolved: Vec<_> = findings.iter().filter(|f| f.rule == "OPENAPI001").collect();
    assert_eq!(unresolved.len(), 1);
    assert!(unresolved[0].location.span.start.line > 1_000);
    // Every chained schema has an unbounded `label`: one finding each, all reached from POST /items.
    assert_eq!(
        findings.iter().filter(|f| f.rule == "OPENAPI014").count(),
        i
    );
}

#[test]
fn reference_chain_longer_than_the_hop_limit() {
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: Chain, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n",
    );
    for i in 0..200 {
        let _ = writeln!(
            text,
            "    C{i}: {{$ref: '#/components/schemas/C{}'}}",
            i + 1
        );
    }
    text.push_str("    C200: {type: string}\n");
    let findings = run(&text);
    let too_long: Vec<_> = findings
        .iter()
        .filter(|f| f.rule == "OPENAPI001" && f.message.contains("max-ref-hops"))
        .collect();
    assert!(!too_long.is_empty());
}

#[test]
fn fragments_are_part_of_the_spec() {
    let api = "openapi: 3.0.3\ninfo: {title: Multi, version: '1'}\npaths:\n  /pets:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: 'schemas/pet.yaml#/Pet'}\n      responses:\n        '201': {description: created}\n";
    let pet = "Pet:\n  type: object\n  properties:\n    name: {type: string}\n    owner: {$ref: 'missing.yaml#/Owner'}\n";
    let files = vec![
        SourceFile::parse(
            FileId(0),
            "specs/api.yaml".to_owned(),
            api.as_bytes(),
            &Limits::default(),
        ),
        SourceFile::parse(
            FileId(1),
            "specs/schemas/pet.yaml".to_owned(),
            pet.as_bytes(),
            &Limits::default(),
        ),
    ];
    let model = Model::build(files);
    let (findings, _) = Engine::new(Selection::default()).run(&model);
    let at = |rule: &str| {
        findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| (f.location.file.0, f.location.span.start.line))
            .collect::<Vec<_>>()
    };
    // The broken `$ref` is reported in the fragment, where it is written.
    assert_eq!(at("OPENAPI001"), [(1, 5)]);
    // The fragment's unbounded string is reported there too.
    assert_eq!(at("OPENAPI014"), [(1, 4)]);
    // A fragment is not an unrecognised document.
    assert!(at("YAML005").is_empty());
}
