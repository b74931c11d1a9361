use assay_compose::{Project, Service};
use assay_diagnostics::{Finding, Severity};
use assay_model::{ContainerView, DocClass, DocInfo, Model, ObjectView, SourceFile};
use assay_span::FileSpan;

/// What a rule looks at; the engine calls the matching `check_*` method only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Each input file once (`check_file`): load errors, duplicate keys.
    File,
    /// Each document of these classes (`check_document`); empty = every class.
    Document(&'static [DocClass]),
    /// Each Kubernetes object of these kinds (`check_object`); empty = every kind.
    Object(&'static [&'static str]),
    /// Each container of each workload (`check_container`) and each compose
    /// service (`check_service`), for rules that apply to both.
    Container,
    /// Each compose project (`check_project`): rules only compose has.
    Compose,
}

/// Whether a finding comes with a concrete fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    /// Every finding says exactly what to write instead.
    Always,
    /// Some findings do.
    Sometimes,
    /// Findings explain what to do, with no mechanical replacement.
    Never,
}

impl FixAvailability {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            FixAvailability::Always => "always",
            FixAvailability::Sometimes => "sometimes",
            FixAvailability::Never => "never",
        }
    }
}

/// The pack prefix of a rule id (`SEC` for `SEC001`); a prefix is itself.
#[must_use]
pub(crate) fn pack_of(id: &str) -> &str {
    id.trim_end_matches(|c: char| c.is_ascii_digit())
}

/// Everything known about a rule, from its `declare_rule!` block.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable id: pack prefix and three digits (`SEC001`). Never reused.
    pub id: &'static str,
    /// kebab-case name (`plaintext-secret-in-env`).
    pub name: &'static str,
    pub severity: Severity,
    pub scope: Scope,
    pub fix: FixAvailability,
    /// Version of assay that introduced the rule.
    pub since: &'static str,
    /// The doc comment, Markdown: summary line, then the fixed sections.
    pub doc: &'static str,
}

impl RuleMeta {
    /// The pack prefix of the id (`SEC` for `SEC001`).
    #[must_use]
    pub fn pack(&self) -> &'static str {
        pack_of(self.id)
    }

    /// The first line of the doc.
    #[must_use]
    pub fn summary(&self) -> &'static str {
        self.doc
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("")
    }
}

/// A Kubernetes minor version (`1.29`), the target of version-aware rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KubernetesVersion {
    pub major: u32,
    pub minor: u32,
}

impl KubernetesVersion {
    /// The newest version assay knows; the default target.
    pub const NEWEST: KubernetesVersion = KubernetesVersion {
        major: 1,
        minor: 37,
    };
    /// The oldest version assay validates against.
    pub const OLDEST: KubernetesVersion = KubernetesVersion {
        major: 1,
        minor: 25,
    };

    /// Parse `1.29`, `v1.29` or `1.29.3` (the patch is ignored).
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.strip_prefix('v').unwrap_or(text);
        let mut parts = text.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        if parts.next().is_some_and(|p| p.parse::<u32>().is_err()) || parts.next().is_some() {
            return None;
        }
        Some(Self { major, minor })
    }
}

impl std::fmt::Display for KubernetesVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Shared, read-only state for one run.
#[derive(Clone, Copy, Debug)]
pub struct Context<'m> {
    pub model: &'m Model,
    /// The Kubernetes version the deliverable targets.
    pub kubernetes_version: KubernetesVersion,
    /// Custom resource schemas: the CRDs of the input and of `--crds`.
    pub crds: &'m assay_schema::CrdSet,
    /// The cluster the deliverable goes to (`--cluster-profile`), if given.
    pub cluster_profile: Option<&'m assay_profile::ClusterProfile>,
    /// Every reference between objects, resolved once per run.
    pub graph: &'m assay_graph::Graph<'m>,
    /// The deliverable this one replaces (`--previous`), for rules that
    /// compare an object with its earlier version.
    pub previous: Option<&'m Model>,
}

