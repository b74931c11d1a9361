use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ContainerView;

declare_rule! {
    /// The deliverable deploys an ingress-nginx controller open to IngressNightmare
    ///
    /// ## What it checks
    /// A container whose image is the ingress-nginx controller
    /// (`registry.k8s.io/ingress-nginx/controller`, the older
    /// `k8s.gcr.io/ingress-nginx/controller`, or the legacy
    /// `quay.io/kubernetes-ingress-controller/nginx-ingress-controller`) with a
    /// version tag below v1.11.5, or v1.12.0 (pre-releases included). The
    /// fixes shipped in v1.11.5 and v1.12.1. An image pinned by digest only is
    /// not judged.
    ///
    /// ## Why it matters
    /// CVE-2025-1974 (CVSS 9.8) lets anything that reaches the admission
    /// webhook on the pod network run code in the controller, which can read
    /// every Secret of the cluster; CVE-2025-1097, 1098, 24513 and 24514 were
    /// fixed in the same releases.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: ingress-nginx-controller
    ///   namespace: ingress-nginx
    /// spec:
    ///   selector:
    ///     matchLabels: {app: ingress-nginx}
    ///   template:
    ///     metadata:
    ///       labels: {app: ingress-nginx}
    ///     spec:
    ///       containers:
    ///         - name: controller
    ///           image: registry.k8s.io/ingress-nginx/controller:v1.11.3
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: ingress-nginx-controller
    ///   namespace: ingress-nginx
    /// spec:
    ///   selector:
    ///     matchLabels: {app: ingress-nginx}
    ///   template:
    ///     metadata:
    ///       labels: {app: ingress-nginx}
    ///     spec:
    ///       containers:
    ///         - name: controller
    ///           image: registry.k8s.io/ingress-nginx/controller:v1.12.1
    /// ```
    ///
    /// ## References
    /// - Kubernetes blog, "Ingress-nginx CVE-2025-1974: What You Need to Know" (fixed in v1.12.1 and v1.11.5): https://kubernetes.io/blog/2025/03/24/ingress-nginx-cve-2025-1974/
    /// - CVE-2025-1974 advisory: https://github.com/kubernetes/kubernetes/issues/131009
    pub(crate) struct ControllerIngressNightmare {
        id: "INGRESS009",
        name: "ingress-nginx-vulnerable-controller",
        severity: Error,
        scope: Scope::Container,
        fix: Always,
        since: "0.1.0",
    }
}

const CONTROLLER_IMAGES: &[&str] = &[
    "registry.k8s.io/ingress-nginx/controller",
    "k8s.gcr.io/ingress-nginx/controller",
    "quay.io/kubernetes-ingress-controller/nginx-ingress-controller",
];

/// `(major, minor, patch, pre-release)` of a tag like `v1.12.0-beta.0`.
fn version(tag: &str) -> Option<(u64, u64, u64, bool)> {
    let tag = tag.strip_prefix("controller-").unwrap_or(tag);
    let tag = tag.strip_prefix('v').unwrap_or(tag);
    let (core, pre) = match tag.split_once('-') {
        Some((core, _)) => (core, true),
        None => (tag, false),
    };
    let mut parts = core.split('.').map(str::parse::<u64>);
    let major = parts.next()?.ok()?;
    let minor = parts.next()?.ok()?;
    let patch = parts.next().unwrap_or(Ok(0)).ok()?;
    Some((major, minor, patch, pre))
}

/// Whether a controller version lacks the CVE-2025-1974 fix.
fn vulnerable((major, minor, patch, pre): (u64, u64, u64, bool)) -> bool {
    match (major, minor) {
        (0, _) => true,
        (1, m) if m < 11 => true,
        (1, 11) => patch < 5 || (patch == 5 && pre),
        (1, 12) => patch == 0 || (patch == 1 && pre),
        _ => false,
    }
}

impl Rule for ControllerIngressNightmare {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(&self, _ctx: &Context<'_>, c: &ContainerView<'_>, out: &mut Findings<'_>) {
        let Some(node) = c.image() else {
            return;
        };
        let Some(image) = node.as_str() else {
            return;
        };
        let without_digest = image.split('@').next().unwrap_or(image);
        let Some((repo, tag)) = without_digest
            .rsplit_once(':')
            .filter(|(r, _)| !r.ends_with('/'))
        else {
            return;
        };
        if !CONTROLLER_IMAGES.contains(&repo) {
            return;
        }
        if !version(tag).is_some_and(vulnerable) {
            return;
        }
        let f = out
            .at(
                c.at(node.span()),
                format!(
                    "{} of {} runs ingress-nginx controller {tag}, which lacks the fix for CVE-2025-1974 (IngressNightmare, unauthenticated code execution through the admission webhook)",
                    c.describe(),
                    c.owner()
                ),
            )
            .object(c.owner())
            .fix("upgrade the controller to v1.12.1 or v1.11.5 or later (and until then restrict who can reach the admission webhook)");
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_releases() {
        let v = |t| version(t).is_some_and(vulnerable);
        assert!(v("v1.11.4"));
        assert!(!v("v1.11.5"));
        assert!(v("v1.12.0"));
        assert!(v("v1.12.0-beta.0"));
        assert!(v("v1.12.1-beta.1"));
        assert!(!v("v1.12.1"));
        assert!(!v("v1.13.0"));
        assert!(v("0.49.3"));
        assert!(v("v1.9"));
        assert!(version("latest").is_none());
    }
}
