use super::is_nginx_controller_configmap;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// The ingress-nginx ConfigMap disables or weakens HSTS
    ///
    /// ## What it checks
    /// The ingress-nginx controller ConfigMap of the deliverable (named
    /// `ingress-nginx-controller` or `nginx-configuration`, or labelled
    /// `app.kubernetes.io/name: ingress-nginx`): `hsts: "false"`,
    /// `hsts-max-age` below one year (31536000 seconds, the controller's
    /// default and the HSTS preload list's minimum), or
    /// `hsts-include-subdomains: "false"`.
    ///
    /// ## Why it matters
    /// HSTS tells browsers to use HTTPS only; without it (or with a short
    /// max-age) the first request of every visit can be downgraded to plain
    /// HTTP by an attacker on the network (SSL stripping).
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: ingress-nginx-controller
    ///   namespace: ingress-nginx
    /// data:
    ///   hsts: "true"
    ///   hsts-max-age: "3600"
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
    ///   hsts: "true"
    ///   hsts-max-age: "31536000"
    ///   hsts-include-subdomains: "true"
    /// ```
    ///
    /// ## References
    /// - ingress-nginx ConfigMap, `hsts`, `hsts-max-age`, `hsts-include-subdomains`: https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/configmap/#hsts
    /// - RFC 6797, HTTP Strict Transport Security: https://www.rfc-editor.org/rfc/rfc6797
    /// - HSTS preload list requirements (max-age of at least one year): https://hstspreload.org/
    pub(crate) struct HstsWeak {
        id: "INGRESS003",
        name: "ingress-nginx-hsts-weak",
        severity: Warning,
        scope: Scope::Object(&["ConfigMap"]),
        fix: Always,
        since: "0.1.0",
    }
}

/// One year, the controller's default `hsts-max-age`.
const ONE_YEAR: u64 = 31_536_000;

impl Rule for HstsWeak {
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
        let text = |key: &str| {
            data.get(key)
                .and_then(|v| v.as_str().map(|t| (v, t.trim())))
        };
        let mut report = |span, message: String, fix: &str| {
            let f = out
                .at(object.at(span), message)
                .object(object.display())
                .fix(fix);
            out.push(f);
        };
        if let Some((node, "false")) = text("hsts") {
            report(
                node.span(),
                format!(
                    "{} turns HSTS off (`hsts: \"false\"`): browsers may be downgraded to plain HTTP",
                    object.display()
                ),
                "remove `hsts` (the default is \"true\") or set it to \"true\"",
            );
            return;
        }
        if let Some((node, age)) = text("hsts-max-age")
            && age.parse::<u64>().is_ok_and(|a| a < ONE_YEAR)
        {
            report(
                node.span(),
                format!(
                    "{} sets `hsts-max-age` to {age} seconds, less than one year",
                    object.display()
                ),
                "set `hsts-max-age: \"31536000\"` (one year) or more",
            );
        }
        if let Some((node, "false")) = text("hsts-include-subdomains") {
            report(
                node.span(),
                format!(
                    "{} excludes subdomains from HSTS (`hsts-include-subdomains: \"false\"`)",
                    object.display()
                ),
                "remove `hsts-include-subdomains` (the default is \"true\") unless a subdomain must stay on HTTP",
            );
        }
    }
}
