//! What the deliverable's Roles and ClusterRoles grant, evaluated the way
//! the API server's RBAC authorizer evaluates a request
//! (`pkg/apis/rbac/v1/evaluation_helpers.go` of kubernetes/kubernetes), and
//! the ClusterRole aggregation controller's union of `aggregationRule`
//! selections (`pkg/controller/clusterroleaggregation`). Shared by the `RBAC`
//! and `SA` packs.

use assay_diagnostics::code;
use assay_model::{LabelSelector, Model, ObjectView, RbacView, labels_of};
use assay_yaml::Value;

/// How deep aggregated ClusterRoles may nest (a role aggregating roles that
/// aggregate roles …); deeper chains stop resolving.
const MAX_AGGREGATION_DEPTH: usize = 8;

/// One entry of a role's `rules`, where it is written.
#[derive(Clone, Debug)]
pub(crate) struct PolicyRule<'m> {
    /// The Role or ClusterRole that writes it (for an aggregated ClusterRole,
    /// the ClusterRole it was aggregated from).
    pub(crate) role: ObjectView<'m>,
    /// The `rules[]` entry.
    pub(crate) node: Value<'m>,
    verbs: Vec<Value<'m>>,
    api_groups: Vec<Value<'m>>,
    resources: Vec<Value<'m>>,
    resource_names: Vec<&'m str>,
    non_resource_urls: Vec<Value<'m>>,
}

/// The nodes of one rule that grant a verb on a resource.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Grant<'r, 'm> {
    pub(crate) rule: &'r PolicyRule<'m>,
    /// The verb as requested (`get`), not as written (`*`).
    pub(crate) verb: &'static str,
    pub(crate) resource: &'static str,
    /// The `resources` item that matched.
    pub(crate) resource_node: Value<'m>,
}

impl Grant<'_, '_> {
    /// Line of the `rules[]` entry, 1-based.
    pub(crate) fn line(&self) -> u32 {
        self.rule.node.span().start.line
    }
}

fn strings<'m>(node: Value<'m>, key: &str) -> Vec<Value<'m>> {
    node.get(key)
        .into_iter()
        .flat_map(Value::items)
        .filter(|v| v.as_str().is_some())
        .collect()
}

impl<'m> PolicyRule<'m> {
    fn read(role: ObjectView<'m>, node: Value<'m>) -> Self {
        Self {
            role,
            node,
            verbs: strings(node, "verbs"),
            api_groups: strings(node, "apiGroups"),
            resources: strings(node, "resources"),
            resource_names: strings(node, "resourceNames")
                .into_iter()
                .filter_map(Value::as_str)
                .collect(),
            non_resource_urls: strings(node, "nonResourceURLs"),
        }
    }

    /// `resourceNames`: when not empty the rule grants only these objects.
    pub(crate) fn resource_names(&self) -> &[&'m str] {
        &self.resource_names
    }

    /// Whether `verbs` grants `verb` (`VerbMatches`).
    fn grants_verb(&self, verb: &str) -> bool {
        self.verbs
            .iter()
            .any(|v| matches!(v.as_str(), Some(w) if w == "*" || w == verb))
    }

