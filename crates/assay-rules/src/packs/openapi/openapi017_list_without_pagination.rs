use super::{OPENAPI_DOCUMENTS, spec, squash};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};
use assay_openapi::{Located, Spec, schema_types};

declare_rule! {
    /// A list operation has no pagination parameters (API4)
    ///
    /// ## What it checks
    /// OWASP API4:2023 Unrestricted Resource Consumption. `GET` operations
    /// under `paths` whose success response (`200`, or the first `2XX`) is
    /// an array, or an object whose `items`, `data`, `results`, `records`,
    /// `entries` or `values` property is an array, and that take no
    /// pagination parameter: a query or header parameter whose name
    /// contains `limit`, `page`, `size`, `offset`, `cursor`, `top`, `skip`,
    /// `first`, `last`, `after`, `before`, `start`, `max` or `count`.
    ///
    /// What static analysis cannot see: a server that pages with a fixed
    /// page size and `Link` headers it does not describe, or a collection
    /// that is small by nature (an enum-like list).
    ///
    /// ## Why it matters
    /// An unpaged list returns the whole collection: its cost grows with the
    /// data, not with the request, and one call can read a table with
    /// millions of rows (and every caller's client must hold it).
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Orders, version: "1.0"}
    /// paths:
    ///   /orders:
    ///     get:
    ///       responses:
    ///         "200":
    ///           description: ok
    ///           content:
    ///             application/json:
    ///               schema:
    ///                 type: array
    ///                 items: {type: object}
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Orders, version: "1.0"}
    /// paths:
    ///   /orders:
    ///     get:
    ///       parameters:
    ///         - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100}}
    ///         - {name: cursor, in: query, schema: {type: string, maxLength: 200}}
    ///       responses:
    ///         "200":
    ///           description: ok
    ///           content:
    ///             application/json:
    ///               schema:
    ///                 type: array
    ///                 items: {type: object}
    /// ```
    ///
    /// ## References
    /// - OWASP API4:2023 Unrestricted Resource Consumption ("maximum number of records to return in a single request-response"): https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/
    pub(crate) struct ListWithoutPagination {
        id: "OPENAPI017",
        name: "list-without-pagination",
        severity: Warning,
        scope: OPENAPI_DOCUMENTS,
        fix: Always,
        since: "0.1.0",
    }
}

/// Words in a parameter name that say it pages or limits a list.
const PAGINATION_WORDS: &[&str] = &[
    "limit", "page", "size", "offset", "cursor", "top", "skip", "first", "last", "after", "before",
    "start", "max", "count",
];

/// Wrapper properties that hold the page of a list.
const LIST_PROPERTIES: &[&str] = &["items", "data", "results", "records", "entries", "values"];

fn is_array<'m>(spec: &Spec<'m>, schema: Located<'m>) -> bool {
    spec.resolver
        .resolve(schema)
        .is_ok_and(|r| schema_types(r.target).contains(&"array"))
}

/// The response schema is a list, or a wrapper object holding one.
fn is_list<'m>(spec: &Spec<'m>, schema: Located<'m>) -> bool {
    let Ok(schema) = spec.resolver.resolve(schema) else {
        return false;
    };
    let schema = schema.target;
    if schema_types(schema).contains(&"array") {
        return true;
    }
    schema
        .get("properties")
        .into_iter()
        .flat_map(Located::entries)
        .any(|(name, _, property)| LIST_PROPERTIES.contains(&name) && is_array(spec, property))
}

impl Rule for ListWithoutPagination {
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
        for op in spec.operations().iter().filter(|o| o.is_served()) {
            if op.method != "get" {
                continue;
            }
            let responses = op.responses(&spec);
            let success = responses
                .iter()
                .find(|r| r.code == "200")
                .or_else(|| responses.iter().find(|r| r.code.starts_with('2')));
            let Some(success) = success else {
                continue;
            };
            if !success.schemas().into_iter().any(|s| is_list(&spec, s)) {
                continue;
            }
            let paged = op.parameters(&spec).iter().any(|p| {
                let name = squash(p.name);
                matches!(p.location, "query" | "header")
                    && PAGINATION_WORDS.iter().any(|w| name.contains(w))
            });
            if paged {
                continue;
            }
            let finding = out
                .at(
                    op.key.span(),
                    format!(
                        "{} returns a list (response {}) and takes no pagination parameter: every call returns the whole collection",
                        op.display(),
                        success.code
                    ),
                )
                .object(op.display())
                .fix("add a page size parameter with a `maximum` (`limit`) and a cursor or page parameter, and return at most one page per call");
            out.push(finding);
        }
    }
}
