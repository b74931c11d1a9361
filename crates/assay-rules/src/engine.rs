use crate::redaction;
use crate::rule::{Context, Findings, KubernetesVersion, Rule, Scope, pack_of};
use crate::suppress;
use crate::{all_rules, find_rule};
use assay_diagnostics::{Finding, Severity};
use assay_model::Model;
use assay_schema::CrdSet;
use assay_span::FileSpan;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Which rules run and at what severity.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Rule ids or pack prefixes to run; empty means all.
    pub select: Vec<String>,
    /// Rule ids or pack prefixes not to run (wins over `select`).
    pub ignore: Vec<String>,
    /// Severity per rule id or pack prefix; a rule id wins over its pack.
    pub severity: BTreeMap<String, Severity>,
}

fn matches(code: &str, id: &str, pack: &str) -> bool {
    code.eq_ignore_ascii_case(id) || code.eq_ignore_ascii_case(pack)
}

impl Selection {
    #[must_use]
    pub fn enabled(&self, id: &str) -> bool {
        let pack = pack_of(id);
        let selected = self.select.is_empty() || self.select.iter().any(|c| matches(c, id, pack));
        selected && !self.ignore.iter().any(|c| matches(c, id, pack))
    }

    fn severity_for(&self, id: &str, default: Severity) -> Severity {
        let pack = pack_of(id);
        self.severity
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(id))
            .or_else(|| {
                self.severity
                    .iter()
                    .find(|(c, _)| c.eq_ignore_ascii_case(pack))
            })
            .map_or(default, |(_, s)| *s)
    }

    /// Codes that name no rule and no pack (for a "did you mean" error).
    #[must_use]
    pub fn unknown_codes(&self) -> Vec<&str> {
        self.select
            .iter()
            .chain(&self.ignore)
            .chain(self.severity.keys())
            .map(String::as_str)
            .filter(|c| {
                find_rule(c).is_none()
                    && !crate::PACKS
                        .iter()
                        .any(|p| p.prefix.eq_ignore_ascii_case(c))
            })
            .collect()
    }
}

/// The pack whose rules always run, selected or not, to find what to mask.
const SECRET_PACK: &str = "SEC";

/// Counts a report's summary needs besides the findings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunStats {
    pub rules_run: usize,
    pub suppressed: usize,
    /// Secret ranges found by secret rules that were not selected: they run
    /// anyway, report nothing, and reporters mask these ranges too, so no
    /// selection can make a code frame print a secret.
    pub masked: Vec<FileSpan>,
}

/// The rules of one run, dispatched by scope.
pub struct Engine {
    selection: Selection,
    kubernetes_version: KubernetesVersion,
    crds: CrdSet,
    cluster_profile: Option<assay_profile::ClusterProfile>,
    assume_present: Vec<String>,
    previous: Option<Model>,
    file_rules: Vec<&'static dyn Rule>,
    document_rules: Vec<&'static dyn Rule>,
    object_rules: Vec<&'static dyn Rule>,
    container_rules: Vec<&'static dyn Rule>,
    compose_rules: Vec<&'static dyn Rule>,
}

impl Engine {
    #[must_use]
    pub fn new(selection: Selection) -> Self {
        let mut engine = Engine {
            selection,
            kubernetes_version: KubernetesVersion::NEWEST,
            crds: CrdSet::new(),
            cluster_profile: None,
            assume_present: Vec::new(),
            previous: None,
            file_rules: Vec::new(),
            document_rules: Vec::new(),
            object_rules: Vec::new(),
            container_rules: Vec::new(),
            compose_rules: Vec::new(),
        };
        for rule in all_rules()
            .filter(|r| engine.selection.enabled(r.meta().id) || r.meta().pack() == SECRET_PACK)
        {
            match rule.meta().scope {
                Scope::File => engine.file_rules.push(rule),
                Scope::Document(_) => engine.document_rules.push(rule),
                Scope::Object(_) => engine.object_rules.push(rule),
                Scope::Container => engine.container_rules.push(rule),
                Scope::Compose => engine.compose_rules.push(rule),
            }
        }
        engine
    }

    /// Target another Kubernetes version than the newest.
    #[must_use]
    pub fn with_kubernetes_version(mut self, version: KubernetesVersion) -> Self {
        self.kubernetes_version = version;
        self
    }

    /// Make these custom resource schemas (from `--crds`) available to the
    /// rules, besides the CRDs found in the input.
    #[must_use]
    pub fn with_crds(mut self, crds: CrdSet) -> Self {
        self.crds = crds;
        self
    }

    /// Give the rules a cluster profile (`--cluster-profile`).
    #[must_use]
    pub fn with_cluster_profile(mut self, profile: assay_profile::ClusterProfile) -> Self {
        self.cluster_profile = Some(profile);
        self
    }

    /// Objects the cluster already has (`KIND/NAME` or `KIND/NAMESPACE/NAME`,
    /// from `--assume-present`): references to them are not reported.
    #[must_use]
    pub fn with_assume_present(mut self, objects: Vec<String>) -> Self {
        self.assume_present = objects;
        self
    }

