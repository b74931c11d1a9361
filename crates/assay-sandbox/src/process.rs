//! The etcd process and its clean-up.
//!
//! etcd runs under a small `sh` watchdog, in its own process group, with the
//! write end of a pipe held by assay as the watchdog's stdin. However assay
//! ends — normal return, error, panic (the drop guard closes the pipe),
//! Ctrl-C or even SIGKILL (the kernel closes the pipe) — the watchdog reads
//! end-of-file, kills etcd, waits for it and removes the sandbox directory.

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

/// Waits for etcd to read end-of-file on its pipe, then kills etcd and
/// removes the directory. `$1` is the directory, the rest etcd's command.
const WATCHDOG: &str = r#"dir="$1"; shift
"$@" >"$dir/etcd.log" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$dir/etcd.pid"
read _ignored
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
rm -rf "$dir""#;

/// How long clean-up waits for the watchdog before killing the group.
const CLEANUP_WAIT: Duration = Duration::from_secs(5);

/// A private temporary directory, removed on drop.
pub(crate) struct SandboxDir {
    path: PathBuf,
}

impl SandboxDir {
    /// Create `assay-etcd-<pid>-<n>` with mode 0700 under `parent`.
    pub(crate) fn create(parent: &Path) -> io::Result<Self> {
        use std::os::unix::fs::DirBuilderExt as _;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let path = parent.join(format!("assay-etcd-{}-{stamp}", std::process::id()));
        std::fs::DirBuilder::new().mode(0o700).create(&path)?;
        Ok(Self { path })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for SandboxDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// A running etcd under its watchdog. Dropping it stops etcd and waits.
pub(crate) struct EtcdProcess {
    watchdog: Child,
    pipe: Option<ChildStdin>,
    dir: PathBuf,
}

impl EtcdProcess {
    /// Start `etcd` with `args`; its output goes to `etcd.log` in `dir`.
    pub(crate) fn start(etcd: &Path, args: &[String], dir: &Path) -> io::Result<Self> {
        use std::os::unix::process::CommandExt as _;
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(WATCHDOG)
            .arg("assay-sandbox-watchdog")
            .arg(dir)
            .arg(etcd)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group: a Ctrl-C in the terminal reaches assay
            // only, and the group can be killed as a whole.
            .process_group(0);
        let mut watchdog = command.spawn()?;
        let pipe = watchdog.stdin.take();
        Ok(Self {
            watchdog,
            pipe,
            dir: dir.to_path_buf(),
        })
    }

    /// Whether etcd itself is still running.
    pub(crate) fn etcd_running(&self) -> bool {
        std::fs::read_to_string(self.dir.join("etcd.pid"))
            .ok()
            .and_then(|p| p.trim().parse::<u32>().ok())
            .is_some_and(|pid| Path::new(&format!("/proc/{pid}")).exists())
    }

    /// Whether etcd's log mentions `text`.
    pub(crate) fn log_mentions(&self, text: &str) -> bool {
        std::fs::read_to_string(self.dir.join("etcd.log")).is_ok_and(|log| log.contains(text))
    }

    /// The last `lines` lines etcd wrote.
    pub(crate) fn log_tail(&self, lines: usize) -> String {
        let text = std::fs::read_to_string(self.dir.join("etcd.log")).unwrap_or_default();
        let all: Vec<&str> = text.lines().collect();
        all.get(all.len().saturating_sub(lines)..)
            .unwrap_or_default()
            .join("\n")
    }

    /// Stop etcd: close the pipe, wait for the watchdog, and if it does not
    /// finish in time kill the whole process group.
    pub(crate) fn stop(&mut self) {
        drop(self.pipe.take());
        let deadline = Instant::now() + CLEANUP_WAIT;
        while Instant::now() < deadline {
            match self.watchdog.try_wait() {
                Ok(Some(_)) | Err(_) => return,
                Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
        let group = format!("-{}", self.watchdog.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.watchdog.kill();
        let _ = self.watchdog.wait();
    }
}

impl Drop for EtcdProcess {
    fn drop(&mut self) {
        self.stop();
    }
}
