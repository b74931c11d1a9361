//! What makes a pod a Windows pod, shared by the HARD and WIN packs: the
//! Linux hardening rules stay silent for Windows pods, and the WIN rules say
//! what applies instead.
//!
//! A pod targets Windows when `spec.os.name` is `windows`, or when its node
//! selection pins it to Windows nodes: `nodeSelector` `kubernetes.io/os:
//! windows`, or a required node affinity whose every term asks for
//! `kubernetes.io/os In [windows]` (kubernetes.io/docs/concepts/windows/user-guide/,
//! "Ensuring OS-specific workloads land on the appropriate container host").

use assay_yaml::Value;

/// The node label the kubelet sets to the node's OS.
pub(crate) const OS_LABEL: &str = "kubernetes.io/os";
/// Its deprecated predecessor, still set by kubelets and used in old manifests.
const BETA_OS_LABEL: &str = "beta.kubernetes.io/os";

/// `spec.os.name` and its node.
pub(crate) fn os_name(pod: Value<'_>) -> Option<(&str, Value<'_>)> {
    let node = pod.path(&["os", "name"])?;
    Some((node.as_str()?, node))
}

/// The OS the pod's node selection pins it to, with the node that says so:
/// the `nodeSelector` entry, else the affinity when every required term
/// asks for one and the same OS.
pub(crate) fn selector_os(pod: Value<'_>) -> Option<(&str, Value<'_>)> {
    for label in [OS_LABEL, BETA_OS_LABEL] {
        if let Some(v) = pod.path(&["nodeSelector", label])
            && let Some(text) = v.as_str()
        {
            return Some((text, v));
        }
    }
    let terms = pod.path(&[
        "affinity",
        "nodeAffinity",
        "requiredDuringSchedulingIgnoredDuringExecution",
        "nodeSelectorTerms",
    ])?;
    let mut pinned: Option<(&str, Value<'_>)> = None;
    for term in terms.items() {
        let os = term
            .get("matchExpressions")
            .into_iter()
            .flat_map(Value::items)
            .find_map(|e| {
                let key = e.get_str("key")?;
                if (key != OS_LABEL && key != BETA_OS_LABEL) || e.get_str("operator") != Some("In")
                {
                    return None;
                }
                let values = e.get("values")?;
                let mut items = values.items();
                let first = items.next()?;
                (items.len() == 0).then_some((first.as_str()?, first))
            })?;
        match pinned {
            Some((p, _)) if p != os.0 => return None,
            _ => pinned = Some(os),
        }
    }
    pinned
}

/// A pod meant for Windows nodes, by `spec.os.name` or by its node selection.
pub(crate) fn is_windows_pod(pod: Value<'_>) -> bool {
    os_name(pod).is_some_and(|(os, _)| os == "windows")
        || selector_os(pod).is_some_and(|(os, _)| os == "windows")
}

/// A container image that only runs on Windows, with the Windows build its
/// tag names (process isolation needs the node's build to match).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct WindowsImage {
    /// `(major, minor, build)`, e.g. `(10, 0, 20348)` for ltsc2022.
    pub(crate) build: Option<(u32, u32, u32)>,
}

/// Tag fragments that name a Windows Server release, and its build
/// (learn.microsoft.com/virtualization/windowscontainers/deploy-containers/version-compatibility).
pub(crate) const RELEASE_BUILDS: &[(&str, (u32, u32, u32))] = &[
    ("ltsc2019", (10, 0, 17763)),
    ("1809", (10, 0, 17763)),
    ("ltsc2022", (10, 0, 20348)),
    ("ltsc2025", (10, 0, 26100)),
];

/// Repository paths of Windows base images and of images built on them
/// (mcr.microsoft.com catalogue: Windows base images, .NET Framework, IIS).
const WINDOWS_REPOSITORIES: &[&str] = &[
    "mcr.microsoft.com/windows/servercore",
    "mcr.microsoft.com/windows/nanoserver",
    "mcr.microsoft.com/windows/server",
    "mcr.microsoft.com/windows",
    "mcr.microsoft.com/dotnet/framework/",
    "microsoft/windowsservercore",
    "microsoft/nanoserver",
    "microsoft/iis",
    "microsoft/aspnet",
    "microsoft/dotnet-framework",
];

