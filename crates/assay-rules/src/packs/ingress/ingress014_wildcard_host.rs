use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;
use assay_yaml::Value;

declare_rule! {
    /// An Ingress serves a wildcard host
    ///
    /// ## What it checks
    /// A `spec.rules[].host` starting with `*.`. Informational.
    ///
    /// ## Why it matters
    /// Every subdomain, including ones nobody planned (`admin.`, `staging.`,
    /// names left dangling in DNS), reaches the backend; a wildcard
    /// certificate leaked from it is valid for all of them.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: tenants
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///     - host: "*.example.com"
    /// ```
    ///
    /// ## Fix
    /// List the hosts that exist:
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: tenants
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///     - host: acme.example.com
    ///     - host: globex.example.com
    /// ```
    ///
    /// ## References
    /// - Kubernetes, Ingress, "Hostname wildcards": https://kubernetes.io/docs/concepts/services-networking/ingress/#hostname-wildcards
    pub(crate) struct WildcardHost {
        id: "INGRESS014",
        name: "ingress-wildcard-host",
        severity: Info,
        scope: Scope::Object(&["Ingress"]),
        fix: Sometimes,
        since: "0.1.0",
    }
}

impl Rule for WildcardHost {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        for host in object
            .root
            .path(&["spec", "rules"])
            .into_iter()
            .flat_map(Value::items)
            .filter_map(|r| r.get("host"))
        {
            let Some(name) = host.as_str().filter(|h| h.starts_with("*.")) else {
                continue;
            };
            let f = out
                .at(
                    object.at(host.span()),
                    format!("{} serves every subdomain of `{}` (wildcard host `{name}`)", object.display(), name.trim_start_matches("*.")),
                )
                .object(object.display())
                .fix("list the hosts that exist instead of a wildcard, unless tenants really are created dynamically");
            out.push(f);
        }
    }
}
