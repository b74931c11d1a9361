//! `assay connectivity` and `assay diagnose` end to end: outputs, flags,
//! exit codes. Inputs under `tests/graph/`.

use std::path::Path;
use std::process::Command;

mod support;
use support::TempDir;

fn assay(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_assay"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn input(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/graph")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn connectivity_formats() {
    let shop = input("shop.yaml");
    let (code, text, _) = assay(&["connectivity", &shop]);
    assert_eq!(code, 0);
    assert!(
        text.contains("shop/frontend[Deployment] => shop/checkout[Deployment] : TCP 5050\n"),
        "{text}"
    );
    assert!(text.contains(
        "0.0.0.0-255.255.255.255[External] => shop/frontend[Deployment] : All Connections"
    ));
    assert!(!text.contains("[External] => shop/checkout"), "{text}");
    let (_, json, _) = assay(&["connectivity", &shop, "--format", "json"]);
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|c| c["src"] == "shop/frontend[Deployment]"
                && c["dst"] == "shop/checkout[Deployment]"
                && c["conn"] == "TCP 5050")
    );
    let (_, csv, _) = assay(&["connectivity", &shop, "--format", "csv"]);
    assert!(csv.starts_with("src,dst,conn\n"), "{csv}");
    let (_, md, _) = assay(&["connectivity", &shop, "--format", "md"]);
    assert!(
        md.starts_with("| src | dst | conn |\n|-----|-----|------|\n"),
        "{md}"
    );
    let (_, dot, _) = assay(&["connectivity", &shop, "--format", "dot"]);
    assert!(
        dot.starts_with("digraph {")
            && dot.contains(
                "\"shop/frontend[Deployment]\" -> \"shop/checkout[Deployment]\" [label=\"TCP 5050\""
            ),
        "{dot}"
    );
    let (_, mermaid, _) = assay(&["connectivity", &shop, "--format", "mermaid"]);
    assert!(
        mermaid.starts_with("flowchart LR\n") && mermaid.contains("-->|\"TCP 5050\"|"),
        "{mermaid}"
    );
    // Same input, same bytes.
    assert_eq!(json, assay(&["connectivity", &shop, "--format", "json"]).1);
}

#[test]
fn connectivity_focus_and_direction() {
    let shop = input("shop.yaml");
    let (code, text, _) = assay(&[
        "connectivity",
        &shop,
        "--focus-workload",
        "checkout",
        "--direction",
        "ingress",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        text,
        "shop/frontend[Deployment] => shop/checkout[Deployment] : TCP 5050\n"
    );
    let (_, egress, _) = assay(&[
        "connectivity",
        &shop,
        "--focus-workload",
        "shop/checkout",
        "--direction",
        "egress",
    ]);
    assert!(
        egress
            .lines()
            .all(|l| l.starts_with("shop/checkout[Deployment] => ")),
        "{egress}"
    );
    let (code, _, err) = assay(&["connectivity", &shop, "--focus-workload", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("nope"), "{err}");
    let (code, _, err) = assay(&["connectivity", &shop, "--format", "svg"]);
    assert_eq!(code, 2);
    assert!(err.contains("--format") && err.contains("svg"), "{err}");
    let (code, _, err) = assay(&["connectivity", &shop, "--direction", "ingress"]);
    assert_eq!(code, 2);
    assert!(err.contains("--focus-workload"), "{err}");
}

#[test]
fn connectivity_reports_invalid_policies_and_goes_on() {
    let dir = TempDir::new("invalid");
    std::fs::copy(input("shop.yaml"), dir.0.join("shop.yaml")).unwrap();
    std::fs::write(
        dir.0.join("bad.yaml"),
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: bad, namespace: shop}\nspec:\n  podSelector: {}\n  ingress:\n    - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [11.0.0.0/8]}}]\n",
    )
    .unwrap();
    let (code, text, err) = assay(&["connectivity", dir.0.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        err.contains("bad.yaml:7:")
            && err.contains("NetworkPolicy shop/bad")
            && err.contains("left out"),
        "{err}"
    );
    assert!(text.contains("shop/frontend[Deployment] => shop/checkout[Deployment] : TCP 5050"));
}