impl<'m> Context<'m> {
    /// The previous version of `object` (same kind, namespace and name) in
    /// the `--previous` deliverable; an unset namespace matches `default`.
    #[must_use]
    pub fn previous_of(&self, object: &ObjectView<'_>) -> Option<ObjectView<'m>> {
        let previous = self.previous?;
        let name = object.object.name.as_deref()?;
        let namespace = object.object.namespace.as_deref().unwrap_or("default");
        let candidates: [&str; 2] = if namespace == "default" {
            ["default", ""]
        } else {
            [namespace, namespace]
        };
        let index = candidates
            .iter()
            .find_map(|ns| previous.index.find(object.kind(), ns, name))?;
        ObjectView::new(previous, previous.objects.get(index)?)
    }
}

/// Where a rule reports: every finding gets the rule's id and default severity.
#[derive(Debug)]
pub struct Findings<'o> {
    meta: &'static RuleMeta,
    out: &'o mut Vec<Finding>,
}

impl<'o> Findings<'o> {
    pub(crate) fn new(meta: &'static RuleMeta, out: &'o mut Vec<Finding>) -> Self {
        Self { meta, out }
    }

    /// Start a finding of this rule at `location`; finish it with the builder
    /// methods of [`Finding`] and hand it to [`Findings::push`].
    #[must_use]
    pub fn at(&self, location: FileSpan, message: impl Into<String>) -> Finding {
        Finding::new(self.meta.id, self.meta.severity, location, message)
    }

    pub fn push(&mut self, finding: Finding) {
        self.out.push(finding);
    }
}

/// A rule. Implement the `check_*` method that matches the rule's [`Scope`].
pub trait Rule: Sync + Send {
    fn meta(&self) -> &'static RuleMeta;

    /// Extra Markdown that `assay explain` and the generated docs append after
    /// the doc sections (e.g. a data table the rule checks against).
    fn explain_extra(&self) -> Option<String> {
        None
    }

    fn check_file(&self, _ctx: &Context<'_>, _file: &SourceFile, _out: &mut Findings<'_>) {}

    fn check_document(
        &self,
        _ctx: &Context<'_>,
        _file: &SourceFile,
        _doc: &DocInfo,
        _out: &mut Findings<'_>,
    ) {
    }

    fn check_object(&self, _ctx: &Context<'_>, _object: &ObjectView<'_>, _out: &mut Findings<'_>) {}

    fn check_container(
        &self,
        _ctx: &Context<'_>,
        _container: &ContainerView<'_>,
        _out: &mut Findings<'_>,
    ) {
    }

    /// A compose service, for container rules with a compose equivalent.
    fn check_service(&self, _ctx: &Context<'_>, _service: &Service<'_>, _out: &mut Findings<'_>) {}

    fn check_project(&self, _ctx: &Context<'_>, _project: &Project, _out: &mut Findings<'_>) {}
}

/// Declare a rule: its doc comment (Markdown, the first line a summary) and
/// metadata, kept in one place; `assay rules`, `assay explain`, SARIF rule
/// metadata and the generated docs all read it.
///
/// ```ignore
/// declare_rule! {
///     /// Summary line.
///     /// ## What it checks …
///     pub(crate) struct PrivilegedContainer {
///         id: "HARD001", name: "privileged-container", severity: Error,
///         scope: Scope::Container, fix: Always, since: "0.1.0",
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident {
            id: $id:literal,
            name: $rule_name:literal,
            severity: $severity:ident,
            scope: $scope:expr,
            fix: $fix:ident,
            since: $since:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, Default)]
        $vis struct $name;

        impl $name {
            pub(crate) const META: $crate::RuleMeta = $crate::RuleMeta {
                id: $id,
                name: $rule_name,
                severity: ::assay_diagnostics::Severity::$severity,
                scope: $scope,
                fix: $crate::FixAvailability::$fix,
                since: $since,
                doc: concat!($($doc, "\n"),*),
            };
        }
    };
}
