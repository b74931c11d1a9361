//! The `NET` pack: how a Service exposes pods outside the cluster — node
//! ports and load balancers open to every address, `externalIPs` (the
//! traffic interception of CVE-2020-8554), and what `externalTrafficPolicy`
//! does to the connections that reach a node.

mod net001_exposed_without_source_ranges;
mod net002_external_ips;
mod net003_local_traffic_policy_node_port;

use crate::Pack;
use assay_model::ObjectView;
use assay_yaml::Value;

pub(crate) const PACK: Pack = Pack {
    prefix: "NET",
    folder: "net",
    title: "Service exposure",
    rules: &[
        &net001_exposed_without_source_ranges::ExposedWithoutSourceRanges,
        &net002_external_ips::ExternalIps,
        &net003_local_traffic_policy_node_port::LocalTrafficPolicyNodePort,
    ],
};

/// `spec.type` of a Service, `ClusterIP` when unset.
fn service_type<'m>(service: &ObjectView<'m>) -> &'m str {
    service
        .root
        .path(&["spec", "type"])
        .and_then(Value::as_str)
        .unwrap_or("ClusterIP")
}

/// Where to point for a Service's exposure: its `type` value, else its name.
fn type_location(service: &ObjectView<'_>) -> assay_span::FileSpan {
    service
        .root
        .path(&["spec", "type"])
        .map_or_else(|| service.anchor(), |node| service.at(node.span()))
}
