//! The `RBAC` pack: Roles and ClusterRoles that grant dangerous rights, and
//! bindings that hand such rights to the wrong subjects. A role's rights are
//! its effective permission (`crate::rbac`): the rules of an aggregated
//! ClusterRole are the union of the ClusterRoles of the deliverable it
//! selects, and when several `rules` entries together grant a risky right
//! the finding names every line that contributes. Each finding says which
//! bindings of the deliverable give the role to whom (the graph's
//! `roleRef` references), so a controller's legitimately broad role reads
//! as what it is.

mod rbac001_wildcard_in_rule;
mod rbac002_secrets_read;
mod rbac003_create_workloads;
mod rbac004_pod_exec_attach;
mod rbac005_impersonate;
mod rbac006_bind_or_escalate;
mod rbac007_nodes_proxy;
mod rbac008_service_account_token_create;
mod rbac009_csr_approve;
mod rbac010_admission_webhook_write;
mod rbac011_privileged_role_bound;
mod rbac012_binding_to_public_group;
mod rbac013_role_binding_ignores_cluster_scope;
mod rbac014_binding_to_default_service_account;

use crate::rbac::{
    Grant, Permission, ROLE_KINDS, combined_lines, effective_rules, grant_summary, grants_of,
    list_of, locate, name_text, primary_node, scope_of,
};
use crate::{Context, Findings, Pack};
use assay_diagnostics::{Severity, code};
use assay_model::{ObjectView, RbacView};
use assay_yaml::Value;

pub(crate) const PACK: Pack = Pack {
    prefix: "RBAC",
    folder: "rbac",
    title: "Role-based access control",
    rules: &[
        &rbac001_wildcard_in_rule::WildcardInRule,
        &rbac002_secrets_read::SecretsRead,
        &rbac003_create_workloads::CreateWorkloads,
        &rbac004_pod_exec_attach::PodExecAttach,
        &rbac005_impersonate::Impersonate,
        &rbac006_bind_or_escalate::BindOrEscalate,
        &rbac007_nodes_proxy::NodesProxy,
        &rbac008_service_account_token_create::ServiceAccountTokenCreate,
        &rbac009_csr_approve::CsrApprove,
        &rbac010_admission_webhook_write::AdmissionWebhookWrite,
        &rbac011_privileged_role_bound::PrivilegedRoleBound,
        &rbac012_binding_to_public_group::BindingToPublicGroup,
        &rbac013_role_binding_ignores_cluster_scope::RoleBindingIgnoresClusterScope,
        &rbac014_binding_to_default_service_account::BindingToDefaultServiceAccount,
    ],
};

/// A dangerous right: for each entry of `needs`, one of its alternative
/// permissions must be granted (by any rules of the role) for the role to
/// have it.
struct Power {
    /// `read Secrets`, after "can".
    what: &'static str,
    needs: &'static [&'static [Permission]],
    /// Whether `resourceNames` can narrow the grant. A `create` of a
    /// top-level resource cannot be limited by name: a rule with
    /// `resourceNames` grants no such `create` at all.
    named: bool,
    fix: &'static str,
}

