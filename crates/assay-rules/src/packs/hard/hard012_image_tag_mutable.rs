use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_compose::Service;
use assay_diagnostics::{code, plain};
use assay_model::ContainerView;

use super::{container_image, parse_image, service_owner};

declare_rule! {
    /// A container image has no tag or uses `:latest`
    ///
    /// ## What it checks
    /// The `image` of every container, init container and ephemeral container:
    /// a reference without a tag (which means `:latest`) or with the tag
    /// `latest`, and without a digest. A colon in the registry part is a port,
    /// not a tag (`registry:5000/app` has no tag). References pinned by digest
    /// (`app@sha256:…`) pass whatever their tag. Templated values (`{{ … }}`,
    /// `${…}`) are skipped. A version tag without a digest is HARD013's
    /// (informational) business. Not a Pod Security Standards control.
    ///
    /// Compose services: `image:` without a tag or with `latest`.
    ///
    /// ## Why it matters
    /// `latest` moves: two nodes pulling at different times run different code,
    /// a rollback redeploys whatever `latest` is today, and nothing records
    /// which build ran. Kubernetes also switches `imagePullPolicy` to `Always`
    /// for `latest`, so every pod start depends on the registry being reachable.
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
    ///       image: nginx:latest
    /// ```
    ///
    /// ## Fix
    /// Pin a version, ideally with its digest:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27.1@sha256:0c86dddac19f2ce4fd716ac58c0fd87bf69bfd4edabfd6971fb885bafd12a00b
    /// ```
    ///
    /// ## References
    /// - Images, tags and digests: https://kubernetes.io/docs/concepts/containers/images/#image-names
    /// - Configuration best practices, avoid `:latest`: https://kubernetes.io/docs/concepts/configuration/overview/#container-images
    /// - Image pull policy defaulting for `latest`: https://kubernetes.io/docs/concepts/containers/images/#imagepullpolicy-defaulting
    /// - Compose Specification, services (`privileged`, `user`, `read_only`, `cap_add`, `security_opt`, …): https://docs.docker.com/reference/compose-file/services/
    pub(crate) struct ImageTagMutable {
        id: "HARD012",
        name: "image-tag-mutable",
        severity: Warning,
        scope: Scope::Container,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for ImageTagMutable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(&self, _ctx: &Context<'_>, c: &ContainerView<'_>, out: &mut Findings<'_>) {
        let Some((value, image)) = container_image(c) else {
            return;
        };
        let text = value.as_str().unwrap_or_default();
        if image.digest.is_some() {
            return;
        }
        let what = match image.tag {
            None => "has no tag, so it pulls `latest`",
            Some("latest") => "uses the `latest` tag",
            Some(_) => return,
        };
        let f = out
            .at(
                c.at(value.span()),
                format!(
                    "image {} of {} in {} {what}, which changes without notice and makes rollouts unreproducible",
                    code(text),
                    c.describe(),
                    c.owner()
                ),
            )
            .object(c.owner())
            .fix(format!(
                "pin a released version and its digest: `image: {}:<version>@sha256:<digest>`",
                plain(image.name)
            ));
        out.push(f);
    }

    fn check_service(&self, _ctx: &Context<'_>, s: &Service<'_>, out: &mut Findings<'_>) {
        let Some(value) = s.image() else {
            return;
        };
        let text = value.as_str().unwrap_or_default();
        let Some(image) = parse_image(text) else {
            return;
        };
        if image.digest.is_some() {
            return;
        }
        let what = match image.tag {
            None => "has no tag, so it pulls `latest`",
            Some("latest") => "uses the `latest` tag",
            Some(_) => return,
        };
        let f = out
            .at(value.at, format!("image `{text}` of {} {what}, which changes without notice and makes runs unreproducible", s.describe()))
            .object(service_owner(s))
            .fix(format!("pin a released version and its digest: `image: {}:<version>@sha256:<digest>`", image.name));
        out.push(f);
    }
}
