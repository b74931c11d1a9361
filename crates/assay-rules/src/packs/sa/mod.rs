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

/// Whether a Pod is a static pod's mirror (owned by its Node, or annotated
/// by the kubelet): the ServiceAccount admission plugin gives those no
/// ServiceAccount and no token.
fn is_static_pod(object: &ObjectView<'_>) -> bool {
    let Some(metadata) = object.metadata().filter(|_| object.kind() == "Pod") else {
        return false;
    };
    let owned_by_node = metadata
        .get("ownerReferences")
        .into_iter()
        .flat_map(Value::items)
        .any(|o| o.get_str("kind") == Some("Node"));
    let mirrored = metadata
        .get("annotations")
        .is_some_and(|a| a.get("kubernetes.io/config.mirror").is_some());
    owned_by_node || mirrored
}

fn identity<'m>(ctx: &Context<'m>, object: &ObjectView<'m>) -> Option<PodIdentity<'m>> {
    if is_static_pod(object) {
        return None;
    }
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

/// Whether a RoleBinding or ClusterRoleBinding of the deliverable names
/// the ServiceAccount `name` of `namespace` as a subject. A namespace left
/// unwritten on either side (applied with `-n`, or set by kustomize)
/// matches any. Bindings to the groups `system:serviceaccounts` and
/// `system:serviceaccounts:<ns>` do not count: they grant every
/// ServiceAccount alike (typically a PodSecurityPolicy `use`), which says
/// nothing about this workload calling the API.
fn has_binding(ctx: &Context<'_>, namespace: Option<&str>, name: &str) -> bool {
    ["RoleBinding", "ClusterRoleBinding"]
        .iter()
        .flat_map(|kind| ctx.model.index.of_kind(kind))
        .filter_map(|&i| ObjectView::new(ctx.model, ctx.model.objects.get(i)?))
        .filter_map(RbacView::new)
        .any(|binding| {
            let binding_ns = binding.object.object.namespace.as_deref();
            binding.subjects().into_iter().any(|s| {
                s.get_str("kind") == Some("ServiceAccount")
                    && s.get_str("name") == Some(name)
                    && match (namespace, s.get_str("namespace").or(binding_ns)) {
                        (Some(a), Some(b)) => a == b,
                        _ => true,
                    }
            })
        })
}

/// `` `web` in namespace `shop` `` for a message. The name `default` is
/// written as the constant it is, not quoted as an input value.
fn account_text(namespace: Option<&str>, name: &str) -> String {
    let name = crate::rbac::name_text(name);
    match namespace {
        Some(ns) => format!("{name} in namespace {}", crate::rbac::name_text(ns)),
        None => name,
    }
}

/// The kinds that run pods.
const POD_KINDS: &[&str] = assay_graph::workload::RUNNING_KINDS;
