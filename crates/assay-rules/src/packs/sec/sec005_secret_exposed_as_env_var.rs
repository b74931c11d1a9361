use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_model::ContainerView;
use assay_yaml::Value;

declare_rule! {
    /// A Secret is handed to a container as environment variables
    ///
    /// ## What it checks
    /// Container `env[].valueFrom.secretKeyRef` entries and `envFrom[].secretRef`
    /// entries, in every container, init container and ephemeral container of
    /// a Kubernetes workload. One finding per entry, at `secretKeyRef` /
    /// `secretRef`. This is advice (info), not an error: environment variables
    /// from a Secret are far better than literals (SEC001), and many images
    /// only read their configuration from the environment.
    ///
    /// ## Why it matters
    /// Environment variables are not a secret store: they are readable through
    /// `/proc/PID/environ` by anything running as the same user, inherited by
    /// every child process, written into crash dumps and core files, and often
    /// printed by debug endpoints, error reporters and `env` in support
    /// sessions. They also never change while the process runs, so a rotated
    /// Secret needs a restart. A Secret mounted as a read-only volume is a file
    /// only the container can read, updated in place on rotation.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    /// spec:
    ///   containers:
    ///     - name: api
    ///       image: registry.example.com/api:2.0.1
    ///       env:
    ///         - name: DB_PASSWORD
    ///           valueFrom:
    ///             secretKeyRef:
    ///               name: api-db
    ///               key: password
    /// ```
    ///
    /// ## Fix
    /// Mount the Secret read-only and point the application at the file:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    /// spec:
    ///   containers:
    ///     - name: api
    ///       image: registry.example.com/api:2.0.1
    ///       env:
    ///         - name: DB_PASSWORD_FILE
    ///           value: /run/secrets/api-db/password
    ///       volumeMounts:
    ///         - name: api-db
    ///           mountPath: /run/secrets/api-db
    ///           readOnly: true
    ///   volumes:
    ///     - name: api-db
    ///       secret:
    ///         secretName: api-db
    /// ```
    ///
    /// ## References
    /// - Kubernetes, Good practices for Kubernetes Secrets: https://kubernetes.io/docs/concepts/security/secrets-good-practices/
    /// - Kubernetes, Using Secrets as files from a Pod: https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod
    /// - OWASP Secrets Management Cheat Sheet (environment variables): https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html
    /// - proc(5), /proc/PID/environ: https://man7.org/linux/man-pages/man5/proc.5.html
    pub(crate) struct SecretExposedAsEnvVar {
        id: "SEC005",
        name: "secret-exposed-as-env-var",
        severity: Info,
        scope: Scope::Container,
        fix: Never,
        since: "0.1.0",
    }
}

const FIX: &str = "mount the Secret as a volume (`readOnly: true`) and have the application read the file (many images accept a `*_FILE` variable pointing at it)";

impl Rule for SecretExposedAsEnvVar {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(
        &self,
        _ctx: &Context<'_>,
        container: &ContainerView<'_>,
        out: &mut Findings<'_>,
    ) {
        for env in container.env() {
            let Some(reference) = env.secret_key_ref else {
                continue;
            };
            let at = env
                .node
                .get("valueFrom")
                .and_then(|v| v.entry("secretKeyRef"))
                .map_or(reference, |(key, _)| key);
            let secret = reference.get_str("name").unwrap_or("<unnamed>");
            let key = reference.get_str("key").unwrap_or("<no key>");
            let message = format!(
                "env `{}` of {} is read from Secret `{secret}` key `{key}`; environment variables leak through /proc/PID/environ, child processes and crash dumps",
                env.name.unwrap_or("<unnamed>"),
                container.describe()
            );
            let finding = out
                .at(container.at(at.span()), message)
                .object(container.owner())
                .fix(FIX);
            out.push(finding);
        }
        let env_from = container.node.get("envFrom");
        for source in env_from.into_iter().flat_map(Value::items) {
            let Some((key, reference)) = source.entry("secretRef") else {
                continue;
            };
            let secret = reference.get_str("name").unwrap_or("<unnamed>");
            let message = format!(
                "{} imports every key of Secret `{secret}` as environment variables (`envFrom`); environment variables leak through /proc/PID/environ, child processes and crash dumps",
                container.describe()
            );
            let finding = out
                .at(container.at(key.span()), message)
                .object(container.owner())
                .fix(FIX);
            out.push(finding);
        }
    }
}
