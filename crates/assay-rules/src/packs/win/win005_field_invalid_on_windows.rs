use crate::packs::hard::{POD_KINDS, pod_of};
use crate::windows::{os_name, selector_os};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::Severity;
use assay_model::{ObjectView, k8s_bool};
use assay_yaml::Value;

/// How a field counts as set in `validateWindows`: pointer fields and lists
/// whenever written, the pod's `hostPID` / `hostIPC` booleans only when true.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Set {
    Written,
    True,
}

/// Pod-level fields `validateWindows` rejects (its internal `securityContext`
/// holds `hostPID`, `hostIPC`, `hostUsers`, `shareProcessNamespace`, which the
/// v1 API has on the pod spec).
const POD_FIELDS: &[(&str, Set)] = &[
    ("hostPID", Set::True),
    ("hostIPC", Set::True),
    ("hostUsers", Set::Written),
    ("shareProcessNamespace", Set::Written),
];

/// `spec.securityContext` fields `validateWindows` rejects.
const POD_SECURITY_FIELDS: &[&str] = &[
    "appArmorProfile",
    "seLinuxOptions",
    "seccompProfile",
    "fsGroup",
    "fsGroupChangePolicy",
    "sysctls",
    "runAsUser",
    "runAsGroup",
    "supplementalGroups",
    "supplementalGroupsPolicy",
    "seLinuxChangePolicy",
];

/// Container `securityContext` fields `validateWindows` rejects.
const CONTAINER_SECURITY_FIELDS: &[&str] = &[
    "appArmorProfile",
    "seLinuxOptions",
    "seccompProfile",
    "capabilities",
    "readOnlyRootFilesystem",
    "privileged",
    "allowPrivilegeEscalation",
    "procMount",
    "runAsUser",
    "runAsGroup",
];

declare_rule! {
    /// A Linux-only field on a Windows pod: rejected by the API server, or ignored
    ///
    /// ## What it checks
    /// The fields `validateWindows` in `pkg/apis/core/validation/validation.go`
    /// forbids when `spec.os.name` is `windows`, field by field, each reported
    /// at its key:
    /// - pod: `hostPID: true`, `hostIPC: true`, `hostUsers`, `shareProcessNamespace`;
    /// - `spec.securityContext`: `appArmorProfile`, `seLinuxOptions`,
    ///   `seccompProfile`, `fsGroup`, `fsGroupChangePolicy`, `sysctls`,
    ///   `runAsUser`, `runAsGroup`, `supplementalGroups`,
    ///   `supplementalGroupsPolicy`, `seLinuxChangePolicy`;
    /// - each container's, init container's and ephemeral container's
    ///   `securityContext`: `appArmorProfile`, `seLinuxOptions`,
    ///   `seccompProfile`, `capabilities`, `readOnlyRootFilesystem`,
    ///   `privileged`, `allowPrivilegeEscalation`, `procMount`, `runAsUser`,
    ///   `runAsGroup`.
    ///
    /// With `spec.os.name: windows` each is an error: the API server rejects
    /// the pod. On a pod pinned to Windows nodes without `spec.os.name`, each is
    /// a warning: accepted, then silently ignored on the node. With
    /// `spec.os.name: linux`, `windowsOptions` anywhere is the error
    /// (`validateLinux`).
    ///
    /// ## Why it matters
    /// A rejected pod never starts; an ignored setting gives a false sense of
    /// hardening (`readOnlyRootFilesystem`, `runAsUser` and capabilities do
    /// nothing on Windows).
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
    ///       securityContext:
    ///         readOnlyRootFilesystem: true
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
    ///       securityContext:
    ///         windowsOptions:
    ///           runAsUserName: ContainerUser
    /// ```
    ///
    /// ## References
    /// - `validateWindows` and `validateLinux`: https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go
    /// - Windows in Kubernetes, "Compatibility and limitations" (fields with no effect on Windows): https://kubernetes.io/docs/concepts/windows/intro/
    /// - Pod OS: https://kubernetes.io/docs/concepts/workloads/pods/#pod-os
    pub(crate) struct FieldInvalidOnWindows {
        id: "WIN005",
        name: "field-invalid-on-windows",
        severity: Error,
        scope: Scope::Object(POD_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for FieldInvalidOnWindows {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(pod) = object.pod_spec() else {
            return;
        };
        let declared = os_name(pod).map(|(os, _)| os);
        if declared == Some("linux") {
            linux_windows_options(object, pod, out);
            return;
        }
        let rejected = declared == Some("windows");
        if !rejected && selector_os(pod).map(|(os, _)| os) != Some("windows") {
            return;
        }
        let mut report = |key: Value<'_>, field: &str, whose: String| {
            let (message, severity) = if rejected {
                (
                    format!(
                        "{whose} sets `{field}`, which cannot be set for a Windows pod: the API server rejects the pod (spec.os.name is windows)"
                    ),
                    Severity::Error,
                )
            } else {
                (
                    format!(
                        "{whose} sets `{field}`, which has no effect on Windows nodes, where the pod is pinned: the setting is silently ignored"
                    ),
                    Severity::Warning,
                )
            };
            let mut f = out
                .at(object.at(key.span()), message)
                .object(object.display())
                .fix(format!("remove `{field}`; on Windows use `securityContext.windowsOptions` (for example `runAsUserName: ContainerUser`)"));
            f.severity = severity;
            out.push(f);
        };
        for (field, set) in POD_FIELDS {
            if let Some((key, value)) = pod.entry(field)
                && !value.is_null()
                && (*set == Set::Written || k8s_bool(value) == Some(true))
            {
                report(key, field, pod_of(object));
            }
        }
        if let Some(sc) = pod.get("securityContext") {
            for field in POD_SECURITY_FIELDS {
                if let Some((key, value)) = sc.entry(field)
                    && written(field, value)
                {
                    report(key, &format!("securityContext.{field}"), pod_of(object));
                }
            }
        }
        for c in object.containers() {
            let Some(sc) = c.security_context() else {
                continue;
            };
            for field in CONTAINER_SECURITY_FIELDS {
                if let Some((key, value)) = sc.entry(field)
                    && written(field, value)
                {
                    report(
                        key,
                        &format!("securityContext.{field}"),
                        format!("{} of {}", c.describe(), object.display()),
                    );
                }
            }
        }
    }
}

/// Set to something: not null; `sysctls` only when not empty
/// (`len(securityContext.Sysctls) > 0`, the other fields `!= nil`).
fn written(field: &str, value: Value<'_>) -> bool {
    if value.is_null() {
        return false;
    }
    field != "sysctls" || !value.is_empty()
}

/// `validateLinux`: `windowsOptions` is forbidden on a Linux pod.
fn linux_windows_options(object: &ObjectView<'_>, pod: Value<'_>, out: &mut Findings<'_>) {
    let pod_sc = pod.get("securityContext").map(|sc| (sc, pod_of(object)));
    let containers = object.containers().into_iter().filter_map(|c| {
        Some((
            c.security_context()?,
            format!("{} of {}", c.describe(), object.display()),
        ))
    });
    for (sc, whose) in pod_sc.into_iter().chain(containers) {
        if let Some((key, value)) = sc.entry("windowsOptions")
            && !value.is_null()
        {
            let f = out
                .at(
                    object.at(key.span()),
                    format!("{whose} sets `securityContext.windowsOptions`, which cannot be set for a Linux pod: the API server rejects the pod (spec.os.name is linux)"),
                )
                .object(object.display())
                .fix("remove `windowsOptions`, or set `spec.os.name: windows` if the pod is meant for Windows");
            out.push(f);
        }
    }
}
