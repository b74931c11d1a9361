//! The `API` pack: `apiVersion`/`kind` pairs the target Kubernetes version no
//! longer serves, has deprecated, or stops serving within two releases. The
//! table lives in [`crate::api_lifecycle`]; the three rules share it.

mod api001_removed_api_version;
mod api002_deprecated_api_version;
mod api003_api_removed_soon;

use crate::api_lifecycle::{ApiLifecycle, lookup, markdown_table};
use crate::{Context, Findings, Pack};
use assay_model::{ObjectView, k8s_bool, k8s_int};
use assay_yaml::Value;
use std::fmt::Write as _;

pub(crate) const PACK: Pack = Pack {
    prefix: "API",
    folder: "api",
    title: "API lifecycle",
    rules: &[
        &api001_removed_api_version::RemovedApiVersion,
        &api002_deprecated_api_version::DeprecatedApiVersion,
        &api003_api_removed_soon::ApiRemovedSoon,
    ],
};

/// Which fact about the entry a rule reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// Removed in or before the target (API001).
    Removed,
    /// Deprecated in or before the target, still served (API002).
    Deprecated,
    /// Still served, removed in one of the next two releases (API003).
    RemovedSoon,
}

/// The target as a 1.x minor (a future 2.x is past every table entry).
fn target_minor(ctx: &Context<'_>) -> u32 {
    let v = ctx.kubernetes_version;
    if v.major > 1 { u32::MAX } else { v.minor }
}

fn applies(stage: Stage, entry: &ApiLifecycle, minor: u32) -> bool {
    match stage {
        Stage::Removed => entry.removed_by(minor),
        Stage::Deprecated => entry.deprecated_by(minor) && !entry.removed_by(minor),
        Stage::RemovedSoon => entry.removed_soon_after(minor),
    }
}

/// The table section `assay explain` appends to each rule of the pack.
fn explain_table() -> Option<String> {
    Some(markdown_table())
}

fn check(stage: Stage, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
    let Some(entry) = lookup(&object.object.api_version, object.kind()) else {
        return;
    };
    let minor = target_minor(ctx);
    if !applies(stage, entry, minor) {
        return;
    }
    let target = ctx.kubernetes_version;
    let what = format!("{} uses `{}`", object.display(), entry.api_version);
    let mut message = match stage {
        Stage::Removed => {
            let mut m = format!(
                "{what}, which Kubernetes stopped serving in 1.{}",
                entry.removed.unwrap_or_default()
            );
            if let Some(d) = entry.deprecated {
                let _ = write!(m, " (deprecated since 1.{d})");
            }
            let _ = write!(m, "; the target {target} rejects it");
            m
        }
        Stage::Deprecated => {
            let mut m = format!(
                "{what}, deprecated since Kubernetes 1.{}",
                entry.deprecated.unwrap_or_default()
            );
            match entry.removed {
                Some(r) => {
                    let _ = write!(m, " and removed in 1.{r}");
                }
                None => m.push_str(" (no removal scheduled yet)"),
            }
            let _ = write!(m, "; the target is {target}");
            m
        }
        Stage::RemovedSoon => {
            let removed = entry.removed.unwrap_or_default();
            let after = removed.saturating_sub(minor);
            let releases = if after == 1 {
                "the next release"
            } else {
                "two releases"
            };
            format!(
                "{what}, which Kubernetes 1.{removed} stops serving, {releases} after the target {target}: plan the migration"
            )
        }
    };
    if stage != Stage::Removed && entry.replacement.is_none() {
        message.push_str("; there is no replacement API");
    }
    let node = object.root.get("apiVersion");
    let location = node.map_or_else(|| object.anchor(), |n| object.at(n.span()));
    let mut finding = out
        .at(location, message)
        .object(object.display())
        .fix(entry.replacement_text());
    for (span, label) in migration_labels(entry, object.root) {
        finding = finding.label(object.at(span), label);
    }
    out.push(finding);
}

/// Values at `path` under `value`; `*` steps into every item of a sequence.
fn walk<'t>(value: Value<'t>, path: &[&str], out: &mut Vec<Value<'t>>) {
    match path.split_first() {
        None => out.push(value),
        Some((&"*", rest)) => {
            for item in value.items() {
                walk(item, rest, out);
            }
        }
        Some((key, rest)) => {
            if let Some(next) = value.get(key) {
                walk(next, rest, out);
            }
        }
    }
}

fn at_path<'t>(value: Value<'t>, path: &[&str]) -> Vec<Value<'t>> {
    let mut out = Vec::new();
    walk(value, path, &mut out);
    out
}

type Labels = Vec<(assay_span::Span, String)>;

/// The scalar text of a value, for quoting it back in a label.
fn text(value: Value<'_>) -> &str {
    value.as_str().unwrap_or("…")
}

