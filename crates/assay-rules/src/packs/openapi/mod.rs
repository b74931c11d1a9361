//! The `OPENAPI` pack: secure API design, organised by the OWASP API Security
//! Top 10 2023 (each rule's doc names its category). Rules read the
//! [`assay_openapi`] views: `$ref`s are followed to where the schema is
//! written, and findings on shared schemas are reported once, naming the
//! operation and the chain of references that reach them.

mod openapi001_unresolved_reference;
mod openapi002_operation_without_security;
mod openapi003_weak_http_auth_scheme;
mod openapi004_api_key_in_url_or_cookie;
mod openapi005_oauth2_deprecated_flow;
mod openapi006_undefined_security_scheme;
mod openapi007_unused_security_scheme;
mod openapi008_credential_in_url_parameter;

use crate::{Context, Pack, Scope};
use assay_model::{DocClass, DocInfo, SourceFile};
use assay_openapi::{Located, Spec};

pub(crate) const PACK: Pack = Pack {
    prefix: "OPENAPI",
    folder: "openapi",
    title: "OpenAPI: secure API design (OWASP API Security Top 10 2023)",
    rules: &[
        &openapi001_unresolved_reference::UnresolvedReference,
        &openapi002_operation_without_security::OperationWithoutSecurity,
        &openapi003_weak_http_auth_scheme::WeakHttpAuthScheme,
        &openapi004_api_key_in_url_or_cookie::ApiKeyInUrlOrCookie,
        &openapi005_oauth2_deprecated_flow::OAuth2DeprecatedFlow,
        &openapi006_undefined_security_scheme::UndefinedSecurityScheme,
        &openapi007_unused_security_scheme::UnusedSecurityScheme,
        &openapi008_credential_in_url_parameter::CredentialInUrlParameter,
    ],
};

/// Every rule of the pack looks at OpenAPI documents only.
const OPENAPI_DOCUMENTS: Scope = Scope::Document(&[DocClass::OpenApi]);

/// The OpenAPI view of `doc`, when it is an OpenAPI 2.0/3.x document.
fn spec<'m>(ctx: &Context<'m>, file: &'m SourceFile, doc: &DocInfo) -> Option<Spec<'m>> {
    Spec::new(&ctx.model.files, file, doc.root)
}

/// `name` as lower-case letters and digits only (`X-API-Key` → `xapikey`).
fn squash(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Every scheme name used in a security requirement (top level and every
/// operation), with the key where it is written, in document order.
fn required_schemes<'m>(spec: &Spec<'m>) -> Vec<(&'m str, Located<'m>)> {
    let mut lists: Vec<Located<'m>> = spec.global_security().into_iter().collect();
    lists.extend(
        spec.operations()
            .iter()
            .filter_map(|o| o.node.get("security")),
    );
    lists
        .into_iter()
        .flat_map(Located::items)
        .flat_map(Located::entries)
        .map(|(name, key, _)| (name, key))
        .collect()
}