    /// The `resources` item granting `resource` (`pods` or `pods/exec`) of
    /// `group` (`APIGroupMatches`, `ResourceMatches`: `*`, the exact
    /// resource, or `*/exec` for any resource's subresource).
    fn resource_node(&self, group: &str, resource: &str) -> Option<Value<'m>> {
        let group_matches = self
            .api_groups
            .iter()
            .any(|g| matches!(g.as_str(), Some(g) if g == "*" || g == group));
        if !group_matches {
            return None;
        }
        let subresource = resource.split_once('/').map(|(_, sub)| sub);
        self.resources
            .iter()
            .find(|r| match r.as_str() {
                Some("*") => true,
                Some(r) if r == resource => true,
                Some(r) => r.strip_prefix("*/").is_some_and(|s| Some(s) == subresource),
                None => false,
            })
            .copied()
    }

    /// Whether this rule grants `verb` on `group`/`resource`.
    pub(crate) fn grant(
        &self,
        verb: &'static str,
        group: &str,
        resource: &'static str,
    ) -> Option<Grant<'_, 'm>> {
        if !self.grants_verb(verb) {
            return None;
        }
        Some(Grant {
            resource_node: self.resource_node(group, resource)?,
            rule: self,
            verb,
            resource,
        })
    }

    /// The `*` items of `verbs`, `resources`, `apiGroups` and
    /// `nonResourceURLs`, with the field name.
    pub(crate) fn wildcards(&self) -> Vec<(&'static str, Value<'m>)> {
        [
            ("verbs", &self.verbs),
            ("resources", &self.resources),
            ("apiGroups", &self.api_groups),
            ("nonResourceURLs", &self.non_resource_urls),
        ]
        .into_iter()
        .flat_map(|(field, items)| {
            items
                .iter()
                .filter(|v| v.as_str() == Some("*"))
                .map(move |v| (field, *v))
        })
        .collect()
    }

    /// Whether the rule has `*` in `verbs`, `resources` and `apiGroups`:
    /// everything `cluster-admin` grants on resources. `RBAC001` reports
    /// such a rule once, as an error, instead of every rule that looks for
    /// one of the rights it includes.
    pub(crate) fn grants_everything(&self) -> bool {
        let wildcards = self.wildcards();
        ["verbs", "resources", "apiGroups"]
            .iter()
            .all(|field| wildcards.iter().any(|(f, _)| f == field))
    }

    /// `resources` items that name cluster-scoped resources, and the
    /// `nonResourceURLs` items: what a RoleBinding cannot grant.
    pub(crate) fn cluster_scoped_items(&self) -> Vec<Value<'m>> {
        self.resources
            .iter()
            .filter(|r| {
                r.as_str().is_some_and(|r| {
                    CLUSTER_SCOPED_RESOURCES.contains(&r.split('/').next().unwrap_or(r))
                })
            })
            .chain(&self.non_resource_urls)
            .copied()
            .collect()
    }
}

/// Cluster-scoped resources of the built-in API groups (`kubectl
/// api-resources --namespaced=false`, Kubernetes 1.33).
const CLUSTER_SCOPED_RESOURCES: &[&str] = &[
    "namespaces",
    "nodes",
    "persistentvolumes",
    "componentstatuses",
    "mutatingwebhookconfigurations",
    "validatingwebhookconfigurations",
    "validatingadmissionpolicies",
    "validatingadmissionpolicybindings",
    "mutatingadmissionpolicies",
    "mutatingadmissionpolicybindings",
    "customresourcedefinitions",
    "apiservices",
    "tokenreviews",
    "selfsubjectaccessreviews",
    "selfsubjectrulesreviews",
    "selfsubjectreviews",
    "subjectaccessreviews",
    "certificatesigningrequests",
    "clustertrustbundles",
    "flowschemas",
    "prioritylevelconfigurations",
    "ingressclasses",
    "runtimeclasses",
    "clusterrolebindings",
    "clusterroles",
    "priorityclasses",
    "csidrivers",
    "csinodes",
    "storageclasses",
    "volumeattachments",
    "volumeattributesclasses",
    "deviceclasses",
    "resourceslices",
];

/// The rules a Role or ClusterRole grants: its own `rules`, or for a
/// ClusterRole with an `aggregationRule`, the union of the rules of every
/// ClusterRole of the deliverable its `clusterRoleSelectors` select (the
/// aggregation controller overwrites the aggregated role's own `rules`).
pub(crate) fn effective_rules<'m>(model: &'m Model, role: ObjectView<'m>) -> Vec<PolicyRule<'m>> {
    let mut out = Vec::new();
    let mut visited = vec![role.object as *const _];
    collect_rules(model, role, 0, &mut visited, &mut out);
    out
}

