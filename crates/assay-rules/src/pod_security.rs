//! Pod Security admission as a namespace of the deliverable configures it.
//!
//! A `Namespace` with the labels `pod-security.kubernetes.io/<mode>` (mode
//! `enforce`, `warn` or `audit`; level `privileged`, `baseline` or
//! `restricted`) and `pod-security.kubernetes.io/<mode>-version` (`latest`
//! or `v1.N`) decides, for the pods in it, which Pod Security Standard
//! applies and at which policy version. [`Admission`] wraps each `HARD` rule
//! that checks a control of the standards: for a pod in such a namespace it
//! evaluates the rule at each mode's policy version and gives each finding
//! the severity of the strongest mode it violates — error for `enforce`
//! ("admission will reject this pod"), warning for `warn` and `audit`, info
//! when the namespace enforces a lower level and no mode covers the control.
//! Without an `enforce` label the cluster's default level (unknown here)
//! decides, so such a finding keeps the rule's severity, with a note. Pods
//! without such a namespace in the input keep the rule's own severity.
//!
//! A finding's level is the standard its message names
//! ([`BASELINE`] or [`RESTRICTED`]); every wrapped rule names one.
//!
//! Source: kubernetes/pod-security-admission `admission/admission.go`
//! (`PolicyToEvaluate`, the per-mode evaluation) and `api/helpers.go`
//! (`PolicyToEvaluate`: an invalid `enforce` level evaluates as
//! `restricted`, an invalid `warn` or `audit` level as `privileged`;
//! `ParseVersion`: `latest`, `vMAJOR.MINOR`; a version newer than the
//! server's is evaluated as latest).

use crate::{Context, Findings, KubernetesVersion, Rule, RuleMeta};
use assay_compose::{Project, Service};
use assay_diagnostics::{Finding, Severity};
use assay_model::{ContainerView, DocInfo, NamespaceView, ObjectView, SourceFile};
use std::collections::BTreeMap;

/// What a finding's message says when it violates the Baseline standard.
pub(crate) const BASELINE: &str = "Baseline Pod Security Standard";
/// What a finding's message says when it violates the Restricted standard.
pub(crate) const RESTRICTED: &str = "Restricted Pod Security Standard";

/// Pod Security levels, ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Privileged,
    Baseline,
    Restricted,
}

impl Level {
    fn parse(text: &str) -> Option<Self> {
        match text {
            "privileged" => Some(Self::Privileged),
            "baseline" => Some(Self::Baseline),
            "restricted" => Some(Self::Restricted),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Privileged => "privileged",
            Self::Baseline => "baseline",
            Self::Restricted => "restricted",
        }
    }

    /// The level a finding violates, from its message.
    fn of(finding: &Finding) -> Option<Self> {
        if finding.message.contains(BASELINE) {
            Some(Self::Baseline)
        } else if finding.message.contains(RESTRICTED) {
            Some(Self::Restricted)
        } else {
            None
        }
    }
}

/// One mode of a namespace: its level and the policy version it evaluates.
#[derive(Clone, Copy, Debug)]
struct Mode {
    name: &'static str,
    level: Level,
    version: KubernetesVersion,
    /// `latest`, or the version as pinned.
    pinned: bool,
}

/// The Pod Security admission configuration of the namespace of `object`,
/// when the input has that Namespace and it has Pod Security labels.
fn modes_for(ctx: &Context<'_>, object: &ObjectView<'_>) -> Option<(String, Vec<Mode>)> {
    let namespace = object.object.namespace.as_deref()?;
    let model = object.model;
    let index = model.index.find("Namespace", "", namespace)?;
    let ns = NamespaceView::new(ObjectView::new(model, model.objects.get(index)?)?)?;
    let target = ctx.kubernetes_version;
    let modes: Vec<Mode> = ns
        .pod_security()
        .into_iter()
        .filter_map(|label| {
            let name = match label.mode {
                "enforce" => "enforce",
                "warn" => "warn",
                "audit" => "audit",
                _ => return None,
            };
            // As admission parses them: an invalid enforce level fails
            // closed (restricted), invalid warn and audit levels fail open.
            let level = match (Level::parse(label.level), name) {
                (Some(level), _) => level,
                (None, "enforce") => Level::Restricted,
                (None, _) => return None,
            };
            let pinned = label
                .version
                .filter(|v| *v != "latest")
                .and_then(|v| v.strip_prefix('v'))
                .and_then(KubernetesVersion::parse)
                .filter(|v| *v < target);
            Some(Mode {
                name,
                level,
                version: pinned.unwrap_or(target),
                pinned: pinned.is_some(),
            })
        })
        .collect();
    (!modes.is_empty()).then(|| (namespace.to_owned(), modes))
}

fn describe(mode: &Mode) -> String {
    let version = if mode.pinned {
        format!("v{}", mode.version)
    } else {
        "latest".to_owned()
    };
    format!("`{}` ({version})", mode.level.as_str())
}

