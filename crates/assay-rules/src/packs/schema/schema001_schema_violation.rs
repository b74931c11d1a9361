use super::{Target, target};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ObjectView;

declare_rule! {
    /// A field that does not match the Kubernetes schema of its kind
    ///
    /// ## What it checks
    /// Every Kubernetes object against the OpenAPI schema of its kind in the
    /// target Kubernetes version (`--kubernetes-version`, default the newest
    /// bundled; schemas of 1.25 to 1.37 are built in): types, required fields,
    /// enums, `int-or-string` fields, resource quantities (`500m`, `1Gi`,
    /// `1e3`), and unknown fields, as the API server's strict field validation
    /// rejects them. Custom resources are checked against the
    /// `openAPIV3Schema` of their CustomResourceDefinition, from the input or
    /// from `--crds` or the `crds:` list of `.assay.yaml` (with
    /// `x-kubernetes-int-or-string`, `x-kubernetes-preserve-unknown-fields`
    /// and `x-kubernetes-embedded-resource`), including their value
    /// validations: `pattern` (Go RE2 syntax; a pattern that does not compile
    /// here is skipped), `minimum` / `maximum` (and `exclusiveMinimum` /
    /// `exclusiveMaximum`), `multipleOf`, `minLength` / `maxLength` (in
    /// characters), `minItems` / `maxItems`, `uniqueItems`,
    /// `minProperties` / `maxProperties`, `allOf` / `anyOf` / `oneOf` /
    /// `not`, `nullable`, duplicate items of an `x-kubernetes-list-type: set`
    /// and duplicate keys of an `x-kubernetes-list-type: map`, and the string
    /// formats the API server checks (`uuid`, `uuid3/4/5`, `hostname`,
    /// `ipv4`, `ipv6`, `cidr`, `mac`, `date`, `date-time`, `duration`, `byte`,
    /// `bsonobjectid`, `hexcolor`; `email`, `uri`, `isbn`, `creditcard`,
    /// `ssn` and `rgbcolor` are not checked, nor unknown formats). Built-in
    /// `byte` fields (Secret `data`) must be base64, `date-time` fields RFC 3339.
    /// `x-kubernetes-validations` (CEL rules) cannot be evaluated here and
    /// are not checked; `default` values are not validated, but a field with
    /// a default counts as set (the API server defaults before it validates).
    ///
    /// Scalars are read as Kubernetes reads them (YAML 1.1): `on` is a
    /// boolean, `1.0` a number, a quoted value always a string. `null` means
    /// "not set" (except for a required field). Of duplicate keys the last
    /// one counts, as in Kubernetes (`YAML002` reports the duplicate itself).
    /// Each finding names the JSON path, what was expected and what was found;
    /// at most 20 are reported per object. Scalars that `YAML006` (a YAML 1.1
    /// boolean or number in a string field) or `YAML007` (a quoted number in
    /// a port or count field) already report are not reported twice.
    ///
    /// ## Why it matters
    /// The API server rejects the whole object: `kubectl apply` fails with
    /// "strict decoding error: unknown field" or "cannot unmarshal string into
    /// Go struct field", usually in the middle of a rollout. A misspelt
    /// optional field (`imagePullPolicyy`, `readinessprobe`) is worse with
    /// lenient clients: it is dropped silently and the setting never applies.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: two
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    ///
    /// ## Fix
    /// Write the value with the type the schema wants:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 2
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    ///
    /// ## References
    /// - Kubernetes API reference: https://kubernetes.io/docs/reference/kubernetes-api/
    /// - Field validation (`Strict`): https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
    /// - Quantity format: https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
    /// - CRD validation: https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation
    /// - Schemas bundled from kubernetes-validate: https://github.com/willthames/kubernetes-validate
    pub(crate) struct SchemaViolation {
        id: "SCHEMA001",
        name: "schema-violation",
        severity: Error,
        scope: Scope::Object(&[]),
        fix: Sometimes,
        since: "0.1.0",
    }
}

/// Errors the `YAML` pack already reports on the same node, with a better
/// explanation: YAML006 (a YAML 1.1 boolean or number in a string field) and
/// YAML007 (a quoted number in a port or count field).
fn left_to_yaml_pack(error: &assay_schema::SchemaError) -> bool {
    let parent = error.parent.as_str();
    let field = error.field.as_str();
    let yaml006 = error.yaml11_non_string
        && (matches!(
            parent,
            "labels" | "annotations" | "nodeSelector" | "command" | "args" | "data" | "stringData"
        ) || (field == "value" && parent == "env"));
    let yaml007 = error.quoted_number
        && matches!(
            field,
            "replicas"
                | "containerPort"
                | "hostPort"
                | "port"
                | "nodePort"
                | "targetPort"
                | "terminationGracePeriodSeconds"
        );
    yaml006 || yaml007
}

impl Rule for SchemaViolation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, ctx: &Context<'_>, object: &ObjectView<'_>, out: &mut Findings<'_>) {
        let anchor = object.anchor();
        let (defs, schema, what) = match target(ctx, object) {
            Target::BuiltIn(defs, schema) => (defs, schema, format!("Kubernetes {}", defs.name())),
            Target::Custom(defs, schema) => {
                (defs, schema, "its CustomResourceDefinition".to_owned())
            }
            _ => return,
        };
        let validation = assay_schema::validate(object.root, schema, Some(defs), anchor.span);
        for error in validation
            .errors
            .into_iter()
            .filter(|e| !left_to_yaml_pack(e))
        {
            let mut finding = out
                .at(
                    object.at(error.span),
                    format!("{}: {}", error.path, error.message),
                )
                .object(object.display());
            if let Some(fix) = error.fix {
                finding = finding.fix(fix);
            }
            if error.sensitive {
                finding = finding.secret(object.at(error.span));
            }
            out.push(finding);
        }
        if validation.truncated {
            let finding = out
                .at(
                    anchor,
                    format!(
                        "more than {} fields do not match the schema of {what}; only the first {} are shown",
                        assay_schema::MAX_ERRORS,
                        assay_schema::MAX_ERRORS
                    ),
                )
                .object(object.display());
            out.push(finding);
        }
    }
}
