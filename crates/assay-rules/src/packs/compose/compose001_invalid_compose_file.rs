use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_compose::{ErrorKind, Project};

declare_rule! {
    /// The file is not a valid compose file, or its project cannot be loaded
    ///
    /// ## What it checks
    /// Everything that stops Docker Compose from loading the project, found
    /// while assay loads it the same way: a service that is not a mapping, an
    /// unknown top-level or service key (typos such as `priviliged`), a service
    /// with neither `image` nor `build`, a port such as `80:80:80:80`, a bad
    /// volume specification, a `${VAR:?message}` whose variable has no value, a
    /// malformed `${…}`, an `extends` or `include` cycle, an `include`d or
    /// `extends` file that cannot be read, and a bad `.env` line (by line
    /// number, never its content). Each is reported where it is written; the
    /// rest of the project is still checked.
    ///
    /// ## Why it matters
    /// `docker compose up` refuses such a file, and a misspelled key is
    /// silently not a setting at all: `priviliged: false` leaves the default,
    /// and a hardening key with a typo hardens nothing.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     ports: ["80:80:80:80"]
    /// ```
    ///
    /// ## Fix
    /// Write the value the Compose Specification expects:
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     ports: ["127.0.0.1:8080:80"]
    /// ```
    ///
    /// ## References
    /// - Compose Specification: https://github.com/compose-spec/compose-spec/blob/main/spec.md
    /// - Compose file reference, services: https://docs.docker.com/reference/compose-file/services/
    /// - Interpolation: https://docs.docker.com/reference/compose-file/interpolation/
    pub(crate) struct InvalidComposeFile {
        id: "COMPOSE001",
        name: "invalid-compose-file",
        severity: Error,
        scope: Scope::Compose,
        fix: Sometimes,
        since: "0.1.0",
    }
}

impl Rule for InvalidComposeFile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, _ctx: &Context<'_>, project: &Project, out: &mut Findings<'_>) {
        for error in &project.errors {
            let fix = match error.kind {
                ErrorKind::Invalid => {
                    "write the setting as the Compose Specification defines it (`docker compose config` shows how Compose reads the file)"
                }
                ErrorKind::Interpolation => {
                    "give the variable a value in the `.env` file beside the project (or with `--env-file`), or a default with `${VAR:-default}`"
                }
                ErrorKind::MissingFile => {
                    "fix the path (relative to the file that names it) or add the file"
                }
                ErrorKind::Cycle => {
                    "break the cycle: a service cannot extend itself, and a file cannot include itself"
                }
                ErrorKind::EnvFile => "write each line of the `.env` file as `KEY=value`",
            };
            let f = out.at(error.at, error.message.clone()).fix(fix);
            out.push(f);
        }
    }
}