/// Whether an image reference is a Windows image, recognised by its
/// repository or by a Windows release in its tag.
pub(crate) fn windows_image(reference: &str) -> Option<WindowsImage> {
    let text = reference.trim().to_ascii_lowercase();
    let (name, tag) = match text.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => {
            (n.to_owned(), t.split('@').next().unwrap_or(t).to_owned())
        }
        _ => (text.clone(), String::new()),
    };
    let by_repository = WINDOWS_REPOSITORIES.iter().any(|r| {
        let r = r.trim_end_matches('/');
        name == r || name.starts_with(&format!("{r}/"))
    });
    let by_tag = [
        "ltsc2019",
        "ltsc2022",
        "ltsc2025",
        "windowsservercore",
        "nanoserver",
        "servercore",
    ]
    .iter()
    .any(|t| tag.contains(t));
    if !by_repository && !by_tag {
        return None;
    }
    let build = RELEASE_BUILDS
        .iter()
        .find(|(release, _)| {
            // `1809` only as a whole tag component, not inside a version number.
            tag.split(['-', '_', '.']).any(|part| part == *release)
                || (release.starts_with("ltsc") && tag.contains(release))
        })
        .map(|(_, b)| *b)
        .or_else(|| build_in_tag(&tag));
    Some(WindowsImage { build })
}

/// A `10.0.20348` written in a tag (`10.0.20348.2655-amd64`).
fn build_in_tag(tag: &str) -> Option<(u32, u32, u32)> {
    let start = tag.find("10.0.")?;
    let mut parts = tag.get(start..)?.split(['.', '-', '_']);
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    let build = parts.next()?.parse().ok()?;
    Some((major, minor, build))
}

/// `10.0.20348` from a pool's `windowsBuild`.
pub(crate) fn parse_build(text: &str) -> Option<(u32, u32, u32)> {
    let mut parts = text.split('.').map(|p| p.parse::<u32>().ok());
    Some((parts.next()??, parts.next()??, parts.next()??))
}

#[cfg(test)]
mod tests {
    use super::*;
    use assay_yaml::Limits;

    fn pod(text: &str) -> bool {
        let loaded = assay_yaml::load(text.as_bytes(), &Limits::default());
        let doc = loaded.tree.documents()[0].root;
        is_windows_pod(loaded.tree.value(doc))
    }

    #[test]
    fn windows_by_os_name_selector_or_affinity() {
        assert!(pod("os: {name: windows}\n"));
        assert!(pod("nodeSelector: {kubernetes.io/os: windows}\n"));
        assert!(pod("nodeSelector: {beta.kubernetes.io/os: windows}\n"));
        assert!(pod(
            "affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/os, operator: In, values: [windows]}]}]}}}\n"
        ));
        assert!(!pod(
            "affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/os, operator: In, values: [windows, linux]}]}]}}}\n"
        ));
        assert!(
            !pod(
                "affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/os, operator: In, values: [windows]}]}, {matchExpressions: [{key: disk, operator: Exists}]}]}}}\n"
            ),
            "one term leaves the OS open"
        );
        assert!(!pod("nodeSelector: {kubernetes.io/os: linux}\n"));
        assert!(!pod("containers: []\n"));
    }

    #[test]
    fn windows_images_are_recognised() {
        let ltsc2022 = Some((10, 0, 20348));
        assert_eq!(
            windows_image("mcr.microsoft.com/windows/servercore:ltsc2022").map(|w| w.build),
            Some(ltsc2022)
        );
        assert_eq!(
            windows_image("mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019")
                .map(|w| w.build),
            Some(Some((10, 0, 17763)))
        );
        assert_eq!(
            windows_image("mcr.microsoft.com/dotnet/framework/aspnet:4.8").map(|w| w.build),
            Some(None)
        );
        assert_eq!(windows_image("microsoft/iis").map(|w| w.build), Some(None));
        assert_eq!(
            windows_image("registry.example/app:1.0-nanoserver-1809").map(|w| w.build),
            Some(Some((10, 0, 17763)))
        );
        assert_eq!(
            windows_image("mcr.microsoft.com/windows/nanoserver:10.0.26100.1742").map(|w| w.build),
            Some(Some((10, 0, 26100)))
        );
        assert_eq!(windows_image("nginx:1.27"), None);
        assert_eq!(windows_image("mcr.microsoft.com/dotnet/aspnet:8.0"), None);
        assert_eq!(
            windows_image("app:1809"),
            None,
            "a bare number is not a Windows tag"
        );
    }
}
