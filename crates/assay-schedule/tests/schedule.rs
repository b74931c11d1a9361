//! `assay schedule` on small deliverables: placement, the scheduler's
//! messages word for word, scale-up and located problems.

use assay_model::{Model, SourceFile};
use assay_profile::{ClusterProfile, bundled, parse_profile};
use assay_schedule::{Schedule, schedule};
use assay_span::FileId;
use assay_yaml::Limits;

fn model(text: &str) -> Model {
    Model::build(vec![SourceFile::parse(
        FileId(0),
        "deploy.yaml".to_owned(),
        text.as_bytes(),
        &Limits::default(),
    )])
}

fn profile(name: &str) -> ClusterProfile {
    bundled(name).unwrap().unwrap()
}

fn run(text: &str, profile: &ClusterProfile) -> Schedule {
    schedule(&model(text), profile)
}

fn deployment(name: &str, replicas: u32, pod: &str) -> String {
    let pod = pod
        .lines()
        .map(|l| format!("      {l}"))
        .collect::<Vec<_>>()
        .join("\n");
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: shop}}\nspec:\n  replicas: {replicas}\n  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n    metadata: {{labels: {{app: {name}}}}}\n    spec:\n{pod}\n---\n"
    )
}

const WINDOWS_POD: &str = "nodeSelector: {kubernetes.io/os: windows}\ncontainers:\n  - name: iis\n    image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022\n    resources: {requests: {cpu: 500m, memory: 1Gi}}";

#[test]
fn windows_pod_without_toleration_on_gke_gets_the_scheduler_message() {
    let s = run(&deployment("iis", 2, WINDOWS_POD), &profile("gke-mixed"));
    let w = &s.workloads[0];
    assert!(w.unschedulable());
    assert_eq!(
        w.failed_scheduling.as_deref(),
        Some(
            "0/5 nodes are available: 2 node(s) had untolerated taint {node.kubernetes.io/os: windows}, 3 node(s) didn't match Pod's node affinity/selector."
        )
    );
    assert!(s.failed());
}

#[test]
fn newer_releases_print_the_generic_taint_reason() {
    let text = include_str!("../../assay-profile/profiles/gke-mixed.yaml")
        .replace("kubernetesVersion: \"1.33\"", "kubernetesVersion: \"1.35\"");
    let p = parse_profile("gke.yaml", text.as_bytes()).unwrap();
    let s = run(&deployment("iis", 1, WINDOWS_POD), &p);
    assert_eq!(
        s.workloads[0].failed_scheduling.as_deref(),
        Some(
            "0/5 nodes are available: 2 node(s) had untolerated taint(s), 3 node(s) didn't match Pod's node affinity/selector."
        )
    );
}

#[test]
fn tolerating_windows_pod_lands_on_the_windows_pool() {
    let pod = format!(
        "{WINDOWS_POD}\ntolerations: [{{key: node.kubernetes.io/os, operator: Equal, value: windows, effect: NoSchedule}}]"
    );
    let s = run(&deployment("iis", 2, &pod), &profile("gke-mixed"));
    let w = &s.workloads[0];
    assert!(!w.unschedulable(), "{w:?}");
    assert_eq!(w.pools, ["windows-pool"]);
    assert_eq!(w.placement.get("windows-pool"), Some(&2));
    assert!(!s.failed());
}

#[test]
fn unpinned_linux_daemonset_lands_on_untainted_windows_nodes() {
    let ds = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: ops}\nspec:\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec:\n      containers: [{name: a, image: agent:1, resources: {requests: {cpu: 50m}}}]\n";
    let s = run(ds, &profile("aks-mixed"));
    let w = &s.workloads[0];
    // The system pool is tainted CriticalAddonsOnly; linux (3) and win22 (2) are not.
    assert_eq!(w.replicas, 5);
    assert_eq!(w.placement.get("win22"), Some(&2));
    assert_eq!(w.pools, ["linux", "win22"]);
}

#[test]
fn no_pod_templates_give_an_empty_schedule() {
    let s = run(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
        &profile("kind"),
    );
    assert!(s.workloads.is_empty());
    assert!(!s.failed());
}

