//! The `VAL` pack: what the API server's own validation code rejects after
//! the OpenAPI schema has passed (`pkg/apis/*/validation` of
//! kubernetes/kubernetes and the helpers of `k8s.io/apimachinery`), with the
//! server's wording of each error. Errors are what the server rejects;
//! `VAL008` collects what it accepts but is likely wrong.

mod val001_invalid_object_name;
mod val002_invalid_label_or_annotation;
mod val003_invalid_pod_names;
mod val004_unsupported_value;
mod val005_value_out_of_range;
mod val006_selector_mismatch;
mod val007_inconsistent_spec;
mod val008_accepted_but_likely_wrong;
mod val009_invalid_scheduling_constraint;

use crate::Pack;
use assay_diagnostics::quote;
use assay_model::ObjectView;
use assay_yaml::{ScalarType, Value, resolve_yaml11};

pub(crate) const PACK: Pack = Pack {
    prefix: "VAL",
    folder: "val",
    title: "API server validation",
    rules: &[
        &val001_invalid_object_name::InvalidObjectName,
        &val002_invalid_label_or_annotation::InvalidLabelOrAnnotation,
        &val003_invalid_pod_names::InvalidPodNames,
        &val004_unsupported_value::UnsupportedValue,
        &val005_value_out_of_range::ValueOutOfRange,
        &val006_selector_mismatch::SelectorMismatch,
        &val007_inconsistent_spec::InconsistentSpec,
        &val008_accepted_but_likely_wrong::AcceptedButLikelyWrong,
        &val009_invalid_scheduling_constraint::InvalidSchedulingConstraint,
    ],
};

/// What every VAL error message ends with.
const REJECTS: &str = "the API server rejects this";

/// The text of a scalar Kubernetes reads as a string (quoted, or plain and
/// not a YAML 1.1 number, boolean or null); other types are `SCHEMA001`'s.
/// A value holding an unrendered template placeholder (`${NAME}`, `{{ x }}`,
/// as `envsubst`, `clusterctl` or Helm fill in) is not checked: it is
/// replaced before the manifest is applied.
fn k8s_str(value: Value<'_>) -> Option<&str> {
    let (text, style) = value.as_scalar()?;
    let placeholder = text.contains("${") || text.contains("{{");
    (!placeholder && matches!(resolve_yaml11(text, style), ScalarType::Str)).then_some(text)
}

/// A plain integer scalar (`k8s_int` of the model, re-exported for brevity).
fn int(value: Value<'_>) -> Option<i64> {
    assay_model::k8s_int(value)
}

/// `path: Invalid value: "value": message; the API server rejects this`,
/// the server's `field.Invalid` wording.
fn invalid(path: &str, value: &str, message: &str) -> String {
    format!(
        "{path}: Invalid value: {}: {message}; {REJECTS}",
        quote(value)
    )
}

/// The server's `field.NotSupported` wording.
fn unsupported(path: &str, value: &str, allowed: &[&str]) -> String {
    let list: Vec<String> = allowed.iter().map(|a| format!("\"{a}\"")).collect();
    format!(
        "{path}: Unsupported value: {}: supported values: {}; {REJECTS}",
        quote(value),
        list.join(", ")
    )
}

fn is_alnum_lower(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// `msg (e.g. 'a' or 'b', regex used for validation is 'fmt')`
/// (apimachinery `RegexError`).
fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    let examples: Vec<String> = examples.iter().map(|e| format!("'{e}'")).collect();
    format!(
        "{msg} (e.g. {}, regex used for validation is '{fmt}')",
        examples.join(" or ")
    )
}

fn max_len(n: usize) -> String {
    format!("must be no more than {n} characters")
}

