use super::{MOVE_TO_SECRET, Site, detect_named, report};
use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ContainerView;

declare_rule! {
    /// A container environment variable holds a credential as a literal value
    ///
    /// ## What it checks
    /// Every `env[].value` of every container, init container and ephemeral
    /// container of a Kubernetes workload. It reports a value that:
    /// - contains a credential of a known format: AWS access key id, GitHub,
    ///   GitLab, Slack, Stripe live, Google API, npm or PyPI token, a JSON Web
    ///   Token (its header must decode to JSON with `alg`), a PEM private key;
    /// - contains a password in a connection URL (`postgres://app:pw@db/app`);
    /// - sits under a name that says it is a secret. Password names
    ///   (`*PASSWORD*`, `*PASSWD*`, `*_PASS`, `*_PWD`) count with any literal
    ///   value, even a weak one like `changeme`; token, secret, API key,
    ///   private key and credential names (`*_TOKEN`, `*SECRET*`, `API_KEY`,
    ///   `*_APIKEY`, `PRIVATE_KEY`, `*CREDENTIALS*`) only when the value looks
    ///   generated: 10 characters or more, Shannon entropy of at least 3 bits
    ///   per character, and not a lowercase resource name or path.
    ///
    /// Never reported: names about something else (`PASSWORD_FILE`,
    /// `TOKEN_TTL`, `SECRET_NAME`, `PASSWORD_MIN_LENGTH`, `*_PATH`,
    /// `*_ENABLED`, `*_URL` without a password …), values that are flags,
    /// numbers, durations or paths (`true`, `3600`, `/run/secrets/db`),
    /// `$(VAR)` / `${VAR}` references, template markers (`{{ … }}`, `<token>`,
    /// `REPLACE_ME`, `xxxx`), Stripe test keys, and `valueFrom` (see SEC005).
    /// The value is never printed: the message shows a redacted form such as
    /// `AKIA****… (20 chars)` and reporters mask the source line.
    ///
    /// ## Why it matters
    /// A literal in a manifest is readable by everyone with access to the
    /// repository, its history and every copy of the deliverable, by anyone who
    /// can read the Deployment (`get`, `describe`, audit logs, `kubectl.kubernetes.io/last-applied-configuration`),
    /// and by every process in the container through `/proc/PID/environ`.
    /// Rotating it means a new commit and a redeploy.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: registry.example.com/web:1.4.2
    ///           env:
    ///             - name: DB_PASSWORD
    ///               value: "not-a-real-password"
    /// ```
    ///
    /// ## Fix
    /// Keep the value in a Secret created outside the deliverable (External
    /// Secrets Operator, Sealed Secrets, SOPS) and mount it as a file:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: registry.example.com/web:1.4.2
    ///           env:
    ///             - name: DB_PASSWORD_FILE
    ///               value: /run/secrets/db/password
    ///           volumeMounts:
    ///             - name: db
    ///               mountPath: /run/secrets/db
    ///               readOnly: true
    ///       volumes:
    ///         - name: db
    ///           secret:
    ///             secretName: web-db
    /// ```
    ///
    /// ## References
    /// - Kubernetes, Good practices for Kubernetes Secrets: https://kubernetes.io/docs/concepts/security/secrets-good-practices/
    /// - OWASP Secrets Management Cheat Sheet: https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html
    /// - gitleaks rule set (token formats): https://github.com/gitleaks/gitleaks/blob/master/config/gitleaks.toml
    pub(crate) struct SecretInEnv {
        id: "SEC001",
        name: "secret-in-env",
        severity: Error,
        scope: Scope::Container,
        fix: Never,
        since: "0.1.0",
    }
}

impl Rule for SecretInEnv {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(
        &self,
        _ctx: &Context<'_>,
        container: &ContainerView<'_>,
        out: &mut Findings<'_>,
    ) {
        let file = container.object.file;
        for env in container.env() {
            let Some(node) = env.value else {
                continue;
            };
            let Some(value) = node.as_str() else {
                continue;
            };
            let Some(found) = detect_named(env.name, value) else {
                continue;
            };
            let subject = format!(
                "env `{}` of {}",
                env.name.unwrap_or("<unnamed>"),
                container.describe()
            );
            report(
                out,
                Site::new(file.id, &file.text, node, value),
                &found,
                &subject,
                Some(container.owner()),
                MOVE_TO_SECRET,
            );
        }
    }
}
