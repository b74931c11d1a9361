use super::{OPENAPI_DOCUMENTS, SchemaFindings, for_each_response_schema, reached, spec, squash};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// An error response returns stack traces or internals (API8)
    ///
    /// ## What it checks
    /// OWASP API8:2023 Security Misconfiguration. The schemas of error
    /// responses (`4XX`, `5XX`, `default`), through every `$ref`: properties
    /// named like internals — `stack`, `stackTrace`, `trace`, `traceback`,
    /// `exception`, `innerException`, `debug`, `debugInfo`, `sql`,
    /// `sqlState`, `query` — (letters compared without case, `-` and `_`).
    /// `traceId` and the like are correlation ids and are not reported.
    ///
    /// What static analysis cannot see: whether the field is filled in
    /// production.
    ///
    /// ## Why it matters
    /// Stack traces, exception types and SQL tell an attacker the framework,
    /// library versions, file layout and queries behind the API: a map for
    /// the next attack. OWASP lists "error messages include stack traces"
    /// among API8's typical misconfigurations.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1.0"}
    /// paths:
    ///   /pets:
    ///     get:
    ///       responses:
    ///         "200": {description: ok}
    ///         "500":
    ///           description: error
    ///           content:
    ///             application/json:
    ///               schema:
    ///                 type: object
    ///                 properties:
    ///                   message: {type: string}
    ///                   stackTrace: {type: string}
    /// ```
    ///
    /// ## Fix
    /// Return a problem description and log the details server-side:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1.0"}
    /// paths:
    ///   /pets:
    ///     get:
    ///       responses:
    ///         "200": {description: ok}
    ///         "500":
    ///           description: error
    ///           content:
    ///             application/problem+json:
    ///               schema:
    ///                 type: object
    ///                 properties:
    ///                   title: {type: string}
    ///                   traceId: {type: string}
    /// ```
    ///
    /// ## References
    /// - OWASP API8:2023 Security Misconfiguration: https://owasp.org/API-Security/editions/2023/en/0xa8-security-misconfiguration/
    /// - OWASP Error Handling Cheat Sheet: https://cheatsheetseries.owasp.org/cheatsheets/Error_Handling_Cheat_Sheet.html
    /// - RFC 9457, Problem Details for HTTP APIs: https://www.rfc-editor.org/rfc/rfc9457
    pub(crate) struct ErrorExposesInternals {
        id: "OPENAPI023",
        name: "error-exposes-internals",
        severity: Warning,
        scope: OPENAPI_DOCUMENTS,
        fix: Never,
        since: "0.1.0",
    }
}

/// Squashed property names that carry internals.
const INTERNAL_FIELDS: &[&str] = &[
    "stack",
    "stacktrace",
    "trace",
    "traceback",
    "exception",
    "innerexception",
    "exceptiontype",
    "debug",
    "debuginfo",
    "sql",
    "sqlstate",
    "query",
];

impl Rule for ErrorExposesInternals {
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
            |code| code == "default" || code.starts_with('4') || code.starts_with('5'),
            |op, label, schema, trail| {
                let Some(name) = schema.property else {
                    return;
                };
                if schema.composed || !INTERNAL_FIELDS.contains(&squash(name).as_str()) {
                    return;
                }
                found.add(schema.anchor, op, || {
                    format!(
                        "{}: error field `{name}` exposes server internals to the client",
                        reached(label, op, trail, schema.trail)
                    )
                });
            },
        );
        found.emit(
            out,
            "return a generic error (RFC 9457 problem details with a correlation id) and keep stack traces and internals in server logs",
        );
    }
}