/// Labels on the fields of the object that the migration changes.
fn migration_labels(entry: &ApiLifecycle, root: Value<'_>) -> Labels {
    let mut labels = Labels::new();
    let to = entry.replacement.unwrap_or("the new version");
    let group = entry.api_version.split('/').next().unwrap_or_default();
    match (group, entry.kind) {
        ("extensions" | "apps", "Deployment" | "DaemonSet" | "ReplicaSet" | "StatefulSet") => {
            let missing = root
                .entry("spec")
                .filter(|(_, spec)| spec.get("selector").is_none());
            if let Some((key, _)) = missing {
                labels.push((
                    key.span(),
                    format!("add `spec.selector.matchLabels` matching the pod template labels: {to} requires it"),
                ));
            }
        }
        ("extensions" | "networking.k8s.io", "Ingress") => ingress_labels(root, to, &mut labels),
        ("autoscaling", "HorizontalPodAutoscaler")
            if entry.api_version == "autoscaling/v2beta1" =>
        {
            hpa_labels(root, to, &mut labels);
        }
        ("apiextensions.k8s.io", "CustomResourceDefinition") => crd_labels(root, to, &mut labels),
        (
            "admissionregistration.k8s.io",
            "MutatingWebhookConfiguration" | "ValidatingWebhookConfiguration",
        ) => {
            webhook_labels(root, to, &mut labels);
        }
        ("certificates.k8s.io", "CertificateSigningRequest") => {
            if let Some((key, spec)) = root.entry("spec") {
                for (field, example) in [
                    ("signerName", "kubernetes.io/kube-apiserver-client"),
                    ("usages", "[client auth]"),
                ] {
                    if spec.get(field).is_none() {
                        labels.push((
                            key.span(),
                            format!("add `{field}` (e.g. `{example}`): {to} requires it"),
                        ));
                    }
                }
            }
        }
        ("authorization.k8s.io", "SubjectAccessReview" | "LocalSubjectAccessReview") => {
            rename(
                root,
                &["spec"],
                "group",
                &format!("`group` is `groups` in {to}"),
                &mut labels,
            );
        }
        ("discovery.k8s.io", "EndpointSlice") => {
            for endpoint in at_path(root, &["endpoints", "*"]) {
                rename(
                    endpoint,
                    &[],
                    "topology",
                    &format!(
                        "`topology` is gone in {to}: write the node as `nodeName` and the zone as `zone`"
                    ),
                    &mut labels,
                );
            }
        }
        ("policy", "PodDisruptionBudget") => {
            let empty = root
                .get("spec")
                .and_then(|s| s.entry("selector"))
                .filter(|(_, selector)| selector.is_mapping() && selector.is_empty());
            if let Some((key, _)) = empty {
                labels.push((
                    key.span(),
                    format!(
                        "an empty selector selects every pod of the namespace in {to} (none in {})",
                        entry.api_version
                    ),
                ));
            }
        }
        ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration") => {
            rename(
                root,
                &["spec", "limited"],
                "assuredConcurrencyShares",
                &format!("`assuredConcurrencyShares` is `nominalConcurrencyShares` in {to}"),
                &mut labels,
            );
        }
        ("resource.k8s.io", "ResourceClaim" | "ResourceClaimTemplate")
            if entry.api_version != "resource.k8s.io/v1beta2" =>
        {
            let path: &[&str] = if entry.kind == "ResourceClaim" {
                &["spec", "devices", "requests", "*"]
            } else {
                &["spec", "spec", "devices", "requests", "*"]
            };
            for request in at_path(root, path) {
                rename(
                    request,
                    &[],
                    "deviceClassName",
                    &format!(
                        "move `deviceClassName` (with `selectors`, `allocationMode`, `count`, `adminAccess`, `tolerations`) under `exactly:` in {to}"
                    ),
                    &mut labels,
                );
            }
        }
        ("resource.k8s.io", "ResourceSlice") if entry.api_version != "resource.k8s.io/v1beta2" => {
            for device in at_path(root, &["spec", "devices", "*"]) {
                rename(
                    device,
                    &[],
                    "basic",
                    &format!("the `basic:` wrapper is gone in {to}: move its fields up one level"),
                    &mut labels,
                );
            }
        }
        _ => {}
    }
    labels.sort_by_key(|(span, _)| span.start);
    labels
}

/// Label the key `key` of the mapping at `path` under `value`, if present.
fn rename(value: Value<'_>, path: &[&str], key: &str, message: &str, labels: &mut Labels) {
    for parent in at_path(value, path) {
        if let Some((k, _)) = parent.entry(key) {
            labels.push((k.span(), message.to_owned()));
        }
    }
}

