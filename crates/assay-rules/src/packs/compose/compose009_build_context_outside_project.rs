use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_compose::{Node, Project};

use super::owner;

declare_rule! {
    /// A build context reaches above the project folder
    ///
    /// ## What it checks
    /// `build:` (short syntax) and `build.context` values that climb out of the
    /// project folder (`..`, `../..`) or name the filesystem root (`/`). Remote
    /// contexts (Git URLs) and contexts inside the project are fine.
    ///
    /// ## Why it matters
    /// The whole context is sent to the builder: a context at the repository
    /// root or above ships every file — `.git`, `.env` files, keys, other
    /// projects — into the build, where one `COPY . .` bakes them into an
    /// image layer. It also makes every build slow.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// services:
    ///   api:
    ///     build:
    ///       context: ..
    ///       dockerfile: api/Dockerfile
    /// ```
    ///
    /// ## Fix
    /// Use the service's own folder as its context (and a `.dockerignore`):
    /// ```yaml
    /// services:
    ///   api:
    ///     build:
    ///       context: ./api
    /// ```
    ///
    /// ## References
    /// - Compose file reference, `build.context`: https://docs.docker.com/reference/compose-file/build/#context
    /// - Docker, Build context and `.dockerignore`: https://docs.docker.com/build/concepts/context/
    pub(crate) struct BuildContextOutsideProject {
        id: "COMPOSE009",
        name: "build-context-outside-project",
        severity: Warning,
        scope: Scope::Compose,
        fix: Always,
        since: "0.1.0",
    }
}

fn context(build: &Node) -> Option<&Node> {
    if build.as_str().is_some() {
        Some(build)
    } else {
        build.get("context")
    }
}

/// `true` when `path`, relative to the project folder, leaves it.
fn escapes(path: &str) -> bool {
    if path.starts_with('/') {
        return path.trim_end_matches('/').is_empty();
    }
    let mut depth = 0i32;
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                depth -= 1;
                if depth < 0 {
                    return true;
                }
            }
            _ => depth += 1,
        }
    }
    false
}

impl Rule for BuildContextOutsideProject {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, _ctx: &Context<'_>, project: &Project, out: &mut Findings<'_>) {
        for s in project.services() {
            let Some(node) = s.get("build").and_then(context) else {
                continue;
            };
            let Some(path) = node.as_str() else {
                continue;
            };
            if path.contains("://") || path.starts_with("git@") || !escapes(path) {
                continue;
            }
            let f = out
                .at(
                    node.at,
                    format!(
                        "{} builds with context `{path}`, above the project folder: every file there is sent to the builder and may end up in the image",
                        s.describe()
                    ),
                )
                .object(owner(&s))
                .fix("use the service's own folder as the context (e.g. `./api`), with a `.dockerignore`; use `additional_contexts` for a shared folder");
            out.push(f);
        }
    }
}
