use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_compose::Project;

use super::{datastore, owner};

declare_rule! {
    /// A service starts before the datastore or healthchecked service it needs
    ///
    /// ## What it checks
    /// `depends_on` entries without a `condition` (the short list syntax, or
    /// the long syntax without one) or with `condition: service_started`, when
    /// the dependency runs a known datastore image or defines a healthcheck.
    ///
    /// ## Why it matters
    /// `service_started` only waits for the container to start, not for the
    /// database to accept connections: the dependent service starts first,
    /// fails to connect, and the validation run flakes or crash-loops.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// services:
    ///   api:
    ///     image: app:1.0
    ///     depends_on: [db]
    ///   db:
    ///     image: postgres:16.4
    ///     healthcheck:
    ///       test: ["CMD-SHELL", "pg_isready -U postgres"]
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// services:
    ///   api:
    ///     image: app:1.0
    ///     depends_on:
    ///       db:
    ///         condition: service_healthy
    ///   db:
    ///     image: postgres:16.4
    ///     healthcheck:
    ///       test: ["CMD-SHELL", "pg_isready -U postgres"]
    /// ```
    ///
    /// ## References
    /// - Compose file reference, `depends_on`: https://docs.docker.com/reference/compose-file/services/#depends_on
    /// - Docker, Control startup order: https://docs.docker.com/compose/how-tos/startup-order/
    pub(crate) struct DependencyWithoutCondition {
        id: "COMPOSE008",
        name: "dependency-without-condition",
        severity: Info,
        scope: Scope::Compose,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for DependencyWithoutCondition {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, _ctx: &Context<'_>, project: &Project, out: &mut Findings<'_>) {
        for s in project.services() {
            for dependency in s.depends_on() {
                let condition = dependency.condition.and_then(|c| c.as_str());
                if condition.is_some_and(|c| c != "service_started") {
                    continue;
                }
                let Some(target) = project.service(dependency.service) else {
                    continue;
                };
                let why = match (target.get("healthcheck"), datastore(&target)) {
                    (Some(_), _) => "has a healthcheck".to_owned(),
                    (None, Some((store, _))) => format!("runs {store}"),
                    (None, None) => continue,
                };
                let f = out
                    .at(
                        dependency.condition.map_or(dependency.at, |c| c.at),
                        format!(
                            "{} waits only for service \"{}\" to start, not to be ready, although \"{}\" {why}",
                            s.describe(),
                            dependency.service,
                            dependency.service
                        ),
                    )
                    .object(owner(&s))
                    .fix(format!(
                        "use the long syntax: `depends_on: {{{}: {{condition: service_healthy}}}}`, with a healthcheck on \"{}\"",
                        dependency.service, dependency.service
                    ));
                out.push(f);
            }
        }
    }
}
