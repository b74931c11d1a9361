use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_compose::Project;

use super::{datastore, location, owner};

declare_rule! {
    /// A back-end datastore is on a network with internet access
    ///
    /// ## What it checks
    /// Services running a known datastore image that publish no port (only
    /// other services talk to them) and whose networks are all without
    /// `internal: true` — the project's `default` network included. Services
    /// with a `network_mode` are left to HARD007.
    ///
    /// ## Why it matters
    /// A database needs no egress. On an internal network, a compromised
    /// datastore cannot download tools or send data out, and a misconfigured
    /// one cannot be reached except through the services beside it.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// services:
    ///   api:
    ///     image: app:1.0
    ///   db:
    ///     image: postgres:16.4
    /// ```
    ///
    /// ## Fix
    /// Put the datastore on an internal network shared with its clients:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: app:1.0
    ///     networks: [default, backend]
    ///   db:
    ///     image: postgres:16.4
    ///     networks: [backend]
    /// networks:
    ///   backend:
    ///     internal: true
    /// ```
    ///
    /// ## References
    /// - Compose file reference, networks `internal`: https://docs.docker.com/reference/compose-file/networks/#internal
    /// - Docker, Networking in Compose: https://docs.docker.com/compose/how-tos/networking/
    pub(crate) struct DatastoreNetworkNotInternal {
        id: "COMPOSE006",
        name: "datastore-network-not-internal",
        severity: Info,
        scope: Scope::Compose,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for DatastoreNetworkNotInternal {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, _ctx: &Context<'_>, project: &Project, out: &mut Findings<'_>) {
        for s in project.services() {
            let Some((store, _)) = datastore(&s) else {
                continue;
            };
            if s.get("network_mode").is_some()
                || s.ports().iter().any(|p| p.spec.published.is_some())
            {
                continue;
            }
            let mut networks: Vec<&str> = s.networks().into_iter().map(|(n, _)| n).collect();
            if networks.is_empty() {
                networks.push("default");
            }
            let internal = networks.iter().any(|n| {
                project
                    .network(n)
                    .and_then(|e| e.value.get("internal"))
                    .and_then(|v| v.as_bool())
                    == Some(true)
            });
            if internal {
                continue;
            }
            let list = networks
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let f = out
                .at(
                    location(&s, "networks"),
                    format!(
                        "{} runs {store} for the other services only, but its networks ({list}) are not `internal: true`, so it can reach the internet",
                        s.describe()
                    ),
                )
                .object(owner(&s))
                .fix("put it on a network with `internal: true` (top-level `networks:`) that its client services also join");
            out.push(f);
        }
    }
}
