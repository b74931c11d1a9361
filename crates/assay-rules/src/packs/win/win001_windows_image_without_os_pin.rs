use crate::packs::hard::{POD_KINDS, pod_of};
use crate::windows::{os_name, selector_os, windows_image};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// A Windows image in a pod that is not pinned to Windows nodes
    ///
    /// ## What it checks
    /// Containers whose image only runs on Windows — the Windows base images
    /// (`mcr.microsoft.com/windows/servercore`, `nanoserver`, `server`,
    /// `windows`), images built on them (`.../dotnet/framework/...`, IIS,
    /// `microsoft/iis`) and tags naming a Windows release (`ltsc2019`,
    /// `ltsc2022`, `ltsc2025`, `windowsservercore`, `nanoserver`) — in a pod
    /// that does not select Windows nodes (`nodeSelector: {kubernetes.io/os:
    /// windows}` or a required node affinity on `kubernetes.io/os`). A pod
    /// pinned to Linux is reported too, and so is one that only sets
    /// `spec.os.name: windows`: the scheduler does not read that field. One
    /// finding per container, at its image.
    ///
    /// ## Why it matters
    /// Nothing else keeps the pod off Linux nodes: in a mixed cluster the
    /// scheduler may place it on a Linux node, where the image cannot start and
    /// the pod loops in `ErrImagePull` / `CreateContainerError`. The Kubernetes
    /// Windows guide asks every Windows workload to select Windows nodes;
    /// `spec.os.name` only drives validation and Pod Security admission.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: iis
    /// spec:
    ///   selector:
    ///     matchLabels: {app: iis}
    ///   template:
    ///     metadata:
    ///       labels: {app: iis}
    ///     spec:
    ///       containers:
    ///         - name: iis
    ///           image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: iis
    /// spec:
    ///   selector:
    ///     matchLabels: {app: iis}
    ///   template:
    ///     metadata:
    ///       labels: {app: iis}
    ///     spec:
    ///       os:
    ///         name: windows
    ///       nodeSelector:
    ///         kubernetes.io/os: windows
    ///       containers:
    ///         - name: iis
    ///           image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
    /// ```
    ///
    /// ## References
    /// - Kubernetes, Windows containers user guide, "Ensuring OS-specific workloads land on the appropriate container host": https://kubernetes.io/docs/concepts/windows/user-guide/
    /// - Pod OS field (not used for scheduling): https://kubernetes.io/docs/concepts/workloads/pods/#pod-os
    /// - Well-known label `kubernetes.io/os`: https://kubernetes.io/docs/reference/labels-annotations-taints/#kubernetes-io-os
    /// - Windows base images: https://learn.microsoft.com/virtualization/windowscontainers/manage-containers/container-base-images
    pub(crate) struct WindowsImageWithoutOsPin {
        id: "WIN001",
        name: "windows-image-without-os-pin",
        severity: Error,
        scope: Scope::Object(POD_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for WindowsImageWithoutOsPin {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(pod) = object.pod_spec() else {
            return;
        };
        let selected = selector_os(pod).map(|(os, _)| os);
        if selected == Some("windows") {
            return;
        }
        let declared = os_name(pod).map(|(os, _)| os);
        for c in object.containers() {
            let Some(image) = c.image() else { continue };
            if image.as_str().and_then(windows_image).is_none() {
                continue;
            }
            let why = match (selected, declared) {
                (Some(os), _) => format!("selects `kubernetes.io/os: {os}` nodes"),
                (None, Some("windows")) => {
                    "only sets `spec.os.name: windows`, which the scheduler does not read"
                        .to_owned()
                }
                (None, _) => {
                    "does not select Windows nodes (`kubernetes.io/os: windows`)".to_owned()
                }
            };
            let f = out
                .at(
                    c.at(image.span()),
                    format!(
                        "{} of {} runs the Windows image `{}`, but {} {why}; it can be placed on a Linux node, where the image cannot start",
                        c.describe(),
                        object.display(),
                        image.as_str().unwrap_or_default(),
                        pod_of(object)
                    ),
                )
                .object(object.display())
                .fix("add `nodeSelector: {kubernetes.io/os: windows}` and `os: {name: windows}` to the pod spec");
            out.push(f);
        }
    }
}
