use super::{OPENAPI_DOCUMENTS, report_unbounded_inputs, spec};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// A file upload has no size limit (API4)
    ///
    /// ## What it checks
    /// OWASP API4:2023 Unrestricted Resource Consumption. The inputs of
    /// operations under `paths`, through every `$ref`: file contents —
    /// strings with `format: binary`, or with
    /// `contentMediaType`/`contentEncoding` (3.1), and Swagger 2.0
    /// `type: file` parameters — with no `maxLength`. Swagger 2.0 cannot
    /// express a size for `type: file`: there the fix is to state the limit
    /// in the description and enforce it at the server or gateway.
    ///
    /// What static analysis cannot see: a request size limit at the server
    /// or gateway (e.g. `client_max_body_size`).
    ///
    /// ## Why it matters
    /// Uploads are the cheapest way to make a server spend disk, memory and
    /// processing (image decoding, virus scanning, parsing archives). OWASP
    /// names "maximum upload file size" among the limits every API needs.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Avatars, version: "1.0"}
    /// paths:
    ///   /avatar:
    ///     put:
    ///       requestBody:
    ///         content:
    ///           image/png:
    ///             schema: {type: string, format: binary}
    ///       responses:
    ///         "204": {description: stored}
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Avatars, version: "1.0"}
    /// paths:
    ///   /avatar:
    ///     put:
    ///       requestBody:
    ///         content:
    ///           image/png:
    ///             schema: {type: string, format: binary, maxLength: 1048576}
    ///       responses:
    ///         "204": {description: stored}
    /// ```
    ///
    /// ## References
    /// - OWASP API4:2023 Unrestricted Resource Consumption ("maximum upload file size"): https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/
    /// - OpenAPI 3.1.0, Considerations for File Uploads: https://spec.openapis.org/oas/v3.1.0#considerations-for-file-uploads
    pub(crate) struct UploadWithoutSizeLimit {
        id: "OPENAPI019",
        name: "upload-without-size-limit",
        severity: Warning,
        scope: OPENAPI_DOCUMENTS,
        fix: Sometimes,
        since: "0.1.0",
    }
}

impl Rule for UploadWithoutSizeLimit {
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
            "add `maxLength` (in bytes) to the file's schema (Swagger 2.0: state the limit in the description), and enforce it at the server or gateway",
            |schema, _| {
                let types = schema.types();
                let format = schema.schema.get_str("format").unwrap_or_default();
                let is_file = types.contains(&"file")
                    || (types.contains(&"string") && format == "binary")
                    || schema.has("contentMediaType")
                    || schema.has("contentEncoding");
                (is_file && !schema.has("maxLength")).then_some((
                    "file upload without a size limit",
                    "file uploads without a size limit",
                ))
            },
        );
    }
}
