//! End-to-end tests of `assay schedule` and `assay profiles`.

use std::path::PathBuf;
use std::process::{Command, Output};

fn assay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_assay"))
        .args(args)
        .output()
        .unwrap()
}

/// A temporary folder removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("assay-schedule-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn write(&self, rel: &str, text: &str) -> String {
        let path = self.0.join(rel);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const WINDOWS_DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: iis, namespace: shop}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: iis}}\n  template:\n    metadata: {labels: {app: iis}}\n    spec:\n      nodeSelector: {kubernetes.io/os: windows}\n      containers: [{name: iis, image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022}]\n";

#[test]
fn unschedulable_workload_exits_1_with_the_scheduler_message() {
    let dir = TempDir::new("gke");
    let file = dir.write("iis.yaml", WINDOWS_DEPLOYMENT);
    let out = assay(&["schedule", &file, "--cluster-profile", "gke-mixed"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("FailedScheduling: 0/5 nodes are available: 2 node(s) had untolerated taint {node.kubernetes.io/os: windows}, 3 node(s) didn't match Pod's node affinity/selector."), "{stdout}");
    let out = assay(&[
        "schedule",
        &file,
        "--cluster-profile",
        "aks-mixed",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["workloads"][0]["placement"]["win22"], 2);
    assert_eq!(json["failed"], false);
}

#[test]
fn empty_deliverable_prints_an_empty_table_and_exits_0() {
    let dir = TempDir::new("empty");
    let file = dir.write(
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
    );
    let out = assay(&[
        "schedule",
        &file,
        "--cluster-profile",
        "kind",
        "--format",
        "md",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("No pod templates in the input."));
}

#[test]
fn bad_profiles_are_located_usage_errors() {
    let dir = TempDir::new("bad");
    let file = dir.write("iis.yaml", WINDOWS_DEPLOYMENT);
    let profile = dir.write(
        "p.yaml",
        "apiVersion: assay.dev/v1\nkind: ClusterProfile\nmetadata: {name: p}\nspec:\n  provider: openshift\n  kubernetesVersion: \"1.33\"\n  pools:\n    - {name: a, count: 1, os: linux, allocatable: {cpu: 2x}}\n",
    );
    let out = assay(&["schedule", &file, "--cluster-profile", &profile]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("p.yaml:5:13: unknown provider `openshift`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("p.yaml:8:57: `allocatable` cpu `2x` is not a Kubernetes quantity"),
        "{stderr}"
    );
    let out = assay(&["schedule", &file]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--cluster-profile"));
    let out = assay(&["schedule", &file, "--cluster-profile", "nope"]);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("bundled: linux-only, aks-mixed, eks-mixed, gke-mixed, kind")
    );
}

#[test]
fn profiles_lists_the_bundled_profiles() {
    let out = assay(&["profiles"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    for name in ["linux-only", "aks-mixed", "eks-mixed", "gke-mixed", "kind"] {
        assert!(stdout.contains(name), "{stdout}");
    }
    assert!(
        stdout.contains("node.kubernetes.io/os=windows:NoSchedule"),
        "{stdout}"
    );
    let out = assay(&["profiles", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["profiles"].as_array().map(Vec::len), Some(5));
}

const LINUX_DAEMONSET: &str = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: ops}\nspec:\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec:\n      containers: [{name: a, image: agent:1}]\n";

#[test]
fn check_uses_the_cluster_profile_from_flag_or_config() {
    let dir = TempDir::new("check");
    let file = dir.write("ds.yaml", LINUX_DAEMONSET);
    let out = assay(&[
        "check",
        &file,
        "--no-config",
        "--select",
        "WIN",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["findings"].as_array().map(Vec::len),
        Some(0),
        "no profile, no WIN002"
    );
    let out = assay(&[
        "check",
        &file,
        "--no-config",
        "--select",
        "WIN",
        "--cluster-profile",
        "aks-mixed",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["findings"][0]["rule"], "WIN002");
    let config = dir.write(".assay.yaml", "clusterProfile: eks-mixed\n");
    let out = assay(&[
        "check", &file, "--config", &config, "--select", "WIN", "--format", "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        json["findings"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("eks-mixed"),
        "{json}"
    );
    let out = assay(&["check", &file, "--no-config", "--cluster-profile", "nope"]);
    assert_eq!(out.status.code(), Some(2));
}
