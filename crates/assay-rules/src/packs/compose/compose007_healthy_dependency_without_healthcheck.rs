use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_compose::Project;

use super::owner;

declare_rule! {
    /// A service waits for a dependency to be healthy that has no healthcheck
    ///
    /// ## What it checks
    /// `depends_on` entries with `condition: service_healthy` whose dependency
    /// defines no `healthcheck` in the project, or disables it
    /// (`disable: true`, `test: ["NONE"]`).
    ///
    /// ## Why it matters
    /// Compose waits for the dependency's health status. Without a healthcheck
    /// (unless the image itself declares a `HEALTHCHECK`) there is none, and
    /// `docker compose up` fails with "container … has no healthcheck
    /// configured": the validation stack never starts.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// services:
    ///   api:
    ///     image: app:1.0
    ///     depends_on:
    ///       db:
    ///         condition: service_healthy
    ///   db:
    ///     image: postgres:16.4
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
    ///       interval: 5s
    ///       retries: 10
    /// ```
    ///
    /// ## References
    /// - Compose file reference, `depends_on`: https://docs.docker.com/reference/compose-file/services/#depends_on
    /// - Compose file reference, `healthcheck`: https://docs.docker.com/reference/compose-file/services/#healthcheck
    /// - Docker, Control startup order: https://docs.docker.com/compose/how-tos/startup-order/
    pub(crate) struct HealthyDependencyWithoutHealthcheck {
        id: "COMPOSE007",
        name: "healthy-dependency-without-healthcheck",
        severity: Warning,
        scope: Scope::Compose,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for HealthyDependencyWithoutHealthcheck {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, _ctx: &Context<'_>, project: &Project, out: &mut Findings<'_>) {
        for s in project.services() {
            for dependency in s.depends_on() {
                let Some(condition) = dependency.condition else {
                    continue;
                };
                if condition.as_str() != Some("service_healthy") {
                    continue;
                }
                let Some(target) = project.service(dependency.service) else {
                    continue;
                };
                let healthcheck = target.get("healthcheck");
                let disabled = healthcheck.is_some_and(|h| {
                    h.get("disable").and_then(|d| d.as_bool()) == Some(true)
                        || h.get("test")
                            .and_then(|t| t.items().first())
                            .and_then(|t| t.as_str())
                            == Some("NONE")
                });
                let what = match (healthcheck, disabled) {
                    (Some(_), false) => continue,
                    (Some(_), true) => "disables its healthcheck",
                    (None, _) => "defines no healthcheck",
                };
                let f = out
                    .at(
                        condition.at,
                        format!(
                            "{} waits for service \"{}\" to be healthy, but \"{}\" {what}: unless its image declares a HEALTHCHECK, `docker compose up` fails",
                            s.describe(),
                            dependency.service,
                            dependency.service
                        ),
                    )
                    .object(owner(&s))
                    .label(target.name_at(), format!("service \"{}\" is defined here", dependency.service))
                    .fix(format!(
                        "add a `healthcheck:` to service \"{}\" that tests readiness (e.g. `pg_isready`, `redis-cli ping`, `curl -f`)",
                        dependency.service
                    ));
                out.push(f);
            }
        }
    }
}
