//! Rules, packs and the engine that runs them.

pub mod api_lifecycle;
mod docs;
mod engine;
mod packs;
mod placeholder;
mod pod_security;
mod rbac;
mod redaction;
mod registry;
mod rule;
mod suppress;
mod time_zones;
mod windows;

pub use docs::{DocExample, DocSection, REQUIRED_SECTIONS, RuleDoc, doc_examples, parse_doc};
pub use engine::{Engine, RunStats, Selection};
pub use registry::{PACKS, Pack, all_rules, find_rule};
pub use rule::{Context, Findings, FixAvailability, KubernetesVersion, Rule, RuleMeta, Scope};
