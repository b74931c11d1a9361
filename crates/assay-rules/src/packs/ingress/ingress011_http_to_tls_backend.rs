use super::{is_nginx, nginx_annotation};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{IngressView, ObjectView, PortRef};

declare_rule! {
    /// ingress-nginx speaks HTTP to a backend port meant for TLS
    ///
    /// ## What it checks
    /// An Ingress served by ingress-nginx whose backend Service port is named
    /// like TLS (`https`, or a name starting with `https-` or ending in
    /// `-https`/`-tls`) or numbered 443 or 8443, while
    /// `nginx.ingress.kubernetes.io/backend-protocol` is unset (default
    /// `HTTP`) or `HTTP`.
    ///
    /// ## Why it matters
    /// The controller sends plain HTTP to a TLS port: requests fail with
    /// "400 The plain HTTP request was sent to HTTPS port", or, where the
    /// backend also listens in clear text, traffic inside the cluster is not
    /// encrypted as the port's name promised.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: dashboard
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///     - host: dashboard.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service: {name: dashboard, port: {number: 443}}
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: dashboard
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/backend-protocol: HTTPS
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///     - host: dashboard.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service: {name: dashboard, port: {number: 443}}
    /// ```
    ///
    /// ## References
    /// - ingress-nginx annotations, "Backend Protocol": https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#backend-protocol
    pub(crate) struct HttpToTlsBackend {
        id: "INGRESS011",
        name: "ingress-http-to-tls-backend",
        severity: Warning,
        scope: Scope::Object(&["Ingress"]),
        fix: Always,
        since: "0.1.0",
    }
}

fn tls_port(port: PortRef<'_>) -> bool {
    match port {
        PortRef::Number(n) => n == 443 || n == 8443,
        PortRef::Name(name) => {
            let name = name.to_ascii_lowercase();
            name == "https"
                || name.starts_with("https-")
                || name.ends_with("-https")
                || name.ends_with("-tls")
        }
    }
}

impl Rule for HttpToTlsBackend {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        if !is_nginx(object) {
            return;
        }
        let protocol = nginx_annotation(object, "backend-protocol")
            .and_then(|(_, v)| v.as_str())
            .map(|p| p.trim().to_ascii_uppercase());
        if protocol.as_deref().is_some_and(|p| p != "HTTP") {
            return;
        }
        let Some(ingress) = IngressView::new(*object) else {
            return;
        };
        for backend in ingress.backends() {
            let Some(port) = backend.port.filter(|p| tls_port(*p)) else {
                continue;
            };
            let shown = match port {
                PortRef::Number(n) => n.to_string(),
                PortRef::Name(n) => n.to_owned(),
            };
            let node = backend
                .node
                .path(&["service", "port"])
                .unwrap_or(backend.node);
            let f = out
                .at(
                    object.at(node.span()),
                    format!(
                        "{} sends plain HTTP to port `{shown}` of Service `{}`, a port meant for TLS",
                        object.display(),
                        backend.service.unwrap_or("<unnamed>")
                    ),
                )
                .object(object.display())
                .fix("set `nginx.ingress.kubernetes.io/backend-protocol: HTTPS` (with `proxy-ssl-verify` and `proxy-ssl-secret` to verify the backend), or route to the Service's plain HTTP port");
            out.push(f);
        }
    }
}
