use crate::{Rule, RuleMeta, Scope, declare_rule};

declare_rule! {
    /// A suppression that does not say why
    ///
    /// ## What it checks
    /// A `# assay:ignore <ID>` comment with nothing after the rule id, or an
    /// `ignore.assay.dev/<ID>` annotation whose value is empty. The finding is
    /// still suppressed; this rule asks for the reason.
    ///
    /// ## Why it matters
    /// A deliverable is reviewed by someone who did not write it. An exception
    /// without a reason cannot be reviewed, and the attestation records it as
    /// an accepted risk with no justification.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     ignore.assay.dev/SUP001: ""
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    ///
    /// ## Fix
    /// Write the reason after the id:
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
    /// - assay README, "Suppressions"
    pub(crate) struct SuppressionWithoutReason {
        id: "SUP002",
        name: "suppression-without-reason",
        severity: Warning,
        scope: Scope::File,
        fix: Never,
        since: "0.1.0",
    }
}

impl Rule for SuppressionWithoutReason {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
}
