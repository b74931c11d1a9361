use super::{OPENAPI_DOCUMENTS, spec};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// A deprecated operation names no replacement or sunset (API9)
    ///
    /// ## What it checks
    /// OWASP API9:2023 Improper Inventory Management. Operations with
    /// `deprecated: true` must say what replaces them or when they go away:
    /// a `Sunset` or `Deprecation` response header, an `x-sunset`,
    /// `x-deprecated-at`, `x-replaced-by` or `x-deprecation` extension, or a
    /// `description`/`summary` that mentions `sunset`, `replaced`,
    /// `instead`, `removed`, `use ` or a date.
    ///
    /// What static analysis cannot see: whether the operation is retired on
    /// that date.
    ///
    /// ## Why it matters
    /// Deprecated endpoints that never get a retirement date stay deployed
    /// forever, unpatched and forgotten: the "old API versions" that OWASP
    /// API9 is about. Clients cannot migrate to a replacement nobody named.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "2.0"}
    /// paths:
    ///   /pets/search:
    ///     get:
    ///       deprecated: true
    ///       responses:
    ///         "200": {description: ok}
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "2.0"}
    /// paths:
    ///   /pets/search:
    ///     get:
    ///       deprecated: true
    ///       description: Use `GET /pets?name=` instead; removed after 2026-06-30.
    ///       responses:
    ///         "200":
    ///           description: ok
    ///           headers:
    ///             Sunset: {schema: {type: string}}
    /// ```
    ///
    /// ## References
    /// - OWASP API9:2023 Improper Inventory Management: https://owasp.org/API-Security/editions/2023/en/0xa9-improper-inventory-management/
    /// - RFC 8594, The Sunset HTTP Header Field: https://www.rfc-editor.org/rfc/rfc8594
    /// - RFC 9745, The Deprecation HTTP Response Header Field: https://www.rfc-editor.org/rfc/rfc9745
    pub(crate) struct DeprecatedWithoutSunset {
        id: "OPENAPI026",
        name: "deprecated-without-sunset",
        severity: Info,
        scope: OPENAPI_DOCUMENTS,
        fix: Sometimes,
        since: "0.1.0",
    }
}

/// Words in a description that name a replacement or a retirement.
const HINTS: &[&str] = &[
    "sunset",
    "replaced",
    "instead",
    "removed",
    "use ",
    "migrate",
    "superseded",
];

/// Whether `text` mentions a replacement, a retirement or a date (`2026-06-30`).
fn names_replacement(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    HINTS.iter().any(|h| lower.contains(h))
        || lower
            .as_bytes()
            .windows(10)
            .any(|w| matches!(w, [a, b, c, d, b'-', e, f, b'-', g, h] if [a, b, c, d, e, f, g, h].iter().all(|x| x.is_ascii_digit())))
}

impl Rule for DeprecatedWithoutSunset {
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
        for op in spec
            .operations()
            .iter()
            .filter(|o| o.is_served() && o.deprecated())
        {
            let extension = [
                "x-sunset",
                "x-deprecated-at",
                "x-replaced-by",
                "x-deprecation",
            ]
            .iter()
            .any(|k| op.node.get(k).is_some());
            let described = ["description", "summary"]
                .iter()
                .filter_map(|k| op.node.get_str(k))
                .any(names_replacement);
            let header = op.responses(&spec).iter().any(|r| {
                r.header_names().iter().any(|h| {
                    h.eq_ignore_ascii_case("sunset") || h.eq_ignore_ascii_case("deprecation")
                })
            });
            if extension || described || header {
                continue;
            }
            let at = op.node.entry("deprecated").map_or(op.key, |(k, _)| k);
            let finding = out
                .at(
                    at.span(),
                    format!(
                        "{} is deprecated without a replacement or a sunset date",
                        op.display()
                    ),
                )
                .object(op.display())
                .fix("say in the description what replaces the operation and when it is removed, and return a `Sunset` (RFC 8594) or `Deprecation` (RFC 9745) header");
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::names_replacement;

    #[test]
    fn replacement_hints() {
        assert!(names_replacement("Use /v2/pets instead"));
        assert!(names_replacement("Goes away on 2026-06-30."));
        assert!(!names_replacement("Finds pets by tags."));
    }
}