/// Report `power` on a Role or ClusterRole that has it: at the first
/// granting item (an aggregated role: at its `aggregationRule`), with a
/// label on every other contributing rule, the lines that combine, the
/// bindings that use the role, and a lower severity when `resourceNames`
/// limit every grant. A rule with `*` in verbs, resources and API groups
/// counts for none: `RBAC001` reports it once as an error.
fn check_power(ctx: &Context<'_>, role: &ObjectView<'_>, power: &Power, out: &mut Findings<'_>) {
    if !ROLE_KINDS.contains(&role.kind()) {
        return;
    }
    let rules = effective_rules(ctx.model, *role);
    let mut grants: Vec<Grant<'_, '_>> = Vec::new();
    for &alternatives in power.needs {
        let found: Vec<Grant<'_, '_>> = alternatives
            .iter()
            .flat_map(|&p| grants_of(&rules, p))
            .filter(|g| {
                (power.named || g.rule.resource_names().is_empty()) && !g.rule.grants_everything()
            })
            .collect();
        if found.is_empty() {
            return;
        }
        grants.extend(found);
    }
    let Some(node) = primary_node(role, &grants) else {
        return;
    };
    let narrowed = power.named && grants.iter().all(|g| !g.rule.resource_names().is_empty());
    let names = if narrowed {
        format!(
            " (only for the objects named {} by `resourceNames`)",
            list_of(
                grants
                    .iter()
                    .flat_map(|g| g.rule.resource_names().iter().copied())
            )
        )
    } else {
        String::new()
    };
    let message = format!(
        "{} can {}: {}{names} {}{}; {}",
        role.display(),
        power.what,
        grant_summary(&grants),
        scope_of(role),
        combined_lines(&grants),
        bound_to(ctx, role),
    );
    let mut finding = out
        .at(role.at(node.span()), message)
        .object(role.display())
        .fix(power.fix);
    finding = locate(role, node, &grants, finding);
    if narrowed {
        finding.severity = Severity::Info;
    }
    out.push(finding);
}

/// The bindings of the deliverable whose `roleRef` names `role` (the
/// graph's resolved references).
fn bindings_of<'m>(ctx: &Context<'m>, role: &ObjectView<'_>) -> Vec<ObjectView<'m>> {
    let name = role.object.name.as_deref().unwrap_or_default();
    let namespace = role.object.namespace.as_deref().unwrap_or("default");
    let mut out: Vec<ObjectView<'m>> = Vec::new();
    for r in &ctx.graph.references {
        let same = r.kind == role.kind()
            && r.name == name
            && (role.kind() == "ClusterRole" || r.namespace == namespace);
        if same && !out.iter().any(|b| std::ptr::eq(b.object, r.from.object)) {
            out.push(r.from);
        }
    }
    out
}

/// `ServiceAccount monitoring/prometheus` for a binding's subject.
fn subject_text(subject: Value<'_>, binding: &ObjectView<'_>) -> String {
    let kind = subject.get_str("kind").unwrap_or("subject");
    let name = subject.get_str("name").unwrap_or_default();
    if kind == "ServiceAccount" {
        match subject
            .get_str("namespace")
            .or(binding.object.namespace.as_deref())
        {
            Some(ns) => format!(
                "ServiceAccount {} in namespace {}",
                name_text(name),
                name_text(ns)
            ),
            None => format!("ServiceAccount {} (namespace not written)", name_text(name)),
        }
    } else {
        format!("{kind} {}", code(name))
    }
}

/// Who holds `role` through the deliverable's bindings, for a message:
/// `bound to ServiceAccount `ops/agent` by ClusterRoleBinding agent`, or
/// that no binding of the deliverable uses it.
fn bound_to(ctx: &Context<'_>, role: &ObjectView<'_>) -> String {
    let mut parts = Vec::new();
    for binding in bindings_of(ctx, role) {
        let Some(view) = RbacView::new(binding) else {
            continue;
        };
        let subjects: Vec<String> = view
            .subjects()
            .into_iter()
            .map(|s| subject_text(s, &binding) + &runs_as(ctx, s, &binding))
            .collect();
        let part = format!("{} by {}", subjects.join(", "), binding.display());
        // A run over several copies of one project sees the same binding
        // once per copy.
        if !subjects.is_empty() && !parts.contains(&part) {
            parts.push(part);
        }
    }
    if parts.is_empty() {
        "no binding of the deliverable uses it".to_owned()
    } else {
        format!("bound to {}", parts.join("; "))
    }
}

