use crate::{Rule, RuleMeta, Scope, declare_rule};

declare_rule! {
    /// A suppression that matches no finding
    ///
    /// ## What it checks
    /// Every `# assay:ignore <ID> <reason>` comment and every
    /// `ignore.assay.dev/<ID>` annotation must silence at least one finding of a
    /// rule that ran. A comment covers findings on its own line (as a trailing
    /// comment) or on the next line (as a comment alone on its line); an
    /// annotation covers findings anywhere inside its object.
    ///
    /// ## Why it matters
    /// Suppressions outlive the problems they hid. A stale one hides the next,
    /// real finding on that line, and readers cannot tell which exceptions are
    /// still needed. (ruff's RUF100 does the same for `noqa` comments.)
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       # assay:ignore HARD001 the cluster grants this on purpose
    ///       resources: {}
    /// ```
    ///
    /// ## Fix
    /// Delete the suppression, or move it next to the finding it is meant for:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    ///
    /// ## References
    /// - ruff, RUF100 unused-noqa: https://docs.astral.sh/ruff/rules/unused-noqa/
    pub(crate) struct UnusedSuppression {
        id: "SUP001",
        name: "unused-suppression",
        severity: Warning,
        scope: Scope::File,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
}
