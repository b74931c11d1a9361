use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_diagnostics::{plain, quote};
use assay_model::{ObjectView, WORKLOAD_KINDS};
use assay_yaml::{ScalarStyle, Value};

declare_rule! {
    /// A port or count written as a quoted string where Kubernetes needs a number
    ///
    /// ## What it checks
    /// Integer fields written as quoted strings (`containerPort: "8080"`,
    /// `replicas: "3"`, Service `port: "80"`), and port fields that accept a
    /// number or a port *name* (`targetPort`, probe `port`) written as a
    /// quoted string of digits. Checked fields: `spec.replicas`, container
    /// `ports[].containerPort` / `hostPort`, Service `ports[].port` /
    /// `nodePort` / `targetPort`, probe `httpGet.port` / `tcpSocket.port` /
    /// `grpc.port`, and `terminationGracePeriodSeconds`.
    ///
    /// ## Why it matters
    /// An `int32` field given a string fails to decode ("cannot unmarshal string
    /// into Go struct field ContainerPort.containerPort of type int32") and the
    /// object is rejected. In an int-or-string field, `"8080"` is a port *name*,
    /// and names must contain a letter, so validation rejects it too.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    ///       targetPort: "8080"
    /// ```
    ///
    /// ## Fix
    /// Remove the quotes:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    ///       targetPort: 8080
    /// ```
    ///
    /// ## References
    /// - Kubernetes API, ServicePort and ContainerPort: https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/
    /// - Port names (IANA_SVC_NAME, at least one letter): https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports
    pub(crate) struct QuotedNumber {
        id: "YAML007",
        name: "quoted-number",
        severity: Error,
        scope: Scope::Object(&[]),
        fix: Always,
        since: "0.1.0",
    }
}

fn quoted_digits(value: Value<'_>) -> Option<&str> {
    let (text, style) = value.as_scalar()?;
    let quoted = matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted);
    (quoted && !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())).then_some(text)
}

fn check(
    object: &ObjectView<'_>,
    field: &str,
    value: Option<Value<'_>>,
    int_or_string: bool,
    out: &mut Findings<'_>,
) {
    let Some(value) = value else { return };
    let Some(text) = quoted_digits(value) else {
        return;
    };
    let why = if int_or_string {
        "a quoted number here is read as a port name, and port names must contain a letter"
    } else {
        "the field is an integer and the API server rejects a string"
    };
    let finding = out
        .at(
            object.at(value.span()),
            format!("{field} is the string {}: {why}", quote(text)),
        )
        .object(object.display())
        .fix(format!("write it without quotes: {}", plain(text)));
    out.push(finding);
}

fn check_probe_ports(object: &ObjectView<'_>, container: Value<'_>, out: &mut Findings<'_>) {
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        let Some(p) = container.get(probe) else {
            continue;
        };
        for handler in ["httpGet", "tcpSocket", "grpc"] {
            let int_or_string = handler != "grpc";
            check(
                object,
                &format!("{probe}.{handler}.port"),
                p.path(&[handler, "port"]),
                int_or_string,
                out,
            );
        }
    }
}

impl Rule for QuotedNumber {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let spec = object.root.get("spec");
        if WORKLOAD_KINDS.contains(&object.kind()) {
            check(
                object,
                "spec.replicas",
                spec.and_then(|s| s.get("replicas")),
                false,
                out,
            );
        }
        if object.kind() == "Service" {
            for port in spec
                .and_then(|s| s.get("ports"))
                .into_iter()
                .flat_map(Value::items)
            {
                check(object, "port", port.get("port"), false, out);
                check(object, "nodePort", port.get("nodePort"), false, out);
                check(object, "targetPort", port.get("targetPort"), true, out);
            }
        }
        if let Some(pod) = object.pod_spec() {
            check(
                object,
                "terminationGracePeriodSeconds",
                pod.get("terminationGracePeriodSeconds"),
                false,
                out,
            );
        }
        for container in object.containers() {
            for port in container
                .node
                .get("ports")
                .into_iter()
                .flat_map(Value::items)
            {
                check(
                    object,
                    "containerPort",
                    port.get("containerPort"),
                    false,
                    out,
                );
                check(object, "hostPort", port.get("hostPort"), false, out);
            }
            check_probe_ports(object, container.node, out);
        }
    }
}
