//! The `GRAPH` pack: references between objects that lead nowhere —
//! Services selecting no pod, ports that match no container port, Ingress
//! backends, HPA targets and PDBs pointing at nothing, selector typos,
//! NetworkPolicies the API server would reject. Every rule reads the graph
//! built once per run (`Context::graph`).

mod graph001_service_selects_no_pod;
mod graph002_service_without_endpoints;
mod graph003_target_port_name_not_found;
mod graph004_target_port_not_declared;
mod graph005_pods_disagree_on_port;
mod graph006_ingress_backend_missing;
mod graph007_hpa_target_missing;
mod graph008_pdb_selects_nothing;
mod graph009_reference_not_in_deliverable;
mod graph010_services_conflicting_ports;
mod graph011_invalid_network_policy;
mod graph012_network_policy_selector_typo;
mod graph013_network_policy_selects_no_pod;
mod graph014_statefulset_service_not_headless;

use crate::Pack;

pub(crate) const PACK: Pack = Pack {
    prefix: "GRAPH",
    folder: "graph",
    title: "References between objects",
    rules: &[
        &graph001_service_selects_no_pod::ServiceSelectsNoPod,
        &graph002_service_without_endpoints::ServiceWithoutEndpoints,
        &graph003_target_port_name_not_found::TargetPortNameNotFound,
        &graph004_target_port_not_declared::TargetPortNotDeclared,
        &graph005_pods_disagree_on_port::PodsDisagreeOnPort,
        &graph006_ingress_backend_missing::IngressBackendMissing,
        &graph007_hpa_target_missing::HpaTargetMissing,
        &graph008_pdb_selects_nothing::PdbSelectsNothing,
        &graph009_reference_not_in_deliverable::ReferenceNotInDeliverable,
        &graph010_services_conflicting_ports::ServicesConflictingPorts,
        &graph011_invalid_network_policy::InvalidNetworkPolicy,
        &graph012_network_policy_selector_typo::NetworkPolicySelectorTypo,
        &graph013_network_policy_selects_no_pod::NetworkPolicySelectsNoPod,
        &graph014_statefulset_service_not_headless::StatefulSetServiceNotHeadless,
    ],
};

/// `app: web, tier: front` for a message.
fn labels_text(labels: &[(&str, &str)]) -> String {
    labels
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The folder of an object's file. A run over many projects at once (a
/// corpus, a monorepo) shares namespaces such as `default` across unrelated
/// deliverables; the rules that report an *extra* match (a selected pod
/// with the wrong port) only relate objects written in the same folder.
fn folder<'a>(object: &'a assay_model::ObjectView<'_>) -> &'a str {
    object
        .file
        .path
        .rsplit_once(['/', '\\'])
        .map_or("", |(dir, _)| dir)
}

/// Whether a workload is defined in the same folder as `object`.
fn same_folder(object: &assay_model::ObjectView<'_>, workload: &assay_graph::Workload<'_>) -> bool {
    let dir = folder(object);
    workload.objects.iter().any(|o| folder(o) == dir)
}

/// Whether the deliverable has workloads of `namespace` in the folder of
/// `object`, and no custom resource there (an operator may create the
/// pods): only then is "selects nothing" worth saying.
fn expects_local_pods(
    ctx: &crate::Context<'_>,
    object: &assay_model::ObjectView<'_>,
    namespace: &str,
) -> bool {
    let dir = folder(object);
    let custom_resource = ctx.model.object_views().any(|o| {
        let api = o.object.api_version.as_str();
        let group = api.split_once('/').map_or("", |(g, _)| g);
        group.contains('.')
            && !group.ends_with(".k8s.io")
            && o.object.namespace.as_deref().unwrap_or("default") == namespace
    });
    !custom_resource
        && ctx
            .graph
            .workloads_in(namespace)
            .any(|w| w.objects.iter().any(|o| folder(o) == dir))
}
