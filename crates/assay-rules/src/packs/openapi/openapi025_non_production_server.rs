use super::{OPENAPI_DOCUMENTS, host_of, is_loopback, spec};
use crate::{Context, Findings, Rule, RuleMeta, declare_rule};
use assay_model::{DocInfo, SourceFile};

declare_rule! {
    /// A development or staging server is listed beside production (API9)
    ///
    /// ## What it checks
    /// OWASP API9:2023 Improper Inventory Management. Among the servers of
    /// a document (3.x `servers`, 2.0 `host`), those whose host is loopback
    /// or names a non-production environment — a label `dev`, `develop`,
    /// `development`, `test`, `testing`, `qa`, `uat`, `stage`, `staging`,
    /// `sandbox`, `preprod`, `local`, `internal`, or starting with one of
    /// them followed by `-` or a digit — when at least one other server looks
    /// like production. A description that lists only development servers
    /// is a development description and is not reported.
    ///
    /// What static analysis cannot see: whether those hosts are reachable
    /// from the internet, and with which data.
    ///
    /// ## Why it matters
    /// Non-production environments run older code, weaker security and
    /// often real data copies; published in the same description they
    /// become part of the attack surface that nobody inventories (OWASP's
    /// example: a beta host without rate limiting next to production).
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1.0"}
    /// servers:
    ///   - url: https://api.example.com/v1
    ///   - url: https://staging.api.example.com/v1
    /// paths: {}
    /// ```
    ///
    /// ## Fix
    /// Publish one description per environment (or keep internal servers
    /// out of the public one):
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1.0"}
    /// servers:
    ///   - url: https://api.example.com/v1
    /// paths: {}
    /// ```
    ///
    /// ## References
    /// - OWASP API9:2023 Improper Inventory Management: https://owasp.org/API-Security/editions/2023/en/0xa9-improper-inventory-management/
    /// - Spectral OWASP ruleset, `owasp:api9:2023-inventory-access`, `inventory-environment`: https://github.com/stoplightio/spectral-owasp-ruleset
    pub(crate) struct NonProductionServer {
        id: "OPENAPI025",
        name: "non-production-server",
        severity: Warning,
        scope: OPENAPI_DOCUMENTS,
        fix: Never,
        since: "0.1.0",
    }
}

/// Host labels that name a non-production environment.
const ENVIRONMENTS: &[&str] = &[
    "dev",
    "develop",
    "development",
    "test",
    "testing",
    "qa",
    "uat",
    "stage",
    "staging",
    "sandbox",
    "preprod",
    "local",
    "internal",
];

/// The environment a host names, if it is not production.
fn environment(host: &str) -> Option<&'static str> {
    if is_loopback(host) {
        return Some("loopback");
    }
    let host = host.to_ascii_lowercase();
    for label in host.split(['.', '-']) {
        let bare = label.trim_end_matches(|c: char| c.is_ascii_digit());
        if let Some(env) = ENVIRONMENTS.iter().find(|e| **e == bare) {
            return Some(env);
        }
    }
    None
}

impl Rule for NonProductionServer {
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
        let servers = spec.servers();
        let classified: Vec<_> = servers
            .iter()
            .map(|s| (s, environment(host_of(&s.url))))
            .collect();
        let Some((production, _)) = classified
            .iter()
            .find(|(s, env)| env.is_none() && !host_of(&s.url).is_empty() && !s.url.contains('{'))
        else {
            return;
        };
        let mut reported: Vec<String> = Vec::new();
        for (server, env) in &classified {
            let Some(env) = env else {
                continue;
            };
            // 2.0 lists one host under several schemes: report it once.
            if reported.contains(&server.url) {
                continue;
            }
            reported.push(server.url.clone());
            let finding = out
                .at(
                    server.node.span(),
                    format!(
                        "{} lists the {env} server `{}` beside the production server `{}`",
                        spec.display(),
                        server.url,
                        production.url
                    ),
                )
                .object(spec.display())
                .fix("publish a separate description per environment, or keep non-production servers out of the published one");
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::environment;

    #[test]
    fn environments() {
        assert_eq!(environment("staging.api.example.com"), Some("staging"));
        assert_eq!(environment("api-dev2.example.com"), Some("dev"));
        assert_eq!(environment("localhost"), Some("loopback"));
        assert_eq!(environment("api.example.com"), None);
        assert_eq!(environment("devices.example.com"), None);
        assert_eq!(environment("latest.example.com"), None);
    }
}
