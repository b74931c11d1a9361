use super::{OPENAPI_DOCUMENTS, is_object_id, spec};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};
use assay_openapi::schema_types;
use assay_span::FileSpan;
use std::collections::BTreeMap;

declare_rule! {
    /// Objects are addressed by sequential numeric ids (API1)
    ///
    /// ## What it checks
    /// OWASP API1:2023 Broken Object Level Authorization. Path parameters
    /// named like object ids (`id`, `petId`, `order_id`) whose schema is
    /// `type: integer` or `type: number`. Each parameter name is reported
    /// once per document, at its first use, with the count of the others.
    ///
    /// What static analysis cannot see: whether the server checks ownership
    /// on every access (then numeric ids are harmless), or whether the ids
    /// are in fact random 64-bit numbers.
    ///
    /// ## Why it matters
    /// Sequential ids tell a caller which other ids exist: `GET /orders/1041`
    /// suggests `1040`. Where an object-level authorization check is missing
    /// anywhere, guessable ids turn it into a full data leak; random ids
    /// (UUIDs) make enumeration impractical.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Orders, version: "1.0"}
    /// paths:
    ///   /orders/{orderId}:
    ///     get:
    ///       parameters:
    ///         - {name: orderId, in: path, required: true, schema: {type: integer, format: int64}}
    ///       responses:
    ///         "200": {description: ok}
    /// ```
    ///
    /// ## Fix
    /// Use random identifiers:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Orders, version: "1.0"}
    /// paths:
    ///   /orders/{orderId}:
    ///     get:
    ///       parameters:
    ///         - {name: orderId, in: path, required: true, schema: {type: string, format: uuid}}
    ///       responses:
    ///         "200": {description: ok}
    /// ```
    ///
    /// ## References
    /// - OWASP API1:2023 Broken Object Level Authorization ("random and unpredictable values as GUIDs for records' IDs"): https://owasp.org/API-Security/editions/2023/en/0xa1-broken-object-level-authorization/
    /// - Spectral OWASP ruleset, `owasp:api1:2023-no-numeric-ids`: https://github.com/stoplightio/spectral-owasp-ruleset
    pub(crate) struct GuessableNumericObjectId {
        id: "OPENAPI010",
        name: "guessable-numeric-object-id",
        severity: Info,
        scope: OPENAPI_DOCUMENTS,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for GuessableNumericObjectId {
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
        // Per parameter name: where it is first written, its first operation, and every use.
        let mut found: BTreeMap<&str, (FileSpan, String, usize)> = BTreeMap::new();
        for op in spec.operations().iter().filter(|o| o.is_served()) {
            for parameter in op.parameters(&spec) {
                if parameter.location != "path" || !is_object_id(parameter.name) {
                    continue;
                }
                let Some(schema) = parameter.schema(spec.version) else {
                    continue;
                };
                let Ok(schema) = spec.resolver.resolve(schema) else {
                    continue;
                };
                let numeric = schema_types(schema.target)
                    .iter()
                    .any(|t| matches!(*t, "integer" | "number"));
                if !numeric {
                    continue;
                }
                let at = schema.target.get("type").unwrap_or(schema.target).span();
                found
                    .entry(parameter.name)
                    .or_insert_with(|| (at, op.display(), 0))
                    .2 += 1;
            }
        }
        for (name, (at, first, uses)) in found {
            let more = match uses {
                0 | 1 => String::new(),
                2 => " (and 1 more operation)".to_owned(),
                n => format!(" (and {} more operations)", n - 1),
            };
            let finding = out
                .at(
                    at,
                    format!(
                        "path parameter `{name}` of {first}{more} is a numeric id, which callers can guess by counting"
                    ),
                )
                .object(first)
                .fix("address objects by random identifiers (`type: string, format: uuid`), and check ownership on every access");
            out.push(finding);
        }
    }
}
