use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_compose::Project;

declare_rule! {
    /// A compose variable has no value and no default, so it reads as empty
    ///
    /// ## What it checks
    /// `$VAR` and `${VAR}` (and `${VAR:+alt}` / `${VAR+alt}` are not counted:
    /// they are meant to be optional) whose variable is set neither in the
    /// project's `.env` (or `--env-file`) nor, with `--use-env`, in the
    /// process environment. Each is reported where it is used. A variable
    /// that must be set should say so: `${VAR:?message}` is COMPOSE001's.
    ///
    /// ## Why it matters
    /// Docker Compose only warns and substitutes an empty string: `image:
    /// app:${TAG}` pulls `app:` (an error), `ports: ["${PORT}:80"]` publishes a
    /// random port, and an empty password may start a database without one.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// services:
    ///   web:
    ///     image: "nginx:${NGINX_TAG}"
    /// ```
    ///
    /// ## Fix
    /// Give it a default, or make it required:
    /// ```yaml
    /// services:
    ///   web:
    ///     image: "nginx:${NGINX_TAG:-1.27}"
    /// ```
    ///
    /// ## References
    /// - Compose file reference, interpolation: https://docs.docker.com/reference/compose-file/interpolation/
    /// - Docker, Set environment variables within your container's environment: https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/
    pub(crate) struct UnsetVariable {
        id: "COMPOSE010",
        name: "unset-variable",
        severity: Warning,
        scope: Scope::Compose,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for UnsetVariable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, _ctx: &Context<'_>, project: &Project, out: &mut Findings<'_>) {
        for (name, at) in &project.unset_variables {
            let f = out
                .at(
                    *at,
                    format!("variable `{name}` is set neither in the project's .env nor with a default, so it reads as an empty string"),
                )
                .fix(format!(
                    "set `{name}` in the .env file beside the compose file, or write `${{{name}:-default}}` (or `${{{name}:?why it is needed}}` to make it required)"
                ));
            out.push(f);
        }
    }
}