#[test]
fn host_ports_clash_on_one_node() {
    let pod = "containers:\n  - name: web\n    image: nginx:1.27\n    ports: [{containerPort: 80, hostPort: 80}]";
    let s = run(&deployment("web", 2, pod), &profile("kind"));
    let w = &s.workloads[0];
    assert_eq!((w.placed_now, w.placed_after_scale_up), (1, 1));
    assert_eq!(
        w.failed_scheduling.as_deref(),
        Some(
            "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports."
        )
    );
}

#[test]
fn anti_affinity_among_own_replicas() {
    let pod = "affinity:\n  podAntiAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      - labelSelector: {matchLabels: {app: db}}\n        topologyKey: kubernetes.io/hostname\ncontainers: [{name: db, image: postgres:16}]";
    let s = run(&deployment("db", 3, pod), &profile("kind"));
    let w = &s.workloads[0];
    assert_eq!(w.placed_now, 1);
    assert_eq!(
        w.failed_scheduling.as_deref(),
        Some("0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules.")
    );
    // On three zoned nodes per pool, one replica per node fits.
    let s = run(&deployment("db", 3, pod), &profile("eks-mixed"));
    assert!(!s.workloads[0].unschedulable());
}

#[test]
fn zone_spread_on_nodes_without_zones_needs_the_label() {
    let pod = "topologySpreadConstraints:\n  - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: web}}}\ncontainers: [{name: web, image: nginx:1.27}]";
    let s = run(&deployment("web", 1, pod), &profile("linux-only"));
    assert_eq!(
        s.workloads[0].failed_scheduling.as_deref(),
        Some(
            "0/3 nodes are available: 3 node(s) didn't match pod topology spread constraints (missing required label)."
        )
    );
    // With zones, six replicas spread two per zone.
    let s = run(&deployment("web", 6, pod), &profile("eks-mixed"));
    assert!(!s.workloads[0].unschedulable(), "{:?}", s.workloads[0]);
}

#[test]
fn replicas_that_do_not_fit_scale_the_pool_up_to_its_maximum() {
    // linux-only: 3 nodes of 3800m, max 6. Each replica asks 2 cpu: one per node.
    let pod = "containers: [{name: w, image: w:1, resources: {requests: {cpu: \"2\"}}}]";
    let s = run(&deployment("w", 5, pod), &profile("linux-only"));
    let w = &s.workloads[0];
    assert_eq!((w.placed_now, w.placed_after_scale_up), (3, 5));
    assert_eq!(
        w.failed_scheduling.as_deref(),
        Some("0/3 nodes are available: 3 Insufficient cpu.")
    );
    assert!(!w.unschedulable());
    assert_eq!(s.pools[0].nodes_needed, 5);
    let s = run(&deployment("w", 8, pod), &profile("linux-only"));
    assert_eq!(s.workloads[0].placed_after_scale_up, 6);
    assert!(s.workloads[0].unschedulable());
    assert_eq!(s.pools[0].nodes_needed, 6);
}

#[test]
fn init_containers_count_by_their_maximum_and_sidecars_add_up() {
    // kind: one node of 2 cpu. App 500m, init 1900m (max rule: 1900m fits),
    // then a sidecar of 200m on top of the init peak: 2100m does not.
    let pod = "initContainers: [{name: i, image: i:1, resources: {requests: {cpu: 1900m}}}]\ncontainers: [{name: a, image: a:1, resources: {requests: {cpu: 500m}}}]";
    assert!(!run(&deployment("a", 1, pod), &profile("kind")).failed());
    let pod = "initContainers:\n  - {name: s, image: s:1, restartPolicy: Always, resources: {requests: {cpu: 200m}}}\n  - {name: i, image: i:1, resources: {requests: {cpu: 1900m}}}\ncontainers: [{name: a, image: a:1, resources: {requests: {cpu: 500m}}}]";
    let s = run(&deployment("a", 1, pod), &profile("kind"));
    assert_eq!(
        s.workloads[0].failed_scheduling.as_deref(),
        Some("0/1 nodes are available: 1 Insufficient cpu.")
    );
}

