use super::{OPENAPI_DOCUMENTS, report_unbounded_inputs, spec};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// A numeric input has no maximum (API4)
    ///
    /// ## What it checks
    /// OWASP API4:2023 Unrestricted Resource Consumption. The inputs of
    /// operations under `paths` — parameters and request bodies, through
    /// every `$ref`: `integer` and `number` schemas with no `maximum`
    /// (or `exclusiveMaximum`, `enum`, `const`). The upper bound is what
    /// limits resource use (`limit=1000000`, `quantity=1e9`); a missing
    /// minimum is a validation gap, not a resource one, and is not
    /// reported. Read-only properties are skipped. Each schema is reported
    /// once; an inline parameter, once per name. Severity is info, as for
    /// strings (OPENAPI014).
    ///
    /// What static analysis cannot see: limits enforced in code.
    ///
    /// ## Why it matters
    /// Numbers that size work — page sizes, counts, durations, quantities —
    /// let a client ask for any amount of it: `?limit=100000000` on a list
    /// operation reads the whole table.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Events, version: "1.0"}
    /// paths:
    ///   /events:
    ///     get:
    ///       parameters:
    ///         - {name: limit, in: query, schema: {type: integer, minimum: 1}}
    ///       responses:
    ///         "200": {description: ok}
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Events, version: "1.0"}
    /// paths:
    ///   /events:
    ///     get:
    ///       parameters:
    ///         - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100}}
    ///       responses:
    ///         "200": {description: ok}
    /// ```
    ///
    /// ## References
    /// - OWASP API4:2023 Unrestricted Resource Consumption: https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/
    /// - Spectral OWASP ruleset, `owasp:api4:2023-integer-limit`, `integer-limit-legacy`: https://github.com/stoplightio/spectral-owasp-ruleset
    pub(crate) struct UnboundedNumberInput {
        id: "OPENAPI016",
        name: "unbounded-number-input",
        severity: Info,
        scope: OPENAPI_DOCUMENTS,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for UnboundedNumberInput {
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
            "add a `maximum` that fits the values you expect",
            |schema, _| {
                let types = schema.types();
                let numeric = types.contains(&"integer") || types.contains(&"number");
                let bounded = ["maximum", "exclusiveMaximum", "enum", "const"]
                    .iter()
                    .any(|k| schema.has(k));
                (numeric && !bounded)
                    .then_some(("number without `maximum`", "numbers without `maximum`"))
            },
        );
    }
}
