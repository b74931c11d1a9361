use super::detect::TokenKind;
use super::{Detection, MOVE_TO_SECRET, Site, detect_formats, detect_named, report};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::{DocClass, DocInfo, ObjectView, SourceFile};
use assay_yaml::{NodeId, Value};

declare_rule! {
    /// A YAML string anywhere holds a credential of a known format
    ///
    /// ## What it checks
    /// Every string value of every document, whatever the document is —
    /// compose files, OpenAPI, etcd configuration, unrecognised YAML, and the
    /// parts of Kubernetes objects that the other `SEC` rules do not cover
    /// (`command`, `args`, CRD specs, …). It reports values that contain a
    /// credential of a known format — AWS access key id, GitHub (classic and
    /// fine-grained), GitLab, Slack (tokens and webhook URLs), Stripe live,
    /// Google API, npm and PyPI tokens, JSON Web Tokens whose header decodes to
    /// JSON with `alg`, PEM private keys — and passwords in connection URLs
    /// (`scheme://user:password@host`). Names are not used here, except in
    /// compose `services.*.environment` and `services.*.build.args` (map and
    /// `KEY=value` list forms), where
    /// a literal under a secret-looking name is reported with the rules of
    /// SEC001.
    ///
    /// To report each value once, this rule skips what SEC001 (container
    /// `env[].value`), SEC002 (annotations, ConfigMap `data`/`binaryData`) and
    /// SEC004 (Secret `data`/`stringData`) check. Keys and aliases are not
    /// searched; an anchored value is searched where it is written.
    ///
    /// ## Why it matters
    /// These formats are issued by the vendors as credentials: a match is
    /// almost never a false alarm, and whoever reads the file (the repository,
    /// its history, every copy of the deliverable) can use it. Secret scanners
    /// such as GitHub push protection and gitleaks look for the same formats.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// services:
    ///   api:
    ///     image: registry.example.com/api:2.0.1
    ///     command: ["api", "--database", "postgres://api:not-a-real-password@db:5432/api"]
    /// ```
    ///
    /// ## Fix
    /// Pass the credential as a compose secret, a file the service reads:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: registry.example.com/api:2.0.1
    ///     command: ["api", "--database-password-file", "/run/secrets/db_password"]
    ///     secrets:
    ///       - db_password
    /// secrets:
    ///   db_password:
    ///     file: ./db_password.txt
    /// ```
    ///
    /// ## References
    /// - gitleaks rule set (token formats): https://github.com/gitleaks/gitleaks/blob/master/config/gitleaks.toml
    /// - GitHub, Supported secret scanning patterns: https://docs.github.com/en/code-security/secret-scanning/introduction/supported-secret-scanning-patterns
    /// - Docker, Manage secrets securely in Docker Compose: https://docs.docker.com/compose/how-tos/use-secrets/
    pub(crate) struct CredentialInYaml {
        id: "SEC003",
        name: "credential-in-yaml",
        severity: Error,
        scope: Scope::Document(&[]),
        fix: Never,
        since: "0.1.0",
    }
}

/// The Kubernetes objects of one document. `Model::build` lists objects in
/// file and document order, so they are found by binary search.
fn objects_of<'m>(ctx: &Context<'m>, file: &SourceFile, doc: &DocInfo) -> Vec<ObjectView<'m>> {
    if !matches!(doc.class, DocClass::Kubernetes | DocClass::KubernetesList) {
        return Vec::new();
    }
    let all = &ctx.model.objects;
    let key = (file.id, doc.index);
    let start = all.partition_point(|o| (o.file, o.doc) < key);
    let end = all.partition_point(|o| (o.file, o.doc) <= key);
    all.get(start..end)
        .unwrap_or_default()
        .iter()
        .filter(|o| (o.file, o.doc) == key)
        .filter_map(|o| ObjectView::new(ctx.model, o))
        .collect()
}