#[test]
fn runtime_class_scheduling_and_overhead_are_merged() {
    let text = include_str!("../../assay-profile/profiles/aks-mixed.yaml").replace(
        "    autoscaler: cluster-autoscaler",
        "    autoscaler: cluster-autoscaler\n    runtimeClasses:\n      - name: hyperv\n        handler: runhcs-wcow-hypervisor\n        scheduling:\n          nodeSelector: {kubernetes.io/os: windows}\n        overhead: {podFixed: {cpu: 3500m}}",
    );
    let p = parse_profile("aks.yaml", text.as_bytes()).unwrap();
    let pod = "runtimeClassName: hyperv\ncontainers: [{name: a, image: a:1, resources: {requests: {cpu: 100m}}}]";
    let s = run(&deployment("a", 1, pod), &p);
    assert_eq!(s.workloads[0].pools, ["win22"]);
    assert_eq!(s.pools[2].requested.cpu_milli, 3600);
    let pod = "runtimeClassName: gvisor\ncontainers: [{name: a, image: a:1}]";
    let s = run(&deployment("a", 1, pod), &p);
    assert_eq!(
        s.workloads[0].rejected.as_deref(),
        Some("pod rejected: RuntimeClass \"gvisor\" not found")
    );
    assert!(s.failed());
}

#[test]
fn invalid_selectors_and_tolerations_are_located_never_a_crash() {
    let pod = "affinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms:\n        - matchExpressions: [{key: disk, operator: Like, values: [ssd]}]\ntolerations: [{key: x, operator: Exists, value: y}, {operator: Equal, value: z}]\ncontainers: [{name: a, image: a:1}]";
    let s = run(&deployment("a", 1, pod), &profile("kind"));
    let messages: Vec<String> = s
        .problems
        .iter()
        .map(|p| {
            format!(
                "{}:{} {}",
                p.location.span.start.line, p.location.span.start.col, p.message
            )
        })
        .collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(
        messages[0].starts_with("14:58 node selector operator `Like`"),
        "{messages:?}"
    );
    assert!(
        messages[1].contains("`Exists` must not have a value"),
        "{messages:?}"
    );
    assert!(
        messages[2].contains("without a key must use operator `Exists`"),
        "{messages:?}"
    );
    // The invalid operator matches no node.
    assert_eq!(
        s.workloads[0].failed_scheduling.as_deref(),
        Some("0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.")
    );
}

#[test]
fn output_is_deterministic() {
    let text = deployment("iis", 2, WINDOWS_POD)
        + &deployment("web", 3, "containers: [{name: w, image: w:1}]");
    let m = model(&text);
    let p = profile("eks-mixed");
    let a = assay_schedule::to_text(&m, &schedule(&m, &p));
    let b = assay_schedule::to_text(&m, &schedule(&m, &p));
    assert_eq!(a, b);
    let json = assay_schedule::to_json(&m, &schedule(&m, &p));
    assert_eq!(json["workloads"][0]["placement"]["ng-windows"], 2);
}

#[test]
fn pools_autoscaling_from_zero_take_pods_after_scale_up() {
    let text = include_str!("../../assay-profile/profiles/eks-mixed.yaml").replace(
        "      count: 2\n      autoscaling: {min: 1, max: 5}\n      os: windows",
        "      count: 0\n      autoscaling: {min: 0, max: 5}\n      os: windows",
    );
    let p = parse_profile("eks.yaml", text.as_bytes()).unwrap();
    assert_eq!(p.pools[1].count, 0);
    let s = run(&deployment("iis", 2, WINDOWS_POD), &p);
    let w = &s.workloads[0];
    assert_eq!(w.pools, ["ng-windows"]);
    assert_eq!((w.placed_now, w.placed_after_scale_up), (0, 2), "{w:?}");
    assert_eq!(
        w.failed_scheduling.as_deref(),
        Some("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.")
    );
    assert_eq!(s.pools[1].nodes_needed, 1);
    assert!(!w.unschedulable());
}