fn ingress_labels(root: Value<'_>, to: &str, labels: &mut Labels) {
    let Some(spec) = root.get("spec") else {
        return;
    };
    let mut backends = Vec::new();
    if let Some((key, backend)) = spec.entry("backend") {
        labels.push((key.span(), format!("`backend` is `defaultBackend` in {to}")));
        backends.push(backend);
    }
    for path in at_path(spec, &["rules", "*", "http", "paths", "*"]) {
        if let Some(backend) = path.get("backend") {
            backends.push(backend);
        }
        if path.get("pathType").is_none() {
            let at = path.entry("path").map_or(path, |(k, _)| k);
            labels.push((at.span(), format!("add `pathType: Prefix` (or `Exact`, `ImplementationSpecific`): {to} requires it")));
        }
    }
    for backend in backends {
        if let Some((key, name)) = backend.entry("serviceName") {
            labels.push((
                key.span(),
                format!(
                    "`serviceName: {}` becomes `service: {{name: {}}}` in {to}",
                    text(name),
                    text(name)
                ),
            ));
        }
        if let Some((key, port)) = backend.entry("servicePort") {
            let field = if k8s_int(port).is_some() {
                "number"
            } else {
                "name"
            };
            labels.push((
                key.span(),
                format!(
                    "`servicePort: {}` becomes `service: {{port: {{{field}: {}}}}}` in {to}",
                    text(port),
                    text(port)
                ),
            ));
        }
    }
}

fn hpa_labels(root: Value<'_>, to: &str, labels: &mut Labels) {
    for metric in at_path(root, &["spec", "metrics", "*"]) {
        for source_type in [
            "resource",
            "containerResource",
            "pods",
            "object",
            "external",
        ] {
            let Some(source) = metric.get(source_type) else {
                continue;
            };
            for (key, value) in source.entries() {
                let v = text(value);
                let becomes = match key.as_str().unwrap_or_default() {
                    "targetAverageUtilization" => {
                        format!("`target: {{type: Utilization, averageUtilization: {v}}}`")
                    }
                    "targetAverageValue" => {
                        format!("`target: {{type: AverageValue, averageValue: {v}}}`")
                    }
                    "targetValue" => format!("`target: {{type: Value, value: {v}}}`"),
                    "averageValue" if source_type == "object" => {
                        format!("`target: {{type: AverageValue, averageValue: {v}}}`")
                    }
                    "metricName" => format!("`metric: {{name: {v}}}`"),
                    "selector" | "metricSelector" => "`metric.selector`".to_owned(),
                    "target" if source_type == "object" => "`describedObject`".to_owned(),
                    _ => continue,
                };
                let name = key.as_str().unwrap_or_default();
                labels.push((
                    key.span(),
                    format!("`{source_type}.{name}` becomes {becomes} in {to}"),
                ));
            }
        }
    }
}

fn crd_labels(root: Value<'_>, to: &str, labels: &mut Labels) {
    let Some(spec) = root.get("spec") else {
        return;
    };
    for (field, message) in [
        (
            "validation",
            "move `validation.openAPIV3Schema` to `versions[*].schema.openAPIV3Schema` (required for every version)",
        ),
        (
            "subresources",
            "move `subresources` into each `versions[*]`",
        ),
        (
            "additionalPrinterColumns",
            "move `additionalPrinterColumns` into each `versions[*]` (`JSONPath` → `jsonPath`)",
        ),
        (
            "version",
            "`version` is gone: list the versions in `versions`",
        ),
    ] {
        if let Some((key, _)) = spec.entry(field) {
            labels.push((key.span(), format!("{message} in {to}")));
        }
    }
    let preserve = spec
        .entry("preserveUnknownFields")
        .filter(|(_, value)| k8s_bool(*value) == Some(true));
    if let Some((key, _)) = preserve {
        labels.push((
            key.span(),
            format!("`preserveUnknownFields: true` is not allowed in {to}: set `x-kubernetes-preserve-unknown-fields: true` in the schema where needed"),
        ));
    }
    rename(
        spec,
        &["conversion"],
        "webhookClientConfig",
        &format!(
            "`conversion.webhookClientConfig` becomes `conversion.webhook.clientConfig` (with `conversionReviewVersions`) in {to}"
        ),
        labels,
    );
}

fn webhook_labels(root: Value<'_>, to: &str, labels: &mut Labels) {
    for webhook in at_path(root, &["webhooks", "*"]) {
        let at = webhook.entry("name").map_or(webhook, |(k, _)| k);
        match webhook.entry("sideEffects") {
            None => labels.push((
                at.span(),
                format!("add `sideEffects: None` (or `NoneOnDryRun`): {to} requires it"),
            )),
            Some((key, value)) if matches!(value.as_str(), Some("Unknown" | "Some")) => {
                labels.push((
                    key.span(),
                    format!(
                        "`sideEffects: {}` is not allowed in {to}: use `None` or `NoneOnDryRun`",
                        text(value)
                    ),
                ));
            }
            Some(_) => {}
        }
        if webhook.get("admissionReviewVersions").is_none() {
            labels.push((
                at.span(),
                format!("add `admissionReviewVersions: [v1]`: {to} requires it"),
            ));
        }
    }
}
