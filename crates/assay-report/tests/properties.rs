//! Property test of the whole pipeline: any Kubernetes-shaped document, with
//! any values in any field, goes through every rule and every reporter
//! without a panic, and reports stay deterministic.

use assay_model::{Model, SourceFile};
use assay_report::{Format, Options, Report, Summary};
use assay_rules::{Engine, Selection};
use assay_span::FileId;
use assay_yaml::Limits;
use proptest::prelude::*;

const KINDS: &[(&str, &str)] = &[
    ("v1", "Pod"),
    ("apps/v1", "Deployment"),
    ("apps/v1", "DaemonSet"),
    ("batch/v1", "CronJob"),
    ("v1", "Service"),
    ("v1", "Secret"),
    ("v1", "ConfigMap"),
    ("networking.k8s.io/v1", "Ingress"),
    ("extensions/v1beta1", "Ingress"),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
    ("example.com/v1", "Widget"),
];

const KEYS: &[&str] = &[
    "metadata",
    "name",
    "namespace",
    "labels",
    "annotations",
    "spec",
    "template",
    "jobTemplate",
    "containers",
    "initContainers",
    "image",
    "env",
    "value",
    "valueFrom",
    "secretKeyRef",
    "securityContext",
    "privileged",
    "runAsUser",
    "runAsNonRoot",
    "capabilities",
    "add",
    "drop",
    "volumes",
    "hostPath",
    "path",
    "volumeMounts",
    "mountPath",
    "resources",
    "limits",
    "requests",
    "cpu",
    "memory",
    "ports",
    "containerPort",
    "hostPort",
    "hostNetwork",
    "data",
    "stringData",
    "seccompProfile",
    "type",
    "sysctls",
    "os",
    "DB_PASSWORD",
    "<<",
    "versions",
    "schema",
    "openAPIV3Schema",
    "properties",
    "selector",
    "matchLabels",
    "rules",
    "http",
    "paths",
    "backend",
];

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("on".to_owned()),
        Just("null".to_owned()),
        Just("\"8080\"".to_owned()),
        Just("0755".to_owned()),
        Just("-1".to_owned()),
        Just("99999999999999999999".to_owned()),
        Just("nginx:latest".to_owned()),
        Just("registry:5000/app@sha256:".to_owned()),
        Just("/var/run/docker.sock".to_owned()),
        Just("postgres://u:p@h/db".to_owned()),
        Just("ALL".to_owned()),
        Just("500m".to_owned()),
        "[a-zA-Z0-9_:/@.%-]{0,24}",
        "\"[ -~]{0,24}\"",
    ]
}

fn value() -> impl Strategy<Value = String> {
    scalar().prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4)
                .prop_map(|items| format!("[{}]", items.join(", "))),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..5).prop_map(|entries| {
                let body: Vec<String> = entries
                    .into_iter()
                    .map(|(k, v)| format!("{k}: {v}"))
                    .collect();
                format!("{{{}}}", body.join(", "))
            }),
        ]
    })
}

fn document() -> impl Strategy<Value = String> {
    (prop::sample::select(KINDS), value(), value()).prop_map(|((api, kind), metadata, spec)| {
        format!(
            "{{apiVersion: {api}, kind: {kind}, metadata: {metadata}, spec: {spec}, data: {spec}}}"
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]
    #[test]
    fn any_document_goes_through_every_rule_and_reporter(docs in prop::collection::vec(document(), 1..4)) {
        let text = docs.join("\n---\n");
        let file = SourceFile::parse(FileId(0), "random.yaml".into(), text.as_bytes(), &Limits::default());
        let model = Model::build(vec![file]);
        let (findings, stats) = Engine::new(Selection::default()).run(&model);
        let summary = Summary::new(&model, &findings, stats.rules_run, None);
        let report = Report { model: &model, findings: &findings, summary, masked: &stats.masked, tool_version: "0" };
        for format in Format::ALL {
            let mut first = Vec::new();
            assay_report::write(&report, format, &Options::default(), &mut first).expect("write");
            let mut second = Vec::new();
            assay_report::write(&report, format, &Options::default(), &mut second).expect("write");
            prop_assert_eq!(first, second);
        }
        for f in &findings {
            prop_assert!(f.location.span.start.line >= 1, "{:?}", f);
        }
    }
}
