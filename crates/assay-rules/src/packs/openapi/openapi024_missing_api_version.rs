use super::{OPENAPI_DOCUMENTS, spec};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// The API description has no version (API9)
    ///
    /// ## What it checks
    /// OWASP API9:2023 Improper Inventory Management. `info.version` must be
    /// present and not empty (both OpenAPI 3.x and Swagger 2.0 require it).
    ///
    /// What static analysis cannot see: whether the version is bumped when
    /// the API changes.
    ///
    /// ## Why it matters
    /// An inventory of APIs needs to know which version of each is deployed
    /// where: unversioned descriptions are how old, unpatched API versions
    /// stay reachable unnoticed.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info:
    ///   title: Pets
    /// paths: {}
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// openapi: 3.0.3
    /// info:
    ///   title: Pets
    ///   version: 2.3.0
    /// paths: {}
    /// ```
    ///
    /// ## References
    /// - OWASP API9:2023 Improper Inventory Management: https://owasp.org/API-Security/editions/2023/en/0xa9-improper-inventory-management/
    /// - OpenAPI 3.1.0, Info Object (`version` REQUIRED): https://spec.openapis.org/oas/v3.1.0#info-object
    pub(crate) struct MissingApiVersion {
        id: "OPENAPI024",
        name: "missing-api-version",
        severity: Warning,
        scope: OPENAPI_DOCUMENTS,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for MissingApiVersion {
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
        let info = spec.root.entry("info");
        let version = info.and_then(|(_, i)| i.entry("version"));
        let at = match (info, version) {
            (_, Some((_, v))) if v.value.as_str().is_some_and(|s| !s.trim().is_empty()) => {
                return;
            }
            (_, Some((key, _))) => key,
            (Some((key, _)), None) => key,
            (None, None) => spec
                .root
                .entry("openapi")
                .or_else(|| spec.root.entry("swagger"))
                .map_or(spec.root, |(k, _)| k),
        };
        let finding = out
            .at(
                at.span(),
                format!("{} has no `info.version`", spec.display()),
            )
            .object(spec.display())
            .fix("set `info.version` to the version of the API this description belongs to, and change it with every release");
        out.push(finding);
    }
}
