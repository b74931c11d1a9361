use super::{is_nginx, nginx_annotation};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// A public ingress-nginx host has no web application firewall
    ///
    /// ## What it checks
    /// An Ingress served by ingress-nginx, with at least one host and no
    /// source allowlist, that does not set
    /// `nginx.ingress.kubernetes.io/enable-modsecurity: "true"`.
    /// Informational: a WAF may sit in front of the cluster (a cloud load
    /// balancer, a CDN) or be enabled for every host in the controller
    /// ConfigMap (`enable-modsecurity`).
    ///
    /// ## Why it matters
    /// ModSecurity with the OWASP Core Rule Set
    /// (`enable-owasp-core-rules: "true"`) blocks common injection and
    /// scanning traffic before it reaches the application.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///     - host: shop.example.com
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/enable-modsecurity: "true"
    ///     nginx.ingress.kubernetes.io/enable-owasp-core-rules: "true"
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///     - host: shop.example.com
    /// ```
    ///
    /// ## References
    /// - ingress-nginx annotations, "ModSecurity": https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#modsecurity
    /// - ingress-nginx, ModSecurity third-party add-on: https://kubernetes.github.io/ingress-nginx/user-guide/third-party-addons/modsecurity/
    pub(crate) struct NoWaf {
        id: "INGRESS010",
        name: "ingress-no-waf",
        severity: Info,
        scope: Scope::Object(&["Ingress"]),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for NoWaf {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        if !is_nginx(object) {
            return;
        }
        let allowlisted = ["whitelist-source-range", "allowlist-source-range"]
            .iter()
            .any(|a| nginx_annotation(object, a).is_some());
        let waf = nginx_annotation(object, "enable-modsecurity")
            .and_then(|(_, v)| v.as_str())
            .is_some_and(|v| v.trim() == "true");
        let Some(host) = object
            .root
            .path(&["spec", "rules"])
            .into_iter()
            .flat_map(assay_yaml::Value::items)
            .find_map(|r| r.get("host"))
        else {
            return;
        };
        if allowlisted || waf {
            return;
        }
        let f = out
            .at(
                object.at(host.span()),
                format!(
                    "{} serves `{}` publicly without ModSecurity",
                    object.display(),
                    host.as_str().unwrap_or_default()
                ),
            )
            .object(object.display())
            .fix("add `nginx.ingress.kubernetes.io/enable-modsecurity: \"true\"` and `enable-owasp-core-rules: \"true\"`, or record which WAF in front of the cluster covers this host");
        out.push(f);
    }
}
