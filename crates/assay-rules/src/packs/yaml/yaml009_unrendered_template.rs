use crate::placeholder::{self, Placeholder};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::{code, quote};
use assay_model::{DocClass, DocInfo, ObjectView, SourceFile};
use assay_span::FileSpan;
use assay_yaml::Value;

declare_rule! {
    /// The manifest looks unrendered: an image or a name is a template placeholder
    ///
    /// ## What it checks
    /// The fields of a Kubernetes object that no tool fills in at apply time:
    /// the `image` of every container (init and ephemeral ones included),
    /// `metadata.name`, `metadata.namespace`, and the keys and values of the
    /// object's and its pod template's labels. A value holding a placeholder
    /// of a templating tool is reported, once per object, at the first image
    /// placeholder (else the first other one), with a label at each other:
    ///
    /// | syntax | tool |
    /// | --- | --- |
    /// | `{{ .Values.image }}` (quoted, or unquoted, which YAML reads as a mapping) | Helm and other Go templates |
    /// | `$IMAGE`, `${IMAGE}`, `${TAG:-dev}` | `envsubst`, shell heredocs |
    /// | `$(IMAGE)` | kustomize `vars` |
    /// | `<image>`, `<your-registry>/app` | fill-in-by-hand examples |
    /// | `__IMAGE__` | CI token replacement |
    /// | `#{Image}#` | Azure DevOps "Replace Tokens", Octopus Deploy |
    ///
    /// In a docker-compose file only the `image` of each service is read, as
    /// written, and `$VAR`/`${VAR}` are not placeholders there: compose
    /// interpolates them itself (`COMPOSE010` reports an unset one).
    ///
    /// Free text (`command`, `args`, `env` values, annotations, ConfigMap
    /// data) is not read: Kubernetes expands `$(VAR)` in `command`, `args` and
    /// `env`, and Go templates are ordinary content of alerting rules and
    /// dashboards.
    ///
    /// ## Why it matters
    /// A placeholder means the file is a template, not what the cluster will
    /// receive: the rendered values (the image tag, the names the Services
    /// select) are exactly what the other rules need to judge. The image
    /// rules (`HARD012`, `HARD013`) stay silent on a placeholder rather than
    /// call it a "mutable tag", so without this finding the check would pass
    /// quietly. Applied as is, the kubelet fails with `InvalidImageName` and
    /// the API server rejects a templated name.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: "${IMAGE}"
    /// ```
    ///
    /// ## Fix
    /// Check what the templating tool produces, e.g.
    /// `helm template shop ./chart | assay check -`,
    /// `envsubst < web.yaml | assay check -` or
    /// `kustomize build overlays/prod | assay check -`:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: registry.example.com/web:1.4.2
    /// ```
    ///
    /// ## References
    /// - `helm template`: https://helm.sh/docs/helm/helm_template/
    /// - `envsubst` (GNU gettext): https://www.gnu.org/software/gettext/manual/html_node/envsubst-Invocation.html
    /// - kustomize `vars` (`$(VAR)`): https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/vars/
    /// - Image names the kubelet accepts (otherwise `InvalidImageName`): https://kubernetes.io/docs/concepts/containers/images/#image-names
    /// - Compose interpolation: https://docs.docker.com/reference/compose-file/interpolation/
    pub(crate) struct UnrenderedTemplate {
        id: "YAML009",
        name: "unrendered-template",
        severity: Info,
        scope: Scope::Document(&[DocClass::Kubernetes, DocClass::KubernetesList, DocClass::Compose]),
        fix: Always,
        since: "0.1.0",
    }
}

/// Placeholders reported as labels at most, beyond the primary one.
const MAX_LABELS: usize = 10;

/// One field holding a placeholder.
struct Hit<'m> {
    node: Value<'m>,
    field: String,
    text: String,
    kind: Placeholder,
}

impl Rule for UnrenderedTemplate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_document(
        &self,
        ctx: &Context<'_>,
        file: &SourceFile,
        doc: &DocInfo,
        out: &mut Findings<'_>,
    ) {
        if doc.class == DocClass::Compose {
            compose_images(file, doc, out);
            return;
        }
        for object in ctx.model.objects_of_document(doc) {
            check_object(&file.text, &object, out);
        }
    }
}

