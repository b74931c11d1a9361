//! Connectivity at scale: generates a deliverable of 1 000 workloads in 20
//! namespaces and 500 NetworkPolicies (default-deny, pod and namespace
//! selectors, matchExpressions, named ports, endPort, ipBlock with except),
//! then times parsing, the graph, the connection list and its text output.
//!
//! `cargo run --release -p assay-graph --example connectivity_bench [WORKLOADS POLICIES]`
//! (`--write FILE` also writes the generated YAML, for timing `assay connectivity`).

use assay_graph::Graph;
use assay_graph::output::{Format, render};
use assay_model::{Model, SourceFile};
use assay_span::FileId;
use assay_yaml::Limits;
use std::fmt::Write as _;
use std::time::Instant;

const NAMESPACES: usize = 20;
const TIERS: [&str; 3] = ["front", "back", "db"];

fn generate(workloads: usize, policies: usize) -> String {
    let mut y = String::new();
    for n in 0..NAMESPACES {
        let _ = write!(
            y,
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns{n}\n  labels: {{team: t{}, env: {}}}\n---\n",
            n % 5,
            if n % 2 == 0 { "prod" } else { "dev" }
        );
    }
    for w in 0..workloads {
        let ns = w % NAMESPACES;
        let tier = TIERS[w % TIERS.len()];
        let _ = write!(
            y,
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: w{w}, namespace: ns{ns}}}\nspec:\n  selector: {{matchLabels: {{app: w{w}}}}}\n  template:\n    metadata: {{labels: {{app: w{w}, tier: {tier}, group: g{}}}}}\n    spec:\n      containers:\n        - name: main\n          image: \"example/w{w}:1\"\n          ports: [{{name: http, containerPort: {}}}, {{name: metrics, containerPort: 9090}}]\n---\n",
            w % 7,
            8000 + (w % 50)
        );
    }
    for p in 0..policies {
        let ns = p % NAMESPACES;
        let body = match p % 5 {
            0 => "  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  egress:\n    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]\n      ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]\n".to_owned(),
            1 => format!("  podSelector: {{matchLabels: {{tier: back}}}}\n  ingress:\n    - from: [{{podSelector: {{matchLabels: {{tier: front}}}}}}]\n      ports: [{{port: http}}]\n    - from: [{{namespaceSelector: {{matchLabels: {{team: t{}}}}}}}]\n      ports: [{{port: metrics}}]\n", p % 5),
            2 => format!("  podSelector: {{matchExpressions: [{{key: group, operator: In, values: [g{}, g{}]}}]}}\n  policyTypes: [Egress]\n  egress:\n    - to: [{{namespaceSelector: {{matchLabels: {{env: prod}}}}, podSelector: {{matchExpressions: [{{key: tier, operator: NotIn, values: [db]}}]}}}}]\n      ports: [{{port: 8000, endPort: 8049}}]\n    - to: [{{ipBlock: {{cidr: 0.0.0.0/0, except: [10.{}.0.0/16]}}}}]\n      ports: [{{port: 443}}]\n", p % 7, (p + 1) % 7, p % 256),
            3 => "  podSelector: {matchLabels: {tier: db}}\n  ingress:\n    - from: [{podSelector: {matchLabels: {tier: back}}}]\n      ports: [{port: http}]\n".to_owned(),
            _ => format!("  podSelector: {{matchLabels: {{tier: front}}}}\n  ingress:\n    - from: [{{ipBlock: {{cidr: 172.{}.0.0/16}}}}, {{namespaceSelector: {{}}, podSelector: {{matchLabels: {{group: g{}}}}}}}]\n", 16 + p % 16, p % 7),
        };
        let _ = write!(
            y,
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: p{p}, namespace: ns{ns}}}\nspec:\n{body}---\n"
        );
    }
    y
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut numbers = args.iter().filter_map(|a| a.parse::<usize>().ok());
    let workloads = numbers.next().unwrap_or(1000);
    let policies = numbers.next().unwrap_or(500);
    let yaml = generate(workloads, policies);
    if let Some(i) = args.iter().position(|a| a == "--write")
        && let Some(path) = args.get(i + 1)
    {
        std::fs::write(path, &yaml).expect("write the generated deliverable");
    }
    let start = Instant::now();
    let file = SourceFile::parse(
        FileId(0),
        "generated.yaml".into(),
        yaml.as_bytes(),
        &Limits::default(),
    );
    let model = Model::build(vec![file]);
    let parsed = start.elapsed();
    let graph = Graph::build(&model);
    let built = start.elapsed();
    let connectivity = graph.connectivity();
    let computed = start.elapsed();
    let text = render(&graph, &connectivity, Format::Text);
    let rendered = start.elapsed();
    println!(
        "{} workloads, {} policies ({} invalid), {:.1} MB of YAML",
        graph.workloads.len(),
        graph.policies.len(),
        graph.invalid_policies.len(),
        yaml.len() as f64 / 1e6
    );
    println!(
        "{} connections, {:.1} MB of text",
        connectivity.connections.len(),
        text.len() as f64 / 1e6
    );
    println!(
        "parse {:?}, graph {:?}, connectivity {:?}, text {:?}; total {:?}",
        parsed,
        built - parsed,
        computed - built,
        rendered - computed,
        rendered
    );
}
