use super::ingress_class;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// An Ingress names no class while the deliverable defines several
    ///
    /// ## What it checks
    /// An Ingress without `spec.ingressClassName` (or the deprecated
    /// annotation) in a deliverable with two or more IngressClasses, none of
    /// them marked default (`ingressclass.kubernetes.io/is-default-class:
    /// "true"`).
    ///
    /// ## Why it matters
    /// Which controller serves the Ingress then depends on each controller's
    /// flags: an internal-only Ingress can end up on the public controller,
    /// or on none.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: networking.k8s.io/v1
    /// kind: IngressClass
    /// metadata:
    ///   name: public
    /// spec:
    ///   controller: k8s.io/ingress-nginx
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: IngressClass
    /// metadata:
    ///   name: internal
    /// spec:
    ///   controller: k8s.io/ingress-nginx-internal
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: admin
    /// spec: {}
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: IngressClass
    /// metadata:
    ///   name: public
    /// spec:
    ///   controller: k8s.io/ingress-nginx
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: IngressClass
    /// metadata:
    ///   name: internal
    /// spec:
    ///   controller: k8s.io/ingress-nginx-internal
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: admin
    /// spec:
    ///   ingressClassName: internal
    /// ```
    ///
    /// ## References
    /// - Kubernetes, Ingress, "Ingress class" and "Default IngressClass": https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-class
    pub(crate) struct NoIngressClass {
        id: "INGRESS013",
        name: "ingress-no-class",
        severity: Warning,
        scope: Scope::Object(&["Ingress"]),
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for NoIngressClass {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        if ingress_class(object).is_some() {
            return;
        }
        let classes: Vec<ObjectView<'_>> = ctx
            .model
            .index
            .of_kind("IngressClass")
            .iter()
            .filter_map(|&i| ctx.model.objects.get(i))
            .filter_map(|o| ObjectView::new(ctx.model, o))
            .collect();
        let mut names: Vec<&str> = classes
            .iter()
            .filter_map(|c| c.object.name.as_deref())
            .collect();
        names.sort_unstable();
        // The same class written in several alternative manifests is one class.
        names.dedup();
        if names.len() < 2 {
            return;
        }
        let has_default = classes.iter().any(|c| {
            c.root
                .path(&[
                    "metadata",
                    "annotations",
                    "ingressclass.kubernetes.io/is-default-class",
                ])
                .and_then(|v| v.as_str())
                .is_some_and(|v| v.trim() == "true")
        });
        if has_default {
            return;
        }
        let f = out
            .at(
                object.anchor(),
                format!(
                    "{} names no IngressClass, and the deliverable defines {} ({}) with no default",
                    object.display(),
                    names.len(),
                    names.join(", ")
                ),
            )
            .object(object.display())
            .fix("set `spec.ingressClassName` to the class of the controller that must serve this Ingress");
        out.push(f);
    }
}
