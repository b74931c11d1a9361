use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;
use assay_yaml::Value;

declare_rule! {
    /// A Gateway terminates TLS without a certificate
    ///
    /// ## What it checks
    /// A Gateway listener with `protocol: HTTPS`, or `protocol: TLS` in
    /// `tls.mode: Terminate` (the default mode), without any
    /// `tls.certificateRefs`.
    ///
    /// ## Why it matters
    /// The Gateway API requires a certificate to terminate TLS: the listener
    /// is not programmed (`ResolvedRefs`/`Programmed` false) and the hosts it
    /// should serve are down, or fall back to an implementation default
    /// certificate clients do not trust.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: Gateway
    /// metadata:
    ///   name: web
    /// spec:
    ///   gatewayClassName: example
    ///   listeners:
    ///     - name: https
    ///       protocol: HTTPS
    ///       port: 443
    ///       tls:
    ///         mode: Terminate
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: Gateway
    /// metadata:
    ///   name: web
    /// spec:
    ///   gatewayClassName: example
    ///   listeners:
    ///     - name: https
    ///       protocol: HTTPS
    ///       port: 443
    ///       tls:
    ///         mode: Terminate
    ///         certificateRefs:
    ///           - kind: Secret
    ///             name: web-tls
    /// ```
    ///
    /// ## References
    /// - Gateway API reference, `GatewayTLSConfig` (`certificateRefs`, `mode`): https://gateway-api.sigs.k8s.io/reference/spec/#gatewaytlsconfig
    /// - Gateway API, TLS configuration: https://gateway-api.sigs.k8s.io/guides/tls/
    pub(crate) struct GatewayTlsWithoutCertificate {
        id: "INGRESS017",
        name: "gateway-tls-without-certificate",
        severity: Error,
        scope: Scope::Object(&["Gateway"]),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for GatewayTlsWithoutCertificate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        for listener in object
            .root
            .path(&["spec", "listeners"])
            .into_iter()
            .flat_map(Value::items)
        {
            let protocol = listener.get_str("protocol").unwrap_or_default();
            let tls = listener.get("tls");
            let mode = tls.and_then(|t| t.get_str("mode")).unwrap_or("Terminate");
            let terminates = protocol == "HTTPS" || (protocol == "TLS" && mode == "Terminate");
            if !terminates {
                continue;
            }
            let has_certificate = tls
                .and_then(|t| t.get("certificateRefs"))
                .is_some_and(|c| !c.is_empty());
            if has_certificate {
                continue;
            }
            let location = listener
                .entry("tls")
                .or_else(|| listener.entry("protocol"))
                .map_or(listener.span(), |(k, _)| k.span());
            let f = out
                .at(
                    object.at(location),
                    format!(
                        "{}: {protocol} listener \"{}\" terminates TLS without `tls.certificateRefs`",
                        object.display(),
                        listener.get_str("name").unwrap_or("<unnamed>")
                    ),
                )
                .object(object.display())
                .fix("add `tls.certificateRefs` naming the `kubernetes.io/tls` Secret of the listener's hostname (cert-manager can issue it)");
            out.push(f);
        }
    }
}
