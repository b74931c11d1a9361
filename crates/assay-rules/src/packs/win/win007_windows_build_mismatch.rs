use crate::packs::hard::POD_KINDS;
use crate::windows::{RELEASE_BUILDS, parse_build, windows_image};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;
use assay_profile::Os;

fn release_of(build: (u32, u32, u32)) -> String {
    let (a, b, c) = build;
    RELEASE_BUILDS
        .iter()
        .find(|(name, bld)| *bld == build && name.starts_with("ltsc"))
        .map_or_else(
            || format!("{a}.{b}.{c}"),
            |(name, _)| format!("{name}, {a}.{b}.{c}"),
        )
}

declare_rule! {
    /// A Windows image whose build matches none of the Windows pools it can run on
    ///
    /// ## What it checks
    /// Needs `--cluster-profile`. For each container image whose tag names a
    /// Windows build (`ltsc2019` = 10.0.17763, `ltsc2022` = 10.0.20348,
    /// `ltsc2025` = 10.0.26100, or a `10.0.x` version), the Windows pools the
    /// pod's node selection admits (`node.kubernetes.io/windows-build` of each
    /// pool). Under process isolation the image's build must equal the node's;
    /// when the pod's RuntimeClass (in the profile) uses Hyper-V isolation, an
    /// image of an older build also runs on a newer host. Reported at the
    /// image when no admitted pool can run it.
    ///
    /// ## Why it matters
    /// The kubelet pulls the image and the container fails to start with
    /// `The container operating system does not match the host operating
    /// system`, on every node of the pool. Pinning by
    /// `node.kubernetes.io/windows-build`, or building one image per Windows
    /// release (a multi-arch manifest), avoids it.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// # cluster-profile: aks-mixed
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
    ///           image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// # cluster-profile: aks-mixed
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
    ///         node.kubernetes.io/windows-build: 10.0.20348
    ///       containers:
    ///         - name: iis
    ///           image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
    /// ```
    ///
    /// ## References
    /// - Windows container version compatibility: https://learn.microsoft.com/virtualization/windowscontainers/deploy-containers/version-compatibility
    /// - Kubernetes, Windows containers user guide (windows-build label, RuntimeClass): https://kubernetes.io/docs/concepts/windows/user-guide/
    /// - Well-known label `node.kubernetes.io/windows-build`: https://kubernetes.io/docs/reference/labels-annotations-taints/#nodekubernetesiowindows-build
    pub(crate) struct WindowsBuildMismatch {
        id: "WIN007",
        name: "windows-build-mismatch",
        severity: Error,
        scope: Scope::Object(POD_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for WindowsBuildMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(profile) = ctx.cluster_profile else {
            return;
        };
        let Some(pod) = object.pod_spec() else {
            return;
        };
        let hyperv = pod
            .get_str("runtimeClassName")
            .and_then(|n| profile.runtime_class(n))
            .is_some_and(assay_profile::RuntimeClass::is_hyperv);
        let pools: Vec<_> = assay_schedule::pool_fits(object, profile)
            .into_iter()
            .filter(|f| f.pool.os == Os::Windows && f.selected)
            .filter_map(|f| Some((f.pool, parse_build(f.pool.windows_build.as_deref()?)?)))
            .collect();
        if pools.is_empty() {
            return;
        }
        for c in object.containers() {
            let Some(image) = c.image() else { continue };
            let Some(build) = image.as_str().and_then(windows_image).and_then(|w| w.build) else {
                continue;
            };
            // Builds compare by their build number (10.0.x): Hyper-V runs an
            // older image on a newer host; process isolation needs the same.
            let runs = |host: (u32, u32, u32)| {
                if hyperv {
                    build <= host
                } else {
                    build.2 == host.2
                }
            };
            if pools.iter().any(|(_, host)| runs(*host)) {
                continue;
            }
            let hosts: Vec<String> = pools
                .iter()
                .map(|(p, host)| format!("`{}` ({})", p.name, release_of(*host)))
                .collect();
            let isolation = if hyperv { "Hyper-V" } else { "process" };
            let f = out
                .at(
                    c.at(image.span()),
                    format!(
                        "{} of {} runs a Windows image built for {}, but the Windows pools it can run on in cluster profile {} are {}; under {isolation} isolation the container cannot start there",
                        c.describe(),
                        object.display(),
                        release_of(build),
                        profile.name,
                        hosts.join(", ")
                    ),
                )
                .object(object.display())
                .fix("use the image tag for the pool's Windows release (or a multi-arch manifest), and pin the build with `nodeSelector: {node.kubernetes.io/windows-build: ...}`");
            out.push(f);
        }
    }
}
