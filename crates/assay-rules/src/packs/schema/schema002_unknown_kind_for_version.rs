use super::{Target, target, version_ranges};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::code;
use assay_model::ObjectView;

declare_rule! {
    /// A kind the target Kubernetes version does not serve yet, or a misspelt kind
    ///
    /// ## What it checks
    /// Objects of a built-in API group whose `apiVersion` and `kind` the
    /// target Kubernetes version (`--kubernetes-version`) does not serve, when
    /// either a newer bundled version serves them (the manifest needs a newer
    /// cluster), or the `apiVersion` exists but no bundled version has this
    /// kind in it (a typo such as `kind: Deploymnet`; the closest kind is
    /// suggested). The finding names the versions that serve the kind.
    /// Objects of a built-in group under an `apiVersion` that no Kubernetes
    /// release served for their kind (`apiVersion: v2` Pod, `apps/v2`
    /// Deployment, `batch/v9` CronJob) are reported too, at the
    /// `apiVersion`, with the apiVersions that do serve the kind: such an
    /// object is never silently passed as valid.
    ///
    /// API versions that only older Kubernetes versions served (removed or
    /// deprecated APIs such as `extensions/v1beta1` or `batch/v2alpha1`) are
    /// left to the `API` pack (`API001`); kinds of other groups are custom
    /// resources (`SCHEMA003`).
    ///
    /// ## Why it matters
    /// The API server answers "no matches for kind" and the object is never
    /// created; in a chart or a kustomization the whole apply fails.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deploymnet
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    ///
    /// ## Fix
    /// Spell the kind as the API does, or target a Kubernetes version that
    /// serves it:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    ///
    /// ## References
    /// - Kubernetes API reference: https://kubernetes.io/docs/reference/kubernetes-api/
    /// - Deprecated API migration guide: https://kubernetes.io/docs/reference/using-api/deprecation-guide/
    pub(crate) struct UnknownKindForVersion {
        id: "SCHEMA002",
        name: "unknown-kind-for-version",
        severity: Error,
        scope: Scope::Object(&[]),
        fix: Sometimes,
        since: "0.1.0",
    }
}

impl Rule for UnknownKindForVersion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let api_version = &object.object.api_version;
        let kind = object.kind();
        let at = object
            .root
            .get("kind")
            .map_or_else(|| object.anchor(), |k| object.at(k.span()));
        let finding = match target(ctx, object) {
            Target::Newer { target, served_in } => {
                let siblings: Vec<String> = target
                    .kinds()
                    .into_iter()
                    .filter(|g| g.kind == kind && api_version.starts_with(&g.group))
                    .map(assay_schema::Gvk::api_version)
                    .collect();
                let fix = if siblings.is_empty() {
                    format!(
                        "target a Kubernetes version that serves it (--kubernetes-version 1.{})",
                        served_in.first().copied().unwrap_or_default()
                    )
                } else {
                    format!(
                        "use an apiVersion Kubernetes {} serves ({}), or target a newer version",
                        target.name(),
                        siblings.join(", ")
                    )
                };
                out.at(
                    at,
                    format!(
                        "{} {} does not exist in Kubernetes {}; it exists in {}",
                        code(api_version),
                        code(kind),
                        target.name(),
                        version_ranges(&served_in)
                    ),
                )
                .fix(fix)
            }
            Target::UnknownKind { suggestion } => {
                let finding = out.at(
                    at,
                    format!(
                        "unknown kind {} for apiVersion {} in every Kubernetes version from 1.25 to 1.37",
                        code(kind),
                        code(api_version)
                    ),
                );
                match suggestion {
                    Some(s) => finding.fix(format!("did you mean `{s}`?")),
                    None => finding,
                }
            }
            Target::NeverServed { served_as } => {
                let at = object
                    .root
                    .get("apiVersion")
                    .map_or_else(|| object.anchor(), |v| object.at(v.span()));
                let finding = out.at(
                    at,
                    format!("no Kubernetes version serves `{kind}` as `{api_version}` (not 1.25 to 1.37, nor any removed API assay knows of): the API server answers \"no matches for kind\""),
                );
                match served_as.as_slice() {
                    [] => finding,
                    [one] => finding.fix(format!("use `apiVersion: {one}`")),
                    many => finding.fix(format!(
                        "use one of the apiVersions that serve `{kind}`: {}",
                        many.iter()
                            .map(|v| format!("`{v}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                }
            }
            _ => return,
        };
        out.push(finding.object(object.display()));
    }
}
