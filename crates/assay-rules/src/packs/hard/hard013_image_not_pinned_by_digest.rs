use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::{code, plain};
use assay_model::ContainerView;

use super::container_image;

declare_rule! {
    /// A container image is pinned by tag but not by digest
    ///
    /// ## What it checks
    /// The `image` of every container, init container and ephemeral container
    /// that has a version tag (not `latest`, which HARD012 reports) but no
    /// digest, or a digest that is not a well-formed `sha256:` (64 hex digits)
    /// or `sha512:` (128) one. Informational: many teams pin by tag on purpose.
    /// Templated values are skipped. Not a Pod Security Standards control.
    ///
    /// ## Why it matters
    /// Tags are mutable: a registry account compromise, a CI job re-pushing
    /// `1.4.2`, or a vendor's rebuild changes what the tag points to, and every
    /// new pod silently runs the new content. A digest names exactly one image
    /// and makes supply-chain verification (signatures, SBOMs) meaningful. Keep
    /// the tag next to the digest for readers: `app:1.4.2@sha256:…`.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: registry.example.com:5000/shop/web:1.4.2
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: registry.example.com:5000/shop/web:1.4.2@sha256:9b2e64b1a7e5c04f07a4b54b9ad3a3d3c2f27b9d1a0e65b2e6b1c2d3e4f5a6b7
    /// ```
    ///
    /// ## References
    /// - Images, pulling by digest: https://kubernetes.io/docs/concepts/containers/images/#image-names
    /// - OCI image spec, digests: https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests
    /// - SLSA, pinned dependencies: https://slsa.dev/spec/v1.0/requirements
    pub(crate) struct ImageNotPinnedByDigest {
        id: "HARD013",
        name: "image-not-pinned-by-digest",
        severity: Info,
        scope: Scope::Container,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for ImageNotPinnedByDigest {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(&self, _ctx: &Context<'_>, c: &ContainerView<'_>, out: &mut Findings<'_>) {
        let Some((value, image)) = container_image(c) else {
            return;
        };
        let text = value.as_str().unwrap_or_default();
        if image.has_valid_digest() {
            return;
        }
        let message = match (image.digest, image.tag) {
            (Some(digest), _) => format!(
                "image {} of {} in {} has a malformed digest {} (expected `sha256:` and 64 hex digits)",
                code(text),
                c.describe(),
                c.owner(),
                code(digest)
            ),
            (None, Some(tag)) if tag != "latest" => format!(
                "image {} of {} in {} is pinned by the tag {} only, which can be re-pushed; add its digest",
                code(text),
                c.describe(),
                c.owner(),
                code(tag)
            ),
            (None, _) => return,
        };
        let tag = image
            .tag
            .map(|t| format!(":{}", plain(t)))
            .unwrap_or_default();
        let f = out
            .at(c.at(value.span()), message)
            .object(c.owner())
            .fix(format!(
                "append the digest the tag resolves to today (`crane digest {}{tag}` or `docker buildx imagetools inspect`): `image: {}{tag}@sha256:<digest>`",
                plain(image.name),
                plain(image.name)
            ));
        out.push(f);
    }
}
