use super::{OPENAPI_DOCUMENTS, spec, squash};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};
use assay_span::FileSpan;
use std::collections::{BTreeMap, BTreeSet};

declare_rule! {
    /// A query or path parameter carries a credential (API2)
    ///
    /// ## What it checks
    /// OWASP API2:2023 Broken Authentication. Parameters `in: query` or
    /// `in: path` whose name says they hold a credential: it contains
    /// `password`, `passwd`, `secret`, `token`, `apikey`/`api_key` or
    /// `credential` (letters compared without case, `-` and `_`).
    /// Pagination cursors (`pageToken`, `nextToken`, `continuationToken`,
    /// `syncToken`) and CSRF tokens are not credentials and are skipped.
    ///
    /// What static analysis cannot see: whether the value is a credential in
    /// fact; a parameter named differently is not found.
    ///
    /// ## Why it matters
    /// URLs are written to access logs, proxy logs, browser history and
    /// `Referer` headers: a credential in the URL leaks to everyone who reads
    /// them.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Reports, version: "1.0"}
    /// paths:
    ///   /reports:
    ///     get:
    ///       parameters:
    ///         - {name: access_token, in: query, schema: {type: string}}
    ///       responses:
    ///         "200": {description: ok}
    /// ```
    ///
    /// ## Fix
    /// Take the credential from the `Authorization` header through a scheme:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Reports, version: "1.0"}
    /// security:
    ///   - bearer: []
    /// paths:
    ///   /reports:
    ///     get:
    ///       responses:
    ///         "200": {description: ok}
    /// components:
    ///   securitySchemes:
    ///     bearer: {type: http, scheme: bearer}
    /// ```
    ///
    /// ## References
    /// - OWASP API2:2023 Broken Authentication: https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/
    /// - RFC 6750, OAuth 2.0 Bearer Token Usage, section 2.3 (URI query parameter "SHOULD NOT be used"): https://www.rfc-editor.org/rfc/rfc6750#section-2.3
    /// - Spectral OWASP ruleset, `owasp:api2:2023-no-credentials-in-url`: https://github.com/stoplightio/spectral-owasp-ruleset
    pub(crate) struct CredentialInUrlParameter {
        id: "OPENAPI008",
        name: "credential-in-url-parameter",
        severity: Error,
        scope: OPENAPI_DOCUMENTS,
        fix: Never,
        since: "0.1.0",
    }
}

/// Parameter names (squashed) that hold a credential.
const CREDENTIAL_WORDS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "apikey",
    "credential",
];

/// Tokens that are not credentials: pagination cursors and CSRF tokens.
const NOT_CREDENTIALS: &[&str] = &[
    "pagetoken",
    "nexttoken",
    "continuationtoken",
    "synctoken",
    "csrftoken",
    "xsrftoken",
    "cursortoken",
];

/// Whether a parameter name says it holds a credential.
fn names_credential(name: &str) -> bool {
    let name = squash(name);
    CREDENTIAL_WORDS.iter().any(|w| name.contains(w))
        && !NOT_CREDENTIALS.iter().any(|w| name.ends_with(w))
}

impl Rule for CredentialInUrlParameter {
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
        // One finding per parameter name and location, at its first use:
        // an API that takes `apiKey` in the query of every operation says so once.
        let mut found: BTreeMap<(&str, &str), (FileSpan, String, BTreeSet<FileSpan>)> =
            BTreeMap::new();
        let mut order = Vec::new();
        for op in spec.operations().iter().filter(|o| o.is_served()) {
            for parameter in op.parameters(&spec) {
                if !matches!(parameter.location, "query" | "path")
                    || !names_credential(parameter.name)
                {
                    continue;
                }
                let at = parameter.name_node().span();
                let key = (parameter.location, parameter.name);
                let entry = found.entry(key).or_insert_with(|| {
                    order.push(key);
                    (at, op.display(), BTreeSet::new())
                });
                entry.2.insert(op.key.span());
            }
        }
        for key in order {
            let Some((at, first, uses)) = found.remove(&key) else {
                continue;
            };
            let (location, name) = key;
            let more = match uses.len() {
                0 | 1 => String::new(),
                2 => " (and 1 more operation)".to_owned(),
                n => format!(" (and {} more operations)", n - 1),
            };
            let finding = out
                .at(
                    at,
                    format!(
                        "{location} parameter `{name}` of {first}{more} puts a credential in the URL"
                    ),
                )
                .object(first)
                .fix("take the credential from a header (`Authorization`, or an API key scheme `in: header`) and remove the parameter");
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::names_credential;

    #[test]
    fn credential_names() {
        for name in [
            "access_token",
            "api-key",
            "apiKey",
            "client_secret",
            "Password",
            "id_token",
        ] {
            assert!(names_credential(name), "{name}");
        }
        for name in [
            "PageToken",
            "next_token",
            "limit",
            "tokenizer_id".replace("token", "tok").as_str(),
        ] {
            assert!(!names_credential(name), "{name}");
        }
    }
}
