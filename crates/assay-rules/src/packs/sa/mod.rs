//! The `SA` pack: which ServiceAccount a pod runs as and whether its token
//! is mounted, and long-lived ServiceAccount token Secrets. Whether a
//! ServiceAccount has API rights is read from the RoleBindings and
//! ClusterRoleBindings of the deliverable.

mod sa001_token_mounted_without_rights;
mod sa002_default_service_account;
mod sa003_long_lived_token;

use crate::{Context, Pack};
use assay_model::{ObjectView, RbacView, ServiceAccountView, k8s_bool};
use assay_yaml::Value;

pub(crate) const PACK: Pack = Pack {
    prefix: "SA",
    folder: "sa",
    title: "Service accounts",
    rules: &[
        &sa001_token_mounted_without_rights::TokenMountedWithoutRights,
        &sa002_default_service_account::DefaultServiceAccount,
        &sa003_long_lived_token::LongLivedToken,
    ],
};

/// The ServiceAccount a pod runs as.
struct PodIdentity<'m> {
    /// `serviceAccountName`, else the deprecated `serviceAccount`, else `default`.
    name: &'m str,
    /// The node that names it, when written.
    node: Option<Value<'m>>,
    /// The pod's namespace as written (`None`: applied with `-n`).
    namespace: Option<&'m str>,
    /// The ServiceAccount object, when the deliverable has it.
    account: Option<ServiceAccountView<'m>>,
    /// Whether the token is mounted, and the `automountServiceAccountToken`
    /// node that decides it (the pod's wins over the ServiceAccount's; none:
    /// mounted by default).
    automount: bool,
    automount_node: Option<(ObjectView<'m>, Value<'m>)>,
}

fn identity<'m>(ctx: &Context<'m>, object: &ObjectView<'m>) -> Option<PodIdentity<'m>> {
    let pod = object.pod_spec()?;
    let node = pod
        .get("serviceAccountName")
        .filter(|n| n.as_str().is_some_and(|s| !s.is_empty()))
        .or_else(|| {
            pod.get("serviceAccount")
                .filter(|n| n.as_str().is_some_and(|s| !s.is_empty()))
        });
    let name = node.and_then(Value::as_str).unwrap_or("default");
    let namespace = object.object.namespace.as_deref();
    let account = ctx
        .model
        .index
        .find("ServiceAccount", namespace.unwrap_or_default(), name)
        .or_else(|| ctx.model.index.find("ServiceAccount", "", name))
        .and_then(|i| ctx.model.objects.get(i))
        .and_then(|o| ObjectView::new(ctx.model, o))
        .and_then(ServiceAccountView::new);
    let (automount, automount_node) = match pod.get("automountServiceAccountToken") {
        Some(n) if k8s_bool(n).is_some() => (k8s_bool(n) == Some(true), Some((*object, n))),
        _ => match account.and_then(|a| a.automount_token()) {
            Some((value, n)) => (value, Some((account?.object, n))),
            None => (true, None),
        },
    };
    Some(PodIdentity {
        name,
        node,
        namespace,
        account,
        automount,
        automount_node,
    })
}

/// Whether a RoleBinding or ClusterRoleBinding of the deliverable grants
/// the ServiceAccount `name` of `namespace` anything: by name, or through
/// the groups `system:serviceaccounts` and `system:serviceaccounts:<ns>`.
/// A namespace left unwritten on either side (applied with `-n`, or set by
/// kustomize) matches any.
fn has_binding(ctx: &Context<'_>, namespace: Option<&str>, name: &str) -> bool {
    let ns_matches = |written: Option<&str>| match (namespace, written) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    ["RoleBinding", "ClusterRoleBinding"]
        .iter()
        .flat_map(|kind| ctx.model.index.of_kind(kind))
        .filter_map(|&i| ObjectView::new(ctx.model, ctx.model.objects.get(i)?))
        .filter_map(RbacView::new)
        .any(|binding| {
            let binding_ns = binding.object.object.namespace.as_deref();
            binding.subjects().into_iter().any(|s| {
                match (s.get_str("kind"), s.get_str("name")) {
                    (Some("ServiceAccount"), Some(n)) => {
                        n == name && ns_matches(s.get_str("namespace").or(binding_ns))
                    }
                    (Some("Group"), Some("system:serviceaccounts")) => true,
                    (Some("Group"), Some(group)) => group
                        .strip_prefix("system:serviceaccounts:")
                        .is_some_and(|ns| ns_matches(Some(ns))),
                    _ => false,
                }
            })
        })
}

/// `` `shop/web` `` for a message (`web` when the namespace is not written).
fn account_text(namespace: Option<&str>, name: &str) -> String {
    let full = match namespace {
        Some(ns) => format!("{ns}/{name}"),
        None => name.to_owned(),
    };
    assay_diagnostics::code(&full).to_string()
}

/// The kinds that run pods.
const POD_KINDS: &[&str] = assay_graph::workload::RUNNING_KINDS;
