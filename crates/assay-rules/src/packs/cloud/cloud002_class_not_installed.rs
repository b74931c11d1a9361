use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;
use assay_yaml::Value;

/// A class of `kind` named `name` that the deliverable itself creates.
fn defined_in_input(object: &ObjectView<'_>, kind: &str, name: &str) -> bool {
    object
        .model
        .objects
        .iter()
        .any(|o| o.kind == kind && o.name.as_deref() == Some(name))
}

declare_rule! {
    /// An ingress class or storage class the cluster profile does not have
    ///
    /// ## What it checks
    /// Needs `--cluster-profile` with `installed` (bundled profiles have it; a
    /// NodeList does not). An Ingress's `spec.ingressClassName` (or the older
    /// `kubernetes.io/ingress.class` annotation), a PersistentVolumeClaim's
    /// `spec.storageClassName` and a StatefulSet's
    /// `volumeClaimTemplates[].spec.storageClassName` must name a class the
    /// profile lists or the deliverable itself creates (`IngressClass`,
    /// `StorageClass`). `storageClassName: ""` (no dynamic provisioning) is
    /// not checked. Reported at the class name.
    ///
    /// ## Why it matters
    /// An Ingress whose class no controller serves never gets an address; a
    /// claim for a missing storage class stays `Pending` and so does every pod
    /// that mounts it. Class names differ by provider (`gp2` on EKS,
    /// `managed-csi` on AKS, `standard-rwo` on GKE, `alb` / `gce` /
    /// `webapprouting.kubernetes.azure.com` ingress classes).
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// # cluster-profile: eks-mixed
    /// apiVersion: v1
    /// kind: PersistentVolumeClaim
    /// metadata:
    ///   name: data
    /// spec:
    ///   storageClassName: managed-csi
    ///   accessModes: [ReadWriteOnce]
    ///   resources:
    ///     requests: {storage: 10Gi}
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// # cluster-profile: eks-mixed
    /// apiVersion: v1
    /// kind: PersistentVolumeClaim
    /// metadata:
    ///   name: data
    /// spec:
    ///   storageClassName: gp2
    ///   accessModes: [ReadWriteOnce]
    ///   resources:
    ///     requests: {storage: 10Gi}
    /// ```
    ///
    /// ## References
    /// - Ingress classes: https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-class
    /// - Storage classes and dynamic provisioning: https://kubernetes.io/docs/concepts/storage/storage-classes/
    /// - Provider defaults: https://docs.aws.amazon.com/eks/latest/userguide/storage-classes.html, https://learn.microsoft.com/azure/aks/concepts-storage#storage-classes, https://cloud.google.com/kubernetes-engine/docs/how-to/persistent-volumes/gce-pd-csi-driver
    pub(crate) struct ClassNotInstalled {
        id: "CLOUD002",
        name: "class-not-installed",
        severity: Error,
        scope: Scope::Object(&["Ingress", "PersistentVolumeClaim", "StatefulSet"]),
        fix: Sometimes,
        since: "0.1.0",
    }
}

impl Rule for ClassNotInstalled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(profile) = ctx.cluster_profile.filter(|p| p.knows_installed) else {
            return;
        };
        let mut names: Vec<(Value<'_>, &str, &[String], &str)> = Vec::new();
        let installed = &profile.installed;
        match object.kind() {
            "Ingress" => {
                let class = object.root.path(&["spec", "ingressClassName"]).or_else(|| {
                    object
                        .metadata()
                        .and_then(|m| m.get("annotations"))
                        .and_then(|a| a.get("kubernetes.io/ingress.class"))
                });
                if let Some(v) = class {
                    names.push((
                        v,
                        "ingress class",
                        &installed.ingress_classes,
                        "IngressClass",
                    ));
                }
            }
            "PersistentVolumeClaim" => {
                if let Some(v) = object.root.path(&["spec", "storageClassName"]) {
                    names.push((
                        v,
                        "storage class",
                        &installed.storage_classes,
                        "StorageClass",
                    ));
                }
            }
            _ => {
                for template in object
                    .root
                    .path(&["spec", "volumeClaimTemplates"])
                    .into_iter()
                    .flat_map(Value::items)
                {
                    if let Some(v) = template.path(&["spec", "storageClassName"]) {
                        names.push((
                            v,
                            "storage class",
                            &installed.storage_classes,
                            "StorageClass",
                        ));
                    }
                }
            }
        }
        for (value, what, known, kind) in names {
            let Some(name) = value.as_str().filter(|n| !n.is_empty() && !value.is_null()) else {
                continue;
            };
            if known.iter().any(|k| k == name) || defined_in_input(object, kind, name) {
                continue;
            }
            let available = if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            };
            let f = out
                .at(
                    object.at(value.span()),
                    format!(
                        "{} uses the {what} `{name}`, which cluster profile {} does not have (it has: {available})",
                        object.display(),
                        profile.name
                    ),
                )
                .object(object.display())
                .fix(format!("use one of the profile's {what}es, or create the {kind} `{name}` with the deliverable"));
            out.push(f);
        }
    }
}
