use super::detect::{base64_decode, find_tokens, is_placeholder, names_a_public_value};
use super::locate;
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// A Secret manifest with its values written in the deliverable
    ///
    /// ## What it checks
    /// Every `kind: Secret` whose `data` or `stringData` has at least one
    /// non-empty value. Not reported: a Secret whose values are all empty or
    /// template markers (`""`, `<set-me>`, `${TOKEN}`, `REPLACE_ME`; `data`
    /// values are base64-decoded first), a Secret with no data at all (such as
    /// a `kubernetes.io/service-account-token` Secret the control plane fills),
    /// and SOPS-encrypted files (a top-level `sops:` key, or every value
    /// `ENC[AES256_GCM,…]`). One finding per `data` / `stringData` key, at the
    /// key; it lists the entry names, never the values, and names the
    /// credential formats it recognises in them.
    ///
    /// Severity is error: a literal Secret in a deliverable is the credential
    /// itself in version control. If the values are intentionally public
    /// (a demo), suppress the finding with a reason.
    ///
    /// ## Why it matters
    /// `data` is base64, an encoding, not encryption: anyone who can read the
    /// repository, its history or any copy of the deliverable can read the
    /// values. Credentials in Git cannot be revoked by deleting the file, and
    /// each environment ends up sharing the same committed values.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: db
    /// type: Opaque
    /// stringData:
    ///   username: app
    ///   password: "not-a-real-password"
    /// ```
    ///
    /// ## Fix
    /// Commit a reference to the secret store instead, for example an External
    /// Secrets Operator `ExternalSecret` (or a `SealedSecret`, or a
    /// SOPS-encrypted file decrypted at deploy time):
    /// ```yaml
    /// apiVersion: external-secrets.io/v1
    /// kind: ExternalSecret
    /// metadata:
    ///   name: db
    /// spec:
    ///   refreshInterval: 1h
    ///   secretStoreRef:
    ///     name: vault
    ///     kind: ClusterSecretStore
    ///   target:
    ///     name: db
    ///   data:
    ///     - secretKey: password
    ///       remoteRef:
    ///         key: prod/db
    ///         property: password
    /// ```
    ///
    /// ## References
    /// - Kubernetes, Secrets ("stored unencrypted … anyone with access can retrieve"): https://kubernetes.io/docs/concepts/configuration/secret/
    /// - External Secrets Operator: https://external-secrets.io/latest/
    /// - Sealed Secrets: https://github.com/bitnami-labs/sealed-secrets
    /// - SOPS: https://github.com/getsops/sops
    pub(crate) struct SecretManifestWithLiteralData {
        id: "SEC004",
        name: "secret-manifest-with-literal-data",
        severity: Error,
        scope: Scope::Object(&["Secret"]),
        fix: Never,
        since: "0.1.0",
    }
}

const FIX: &str = "do not commit Secret values: commit an ExternalSecret (External Secrets Operator), a SealedSecret, or a SOPS-encrypted file instead, and rotate the values already committed";

impl Rule for SecretManifestWithLiteralData {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        if object.root.get("sops").is_some() {
            return;
        }
        for field in ["data", "stringData"] {
            let Some((key, map)) = object.root.entry(field) else {
                continue;
            };
            let mut names = Vec::new();
            let mut secrets = Vec::new();
            let mut kinds: Vec<&str> = Vec::new();
            let mut encrypted = 0;
            let entries: Vec<_> = map.entries().collect();
            for (name, node) in &entries {
                let Some(value) = node.as_str() else {
                    continue;
                };
                if value.trim().starts_with("ENC[") {
                    encrypted += 1;
                    continue;
                }
                let plain = if field == "data" {
                    base64_decode(value).and_then(|b| String::from_utf8(b).ok())
                } else {
                    Some(value.to_owned())
                };
                if plain.as_deref().is_some_and(is_placeholder) || is_placeholder(value) {
                    continue;
                }
                for token in find_tokens(plain.as_deref().unwrap_or_default()) {
                    let label = token.kind.label();
                    if !kinds.contains(&label) {
                        kinds.push(label);
                    }
                }
                names.push(format!("`{}`", name.as_str().unwrap_or("?")));
                // A username or host is reported with the rest but is no
                // secret: masking it would hide it in every message.
                if !name.as_str().is_some_and(names_a_public_value) {
                    let span = locate(&object.file.text, node.span(), value, 0, value.len());
                    secrets.push(object.at(span));
                }
            }
            if names.is_empty() || (encrypted > 0 && encrypted == entries.len()) {
                continue;
            }
            let mut message = format!(
                "{} commits {} literal value{} in `{field}` ({})",
                object.display(),
                names.len(),
                if names.len() == 1 { "" } else { "s" },
                names.join(", ")
            );
            if field == "data" {
                message.push_str("; base64 is an encoding, not encryption");
            }
            if !kinds.is_empty() {
                message.push_str(&format!("; recognised: {}", kinds.join(", ")));
            }
            let mut finding = out
                .at(object.at(key.span()), message)
                .object(object.display())
                .fix(FIX);
            for span in secrets {
                finding = finding.secret(span);
            }
            out.push(finding);
        }
    }
}
