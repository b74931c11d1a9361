use super::is_nginx_controller_configmap;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// The ingress-nginx ConfigMap allows snippet or Critical-risk annotations
    ///
    /// ## What it checks
    /// The ingress-nginx controller ConfigMap of the deliverable setting
    /// `allow-snippet-annotations: "true"` (default `"false"` since controller
    /// v1.9.0) or `annotations-risk-level: Critical` (default `High` since
    /// v1.12.0).
    ///
    /// ## Why it matters
    /// Both let every Ingress author in the cluster inject NGINX
    /// configuration into the shared controller, which holds a token able to
    /// read every Secret and serves every tenant's TLS keys
    /// (CVE-2021-25742 and successors).
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: ingress-nginx-controller
    ///   namespace: ingress-nginx
    /// data:
    ///   allow-snippet-annotations: "true"
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: ingress-nginx-controller
    ///   namespace: ingress-nginx
    /// data:
    ///   allow-snippet-annotations: "false"
    /// ```
    ///
    /// ## References
    /// - ingress-nginx ConfigMap, `allow-snippet-annotations`, `annotations-risk-level`: https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/configmap/#allow-snippet-annotations
    /// - CVE-2021-25742: https://github.com/kubernetes/ingress-nginx/issues/7837
    /// - ingress-nginx v1.9.0 release notes (snippets disabled by default): https://github.com/kubernetes/ingress-nginx/releases/tag/controller-v1.9.0
    pub(crate) struct ControllerAllowsSnippets {
        id: "INGRESS008",
        name: "ingress-nginx-allows-snippets",
        severity: Error,
        scope: Scope::Object(&["ConfigMap"]),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for ControllerAllowsSnippets {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        if !is_nginx_controller_configmap(object) {
            return;
        }
        let Some(data) = object.root.get("data") else {
            return;
        };
        if let Some(value) = data.get("allow-snippet-annotations")
            && value
                .as_str()
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        {
            let f = out
                .at(
                    object.at(value.span()),
                    format!("{} allows snippet annotations: every Ingress author can inject NGINX configuration into the shared controller", object.display()),
                )
                .object(object.display())
                .fix("set `allow-snippet-annotations: \"false\"` (the default since v1.9.0) and replace snippets with dedicated annotations");
            out.push(f);
        }
        if let Some(value) = data.get("annotations-risk-level")
            && value
                .as_str()
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("critical"))
        {
            let f = out
                .at(
                    object.at(value.span()),
                    format!("{} raises `annotations-risk-level` to Critical: annotations that inject configuration are accepted", object.display()),
                )
                .object(object.display())
                .fix("remove `annotations-risk-level` (default High since v1.12.0) or lower it");
            out.push(f);
        }
    }
}
