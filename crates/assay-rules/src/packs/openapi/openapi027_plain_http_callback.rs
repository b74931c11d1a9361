use super::{OPENAPI_DOCUMENTS, host_of, is_loopback, spec};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};
use assay_openapi::{Located, Operation, Spec};

declare_rule! {
    /// A callback may be sent over plain HTTP (API10)
    ///
    /// ## What it checks
    /// OWASP API10:2023 Unsafe Consumption of APIs. The `callbacks` of
    /// operations under `paths`. A callback URL written literally must not
    /// start with `http://` (loopback excepted). A callback URL taken from
    /// the request (`{$request.body#/callbackUrl}`,
    /// `{$request.query.callback}`, a header or path parameter) must come
    /// from an input whose schema only accepts HTTPS: a `pattern` starting
    /// with `^https://` (or `^https:`, `^wss://`), or an `enum`/`const` of
    /// `https://` URLs.
    ///
    /// What static analysis cannot see: URLs registered out of band, which
    /// is how 3.1 `webhooks` get their targets (their descriptions carry no
    /// URL at all), and what the server does with the response it gets.
    ///
    /// ## Why it matters
    /// The API itself becomes the client here: it sends events, often with
    /// tokens or personal data, and consumes the answers. Over plain HTTP
    /// both can be read and changed on the way, and the answer is then
    /// trusted by the API.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Streams, version: "1.0"}
    /// paths:
    ///   /subscriptions:
    ///     post:
    ///       requestBody:
    ///         content:
    ///           application/json:
    ///             schema:
    ///               type: object
    ///               properties:
    ///                 callbackUrl: {type: string, format: uri}
    ///       responses:
    ///         "201": {description: subscribed}
    ///       callbacks:
    ///         onEvent:
    ///           "{$request.body#/callbackUrl}":
    ///             post:
    ///               responses:
    ///                 "200": {description: received}
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Streams, version: "1.0"}
    /// paths:
    ///   /subscriptions:
    ///     post:
    ///       requestBody:
    ///         content:
    ///           application/json:
    ///             schema:
    ///               type: object
    ///               properties:
    ///                 callbackUrl: {type: string, format: uri, pattern: "^https://"}
    ///       responses:
    ///         "201": {description: subscribed}
    ///       callbacks:
    ///         onEvent:
    ///           "{$request.body#/callbackUrl}":
    ///             post:
    ///               responses:
    ///                 "200": {description: received}
    /// ```
    ///
    /// ## References
    /// - OWASP API10:2023 Unsafe Consumption of APIs ("interacts with other APIs over an unencrypted channel"): https://owasp.org/API-Security/editions/2023/en/0xaa-unsafe-consumption-of-apis/
    /// - OpenAPI 3.1.0, Callback Object and runtime expressions: https://spec.openapis.org/oas/v3.1.0#callback-object
    pub(crate) struct PlainHttpCallback {
        id: "OPENAPI027",
        name: "plain-http-callback",
        severity: Warning,
        scope: OPENAPI_DOCUMENTS,
        fix: Always,
        since: "0.1.0",
    }
}

/// A pattern or URL list that admits only TLS URLs.
fn https_only(schema: Located<'_>) -> bool {
    if let Some(pattern) = schema.get_str("pattern") {
        return ["^https://", "^https:", "^wss://", "^(https)://"]
            .iter()
            .any(|p| pattern.starts_with(p));
    }
    let urls: Vec<&str> = schema
        .get("enum")
        .into_iter()
        .flat_map(Located::items)
        .chain(schema.get("const"))
        .filter_map(|v| v.value.as_str())
        .collect();
    !urls.is_empty() && urls.iter().all(|u| u.starts_with("https://"))
}

/// The input a runtime expression names, as its schema: `$request.query.x`,
/// `$request.header.x`, `$request.path.x`, or `$request.body#/a/b`.
fn input_schema<'m>(spec: &Spec<'m>, op: &Operation<'m>, expression: &str) -> Option<Located<'m>> {
    let inner = expression.strip_prefix("{$request.")?;
    let inner = inner.split('}').next()?;
    if let Some(pointer) = inner.strip_prefix("body#") {
        let mut schema = op.request_bodies(spec).into_iter().next()?.schema;
        for token in pointer.split('/').filter(|t| !t.is_empty()) {
            let resolved = spec.resolver.resolve(schema).ok()?.target;
            schema = resolved.get("properties")?.get(token)?;
        }
        return Some(spec.resolver.resolve(schema).ok()?.target);
    }
    let (location, name) = inner.split_once('.')?;
    let parameter = op
        .parameters(spec)
        .into_iter()
        .find(|p| p.location == location && p.name == name)?;
    let schema = parameter.schema(spec.version)?;
    Some(spec.resolver.resolve(schema).ok()?.target)
}

impl Rule for PlainHttpCallback {
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
            let callbacks = op.node.get("callbacks");
            for (name, _, callback) in callbacks.into_iter().flat_map(Located::entries) {
                let Ok(callback) = spec.resolver.resolve(callback) else {
                    continue;
                };
                for (expression, key, _) in callback.target.entries() {
                    let lower = expression.to_ascii_lowercase();
                    let message = if lower.starts_with("http://") {
                        if is_loopback(host_of(expression)) {
                            continue;
                        }
                        format!(
                            "callback `{name}` of {} is sent over plain HTTP to `{expression}`",
                            op.display()
                        )
                    } else if let Some(schema) = input_schema(&spec, op, expression) {
                        if https_only(schema) {
                            continue;
                        }
                        format!(
                            "callback `{name}` of {} is sent to the URL the client gives in `{expression}`, whose schema also accepts `http://`",
                            op.display()
                        )
                    } else {
                        continue;
                    };
                    let finding = out
                        .at(key.span(), message)
                        .object(op.display())
                        .fix("accept only `https://` callback URLs (`pattern: \"^https://\"` on the input) and refuse to deliver to anything else");
                    out.push(finding);
                }
            }
        }
    }
}