/// The rules written in a Role or ClusterRole itself.
pub(crate) fn own_rules(view: RbacView<'_>) -> Vec<PolicyRule<'_>> {
    view.rules()
        .into_iter()
        .map(|r| PolicyRule::read(view.object, r))
        .collect()
}

/// `clusterRoleSelectors` of an aggregated ClusterRole, or `None`.
pub(crate) fn aggregation_selectors<'m>(role: &ObjectView<'m>) -> Option<Vec<LabelSelector<'m>>> {
    if role.kind() != "ClusterRole" {
        return None;
    }
    let selectors = role
        .root
        .path(&["aggregationRule", "clusterRoleSelectors"])?;
    Some(
        selectors
            .items()
            .filter(|s| s.is_mapping())
            .map(LabelSelector::from_label_selector)
            .collect(),
    )
}

fn collect_rules<'m>(
    model: &'m Model,
    role: ObjectView<'m>,
    depth: usize,
    visited: &mut Vec<*const assay_model::Object>,
    out: &mut Vec<PolicyRule<'m>>,
) {
    let Some(selectors) = aggregation_selectors(&role) else {
        if let Some(view) = RbacView::new(role) {
            out.extend(own_rules(view));
        }
        return;
    };
    if depth >= MAX_AGGREGATION_DEPTH {
        return;
    }
    for &i in model.index.of_kind("ClusterRole") {
        let Some(candidate) = model.objects.get(i).and_then(|o| ObjectView::new(model, o)) else {
            continue;
        };
        let labels = labels_of(candidate.metadata());
        if visited.contains(&(candidate.object as *const _))
            || !selectors.iter().any(|s| s.matches(&labels))
        {
            continue;
        }
        visited.push(candidate.object as *const _);
        collect_rules(model, candidate, depth + 1, visited, out);
    }
}

/// The Role or ClusterRole a binding's `roleRef` names, when the deliverable
/// has it (a RoleBinding's Role is looked up in the binding's namespace).
pub(crate) fn bound_role<'m>(model: &'m Model, binding: &ObjectView<'m>) -> Option<ObjectView<'m>> {
    let (kind, name) = RbacView::new(*binding)?.role_ref()?;
    let namespace = match kind {
        "Role" => binding.object.namespace.as_deref().unwrap_or_default(),
        "ClusterRole" => "",
        _ => return None,
    };
    let i = model
        .index
        .find(kind, namespace, name)
        .or_else(|| model.index.find(kind, "", name))?;
    ObjectView::new(model, model.objects.get(i)?)
}

/// A risky permission: any of `verbs` on any of `resources` of `group`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Permission {
    pub(crate) verbs: &'static [&'static str],
    pub(crate) group: &'static str,
    pub(crate) resources: &'static [&'static str],
}

/// Every grant of `permission` among `rules`, in rule order.
pub(crate) fn grants_of<'r, 'm>(
    rules: &'r [PolicyRule<'m>],
    permission: Permission,
) -> Vec<Grant<'r, 'm>> {
    let mut out = Vec::new();
    for rule in rules {
        for &resource in permission.resources {
            for &verb in permission.verbs {
                if let Some(grant) = rule.grant(verb, permission.group, resource) {
                    out.push(grant);
                }
            }
        }
    }
    out
}

/// `` `get`, `list` `` of the distinct verbs (or resources) of `grants`.
pub(crate) fn list_of<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for item in items {
        if !seen.contains(&item) {
            seen.push(item);
        }
    }
    seen.iter()
        .map(|s| code(s).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `grants` come from several `rules[]` entries, and then the
/// sentence that says which lines combine (`, granted together by the rules
/// at lines 12 and 20`).
pub(crate) fn combined_lines(grants: &[Grant<'_, '_>]) -> String {
    let mut lines: Vec<(usize, u32)> = Vec::new();
    for g in grants {
        let key = (g.rule.role.object as *const _ as usize, g.line());
        if !lines.contains(&key) {
            lines.push(key);
        }
    }
    if lines.len() < 2 {
        return String::new();
    }
    let numbers: Vec<String> = lines.iter().map(|(_, l)| l.to_string()).collect();
    let (last, rest) = numbers
        .split_last()
        .map_or(("", &[][..]), |(l, r)| (l.as_str(), r));
    format!(
        ", granted together by the rules at lines {} and {last}",
        rest.join(", ")
    )
}

/// The labels of a role finding: one on every contributing `resources`
/// item other than the primary node (for an aggregated ClusterRole, on
/// every item, in the ClusterRoles it draws from).
pub(crate) fn locate<'m>(
    role: &ObjectView<'m>,
    primary: Value<'m>,
    grants: &[Grant<'_, 'm>],
    mut finding: assay_diagnostics::Finding,
) -> assay_diagnostics::Finding {
    let aggregated = aggregation_selectors(role).is_some();
    let same =
        |a: Value<'_>, b: Value<'_>| a.span() == b.span() && std::ptr::eq(a.tree(), b.tree());
    let mut labelled: Vec<Value<'m>> = vec![primary];
    for g in grants {
        if labelled.iter().any(|n| same(*n, g.resource_node)) {
            continue;
        }
        labelled.push(g.resource_node);
        let from = if aggregated {
            format!(" (aggregated from {})", g.rule.role.display())
        } else {
            String::new()
        };
        finding = finding.label(
            g.rule.role.at(g.resource_node.span()),
            format!("grants {} on {}{from}", code(g.verb), code(g.resource)),
        );
    }
    finding
}