/// The namespace's verdict on one finding: its severity and what to add to
/// its message.
fn verdict(
    finding: &mut Finding,
    level: Level,
    mode: Option<&Mode>,
    namespace: &str,
    modes: &[Mode],
    pods: &str,
) {
    let note = match mode {
        Some(m) if m.name == "enforce" => {
            finding.severity = Severity::Error;
            format!(
                "namespace `{namespace}` enforces {}: admission will reject {pods}",
                describe(m)
            )
        }
        Some(m) => {
            finding.severity = Severity::Warning;
            let what = if m.name == "warn" {
                "accepts it with a warning"
            } else {
                "accepts it and records an audit annotation"
            };
            format!(
                "namespace `{namespace}` {}s at {}: admission {what}",
                m.name,
                describe(m)
            )
        }
        // No enforce label: the cluster's default level applies, which the
        // input does not say; the rule's own severity stands.
        None if !modes.iter().any(|m| m.name == "enforce") => format!(
            "namespace `{namespace}` sets no `enforce` level, so the cluster's default decides whether admission rejects {pods}"
        ),
        None => {
            finding.severity = Severity::Info;
            let set: Vec<String> = modes
                .iter()
                .map(|m| format!("{}: {}", m.name, describe(m)))
                .collect();
            format!(
                "namespace `{namespace}` does not apply the {} level to its pods ({})",
                level.as_str(),
                set.join(", ")
            )
        }
    };
    finding.message = format!("{}; {note}", finding.message);
}

/// A `HARD` rule checked against the Pod Security admission configuration
/// of the pod's namespace (see the module doc).
pub(crate) struct Admission<R: Rule + 'static>(pub(crate) R);

impl<R: Rule + 'static> Admission<R> {
    fn run(
        &self,
        ctx: &Context<'_>,
        object: &ObjectView<'_>,
        out: &mut Findings<'_>,
        check: impl Fn(&R, &Context<'_>, &mut Findings<'_>),
    ) {
        let meta = self.0.meta();
        let Some((namespace, modes)) = modes_for(ctx, object) else {
            check(&self.0, ctx, out);
            return;
        };
        let pods = if object.kind() == "Pod" {
            "this pod".to_owned()
        } else {
            format!("the pods of this {}", object.kind())
        };
        // Findings by location, each with the strongest mode it violates
        // (modes in order enforce, warn, audit; the first one wins).
        let mut found: BTreeMap<(assay_span::FileSpan, String), (Finding, Level, Option<Mode>)> =
            BTreeMap::new();
        let mut evaluate = |version: KubernetesVersion, mode: Option<Mode>| {
            let run_ctx = Context {
                kubernetes_version: version,
                ..*ctx
            };
            let mut batch = Vec::new();
            check(&self.0, &run_ctx, &mut Findings::new(meta, &mut batch));
            for finding in batch {
                let Some(level) = Level::of(&finding) else {
                    continue;
                };
                let violated = mode.filter(|m| level <= m.level);
                if mode.is_some() && violated.is_none() {
                    continue;
                }
                let key = (finding.location, finding.rule.to_owned());
                found.entry(key).or_insert((finding, level, violated));
            }
        };
        let mut ordered = modes.clone();
        ordered.sort_by_key(|m| match m.name {
            "enforce" => 0,
            "warn" => 1,
            _ => 2,
        });
        for mode in &ordered {
            evaluate(mode.version, Some(*mode));
        }
        // What no mode covers, at the target version, for information.
        evaluate(ctx.kubernetes_version, None);
        for (mut finding, level, mode) in found.into_values() {
            verdict(
                &mut finding,
                level,
                mode.as_ref(),
                &namespace,
                &modes,
                &pods,
            );
            out.push(finding);
        }
        // Findings that name no level are not the namespace's to judge.
        let mut rest = Vec::new();
        check(&self.0, ctx, &mut Findings::new(meta, &mut rest));
        for finding in rest.into_iter().filter(|f| Level::of(f).is_none()) {
            out.push(finding);
        }
    }
}

impl<R: Rule + 'static> Rule for Admission<R> {
    fn meta(&self) -> &'static RuleMeta {
        self.0.meta()
    }

    fn explain_extra(&self) -> Option<String> {
        self.0.explain_extra()
    }

    fn check_file(&self, ctx: &Context<'_>, file: &SourceFile, out: &mut Findings<'_>) {
        self.0.check_file(ctx, file, out);
    }

    fn check_document(
        &self,
        ctx: &Context<'_>,
        file: &SourceFile,
        doc: &DocInfo,
        out: &mut Findings<'_>,
    ) {
        self.0.check_document(ctx, file, doc, out);
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        self.run(ctx, object, out, |rule, ctx, out| {
            rule.check_object(ctx, object, out);
        });
    }

    /// Compose services have no namespace: the rule's own severity.
    fn check_service(&self, ctx: &Context<'_>, service: &Service<'_>, out: &mut Findings<'_>) {
        self.0.check_service(ctx, service, out);
    }

    fn check_project(&self, ctx: &Context<'_>, project: &Project, out: &mut Findings<'_>) {
        self.0.check_project(ctx, project, out);
    }

    fn check_container(
        &self,
        ctx: &Context<'_>,
        container: &ContainerView<'_>,
        out: &mut Findings<'_>,
    ) {
        self.run(ctx, &container.object, out, |rule, ctx, out| {
            rule.check_container(ctx, container, out);
        });
    }
}