/// One finding per object: its first image placeholder (else its first
/// other), the others as labels.
fn check_object(source: &str, object: &ObjectView<'_>, out: &mut Findings<'_>) {
    let mut hits = Vec::new();
    for container in object.containers() {
        if let Some(image) = container.image() {
            hits.extend(hit(source, image, || {
                format!("image of {}", container.describe())
            }));
        }
    }
    let metadata = object.metadata();
    for key in ["name", "namespace"] {
        if let Some(node) = metadata.and_then(|m| m.get(key)) {
            hits.extend(hit(source, node, || format!("metadata.{key}")));
        }
    }
    let mut label_maps: Vec<Value<'_>> =
        metadata.and_then(|m| m.get("labels")).into_iter().collect();
    if let Some(template) = object.pod_metadata().and_then(|m| m.get("labels"))
        && !label_maps.iter().any(|m| m.span() == template.span())
    {
        label_maps.push(template);
    }
    for labels in label_maps {
        for (key, value) in labels.entries() {
            hits.extend(hit(source, key, || "label key".to_owned()));
            hits.extend(hit(source, value, || {
                format!("label {}", code(key.as_str().unwrap_or_default()))
            }));
        }
    }
    let Some((first, rest)) = hits.split_first() else {
        return;
    };
    let more = if rest.is_empty() {
        String::new()
    } else {
        format!(
            "; {} more placeholder{} in this object",
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        )
    };
    let mut finding = out
        .at(
            object.at(first.node.span()),
            format!(
                "{} looks unrendered: the {} is {}, {}{more}; the image and naming rules cannot judge a template",
                object.display(),
                first.field,
                code(&first.text),
                first.kind.describe()
            ),
        )
        .object(object.display())
        .fix(fix(first.kind));
    for other in rest.iter().take(MAX_LABELS) {
        finding = finding.label(
            object.at(other.node.span()),
            format!("{}: {}", other.field, other.kind.describe()),
        );
    }
    out.push(finding);
}

/// The `image` of each service of a compose file, as written (before
/// compose's own interpolation, whose `${VAR}` is not a placeholder).
fn compose_images(file: &SourceFile, doc: &DocInfo, out: &mut Findings<'_>) {
    let root = file.tree.value(doc.root);
    for (name, service) in root.get("services").into_iter().flat_map(Value::entries) {
        let Some(image) = service.get("image") else {
            continue;
        };
        let Some(hit) = hit(&file.text, image, String::new).filter(|h| h.kind.applies_to_compose())
        else {
            continue;
        };
        let owner = format!("service {}", quote(name.as_str().unwrap_or_default()));
        let finding = out
            .at(
                FileSpan::new(file.id, image.span()),
                format!(
                    "{owner} looks unrendered: its image is {}, {}; the image rules cannot judge a template",
                    code(&hit.text),
                    hit.kind.describe()
                ),
            )
            .object(owner.clone())
            .fix(fix(hit.kind));
        out.push(finding);
    }
}

fn fix(kind: Placeholder) -> String {
    format!(
        "check the rendered manifest, which is what the cluster receives: {}",
        kind.render_with()
    )
}

/// The placeholder in `node`: a string holding one, or an unquoted
/// `{{ … }}`, which YAML reads as a flow mapping.
fn hit<'m>(source: &str, node: Value<'m>, field: impl FnOnce() -> String) -> Option<Hit<'m>> {
    let (text, kind) = match node.as_str() {
        Some(text) => (text.to_owned(), placeholder::find(text)?),
        None if node.is_mapping() => (unquoted_template(source, node)?, Placeholder::GoTemplate),
        None => return None,
    };
    Some(Hit {
        node,
        field: field(),
        text,
        kind,
    })
}

/// The `{{ … }}` written at `node`, when the mapping is one.
fn unquoted_template(source: &str, node: Value<'_>) -> Option<String> {
    let start = node.span().start;
    let line = source
        .lines()
        .nth(usize::try_from(start.line).ok()?.checked_sub(1)?)?;
    let from: String = line
        .chars()
        .skip(usize::try_from(start.col).ok()?.checked_sub(1)?)
        .collect();
    let end = from.find("}}")?;
    from.starts_with("{{")
        .then(|| from.get(..end + 2).map(str::to_owned))
        .flatten()
}
