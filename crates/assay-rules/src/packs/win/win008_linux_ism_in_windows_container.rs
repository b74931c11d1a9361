use super::targets_windows;
use crate::packs::hard::{POD_KINDS, pod_of};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;
use assay_yaml::Value;

/// Programs that only exist in Linux images.
const LINUX_SHELLS: &[&str] = &[
    "sh",
    "bash",
    "ash",
    "dash",
    "zsh",
    "/bin/sh",
    "/bin/bash",
    "/usr/bin/bash",
    "/usr/bin/env",
    "/bin/ash",
    "/bin/busybox",
];

/// Mount paths under Linux system folders.
const LINUX_PATHS: &[&str] = &[
    "/etc", "/var", "/usr", "/proc", "/sys", "/dev", "/run", "/tmp", "/opt", "/home", "/root",
    "/lib",
];

fn is_linux_path(path: &str) -> bool {
    LINUX_PATHS
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

declare_rule! {
    /// Linux-isms in a Windows pod: shells, Linux paths, memory emptyDir, huge pages
    ///
    /// ## What it checks
    /// In pods that target Windows (`spec.os.name`, node selection, or a
    /// Windows image), each at its node:
    /// - `command`, `args`, exec probes and lifecycle hooks whose program is a
    ///   Linux shell (`sh`, `bash`, `/bin/sh`, …);
    /// - `volumeMounts[].mountPath` under folders that only mean something on
    ///   Linux (`/proc`, `/sys`, `/dev`, `/run`, `/var/run`, `/etc`); other
    ///   Unix-style paths are fine (Windows maps `/data` to `C:\data`), and
    ///   HostProcess containers, whose mounts land in their sandbox, are not
    ///   checked for paths;
    /// - `emptyDir.medium: Memory` (no tmpfs on Windows);
    /// - `hugepages-*` resources (huge pages are not supported on Windows).
    ///
    /// ## Why it matters
    /// Windows images have no `sh`: the container or probe fails with
    /// "executable file not found" and the pod restarts forever. The other
    /// settings are unsupported on Windows nodes and do not do what they say.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: iis
    /// spec:
    ///   os:
    ///     name: windows
    ///   nodeSelector:
    ///     kubernetes.io/os: windows
    ///   containers:
    ///     - name: iis
    ///       image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
    ///       livenessProbe:
    ///         exec:
    ///           command: ["sh", "-c", "curl -f http://localhost/"]
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: iis
    /// spec:
    ///   os:
    ///     name: windows
    ///   nodeSelector:
    ///     kubernetes.io/os: windows
    ///   containers:
    ///     - name: iis
    ///       image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
    ///       livenessProbe:
    ///         exec:
    ///           command: ["powershell", "-Command", "Invoke-WebRequest -UseBasicParsing http://localhost/"]
    /// ```
    ///
    /// ## References
    /// - Windows in Kubernetes, "Compatibility and limitations" (emptyDir Memory, huge pages, file paths): https://kubernetes.io/docs/concepts/windows/intro/
    /// - Kubernetes, Windows containers user guide: https://kubernetes.io/docs/concepts/windows/user-guide/
    pub(crate) struct LinuxIsmInWindowsContainer {
        id: "WIN008",
        name: "linux-ism-in-windows-container",
        severity: Warning,
        scope: Scope::Object(POD_KINDS),
        fix: Never,
        since: "0.1.0",
    }
}

impl Rule for LinuxIsmInWindowsContainer {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(pod) = object.pod_spec() else {
            return;
        };
        if !targets_windows(object) {
            return;
        }
        let owner = object.display();
        for c in object.containers() {
            let whose = format!("{} of {owner}", c.describe());
            // The program is the first word of command, else of args.
            let mut programs: Vec<(Value<'_>, &str)> = Vec::new();
            if let Some(first) = c
                .command()
                .first()
                .copied()
                .or_else(|| c.args().first().copied())
            {
                programs.push((first, "runs"));
            }
            for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                if let Some(first) = c
                    .node
                    .path(&[probe, "exec", "command"])
                    .and_then(|v| v.items().next())
                {
                    programs.push((first, "probes with"));
                }
            }
            for hook in ["postStart", "preStop"] {
                if let Some(first) = c
                    .node
                    .path(&["lifecycle", hook, "exec", "command"])
                    .and_then(|v| v.items().next())
                {
                    programs.push((first, "hooks with"));
                }
            }
            for (node, verb) in programs {
                let Some(program) = node.as_str() else {
                    continue;
                };
                let word = program.split_whitespace().next().unwrap_or_default();
                if LINUX_SHELLS.contains(&word) {
                    let f = out
                        .at(c.at(node.span()), format!("{whose} {verb} `{word}`, a Linux shell that Windows images do not have"))
                        .object(owner.clone())
                        .fix("use `cmd /c` or `powershell -Command`, or call the program directly");
                    out.push(f);
                }
            }
            let host_process = c
                .effective_setting("windowsOptions")
                .and_then(|w| w.get("hostProcess"))
                .and_then(assay_model::k8s_bool)
                == Some(true);
            for mount in c.volume_mounts().into_iter().filter(|_| !host_process) {
                if let Some(path) = mount.get("mountPath")
                    && path.as_str().is_some_and(is_linux_path)
                {
                    let f = out
                        .at(
                            c.at(path.span()),
                            format!(
                                "{whose} mounts a volume at the Linux path `{}`",
                                path.as_str().unwrap_or_default()
                            ),
                        )
                        .object(owner.clone())
                        .fix("mount at a Windows path such as `C:\\data`");
                    out.push(f);
                }
            }
            for section in ["requests", "limits"] {
                for (key, _) in c
                    .node
                    .path(&["resources", section])
                    .into_iter()
                    .flat_map(Value::entries)
                {
                    if key.as_str().is_some_and(|k| k.starts_with("hugepages-")) {
                        let f = out
                            .at(c.at(key.span()), format!("{whose} asks for `{}`; huge pages are not supported on Windows", key.as_str().unwrap_or_default()))
                            .object(owner.clone())
                            .fix("remove the hugepages resource");
                        out.push(f);
                    }
                }
            }
        }
        for volume in pod.get("volumes").into_iter().flat_map(Value::items) {
            if let Some(medium) = volume.path(&["emptyDir", "medium"])
                && medium.as_str() == Some("Memory")
            {
                let f = out
                    .at(object.at(medium.span()), format!("{} uses `emptyDir.medium: Memory` for volume `{}`; Windows has no memory-backed emptyDir", pod_of(object), volume.get_str("name").unwrap_or("<unnamed>")))
                    .object(owner.clone())
                    .fix("remove `medium: Memory` (a disk-backed emptyDir)");
                out.push(f);
            }
        }
    }
}