/// The nodes other `SEC` rules check in the Kubernetes objects of a document.
fn covered_nodes(objects: &[ObjectView<'_>]) -> Vec<NodeId> {
    let mut out = Vec::new();
    for object in objects {
        let mut push = |v: Option<Value<'_>>| out.extend(v.map(Value::id));
        push(object.metadata().and_then(|m| m.get("annotations")));
        push(object.pod_metadata().and_then(|m| m.get("annotations")));
        match object.kind() {
            "ConfigMap" => {
                push(object.root.get("data"));
                push(object.root.get("binaryData"));
            }
            "Secret" => {
                push(object.root.get("data"));
                push(object.root.get("stringData"));
            }
            _ => {}
        }
        for container in object.containers() {
            for env in container.env() {
                push(env.value);
            }
        }
    }
    out
}

/// Compose `services.*.environment` and `services.*.build.args` values,
/// checked with names.
fn check_compose_environment(
    file: &SourceFile,
    root: Value<'_>,
    covered: &mut Vec<NodeId>,
    out: &mut Findings<'_>,
) {
    for (service, spec) in root.get("services").into_iter().flat_map(Value::entries) {
        let service = service.as_str().unwrap_or("<unnamed>");
        let sections = [
            ("environment", spec.get("environment")),
            ("build arg", spec.path(&["build", "args"])),
        ];
        for (what, section) in sections {
            let Some(section) = section else {
                continue;
            };
            covered.push(section.id());
            for (key, node) in section.entries() {
                let (Some(name), Some(value)) = (key.as_str(), node.as_str()) else {
                    continue;
                };
                if let Some(found) = detect_named(Some(name), value) {
                    let subject = format!("{what} `{name}` of compose service `{service}`");
                    let site = Site::new(file.id, &file.text, node, value);
                    report(out, site, &found, &subject, None, MOVE_TO_SECRET);
                }
            }
            for node in section.items() {
                let Some(item) = node.as_str() else {
                    continue;
                };
                let Some((name, value)) = item.split_once('=') else {
                    continue;
                };
                if let Some(found) = detect_named(Some(name), value) {
                    let subject = format!("{what} `{name}` of compose service `{service}`");
                    let mut site = Site::new(file.id, &file.text, node, value);
                    site.scalar = item;
                    site.base = name.len() + 1;
                    report(out, site, &found, &subject, None, MOVE_TO_SECRET);
                }
            }
        }
    }
}

impl Rule for CredentialInYaml {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_document(
        &self,
        ctx: &Context<'_>,
        file: &SourceFile,
        doc: &DocInfo,
        out: &mut Findings<'_>,
    ) {
        let root = file.tree.value(doc.root);
        let objects = objects_of(ctx, file, doc);
        let mut covered = covered_nodes(&objects);
        if doc.class == DocClass::Compose {
            check_compose_environment(file, root, &mut covered, out);
        }
        // Paths are only needed for findings: keep each node's parent and
        // segment in a trail and spell the path out on demand.
        let mut trail: Vec<(Option<usize>, Segment<'_>)> = Vec::new();
        let mut stack: Vec<(Value<'_>, Option<usize>)> = vec![(root, None)];
        while let Some((node, at)) = stack.pop() {
            if node.is_alias() || covered.contains(&node.id()) {
                continue;
            }
            if node.is_mapping() {
                for (key, value) in node.entries() {
                    trail.push((at, Segment::Key(key.as_str().unwrap_or("?"))));
                    stack.push((value, Some(trail.len() - 1)));
                }
            } else if node.is_sequence() {
                for (index, item) in node.items().enumerate() {
                    trail.push((at, Segment::Index(index)));
                    stack.push((item, Some(trail.len() - 1)));
                }
            } else if let Some(value) = node.as_str() {
                let Some(found) = detect_formats(value) else {
                    continue;
                };
                let owner = objects
                    .iter()
                    .find(|o| o.root.span().contains(&node.span()))
                    .map(ObjectView::display);
                let path = spell_path(&trail, at);
                let subject = if path.is_empty() {
                    "document value".to_owned()
                } else {
                    format!("`{path}`")
                };
                let site = Site::new(file.id, &file.text, node, value);
                report_found(out, site, &found, &subject, owner);
            }
        }
    }
}

/// One step from a node to its child.
#[derive(Clone, Copy)]
enum Segment<'t> {
    Key(&'t str),
    Index(usize),
}

/// `spec.containers[0].args[1]` for the node whose trail entry is `at`.
fn spell_path(trail: &[(Option<usize>, Segment<'_>)], mut at: Option<usize>) -> String {
    let mut segments = Vec::new();
    while let Some(&(parent, segment)) = at.and_then(|i| trail.get(i)) {
        segments.push(segment);
        at = parent;
    }
    let mut path = String::new();
    for segment in segments.into_iter().rev() {
        match segment {
            Segment::Key(key) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Segment::Index(index) => path.push_str(&format!("[{index}]")),
        }
    }
    path
}

fn report_found(
    out: &mut Findings<'_>,
    site: Site<'_>,
    found: &Detection,
    subject: &str,
    owner: Option<String>,
) {
    let fix = if found.label == TokenKind::UrlPassword.label() {
        "rotate the password and take it out of the URL: pass it as a secret file or an environment variable the deployment fills from a secret store"
    } else {
        "rotate the credential (it is in version control now) and pass it at deploy time from a secret store (a mounted secret file, External Secrets, Sealed Secrets, SOPS)"
    };
    report(out, site, found, subject, owner, fix);
}
