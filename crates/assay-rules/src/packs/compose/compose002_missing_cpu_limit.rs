use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_compose::{Project, Service};

use super::{location, owner};

declare_rule! {
    /// A compose service has no CPU limit
    ///
    /// ## What it checks
    /// Services with neither `deploy.resources.limits.cpus` nor the legacy
    /// `cpus:` key. Docker Compose v2 applies `deploy.resources.limits` without
    /// Swarm. The fix uses the syntax the service already uses for its other
    /// limits.
    ///
    /// ## Why it matters
    /// Without a limit one busy container takes every core of the host and
    /// starves the others (CIS Docker Benchmark 1.6.0, 5.11 "Ensure that CPU
    /// priority is set appropriately on containers").
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// services:
    ///   api:
    ///     image: app:1.0
    ///     mem_limit: 256m
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// services:
    ///   api:
    ///     image: app:1.0
    ///     mem_limit: 256m
    ///     cpus: 0.5
    /// ```
    ///
    /// ## References
    /// - Compose file reference, `deploy.resources`: https://docs.docker.com/reference/compose-file/deploy/#resources
    /// - Compose file reference, `cpus`: https://docs.docker.com/reference/compose-file/services/#cpus
    /// - CIS Docker Benchmark v1.6.0, 5.11: https://www.cisecurity.org/benchmark/docker
    pub(crate) struct MissingCpuLimit {
        id: "COMPOSE002",
        name: "compose-missing-cpu-limit",
        severity: Warning,
        scope: Scope::Compose,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for MissingCpuLimit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, _ctx: &Context<'_>, project: &Project, out: &mut Findings<'_>) {
        for s in project.services() {
            if s.cpu_limit().is_some() {
                continue;
            }
            let fix = if s.uses_deploy_limits() {
                "set `deploy.resources.limits.cpus` (e.g. `\"0.5\"`), as the service's other limits do"
            } else {
                "set `cpus` (e.g. `0.5`), as the service's other limits do"
            };
            report(&s, out, fix);
        }
    }
}

fn report(s: &Service<'_>, out: &mut Findings<'_>, fix: &str) {
    let f = out
        .at(
            location(s, "deploy"),
            format!(
                "{} sets no CPU limit, so it can take every core of the host",
                s.describe()
            ),
        )
        .object(owner(s))
        .fix(fix);
    out.push(f);
}
