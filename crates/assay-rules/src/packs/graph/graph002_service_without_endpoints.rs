use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{ObjectView, labels_of};
use assay_yaml::Value;

declare_rule! {
    /// A Service has no selector and the deliverable gives it no endpoints
    ///
    /// ## What it checks
    /// A Service other than `ExternalName` without `spec.selector`, when the
    /// deliverable holds no EndpointSlice labelled
    /// `kubernetes.io/service-name: <name>` and no Endpoints object of the
    /// same name in its namespace.
    ///
    /// ## Why it matters
    /// Without a selector Kubernetes creates no endpoints: the Service only
    /// works with hand-written EndpointSlices. A selector lost in an edit
    /// leaves the name resolving to a cluster IP that answers nothing.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: db, namespace: shop}
    /// spec:
    ///   ports: [{port: 5432}]
    /// ```
    ///
    /// ## Fix
    /// Add the selector of the pods that serve it (or ship their EndpointSlice):
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: db, namespace: shop}
    /// spec:
    ///   selector: {app: db}
    ///   ports: [{port: 5432}]
    /// ```
    ///
    /// ## References
    /// - Services without selectors: https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors
    /// - EndpointSlices: https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/
    pub(crate) struct ServiceWithoutEndpoints {
        id: "GRAPH002",
        name: "service-without-endpoints",
        severity: Warning,
        scope: Scope::Object(&["Service"]),
        fix: Never,
        since: "0.1.0",
    }
}

impl Rule for ServiceWithoutEndpoints {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(service) = ctx.graph.service_of(object.object) else {
            return;
        };
        if !service.selector.is_empty() || service.view.service_type() == "ExternalName" {
            return;
        }
        let model = ctx.model;
        let namespace = object.object.namespace.as_deref().unwrap_or_default();
        let has_slice = model
            .index
            .of_kind("EndpointSlice")
            .iter()
            .filter_map(|i| model.objects.get(*i))
            .filter(|o| o.namespace.as_deref().unwrap_or_default() == namespace)
            .filter_map(|o| ObjectView::new(model, o))
            .any(|slice| {
                labels_of(slice.metadata())
                    .iter()
                    .any(|(k, v)| *k == "kubernetes.io/service-name" && *v == service.name)
            });
        if has_slice
            || model
                .index
                .find("Endpoints", namespace, &service.name)
                .is_some()
        {
            return;
        }
        let at = object
            .root
            .get("spec")
            .map_or_else(|| object.anchor(), |s: Value<'_>| object.at(s.span()));
        let f = out
            .at(
                object.anchor(),
                format!(
                    "{} has no selector and the deliverable has no EndpointSlice for it: it has no endpoints",
                    object.display()
                ),
            )
            .object(object.display())
            .label(at, "no `selector` here")
            .fix("add `spec.selector` with the labels of the pods that serve it, or ship the EndpointSlice (label `kubernetes.io/service-name`)");
        out.push(f);
    }
}