/// Non-empty, first and last characters accepted by `edge` (and `first` for
/// the first), every character by `inner`.
fn label_like(
    value: &str,
    first: fn(char) -> bool,
    edge: fn(char) -> bool,
    inner: fn(char) -> bool,
) -> bool {
    let (Some(start), Some(end)) = (value.chars().next(), value.chars().last()) else {
        return false;
    };
    first(start) && edge(start) && edge(end) && value.chars().all(inner)
}

fn any(_: char) -> bool {
    true
}

fn dns_inner(c: char) -> bool {
    is_alnum_lower(c) || c == '-'
}

/// apimachinery `IsDNS1123Label`.
pub(crate) fn dns1123_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push(max_len(63));
    }
    if !label_like(value, any, is_alnum_lower, dns_inner) {
        errs.push(regex_error(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?",
            &["my-name", "123-abc"],
        ));
    }
    errs
}

/// apimachinery `IsDNS1123Subdomain`.
pub(crate) fn dns1123_subdomain(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push(max_len(253));
    }
    let ok = !value.is_empty()
        && value
            .split('.')
            .all(|part| label_like(part, any, is_alnum_lower, dns_inner));
    if !ok {
        errs.push(regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*",
            &["example.com"],
        ));
    }
    errs
}

/// apimachinery `IsDNS1035Label`.
pub(crate) fn dns1035_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push(max_len(63));
    }
    if !label_like(value, |c| c.is_ascii_lowercase(), is_alnum_lower, dns_inner) {
        errs.push(regex_error(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
            "[a-z]([-a-z0-9]*[a-z0-9])?",
            &["my-name", "abc-123"],
        ));
    }
    errs
}

/// apimachinery `IsPathSegmentName` (RBAC object names).
pub(crate) fn path_segment_name(value: &str) -> Vec<String> {
    if value == "." || value == ".." {
        return vec![format!("may not be '{value}'")];
    }
    ["/", "%"]
        .into_iter()
        .filter(|bad| value.contains(bad))
        .map(|bad| format!("may not contain '{bad}'"))
        .collect()
}

fn label_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

fn label_name_ok(name: &str) -> bool {
    label_like(name, any, |c| c.is_ascii_alphanumeric(), label_key_char)
}

const LABEL_KEY_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_KEY_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";

/// apimachinery `IsQualifiedName` (label keys, annotation keys lowercased).
pub(crate) fn qualified_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_owned());
            } else {
                errs.extend(
                    dns1123_subdomain(prefix)
                        .into_iter()
                        .map(|m| format!("prefix part {m}")),
                );
            }
            name
        }
        _ => {
            return vec![format!(
                "a valid label key {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(
                    LABEL_KEY_MSG,
                    LABEL_KEY_FMT,
                    &["MyName", "my.name", "123-abc"]
                )
            )];
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_owned());
    } else if name.len() > 63 {
        errs.push(format!("name part {}", max_len(63)));
    }
    if !label_name_ok(name) {
        errs.push(format!(
            "name part {}",
            regex_error(
                LABEL_KEY_MSG,
                LABEL_KEY_FMT,
                &["MyName", "my.name", "123-abc"]
            )
        ));
    }
    errs
}

