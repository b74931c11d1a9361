use super::{OPENAPI_DOCUMENTS, report_unbounded_inputs, spec, squash};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// A URL input accepts any host (no pattern or allowlist) (API7)
    ///
    /// ## What it checks
    /// OWASP API7:2023 Server Side Request Forgery. The inputs of operations
    /// under `paths` — parameters and request body properties, through
    /// every `$ref` — that take a URL: string schemas with `format: uri`,
    /// `uri-reference`, `url` or `iri`, or whose name ends in `url`, `uri`,
    /// `callback` or `webhook` (Twilio's `StatusCallback`) or starts with
    /// `callback`, `webhook` or `redirect` (letters compared
    /// without case, `-` and `_`). It reports those with no `pattern`,
    /// `enum` or `const` that restricts what they may point to. Path
    /// parameters are skipped: a URL in the path is an identifier (`DELETE
    /// /repositories/{url}`), not something the server is asked to fetch.
    /// `format: uri` alone does not count: it checks the syntax, not the
    /// host.
    ///
    /// What static analysis cannot see: an allowlist or egress filter in
    /// code or in the network. The finding marks where one is needed.
    ///
    /// ## Why it matters
    /// A server that fetches a URL its client chose can be made to request
    /// internal services, cloud metadata endpoints (`169.254.169.254`) or
    /// local files, from inside the network perimeter. Webhooks, URL
    /// previews, file imports and redirects are the usual entry points.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Imports, version: "1.0"}
    /// paths:
    ///   /imports:
    ///     post:
    ///       requestBody:
    ///         content:
    ///           application/json:
    ///             schema:
    ///               type: object
    ///               properties:
    ///                 sourceUrl: {type: string, format: uri, maxLength: 2000}
    ///       responses:
    ///         "202": {description: accepted}
    /// ```
    ///
    /// ## Fix
    /// Restrict the URL to the hosts the server may fetch from:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Imports, version: "1.0"}
    /// paths:
    ///   /imports:
    ///     post:
    ///       requestBody:
    ///         content:
    ///           application/json:
    ///             schema:
    ///               type: object
    ///               properties:
    ///                 sourceUrl:
    ///                   type: string
    ///                   format: uri
    ///                   maxLength: 2000
    ///                   pattern: "^https://files\\.example\\.com/"
    ///       responses:
    ///         "202": {description: accepted}
    /// ```
    ///
    /// ## References
    /// - OWASP API7:2023 Server Side Request Forgery: https://owasp.org/API-Security/editions/2023/en/0xa7-server-side-request-forgery/
    /// - OWASP SSRF Prevention Cheat Sheet: https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html
    /// - Spectral OWASP ruleset, `owasp:api7:2023-concerning-url-parameter`: https://github.com/stoplightio/spectral-owasp-ruleset
    pub(crate) struct UnrestrictedUrlInput {
        id: "OPENAPI020",
        name: "unrestricted-url-input",
        severity: Warning,
        scope: OPENAPI_DOCUMENTS,
        fix: Sometimes,
        since: "0.1.0",
    }
}

/// A name that says the value is a URL the server may fetch or send to.
fn names_url(name: &str) -> bool {
    let name = squash(name);
    ["url", "uri", "callback", "webhook"]
        .iter()
        .any(|w| name.ends_with(w))
        || ["callback", "webhook", "redirect"]
            .iter()
            .any(|w| name.starts_with(w))
}

impl Rule for UnrestrictedUrlInput {
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
            "restrict the URL with a `pattern` (scheme and allowed hosts) or an `enum`, and check the resolved address against an allowlist in the server before fetching",
            |schema, named| {
                if named.location == Some("path") {
                    return None;
                }
                let types = schema.types();
                if !(types.contains(&"string") || types.is_empty()) {
                    return None;
                }
                let format = schema.schema.get_str("format").unwrap_or_default();
                let url_like = matches!(format, "uri" | "uri-reference" | "url" | "iri")
                    || (types.contains(&"string") && named.name.is_some_and(names_url));
                let restricted = ["pattern", "enum", "const"].iter().any(|k| schema.has(k));
                (url_like && !restricted).then_some((
                    "URL input with no `pattern` or `enum` restricting where it may point (server-side request forgery)",
                    "URL inputs with no `pattern` or `enum` restricting where they may point (server-side request forgery)",
                ))
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::names_url;

    #[test]
    fn url_names() {
        for name in [
            "url",
            "callback_url",
            "webhookEndpoint",
            "redirect_uri",
            "StatusCallback",
            "imageURL",
        ] {
            assert!(names_url(name), "{name}");
        }
        for name in ["curling", "urlencoded", "name", "statusMethod"] {
            assert!(!names_url(name), "{name}");
        }
    }
}
