use super::{ENCRYPTION_KINDS, encryption_name};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_controlplane::EncryptionConfig;
use assay_model::ObjectView;

declare_rule! {
    /// An encryption key rotation was left half done (the newest key is not first)
    ///
    /// ## What it checks
    /// A provider with several keys whose names end in a number (`key1`,
    /// `key2`, `2024-06`), where a later key carries a higher number than the
    /// first one. The API server encrypts with the first key only; a newer
    /// key listed after it has been added (step one of a rotation) but never
    /// promoted.
    ///
    /// ## Why it matters
    /// A rotation stops halfway: new Secrets are still encrypted with the old
    /// key, which the rotation was meant to retire. The naming convention is
    /// a heuristic, so this is informational.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apiserver.config.k8s.io/v1
    /// kind: EncryptionConfiguration
    /// resources:
    ///   - resources: [secrets]
    ///     providers:
    ///       - secretbox:
    ///           keys:
    ///             - name: key1
    ///               secret: bm90LWEtcmVhbC1rZXktanVzdC0zMi1ieXRlcy1vayE=  # "not-a-real-key-just-32-bytes-ok!"
    ///             - name: key2
    ///               secret: bm90LWEtcmVhbC1rZXktZWl0aGVyLTMyLWJ5dGVzISE=  # "not-a-real-key-either-32-bytes!!"
    /// ```
    ///
    /// ## Fix
    /// Finish the rotation: move the new key first, restart every API server,
    /// rewrite the Secrets, then drop the old key:
    /// ```yaml
    /// apiVersion: apiserver.config.k8s.io/v1
    /// kind: EncryptionConfiguration
    /// resources:
    ///   - resources: [secrets]
    ///     providers:
    ///       - secretbox:
    ///           keys:
    ///             - name: key2
    ///               secret: bm90LWEtcmVhbC1rZXktZWl0aGVyLTMyLWJ5dGVzISE=  # "not-a-real-key-either-32-bytes!!"
    ///             - name: key1
    ///               secret: bm90LWEtcmVhbC1rZXktanVzdC0zMi1ieXRlcy1vayE=  # "not-a-real-key-just-32-bytes-ok!"
    /// ```
    ///
    /// ## References
    /// - Encrypting confidential data at rest, "Rotate a decryption key": https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#rotating-a-decryption-key
    pub(crate) struct EncryptionKeyNotRotated {
        id: "ETCD019",
        name: "encryption-key-not-rotated",
        severity: Info,
        scope: Scope::Object(ENCRYPTION_KINDS),
        fix: Always,
        since: "0.1.0",
    }
}

/// The number a key name ends with (`key12` → 12).
fn trailing_number(name: &str) -> Option<u64> {
    let digits = name.len() - name.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    name.get(name.len() - digits..)?.parse().ok()
}

impl Rule for EncryptionKeyNotRotated {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let Some(config) = EncryptionConfig::read(object.root) else {
            return;
        };
        let name = encryption_name(object);
        for provider in config.rules.iter().flat_map(|r| &r.providers) {
            let Some((first, rest)) = provider.keys.split_first() else {
                continue;
            };
            let Some(first_number) = first.name.and_then(trailing_number) else {
                continue;
            };
            let newer = rest.iter().find(|k| {
                k.name
                    .and_then(trailing_number)
                    .is_some_and(|n| n > first_number)
            });
            let Some(newer) = newer else {
                continue;
            };
            let location = newer
                .node
                .get("name")
                .map_or(newer.node.span(), |n| n.span());
            let f = out
                .at(
                    object.at(location),
                    format!(
                        "{}: provider `{}` encrypts with key \"{}\" although the newer key \"{}\" is listed after it: the rotation was never finished",
                        name,
                        provider.key_name(),
                        first.name.unwrap_or_default(),
                        newer.name.unwrap_or_default()
                    ),
                )
                .object(name.clone())
                .fix("move the newest key first, restart every API server, rewrite all Secrets, then remove the old key");
            out.push(f);
        }
    }
}
