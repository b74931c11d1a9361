use super::annotation;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// An Ingress uses the deprecated `kubernetes.io/ingress.class` annotation
    ///
    /// ## What it checks
    /// The annotation `kubernetes.io/ingress.class` on an Ingress. It was
    /// deprecated in Kubernetes 1.18 in favour of `spec.ingressClassName`.
    ///
    /// ## Why it matters
    /// Controllers are dropping the annotation (ingress-nginx reads it only
    /// with `--watch-ingress-without-class` or a matching class); an Ingress
    /// that carries it alone may be served by no controller, or by the wrong
    /// one, and is not validated against an IngressClass.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    ///   annotations:
    ///     kubernetes.io/ingress.class: nginx
    /// spec: {}
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    /// spec:
    ///   ingressClassName: nginx
    /// ```
    ///
    /// ## References
    /// - Kubernetes, Ingress, "Deprecated annotation": https://kubernetes.io/docs/concepts/services-networking/ingress/#deprecated-annotation
    pub(crate) struct DeprecatedClassAnnotation {
        id: "INGRESS012",
        name: "ingress-deprecated-class-annotation",
        severity: Warning,
        scope: Scope::Object(&["Ingress"]),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for DeprecatedClassAnnotation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some((key, value)) = annotation(object, "kubernetes.io/ingress.class") else {
            return;
        };
        let class = value.as_str().unwrap_or_default();
        let f = out
            .at(
                object.at(key.span()),
                format!("{} selects its controller with the deprecated annotation `kubernetes.io/ingress.class: {class}`", object.display()),
            )
            .object(object.display())
            .fix(format!("remove the annotation and set `spec.ingressClassName: {class}`"));
        out.push(f);
    }
}
