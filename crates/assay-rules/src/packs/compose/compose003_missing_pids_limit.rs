use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_compose::Project;

use super::{location, owner};

declare_rule! {
    /// A compose service has no process limit
    ///
    /// ## What it checks
    /// Services with neither `deploy.resources.limits.pids` nor the legacy
    /// `pids_limit:` key. The fix uses the syntax the service already uses for
    /// its other limits.
    ///
    /// ## Why it matters
    /// A fork bomb, or a leak of threads or processes, inside one container
    /// exhausts the host's process table and takes every other container down
    /// with it (CIS Docker Benchmark 1.6.0, 5.29 "Ensure that the PIDs cgroup
    /// limit is used").
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// services:
    ///   api:
    ///     image: app:1.0
    ///     deploy:
    ///       resources:
    ///         limits: {cpus: "0.5", memory: 256M}
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// services:
    ///   api:
    ///     image: app:1.0
    ///     deploy:
    ///       resources:
    ///         limits: {cpus: "0.5", memory: 256M, pids: 200}
    /// ```
    ///
    /// ## References
    /// - Compose file reference, `pids_limit`: https://docs.docker.com/reference/compose-file/services/#pids_limit
    /// - Compose file reference, `deploy.resources.limits.pids`: https://docs.docker.com/reference/compose-file/deploy/#pids
    /// - CIS Docker Benchmark v1.6.0, 5.29: https://www.cisecurity.org/benchmark/docker
    pub(crate) struct MissingPidsLimit {
        id: "COMPOSE003",
        name: "compose-missing-pids-limit",
        severity: Warning,
        scope: Scope::Compose,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for MissingPidsLimit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, _ctx: &Context<'_>, project: &Project, out: &mut Findings<'_>) {
        for s in project.services() {
            if s.pids_limit().is_some() {
                continue;
            }
            let fix = if s.uses_deploy_limits() {
                "set `deploy.resources.limits.pids` (e.g. `200`), as the service's other limits do"
            } else {
                "set `pids_limit` (e.g. `200`), as the service's other limits do"
            };
            let f = out
                .at(
                    location(&s, "deploy"),
                    format!("{} sets no process limit, so a fork bomb in it exhausts the host's process table", s.describe()),
                )
                .object(owner(&s))
                .fix(fix);
            out.push(f);
        }
    }
}