/// ` (the identity of Deployment ingress-nginx/controller)` when a
/// workload of the deliverable runs as the ServiceAccount `subject`: the
/// role then serves that workload, often a controller that needs it.
fn runs_as(ctx: &Context<'_>, subject: Value<'_>, binding: &ObjectView<'_>) -> String {
    if subject.get_str("kind") != Some("ServiceAccount") {
        return String::new();
    }
    let Some(name) = subject.get_str("name") else {
        return String::new();
    };
    let namespace = subject
        .get_str("namespace")
        .or(binding.object.namespace.as_deref());
    ctx.graph
        .references
        .iter()
        .find(|r| {
            r.kind == "ServiceAccount"
                && r.name == name
                && r.from.is_workload()
                && namespace.is_none_or(|ns| r.namespace == ns)
        })
        .map(|r| format!(" (the identity of {})", r.from.display()))
        .unwrap_or_default()
}

/// The wildcard grant of a role that makes it privileged, for RBAC011: the
/// built-in `cluster-admin`, or a rule with `*` verbs or `*` resources.
fn privileged_rule<'m>(ctx: &Context<'m>, binding: &ObjectView<'m>) -> Option<Privilege<'m>> {
    let (kind, name) = RbacView::new(*binding)?.role_ref()?;
    if kind == "ClusterRole" && name == "cluster-admin" {
        return Some(Privilege {
            role: format!("ClusterRole {}", code(name)),
            how: "every verb on every resource".to_owned(),
            node: None,
            full: true,
        });
    }
    let role = crate::rbac::bound_role(ctx.model, binding)?;
    let rules = effective_rules(ctx.model, role);
    let rule = rules.iter().find(|r| {
        r.wildcards()
            .iter()
            .any(|(field, _)| matches!(*field, "verbs" | "resources"))
    })?;
    let fields: Vec<&str> = rule
        .wildcards()
        .iter()
        .map(|(field, _)| *field)
        .filter(|f| matches!(*f, "verbs" | "resources"))
        .collect();
    Some(Privilege {
        role: role.display(),
        how: format!("`*` in {}", fields.join(" and ")),
        node: Some((rule.role, rule.node)),
        full: fields.len() == 2,
    })
}

struct Privilege<'m> {
    /// `ClusterRole ops-admin`.
    role: String,
    /// `every verb on every resource`, `` `*` in verbs ``.
    how: String,
    /// The wildcard rule, when the role is in the deliverable.
    node: Option<(ObjectView<'m>, Value<'m>)>,
    /// Every verb on every resource (of some API groups), not one wildcard.
    full: bool,
}

/// Groups and users every client, every authenticated client, or every
/// ServiceAccount of the cluster belongs to, with the severity of binding a
/// role to them.
const PUBLIC_PRINCIPALS: &[(&str, &str, Severity)] = &[
    ("User", "system:anonymous", Severity::Error),
    ("Group", "system:unauthenticated", Severity::Error),
    ("Group", "system:authenticated", Severity::Warning),
    ("Group", "system:serviceaccounts", Severity::Warning),
];

/// The severity of binding to `subject` when it is a public principal.
fn public_principal(subject: Value<'_>) -> Option<Severity> {
    let kind = subject.get_str("kind")?;
    let name = subject.get_str("name")?;
    PUBLIC_PRINCIPALS
        .iter()
        .find(|(k, n, _)| *k == kind && *n == name)
        .map(|(_, _, s)| *s)
}

/// Who belongs to a public principal, for a message.
fn public_description(subject: Value<'_>) -> &'static str {
    match subject.get_str("name") {
        Some("system:serviceaccounts") => "every ServiceAccount of the cluster",
        Some("system:authenticated") => "every client with valid credentials",
        _ => "every client without credentials",
    }
}

/// Where a binding's rights apply, for a message.
fn binding_scope(binding: &ObjectView<'_>) -> String {
    if binding.kind() == "ClusterRoleBinding" {
        "in every namespace".to_owned()
    } else {
        format!(
            "in namespace {}",
            name_text(binding.object.namespace.as_deref().unwrap_or("default"))
        )
    }
}