/// apimachinery `IsValidLabelValue`.
pub(crate) fn label_value(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push(max_len(63));
    }
    if !value.is_empty() && !label_name_ok(value) {
        errs.push(regex_error(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
            "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?",
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// apimachinery `IsValidPortName` (an IANA service name).
pub(crate) fn port_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 15 {
        errs.push(max_len(15));
    }
    if value.is_empty() || !value.chars().all(|c| is_alnum_lower(c) || c == '-') {
        errs.push(
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_owned(),
        );
    }
    if !value.chars().any(|c| c.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)".to_owned());
    }
    if value.contains("--") {
        errs.push("must not contain consecutive hyphens".to_owned());
    }
    if value.starts_with('-') || value.ends_with('-') {
        errs.push("must not begin or end with a hyphen".to_owned());
    }
    errs
}

/// apimachinery `IsEnvVarName`, or `IsRelaxedEnvVarName` from 1.32 (the
/// `RelaxedEnvironmentVariableValidation` gate is on by default from 1.32,
/// GA in 1.34).
pub(crate) fn env_var_name(value: &str, relaxed: bool) -> Vec<String> {
    let mut errs = Vec::new();
    if relaxed {
        if value.is_empty() || !value.chars().all(|c| (' '..='~').contains(&c) && c != '=') {
            errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='".to_owned());
        }
    } else {
        let first_ok = value
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '-' | '.' | '_'));
        let rest_ok = value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
        if !(first_ok && rest_ok) {
            errs.push(regex_error(
                "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
                "[-._a-zA-Z][-._a-zA-Z0-9]*",
                &["my.env-name", "MY_ENV.NAME", "MyEnvName1"],
            ));
        }
    }
    match value {
        "." => errs.push("must not be '.'".to_owned()),
        ".." => errs.push("must not be '..'".to_owned()),
        v if v.starts_with("..") => errs.push("must not start with '..'".to_owned()),
        _ => {}
    }
    errs
}

/// The first error of `check` on the string at `node`, as a finding message.
fn first_error(node: Value<'_>, path: &str, check: impl Fn(&str) -> Vec<String>) -> Option<String> {
    let text = k8s_str(node)?;
    let errors = check(text);
    (!errors.is_empty()).then(|| invalid(path, text, &errors.join(", ")))
}

/// The pod template's `spec` path of a workload, as the server prints it.
fn pod_spec_path(object: &ObjectView<'_>) -> &'static str {
    match object.kind() {
        "Pod" => "spec",
        "CronJob" => "spec.jobTemplate.spec.template.spec",
        "PodTemplate" => "template.spec",
        _ => "spec.template.spec",
    }
}

/// A Kubernetes quantity (`500m`, `1Gi`, `2e3`) as a number, for comparing
/// requests with limits; `None` when it is not one (`SCHEMA001` reports it).
fn quantity(text: &str) -> Option<f64> {
    const SUFFIXES: &[(&str, f64)] = &[
        ("Ki", 1024.0),
        ("Mi", 1_048_576.0),
        ("Gi", 1_073_741_824.0),
        ("Ti", 1_099_511_627_776.0),
        ("Pi", 1_125_899_906_842_624.0),
        ("Ei", 1_152_921_504_606_846_976.0),
        ("n", 1e-9),
        ("u", 1e-6),
        ("m", 1e-3),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("E", 1e18),
    ];
    let text = text.trim();
    for (suffix, factor) in SUFFIXES {
        if let Some(number) = text.strip_suffix(suffix) {
            return number.parse::<f64>().ok().map(|n| n * factor);
        }
    }
    text.parse::<f64>().ok()
}

/// Every node at `path` under `root` (`*` steps into each item of a
/// sequence), with its path as the server prints it (`base.a[0].b`).
fn nodes_at<'t>(root: Value<'t>, base: &str, path: &[&str]) -> Vec<(Value<'t>, String)> {
    let mut current = vec![(root, base.to_owned())];
    for step in path {
        let mut next = Vec::new();
        for (node, at) in current {
            if *step == "*" {
                for (i, item) in node.items().enumerate() {
                    next.push((item, format!("{at}[{i}]")));
                }
            } else if let Some(child) = node.get(step) {
                let at = if at.is_empty() {
                    (*step).to_owned()
                } else {
                    format!("{at}.{step}")
                };
                next.push((child, at));
            }
        }
        current = next;
    }
    current
}

/// Objects of the built-in groups this pack knows: a custom resource may
/// reuse a kind name (`kind: Service` of some operator).
fn is_builtin(object: &ObjectView<'_>) -> bool {
    let group = object
        .object
        .api_version
        .rsplit_once('/')
        .map_or("", |(g, _)| g);
    matches!(
        group,
        "" | "apps" | "batch" | "networking.k8s.io" | "policy" | "autoscaling"
    )
}
