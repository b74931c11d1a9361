use super::{OPENAPI_DOCUMENTS, SchemaFindings, for_each_response_schema, reached, spec, squash};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// A response returns a field named like a password or secret (API3)
    ///
    /// ## What it checks
    /// OWASP API3:2023 Broken Object Property Level Authorization (excessive
    /// data exposure). The schemas of successful (`2XX`) responses, through
    /// every `$ref`: properties whose name (without case, `-` and `_`)
    /// contains `password`, `passwd`, `passphrase`, `privatekey`,
    /// `secretkey`, `clientsecret`, or is `secret`/`pin`/`ssn`/`cvv`.
    /// Properties marked `writeOnly: true` are not returned and are skipped.
    /// Token endpoints that return access tokens are not reported: that is
    /// their purpose.
    ///
    /// What static analysis cannot see: whether the field is filled (it may
    /// always be masked), and fields whose names do not say what they hold.
    ///
    /// ## Why it matters
    /// An API that returns the whole object model leaks every field it
    /// holds, and a password hash, private key or client secret in a
    /// response is read by every client, log and cache on the way.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Users, version: "1.0"}
    /// paths:
    ///   /users/me:
    ///     get:
    ///       responses:
    ///         "200":
    ///           description: ok
    ///           content:
    ///             application/json:
    ///               schema:
    ///                 type: object
    ///                 properties:
    ///                   email: {type: string, format: email}
    ///                   password: {type: string}
    /// ```
    ///
    /// ## Fix
    /// Mark the field write-only (or remove it from the response model):
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Users, version: "1.0"}
    /// paths:
    ///   /users/me:
    ///     get:
    ///       responses:
    ///         "200":
    ///           description: ok
    ///           content:
    ///             application/json:
    ///               schema:
    ///                 type: object
    ///                 properties:
    ///                   email: {type: string, format: email}
    ///                   password: {type: string, writeOnly: true}
    /// ```
    ///
    /// ## References
    /// - OWASP API3:2023 Broken Object Property Level Authorization: https://owasp.org/API-Security/editions/2023/en/0xa3-broken-object-property-level-authorization/
    /// - OpenAPI 3.1.0, Schema Object `writeOnly`: https://spec.openapis.org/oas/v3.1.0#fixed-fields-19
    pub(crate) struct CredentialFieldInResponse {
        id: "OPENAPI012",
        name: "credential-field-in-response",
        severity: Warning,
        scope: OPENAPI_DOCUMENTS,
        fix: Always,
        since: "0.1.0",
    }
}

/// Squashed property names that hold a credential or sensitive personal data.
fn is_credential_field(name: &str) -> bool {
    let name = squash(name);
    [
        "password",
        "passwd",
        "passphrase",
        "privatekey",
        "secretkey",
        "clientsecret",
    ]
    .iter()
    .any(|w| name.contains(w))
        || matches!(name.as_str(), "secret" | "pin" | "ssn" | "cvv" | "cvc")
}

impl Rule for CredentialFieldInResponse {
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
        let Some(spec) = spec(ctx, file, doc) else {
            return;
        };
        let mut found = SchemaFindings::default();
        for_each_response_schema(
            &spec,
            |code| code.starts_with('2'),
            |op, label, schema, trail| {
                if let Some(name) = schema.property.filter(|n| is_credential_field(n))
                    && !schema.composed
                {
                    found.add(schema.anchor, op, || {
                        format!(
                            "{}: field `{name}` sends a credential or sensitive value to the client",
                            reached(label, op, trail, schema.trail)
                        )
                    });
                }
            },
        );
        found.emit(
            out,
            "remove the field from the response model, or mark it `writeOnly: true` when clients only send it",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::is_credential_field;

    #[test]
    fn credential_fields() {
        for name in [
            "password",
            "passwordHash",
            "client_secret",
            "privateKey",
            "PIN",
        ] {
            assert!(is_credential_field(name), "{name}");
        }
        for name in ["passport", "secretName", "spin", "token"] {
            assert!(!is_credential_field(name), "{name}");
        }
    }
}