#[test]
fn diagnose_reachable_exits_0() {
    let shop = input("shop.yaml");
    let (code, text, _) = assay(&[
        "diagnose",
        &shop,
        "--from",
        "shop/frontend",
        "--to",
        "checkout:8080",
    ]);
    assert_eq!(code, 0, "{text}");
    for layer in [
        "dns",
        "service",
        "ports",
        "readiness",
        "egress",
        "ingress",
        "placement",
    ] {
        assert!(text.contains(layer), "{layer}: {text}");
    }
    assert!(text.contains("UNKNOWN placement"), "{text}");
    let (code, json, _) = assay(&[
        "diagnose",
        &shop,
        "--from",
        "frontend",
        "--to",
        "checkout.shop.svc.cluster.local:8080",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["reachable"], true);
    assert!(v.get("failing_layer").is_none());
    let layers: Vec<&str> = v["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["layer"].as_str().unwrap())
        .collect();
    assert_eq!(
        layers,
        [
            "dns",
            "service",
            "ports",
            "readiness",
            "egress",
            "ingress",
            "placement"
        ]
    );
    let ports = &v["layers"][2];
    assert_eq!(ports["status"], "pass");
    assert!(
        ports["locations"][0]
            .as_str()
            .unwrap()
            .contains("shop.yaml:"),
        "{ports}"
    );
}

#[test]
fn diagnose_missing_dns_egress_exits_1_with_fix() {
    let dir = TempDir::new("dns");
    std::fs::copy(input("shop.yaml"), dir.0.join("shop.yaml")).unwrap();
    std::fs::copy(input("deny-egress.yaml"), dir.0.join("deny-egress.yaml")).unwrap();
    let path = dir.0.to_str().unwrap();
    let (code, json, _) = assay(&[
        "diagnose",
        path,
        "--from",
        "shop/frontend",
        "--to",
        "checkout:8080",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{json}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["reachable"], false);
    assert_eq!(v["failing_layer"], "egress");
    let egress = v["layers"].as_array().unwrap().last().unwrap();
    assert_eq!(egress["status"], "fail");
    assert!(
        egress["evidence"][0].as_str().unwrap().contains("DNS"),
        "{egress}"
    );
    assert!(
        egress["fix"]
            .as_str()
            .unwrap()
            .contains("k8s-app: kube-dns"),
        "{egress}"
    );
    // Addressed by object name, no DNS lookup is needed and the port is open.
    let (code, _, _) = assay(&[
        "diagnose",
        path,
        "--from",
        "shop/frontend",
        "--to",
        "shop/checkout:8080",
    ]);
    assert_eq!(code, 0);
}

#[test]
fn diagnose_failures_and_usage_errors() {
    let shop = input("shop.yaml");
    // Ingress policy admits frontend only.
    let (code, text, _) = assay(&[
        "diagnose",
        &shop,
        "--from",
        "shop/checkout",
        "--to",
        "checkout:8080",
    ]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("FAIL    ingress"), "{text}");
    // Wrong Service port.
    let (code, text, _) = assay(&[
        "diagnose",
        &shop,
        "--from",
        "frontend",
        "--to",
        "checkout:9999",
    ]);
    assert_eq!(code, 1);
    assert!(
        text.contains("FAIL    ports") && text.contains("8080/TCP"),
        "{text}"
    );
    // A typo in the name.
    let (code, text, _) = assay(&[
        "diagnose",
        &shop,
        "--from",
        "frontend",
        "--to",
        "chekout:8080",
    ]);
    assert_eq!(code, 1);
    assert!(
        text.contains("FAIL    dns") && text.contains("did you mean `checkout`"),
        "{text}"
    );
    // Usage errors name what exists.
    let (code, _, err) = assay(&[
        "diagnose",
        &shop,
        "--from",
        "shop/nope",
        "--to",
        "checkout:8080",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("shop/frontend") && err.contains("shop/checkout"),
        "{err}"
    );
    let (code, _, err) = assay(&["diagnose", &shop, "--from", "frontend", "--to", "checkout"]);
    assert_eq!(code, 2);
    assert!(err.contains("port"), "{err}");
    let (code, _, _) = assay(&["diagnose", &shop, "--to", "checkout:80"]);
    assert_eq!(code, 2);
}

#[test]
fn assume_present_from_flag_and_config() {
    let dir = TempDir::new("assume");
    std::fs::write(
        dir.0.join("deploy.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: \"web:1\", envFrom: [{secretRef: {name: creds}}, {configMapRef: {name: settings}}]}]\n",
    )
    .unwrap();
    let path = dir.0.to_str().unwrap();
    let (_, text, _) = assay(&[
        "check",
        path,
        "--select",
        "GRAPH009",
        "--concise",
        "--no-config",
    ]);
    assert!(
        text.contains("Secret `creds`") && text.contains("ConfigMap `settings`"),
        "{text}"
    );
    let (_, text, _) = assay(&[
        "check",
        path,
        "--select",
        "GRAPH009",
        "--concise",
        "--no-config",
        "--assume-present",
        "Secret/creds",
    ]);
    assert!(
        !text.contains("Secret `creds`") && text.contains("ConfigMap `settings`"),
        "{text}"
    );
    std::fs::write(
        dir.0.join(".assay.yaml"),
        "assumePresent: [Secret/creds, ConfigMap/shop/settings]\n",
    )
    .unwrap();
    let (_, text, _) = assay(&["check", path, "--select", "GRAPH009", "--concise"]);
    assert!(!text.contains("GRAPH009"), "{text}");
    let (code, _, err) = assay(&["check", path, "--assume-present", "creds"]);
    assert_eq!(code, 2);
    assert!(err.contains("--assume-present"), "{err}");
}

#[test]
fn diagnose_placement_with_a_cluster_profile() {
    // The graph crate's placement fixture: a Windows-pinned pod without the
    // toleration for gke-mixed's Windows taint.
    let deploy = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../assay-graph/tests/diagnose/placement.yaml")
        .to_string_lossy()
        .into_owned();
    let query = [
        "diagnose",
        &deploy,
        "--from",
        "shop/client",
        "--to",
        "legacy:80",
    ];
    let (code, text, _) = assay(&query);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("UNKNOWN placement"), "{text}");

    let with_profile = [
        &query[..],
        &["--cluster-profile", "gke-mixed", "--format", "json"],
    ]
    .concat();
    let (code, text, _) = assay(&with_profile);
    assert_eq!(code, 1, "{text}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["failing_layer"], "placement");
    let placement = &json["layers"][6];
    assert_eq!(placement["status"], "fail");
    assert!(
        placement["fix"].as_str().unwrap().contains("tolerations:"),
        "{text}"
    );

    let (code, _, err) = assay(&[&query[..], &["--cluster-profile", "no-such-profile"]].concat());
    assert_eq!(code, 2, "{err}");
}
