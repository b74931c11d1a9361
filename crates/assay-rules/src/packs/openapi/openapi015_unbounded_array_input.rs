use super::{OPENAPI_DOCUMENTS, report_unbounded_inputs, spec};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// An array input has no maximum number of items (API4)
    ///
    /// ## What it checks
    /// OWASP API4:2023 Unrestricted Resource Consumption. The inputs of
    /// operations under `paths` — parameters and request bodies, through
    /// every `$ref`: array schemas (`type: array`, or a 3.1 type list with
    /// `array`) with no `maxItems`. Read-only properties are skipped. Each
    /// schema is reported once, where it is written; an inline parameter,
    /// once per name.
    ///
    /// What static analysis cannot see: limits enforced in code or at a
    /// gateway.
    ///
    /// ## Why it matters
    /// The work a server does per request usually grows with the number of
    /// items: a batch endpoint that accepts any number of items lets one
    /// request do the work of thousands (OWASP's example: a GraphQL batch
    /// of many operations in one request).
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Batch, version: "1.0"}
    /// paths:
    ///   /messages:
    ///     post:
    ///       requestBody:
    ///         content:
    ///           application/json:
    ///             schema:
    ///               type: array
    ///               items: {type: string, maxLength: 1000}
    ///       responses:
    ///         "202": {description: accepted}
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Batch, version: "1.0"}
    /// paths:
    ///   /messages:
    ///     post:
    ///       requestBody:
    ///         content:
    ///           application/json:
    ///             schema:
    ///               type: array
    ///               maxItems: 100
    ///               items: {type: string, maxLength: 1000}
    ///       responses:
    ///         "202": {description: accepted}
    /// ```
    ///
    /// ## References
    /// - OWASP API4:2023 Unrestricted Resource Consumption ("maximum number of elements in arrays"): https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/
    /// - Spectral OWASP ruleset, `owasp:api4:2023-array-limit`: https://github.com/stoplightio/spectral-owasp-ruleset
    pub(crate) struct UnboundedArrayInput {
        id: "OPENAPI015",
        name: "unbounded-array-input",
        severity: Warning,
        scope: OPENAPI_DOCUMENTS,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for UnboundedArrayInput {
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
        report_unbounded_inputs(
            &spec,
            out,
            "add `maxItems` with the largest batch the operation is meant to take",
            |schema, _| {
                (schema.types().contains(&"array") && !schema.has("maxItems"))
                    .then_some(("array without `maxItems`", "arrays without `maxItems`"))
            },
        );
    }
}
