use super::detect::{base64_decode, names_a_digest};
use super::{
    Detection, MOVE_TO_SECRET, Site, detect_config_text, detect_formats, detect_named, report,
};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;
use assay_yaml::Value;

declare_rule! {
    /// A ConfigMap value or an annotation holds a credential in plain text
    ///
    /// ## What it checks
    /// - `metadata.annotations` of every object and of pod templates: a value
    ///   with a known credential format (AWS, GitHub, GitLab, Slack, Stripe
    ///   live, Google, npm, PyPI tokens, JWTs, PEM private keys), a password in
    ///   a connection URL, or a literal under a key that names a secret (the
    ///   part after the last `/`, e.g. `example.com/db-password`). The
    ///   `kubectl.kubernetes.io/last-applied-configuration` annotation holds the
    ///   object as JSON; only credential formats are searched in it.
    /// - ConfigMap `data`: a one-line value is checked like an environment
    ///   variable (its key as the name); a multi-line value (a whole config
    ///   file) is searched for credential formats and for `password: …`,
    ///   `password=…`, `"api_key": "…"` lines whose value is a literal.
    /// - ConfigMap `binaryData`: the decoded text is searched for credential
    ///   formats.
    ///
    /// The name rules are those of SEC001: password names count with any
    /// literal; token, secret and key names only with a generated-looking value
    /// (10+ characters, 3+ bits of entropy per character, not a lowercase
    /// resource name or path). References (`${DB_PASSWORD}`), flags, numbers and
    /// paths are not reported. Secret values never appear in the message.
    ///
    /// ## Why it matters
    /// ConfigMaps are meant for non-confidential data: they are not encrypted
    /// at rest, RBAC roles grant read access to them freely, and they are
    /// printed by `kubectl describe`. Annotations are copied into events, audit
    /// logs and every tool that lists objects. A credential there is as good as
    /// public inside the cluster, and it is in the repository's history.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: app-config
    /// data:
    ///   application.properties: |
    ///     spring.datasource.url=jdbc:postgresql://db:5432/app
    ///     spring.datasource.username=app
    ///     spring.datasource.password=not-a-real-password
    /// ```
    ///
    /// ## Fix
    /// Read the password from the environment or a mounted Secret file:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: app-config
    /// data:
    ///   application.properties: |
    ///     spring.datasource.url=jdbc:postgresql://db:5432/app
    ///     spring.datasource.username=app
    ///     spring.datasource.password=${DB_PASSWORD}
    /// ```
    ///
    /// ## References
    /// - Kubernetes, ConfigMaps ("ConfigMap does not provide secrecy or encryption"): https://kubernetes.io/docs/concepts/configuration/configmap/
    /// - Kubernetes, Good practices for Kubernetes Secrets: https://kubernetes.io/docs/concepts/security/secrets-good-practices/
    /// - gitleaks rule set (token formats): https://github.com/gitleaks/gitleaks/blob/master/config/gitleaks.toml
    pub(crate) struct SecretInConfigMapOrAnnotation {
        id: "SEC002",
        name: "secret-in-configmap-or-annotation",
        severity: Error,
        scope: Scope::Object(&[]),
        fix: Never,
        since: "0.1.0",
    }
}

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

fn check_annotations(object: &ObjectView<'_>, map: Option<Value<'_>>, out: &mut Findings<'_>) {
    for (key, node) in map.into_iter().flat_map(Value::entries) {
        let (Some(key), Some(value)) = (key.as_str(), node.as_str()) else {
            continue;
        };
        // The name heuristics read the part after the prefix; a digest
        // prefix (`checksum/secret`) means the value is a hash, not the secret.
        let (prefix, name) = key.rsplit_once('/').unwrap_or(("", key));
        let found = if key == LAST_APPLIED || names_a_digest(prefix) {
            detect_formats(value)
        } else {
            detect_named(Some(name), value)
        };
        if let Some(found) = found {
            let subject = format!("annotation `{key}` of {}", object.display());
            emit(object, node, value, &found, &subject, out);
        }
    }
}

fn emit(
    object: &ObjectView<'_>,
    node: Value<'_>,
    value: &str,
    found: &Detection,
    subject: &str,
    out: &mut Findings<'_>,
) {
    report(
        out,
        Site::new(object.file_id(), &object.file.text, node, value),
        found,
        subject,
        Some(object.display()),
        MOVE_TO_SECRET,
    );
}

impl Rule for SecretInConfigMapOrAnnotation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let metadata = object.metadata();
        check_annotations(object, metadata.and_then(|m| m.get("annotations")), out);
        if object.kind() != "Pod" {
            let template = object.pod_metadata();
            check_annotations(object, template.and_then(|m| m.get("annotations")), out);
        }
        if object.kind() != "ConfigMap" {
            return;
        }
        for (key, node) in object.root.get("data").into_iter().flat_map(Value::entries) {
            let (Some(key), Some(value)) = (key.as_str(), node.as_str()) else {
                continue;
            };
            let found = if value.trim_end().contains('\n') {
                detect_config_text(value)
            } else {
                detect_named(Some(key), value)
            };
            if let Some(found) = found {
                let subject = format!("ConfigMap key `{key}`");
                emit(object, node, value, &found, &subject, out);
            }
        }
        let binary = object.root.get("binaryData");
        for (key, node) in binary.into_iter().flat_map(Value::entries) {
            let (Some(key), Some(value)) = (key.as_str(), node.as_str()) else {
                continue;
            };
            let Some(decoded) = base64_decode(value).and_then(|b| String::from_utf8(b).ok()) else {
                continue;
            };
            let Some(found) = detect_formats(&decoded) else {
                continue;
            };
            // The secret is inside the base64 text: mask the whole value.
            let whole = Detection {
                label: found.label,
                prefix: 0,
                ranges: vec![(0, value.len())],
            };
            let subject = format!("ConfigMap binaryData key `{key}` (base64-decoded)");
            emit(object, node, value, &whole, &subject, out);
        }
    }
}
