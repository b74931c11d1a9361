use super::{OPENAPI_DOCUMENTS, SchemaFindings, inputs, reached, spec};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};
use assay_openapi::{Version, walk_schema};

declare_rule! {
    /// A write request body accepts properties it does not declare (API3)
    ///
    /// ## What it checks
    /// OWASP API3:2023 Broken Object Property Level Authorization (mass
    /// assignment). The request body schema of each `POST`, `PUT` and
    /// `PATCH` operation, `$ref`s followed: an object schema that declares
    /// `properties` but does not close itself with
    /// `additionalProperties: false` (or, in 3.1, `unevaluatedProperties:
    /// false`). A schema used by many operations is reported once, where it
    /// is written. Only the body's own schema is checked, not the objects
    /// nested in it: binding starts there, and one finding per body keeps
    /// the report readable. A body composed with `allOf`/`anyOf`/`oneOf` is
    /// skipped (closing a part would reject the other parts' properties;
    /// in 3.1 close the composed schema with `unevaluatedProperties: false`).
    ///
    /// What static analysis cannot see: whether the server binds unknown
    /// properties to its model (most frameworks do unless told otherwise),
    /// or strips them.
    ///
    /// ## Why it matters
    /// An open body schema means validation lets through fields the API never
    /// meant clients to set (`isAdmin`, `ownerId`, `balance`). Where the
    /// server binds the body to its model, a client can set them.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Users, version: "1.0"}
    /// paths:
    ///   /users:
    ///     post:
    ///       requestBody:
    ///         content:
    ///           application/json:
    ///             schema:
    ///               type: object
    ///               properties:
    ///                 name: {type: string, maxLength: 100}
    ///       responses:
    ///         "201": {description: created}
    /// ```
    ///
    /// ## Fix
    /// Close the schema:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Users, version: "1.0"}
    /// paths:
    ///   /users:
    ///     post:
    ///       requestBody:
    ///         content:
    ///           application/json:
    ///             schema:
    ///               type: object
    ///               additionalProperties: false
    ///               properties:
    ///                 name: {type: string, maxLength: 100}
    ///       responses:
    ///         "201": {description: created}
    /// ```
    ///
    /// ## References
    /// - OWASP API3:2023 Broken Object Property Level Authorization: https://owasp.org/API-Security/editions/2023/en/0xa3-broken-object-property-level-authorization/
    /// - OWASP Mass Assignment Cheat Sheet: https://cheatsheetseries.owasp.org/cheatsheets/Mass_Assignment_Cheat_Sheet.html
    /// - Spectral OWASP ruleset, `owasp:api3:2023-no-additionalProperties`, `no-unevaluatedProperties`: https://github.com/stoplightio/spectral-owasp-ruleset
    pub(crate) struct WriteBodyAcceptsUndeclaredProperties {
        id: "OPENAPI011",
        name: "write-body-accepts-undeclared-properties",
        severity: Warning,
        scope: OPENAPI_DOCUMENTS,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for WriteBodyAcceptsUndeclaredProperties {
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
        for op in spec.operations().iter().filter(|o| o.is_served()) {
            if !matches!(op.method, "post" | "put" | "patch") {
                continue;
            }
            for input in inputs(&spec, op)
                .into_iter()
                .filter(|i| i.label.starts_with("request body"))
            {
                walk_schema(&spec.resolver, input.schema, &input.via, |schema, trail| {
                    if schema.read_only {
                        return false;
                    }
                    let open = schema.has("properties")
                        && !schema.composed
                        && schema.schema.get_str("additionalProperties") != Some("false")
                        && !(spec.version == Version::OpenApi31
                            && schema.schema.get_str("unevaluatedProperties") == Some("false"));
                    if open {
                        found.add(schema.anchor, op, || {
                            format!(
                                "{}: the object accepts properties it does not declare, which a server that binds the body may assign (mass assignment)",
                                reached(&input.label, op, trail, schema.trail)
                            )
                        });
                    }
                    // Nested objects are bound only through their parent: the
                    // body's own schema is where binding starts, and one
                    // finding per body keeps the report readable.
                    false
                });
            }
        }
        found.emit(
            out,
            "add `additionalProperties: false` to the object schema (3.1: `unevaluatedProperties: false` on the composed schema), and bind only the fields clients may set",
        );
    }
}