    /// The deliverable this one replaces (`--previous`): rules compare each
    /// object with its version there.
    #[must_use]
    pub fn with_previous(mut self, previous: Model) -> Self {
        self.previous = Some(previous);
        self
    }

    /// An engine running exactly one rule (fixtures and doc examples).
    #[must_use]
    pub fn for_rule(id: &str) -> Self {
        Self::new(Selection {
            select: vec![id.to_owned()],
            ..Selection::default()
        })
    }

    /// The rules whose findings are reported.
    #[must_use]
    pub fn rule_count(&self) -> usize {
        [
            &self.file_rules,
            &self.document_rules,
            &self.object_rules,
            &self.container_rules,
            &self.compose_rules,
        ]
        .into_iter()
        .flatten()
        .filter(|r| self.selection.enabled(r.meta().id))
        .count()
    }

    /// Run every selected rule over the model; findings come back sorted.
    #[must_use]
    pub fn run(&self, model: &Model) -> (Vec<Finding>, RunStats) {
        let findings = self.run_rules(model);
        let (secrets, sensitive) = redaction::secrets_of(model, findings.iter());
        let (mut findings, mask_only): (Vec<Finding>, Vec<Finding>) = findings
            .into_iter()
            .partition(|f| self.selection.enabled(f.rule));
        let mut masked: Vec<FileSpan> = mask_only
            .into_iter()
            .flat_map(|f| f.secrets)
            .chain(sensitive)
            .collect();
        masked.sort();
        masked.dedup();
        // After `suppress::apply`, which adds the SUP findings: severity
        // overrides and redaction reach every finding, once.
        let suppressed = suppress::apply(model, &mut findings, &self.selection);
        findings.par_iter_mut().for_each(|f| {
            f.severity = self.selection.severity_for(f.rule, f.severity);
            f.redact(&secrets);
        });
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        findings.dedup();
        let stats = RunStats {
            rules_run: self.rule_count(),
            suppressed,
            masked,
        };
        (findings, stats)
    }

    /// The findings of every rule that runs (the selected ones and the
    /// secret rules), as the rules wrote them: not yet filtered, suppressed
    /// or redacted.
    pub(crate) fn run_rules(&self, model: &Model) -> Vec<Finding> {
        let mut crds = self.crds.clone();
        for object in model
            .objects
            .iter()
            .filter(|o| o.kind == "CustomResourceDefinition")
        {
            if let Some(view) = assay_model::ObjectView::new(model, object) {
                crds.add(view.root);
            }
        }
        let mut graph = assay_graph::Graph::build(model);
        graph.assume_present(&self.assume_present);
        let ctx = Context {
            model,
            kubernetes_version: self.kubernetes_version,
            crds: &crds,
            cluster_profile: self.cluster_profile.as_ref(),
            graph: &graph,
            previous: self.previous.as_ref(),
        };
        let mut findings: Vec<Finding> = model
            .files
            .par_iter()
            .flat_map_iter(|file| {
                let mut out = Vec::new();
                for rule in &self.file_rules {
                    rule.check_file(&ctx, file, &mut Findings::new(rule.meta(), &mut out));
                }
                out
            })
            .collect();
        findings.par_extend(model.documents.par_iter().flat_map_iter(|doc| {
            let mut out = Vec::new();
            if let Some(file) = model.file(doc.file) {
                for rule in &self.document_rules {
                    if let Scope::Document(classes) = rule.meta().scope
                        && (classes.is_empty() || classes.contains(&doc.class))
                    {
                        rule.check_document(
                            &ctx,
                            file,
                            doc,
                            &mut Findings::new(rule.meta(), &mut out),
                        );
                    }
                }
            }
            out
        }));
        findings.par_extend(model.objects.par_iter().flat_map_iter(|object| {
            let mut out = Vec::new();
            let Some(view) = assay_model::ObjectView::new(model, object) else {
                return out;
            };
            for rule in &self.object_rules {
                if let Scope::Object(kinds) = rule.meta().scope
                    && (kinds.is_empty() || kinds.contains(&view.kind()))
                {
                    rule.check_object(&ctx, &view, &mut Findings::new(rule.meta(), &mut out));
                }
            }
            if !self.container_rules.is_empty() {
                for container in view.containers() {
                    for rule in &self.container_rules {
                        rule.check_container(
                            &ctx,
                            &container,
                            &mut Findings::new(rule.meta(), &mut out),
                        );
                    }
                }
            }
            out
        }));
        findings.par_extend(model.compose.par_iter().flat_map_iter(|project| {
            let mut out = Vec::new();
            for rule in &self.compose_rules {
                rule.check_project(&ctx, project, &mut Findings::new(rule.meta(), &mut out));
            }
            for service in project.services() {
                // Container rules, and pod-level rules with a compose equivalent.
                for rule in self.container_rules.iter().chain(&self.object_rules) {
                    rule.check_service(&ctx, &service, &mut Findings::new(rule.meta(), &mut out));
                }
            }
            out
        }));
        findings
    }
}