/// `` `default` `` for the ServiceAccount and the namespace every cluster
/// has (a constant of Kubernetes, written as such: a secret value equal to
/// it elsewhere in the input would mask it), any other name quoted as an
/// input value.
pub(crate) fn name_text(name: &str) -> String {
    if name == "default" {
        "`default`".to_owned()
    } else {
        code(name).to_string()
    }
}

/// `` `get`, `list` on `secrets` `` for the grants, resources that share
/// their verbs written together (`` `create` on `pods`, `jobs` ``), groups
/// joined with "and".
pub(crate) fn grant_summary(grants: &[Grant<'_, '_>]) -> String {
    let mut by_resource: Vec<(&str, Vec<&str>)> = Vec::new();
    for g in grants {
        match by_resource.iter_mut().find(|(r, _)| *r == g.resource) {
            Some((_, verbs)) if !verbs.contains(&g.verb) => verbs.push(g.verb),
            Some(_) => {}
            None => by_resource.push((g.resource, vec![g.verb])),
        }
    }
    let mut groups: Vec<(Vec<&str>, Vec<&str>)> = Vec::new();
    for (resource, verbs) in by_resource {
        match groups.iter_mut().find(|(v, _)| *v == verbs) {
            Some((_, resources)) => resources.push(resource),
            None => groups.push((verbs, vec![resource])),
        }
    }
    groups
        .iter()
        .map(|(verbs, resources)| {
            format!(
                "{} on {}",
                list_of(verbs.iter().copied()),
                list_of(resources.iter().copied())
            )
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// The node a role finding points at: the first grant's resource item, or,
/// for an aggregated ClusterRole, its `aggregationRule`.
pub(crate) fn primary_node<'m>(
    role: &ObjectView<'m>,
    grants: &[Grant<'_, 'm>],
) -> Option<Value<'m>> {
    if aggregation_selectors(role).is_some() {
        return role.root.get("aggregationRule");
    }
    grants.first().map(|g| g.resource_node)
}

/// The kinds whose rules grant permissions.
pub(crate) const ROLE_KINDS: &[&str] = &["Role", "ClusterRole"];

/// Where a role's grants apply: `in namespace shop`, or cluster-wide for a
/// ClusterRole bound with a ClusterRoleBinding.
pub(crate) fn scope_of(role: &ObjectView<'_>) -> String {
    match (role.kind(), role.object.namespace.as_deref()) {
        ("Role", Some(ns)) => format!("in namespace {}", name_text(ns)),
        ("Role", None) => "in its namespace".to_owned(),
        _ => "cluster-wide when bound with a ClusterRoleBinding".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use assay_model::SourceFile;
    use assay_span::FileId;
    use assay_yaml::Limits;

    fn model(text: &str) -> Model {
        Model::build(vec![SourceFile::parse(
            FileId(0),
            "rbac.yaml".to_owned(),
            text.as_bytes(),
            &Limits::default(),
        )])
    }

    fn role_named<'m>(model: &'m Model, name: &str) -> ObjectView<'m> {
        model
            .object_views()
            .find(|o| o.object.name.as_deref() == Some(name))
            .unwrap()
    }

    #[test]
    fn matching_follows_the_authorizer() {
        let m = model(
            "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: r}\nrules:\n- apiGroups: ['']\n  resources: [pods, '*/exec']\n  verbs: [get]\n- apiGroups: ['*']\n  resources: ['*']\n  verbs: [list]\n",
        );
        let rules = effective_rules(&m, role_named(&m, "r"));
        assert_eq!(rules.len(), 2);
        assert!(rules[0].grant("get", "", "pods").is_some());
        assert!(rules[0].grant("get", "", "pods/exec").is_some());
        assert!(rules[0].grant("get", "", "pods/log").is_none());
        assert!(rules[0].grant("get", "apps", "pods").is_none());
        assert!(rules[0].grant("create", "", "pods").is_none());
        assert!(rules[1].grant("list", "apps", "deployments").is_some());
        assert!(rules[1].grant("list", "", "pods/exec").is_some());
    }

    #[test]
    fn aggregation_is_transitive_and_stops_at_cycles() {
        let m = model(
            "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: top}\naggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {agg: mid}\nrules: [{apiGroups: [''], resources: [ignored], verbs: [get]}]\n---\nkind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: mid, labels: {agg: mid}}\naggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {agg: leaf}\n---\nkind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: leaf, labels: {agg: leaf}}\nrules: [{apiGroups: [''], resources: [secrets], verbs: [get]}]\n---\nkind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: loop, labels: {agg: leaf}}\naggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {agg: leaf}\n",
        );
        let rules = effective_rules(&m, role_named(&m, "top"));
        let names: Vec<_> = rules
            .iter()
            .map(|r| r.role.object.name.as_deref().unwrap())
            .collect();
        assert_eq!(names, ["leaf"]);
        assert!(rules[0].grant("get", "", "secrets").is_some());
    }

    /// A chain of `length` aggregated ClusterRoles (`c0` selects `c1` …),
    /// the last one granting `get` on Secrets.
    fn chain(length: usize) -> String {
        let mut text = String::new();
        for i in 0..length {
            text.push_str(&format!(
                "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {{name: c{i}, labels: {{level: l{i}}}}}\naggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {{level: l{}}}\n---\n",
                i + 1
            ));
        }
        text.push_str(&format!(
            "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {{name: c{length}, labels: {{level: l{length}}}}}\nrules: [{{apiGroups: [''], resources: [secrets], verbs: [get]}}]\n"
        ));
        text
    }

    #[test]
    fn aggregation_depth_is_limited() {
        let m = model(&chain(MAX_AGGREGATION_DEPTH));
        assert_eq!(effective_rules(&m, role_named(&m, "c0")).len(), 1);
        let m = model(&chain(MAX_AGGREGATION_DEPTH + 1));
        assert!(effective_rules(&m, role_named(&m, "c0")).is_empty());
    }

    #[test]
    fn malformed_rules_grant_nothing() {
        let m = model(
            "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: r}\naggregationRule: {clusterRoleSelectors: oops}\n---\nkind: Role\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: q}\nrules:\n- verbs: get\n  resources: {secrets: 1}\n  apiGroups: [[''], 7]\n- just a string\n",
        );
        assert!(effective_rules(&m, role_named(&m, "r")).is_empty());
        let rules = effective_rules(&m, role_named(&m, "q"));
        assert!(
            rules
                .iter()
                .all(|r| r.grant("get", "", "secrets").is_none())
        );
    }

    #[test]
    fn lines_that_combine() {
        let m = model(
            "kind: Role\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: r}\nrules:\n- apiGroups: ['']\n  resources: [secrets]\n  verbs: [get]\n- apiGroups: ['']\n  resources: [secrets]\n  verbs: [list]\n",
        );
        let rules = effective_rules(&m, role_named(&m, "r"));
        let read = Permission {
            verbs: &["get", "list", "watch"],
            group: "",
            resources: &["secrets"],
        };
        let grants = grants_of(&rules, read);
        assert_eq!(grants.len(), 2);
        assert_eq!(
            combined_lines(&grants),
            ", granted together by the rules at lines 5 and 8"
        );
        assert_eq!(combined_lines(&grants[..1]), "");
    }
}
