//! `assay sandbox etcd`: clean-up when assay is killed mid-run, the start
//! timeout, a missing etcd binary, and a real run when etcd is installed.
//!
//! The clean-up tests use a stand-in for etcd (a shell script that answers
//! `--version` and then sleeps), so they run everywhere and the kill lands
//! while the sandbox is certainly running.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod support;
use support::TempDir;

fn assay() -> Command {
    Command::new(env!("CARGO_BIN_EXE_assay"))
}

const DELIVERABLE: &str = "name: etcd0\nlisten-client-urls: http://0.0.0.0:2379\nadvertise-client-urls: http://etcd0:2379\n";

/// A fake etcd: prints a version, then never becomes healthy. It loops in
/// its own shell (no `exec`) so its command line keeps the sandbox path.
fn fake_etcd(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let path = dir.join("fake-etcd");
    std::fs::write(
        &path,
        "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'etcd Version: 0.0.0-fake'; exit 0; fi\nwhile :; do sleep 0.1; done\n",
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// Processes whose command line mentions `needle`.
fn processes_mentioning(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let text = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if text.contains(needle) {
            found.push(format!("{}: {text}", entry.file_name().to_string_lossy()));
        }
    }
    found
}

/// The sandbox directory under `parent` once the stand-in etcd runs.
fn wait_for_sandbox(parent: &Path, child: &mut Child) -> PathBuf {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        assert!(
            child.try_wait().unwrap().is_none(),
            "assay ended before the sandbox ran"
        );
        let running = std::fs::read_dir(parent).unwrap().flatten().find(|e| {
            e.file_name().to_string_lossy().starts_with("assay-etcd-")
                && e.path().join("etcd.pid").exists()
        });
        if let Some(dir) = running {
            return dir.path();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("the sandbox never started");
}

fn assert_cleaned(parent: &Path, sandbox: &Path) {
    let needle = parent.display().to_string();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = processes_mentioning(&needle);
        if left.is_empty() && !sandbox.exists() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "left behind: {left:?}, directory exists: {}",
            sandbox.exists()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn killed_mid_run(signal: &str) {
    let tmp = TempDir::new(&format!("kill{signal}"));
    let parent = tmp.0.join("sandboxes");
    std::fs::create_dir_all(&parent).unwrap();
    let deliverable = tmp.0.join("etcd.yaml");
    std::fs::write(&deliverable, DELIVERABLE).unwrap();
    let mut child = assay()
        .args(["sandbox", "etcd"])
        .arg(&deliverable)
        .arg("--etcd-bin")
        .arg(fake_etcd(&tmp.0))
        .arg("--out")
        .arg(tmp.0.join("evidence"))
        .args(["--timeout", "120"])
        .env("ASSAY_SANDBOX_TMPDIR", &parent)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let sandbox = wait_for_sandbox(&parent, &mut child);
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let _ = child.wait();
    assert_cleaned(&parent, &sandbox);
}

#[test]
fn sigkill_mid_run_leaves_no_process_and_no_directory() {
    killed_mid_run("-KILL");
}

#[test]
fn ctrl_c_mid_run_leaves_no_process_and_no_directory() {
    killed_mid_run("-INT");
}

#[test]
fn start_timeout_is_evidence_and_cleans_up() {
    let tmp = TempDir::new("timeout");
    let parent = tmp.0.join("sandboxes");
    std::fs::create_dir_all(&parent).unwrap();
    let deliverable = tmp.0.join("etcd.yaml");
    std::fs::write(&deliverable, DELIVERABLE).unwrap();
    let out = assay()
        .args(["sandbox", "etcd"])
        .arg(&deliverable)
        .arg("--etcd-bin")
        .arg(fake_etcd(&tmp.0))
        .arg("--out")
        .arg(tmp.0.join("evidence"))
        .args(["--timeout", "1"])
        .env("ASSAY_SANDBOX_TMPDIR", &parent)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = std::fs::read_to_string(tmp.0.join("evidence/etcd-sandbox.json")).unwrap();
    assert!(json.contains("etcd was not healthy after 1 s"), "{json}");
    assert!(std::fs::read_dir(&parent).unwrap().next().is_none());
    assert!(processes_mentioning(&parent.display().to_string()).is_empty());
}

#[test]
fn a_missing_etcd_says_how_to_install_it() {
    let tmp = TempDir::new("missing");
    let deliverable = tmp.0.join("etcd.yaml");
    std::fs::write(&deliverable, DELIVERABLE).unwrap();
    let out = assay()
        .args(["sandbox", "etcd"])
        .arg(&deliverable)
        .arg("--etcd-bin")
        .arg(tmp.0.join("no-such-etcd"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("apt-get install etcd-server"), "{stderr}");
    let empty = tmp.0.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = assay()
        .args(["sandbox", "etcd"])
        .arg(&empty)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no etcd settings found"));
}

#[test]
fn real_etcd_insecure_deliverable_exits_1_with_evidence() {
    let Some(etcd) = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("etcd"))
            .find(|c| c.is_file())
    }) else {
        eprintln!("SKIPPED: no etcd on PATH (install Debian's etcd-server)");
        return;
    };
    let tmp = TempDir::new("real");
    let deliverable = tmp.0.join("etcd.yaml");
    std::fs::write(&deliverable, DELIVERABLE).unwrap();
    let out = assay()
        .args(["sandbox", "etcd"])
        .arg(&deliverable)
        .arg("--etcd-bin")
        .arg(etcd)
        .arg("--out")
        .arg(tmp.0.join("evidence"))
        .env("ASSAY_SANDBOX_TMPDIR", &tmp.0)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = std::fs::read_to_string(tmp.0.join("evidence/etcd-sandbox.md")).unwrap();
    assert!(summary.starts_with("# etcd sandbox: FAIL"), "{summary}");
    assert!(summary.contains("What the sandbox could not verify"));
    let left: Vec<_> = std::fs::read_dir(&tmp.0)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("assay-etcd-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
