use super::{OPENAPI_DOCUMENTS, spec};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_diagnostics::Severity;
use assay_model::{DocInfo, SourceFile};
use assay_openapi::{Located, RefErrorKind};
use assay_span::FileSpan;
use assay_yaml::Value;

declare_rule! {
    /// A `$ref` cannot be followed (missing file or pointer, cycle, remote)
    ///
    /// ## What it checks
    /// Every `$ref` of an OpenAPI document. It is reported when it names a
    /// relative file that cannot be read, a JSON pointer that names nothing,
    /// or a chain of references that loops back on itself (or runs longer
    /// than 32 hops) without reaching a value. A `$ref` to another host
    /// (`https://…`) is reported as a warning: assay never fetches anything
    /// over the network, so what it points to is not checked.
    ///
    /// Recursive schemas (a `Node` whose `children` are `Node`s) are fine:
    /// only references that point straight at references are cycles.
    ///
    /// ## Why it matters
    /// Code generators, gateways and validators fail on a broken reference,
    /// or silently treat the schema as "anything", which turns off input
    /// validation exactly where the spec meant to have it. Every other rule
    /// of this pack skips what it cannot resolve, so this finding marks the
    /// part of the API that was not checked.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1.0"}
    /// paths: {}
    /// components:
    ///   schemas:
    ///     Pet:
    ///       $ref: "#/components/schemas/Animal"
    /// ```
    ///
    /// ## Fix
    /// Point the reference at a schema that exists:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1.0"}
    /// paths: {}
    /// components:
    ///   schemas:
    ///     Animal: {type: object}
    ///     Pet:
    ///       $ref: "#/components/schemas/Animal"
    /// ```
    ///
    /// ## References
    /// - OpenAPI 3.1.0, Reference Object and relative references: https://spec.openapis.org/oas/v3.1.0#reference-object
    /// - RFC 6901, JSON Pointer: https://www.rfc-editor.org/rfc/rfc6901
    /// - OWASP API Security Top 10 2023, API9 Improper Inventory Management (an API whose description cannot be read is not inventoried): https://owasp.org/API-Security/editions/2023/en/0xa9-improper-inventory-management/
    pub(crate) struct UnresolvedReference {
        id: "OPENAPI001",
        name: "unresolved-reference",
        severity: Error,
        scope: OPENAPI_DOCUMENTS,
        fix: Never,
        since: "0.1.0",
    }
}

impl Rule for UnresolvedReference {
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
        // The document, then every file it reaches by `$ref`: a broken
        // reference in a schema fragment is reported where it is written.
        let fragments = assay_openapi::referenced_files(&ctx.model.files, file);
        let mut stack: Vec<(&SourceFile, Value<'_>)> = vec![(file, spec.root.value)];
        for fragment in fragments {
            for document in fragment.tree.documents() {
                stack.push((fragment, fragment.tree.value(document.root)));
            }
        }
        while let Some((file, node)) = stack.pop() {
            if node.is_alias() {
                continue;
            }
            if node.is_sequence() {
                stack.extend(node.items().map(|v| (file, v)));
                continue;
            }
            let Some((key, _)) = node.entry("$ref") else {
                stack.extend(node.entries().map(|(_, v)| (file, v)));
                continue;
            };
            // Siblings of `$ref` (3.1 `description`, examples) hold no references that matter here.
            let here = Located::new(file, node);
            let Err(error) = spec.resolver.resolve(here) else {
                continue;
            };
            // A chain that fails further on is reported where it fails, once;
            // a chain that is too long, at the last `$ref` from which it is.
            let here_fails = error.at.span == key.span() && error.at.file == file.id;
            let boundary = error.kind == RefErrorKind::TooManyHops
                && node.get_str("$ref").is_some_and(|r| {
                    spec.resolver
                        .target(file, r)
                        .is_ok_and(|next| spec.resolver.resolve(next).is_ok())
                });
            if !(here_fails || boundary) {
                continue;
            }
            let error = if boundary {
                assay_openapi::RefError {
                    at: FileSpan::new(file.id, key.span()),
                    ..error
                }
            } else {
                error
            };
            let severity = match error.kind {
                RefErrorKind::Remote => Severity::Warning,
                _ => Severity::Error,
            };
            let fix = match error.kind {
                RefErrorKind::Remote => {
                    "vendor the referenced document next to the spec and reference it by relative path, so it is reviewed and versioned with the API"
                }
                RefErrorKind::MissingFile(_) => {
                    "add the file beside the spec, or correct the relative path (it is read from the folder of the file that holds the `$ref`)"
                }
                _ => "point the `$ref` at a schema, parameter or response that exists",
            };
            let mut finding = out
                .at(error.at, error.to_string())
                .object(spec.display())
                .fix(fix);
            finding.severity = severity;
            out.push(finding);
        }
    }
}
