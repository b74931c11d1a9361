use super::{OPENAPI_DOCUMENTS, report_unbounded_inputs, spec};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};
use assay_openapi::SchemaVisit;

declare_rule! {
    /// A string input has no maximum length (API4)
    ///
    /// ## What it checks
    /// OWASP API4:2023 Unrestricted Resource Consumption. The inputs of
    /// operations under `paths` — parameters and request bodies, through
    /// every `$ref`: string schemas (`type: string`, or a 3.1 type list with
    /// `string`) with no `maxLength`, `enum` or `const`. Strings whose
    /// format bounds them (`date`, `date-time`, `time`, `uuid`, `ipv4`,
    /// `ipv6`) or whose `pattern` is anchored and has no unbounded
    /// repetition are bounded already. File contents (`format: binary`)
    /// are OPENAPI019's; base64 strings (`format: byte`) are reported here. Read-only properties are skipped (clients do not
    /// send them). Responses are not checked: a server controls what it
    /// sends.
    ///
    /// Each schema is reported once, where it is written; a parameter
    /// written inline on many operations, once per name. Severity is info:
    /// one unbounded string is rarely a vulnerability by itself, and most
    /// servers cap the request size; the list shows where validation
    /// relies on that cap alone.
    ///
    /// What static analysis cannot see: limits enforced in code or at a
    /// gateway (a maximum request size).
    ///
    /// ## Why it matters
    /// A server that validates against the description accepts strings of
    /// any length; the cost of storing, indexing, logging and matching
    /// them is the client's choice. Bounds in the description are also
    /// what generated validators and gateways enforce.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Search, version: "1.0"}
    /// paths:
    ///   /search:
    ///     get:
    ///       parameters:
    ///         - {name: q, in: query, schema: {type: string}}
    ///       responses:
    ///         "200": {description: ok}
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Search, version: "1.0"}
    /// paths:
    ///   /search:
    ///     get:
    ///       parameters:
    ///         - {name: q, in: query, schema: {type: string, maxLength: 200}}
    ///       responses:
    ///         "200": {description: ok}
    /// ```
    ///
    /// ## References
    /// - OWASP API4:2023 Unrestricted Resource Consumption ("maximum length for strings"): https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/
    /// - Spectral OWASP ruleset, `owasp:api4:2023-string-limit`, `string-restricted`: https://github.com/stoplightio/spectral-owasp-ruleset
    pub(crate) struct UnboundedStringInput {
        id: "OPENAPI014",
        name: "unbounded-string-input",
        severity: Info,
        scope: OPENAPI_DOCUMENTS,
        fix: Always,
        since: "0.1.0",
    }
}

/// Formats whose values have a bounded length.
const BOUNDED_FORMATS: &[&str] = &["date", "date-time", "time", "uuid", "ipv4", "ipv6"];

/// An anchored pattern with no unbounded repetition (`^[a-z]{2,8}$`).
fn bounded_pattern(pattern: &str) -> bool {
    pattern.starts_with('^')
        && pattern.ends_with('$')
        && !pattern.contains('*')
        && !pattern.contains('+')
        && !pattern.contains(",}")
}

/// What an unbounded string schema lacks.
fn unbounded_string(schema: &SchemaVisit<'_>) -> Option<(&'static str, &'static str)> {
    if !schema.types().contains(&"string") {
        return None;
    }
    let format = schema.schema.get_str("format").unwrap_or_default();
    let bounded = ["maxLength", "enum", "const"].iter().any(|k| schema.has(k))
        || BOUNDED_FORMATS.contains(&format)
        || format == "binary"
        || schema
            .schema
            .get_str("pattern")
            .is_some_and(bounded_pattern);
    (!bounded).then_some((
        "string without `maxLength` (or `enum`, `const`, a bounded `format` or anchored `pattern`)",
        "strings without `maxLength`",
    ))
}

impl Rule for UnboundedStringInput {
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
            "add `maxLength` (or an `enum`, or an anchored `pattern`) that fits the values you expect",
            |schema, _| unbounded_string(schema),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::bounded_pattern;

    #[test]
    fn patterns() {
        assert!(bounded_pattern("^[a-z]{2,8}$"));
        assert!(!bounded_pattern("^[a-z]+$"));
        assert!(!bounded_pattern("^[a-z]{2,}$"));
        assert!(!bounded_pattern("[a-z]{2}"));
    }
}
