//! The `ETCD` pack: etcd's own settings (static pod, workload or compose
//! service command lines, `ETCD_*` variables, `--config-file` YAML), the kube-apiserver's
//! settings towards etcd, and `EncryptionConfiguration` files.
//!
//! Settings are read by `assay-controlplane`. A container that gives etcd a
//! `--config-file` is not checked flag by flag: etcd then ignores every other
//! flag and variable, and the config file (when it is part of the
//! deliverable) is checked as a document of its own.

mod etcd001_client_tls_missing;
mod etcd002_client_cert_auth_disabled;
mod etcd003_client_trusted_ca_missing;
mod etcd004_peer_tls_missing;
mod etcd005_peer_client_cert_auth_disabled;
mod etcd006_peer_trusted_ca_missing;
mod etcd007_auto_tls;
mod etcd008_plain_http_url;
mod etcd009_listens_on_all_interfaces;
mod etcd010_metrics_plain_http;
mod etcd011_weak_tls_settings;
mod etcd012_apiserver_etcd_tls_missing;
mod etcd013_apiserver_etcd_plain_http;
mod etcd014_apiserver_no_encryption_config;
mod etcd015_encryption_identity_first;
mod etcd016_encryption_secrets_not_covered;
mod etcd017_encryption_key_length;
mod etcd018_encryption_provider_weak;
mod etcd019_encryption_key_not_rotated;

use crate::{Context, Pack};
use assay_controlplane::{
    Component, Setting, SettingSource, Settings, env_settings, etcd_config_settings,
    is_loopback_host, parse_command_line, url_host, url_scheme,
};
use assay_model::{DocClass, DocInfo, ObjectView, SourceFile, k8s_bool};
use assay_span::{FileId, FileSpan, Span};
use assay_yaml::Value;
use std::borrow::Cow;

pub(crate) const PACK: Pack = Pack {
    prefix: "ETCD",
    folder: "etcd",
    title: "etcd, the API server's etcd settings and encryption at rest",
    rules: &[
        &etcd001_client_tls_missing::ClientTlsMissing,
        &etcd002_client_cert_auth_disabled::ClientCertAuthDisabled,
        &etcd003_client_trusted_ca_missing::ClientTrustedCaMissing,
        &etcd004_peer_tls_missing::PeerTlsMissing,
        &etcd005_peer_client_cert_auth_disabled::PeerClientCertAuthDisabled,
        &etcd006_peer_trusted_ca_missing::PeerTrustedCaMissing,
        &etcd007_auto_tls::AutoTls,
        &etcd008_plain_http_url::PlainHttpUrl,
        &etcd009_listens_on_all_interfaces::ListensOnAllInterfaces,
        &etcd010_metrics_plain_http::MetricsPlainHttp,
        &etcd011_weak_tls_settings::WeakTlsSettings,
        &etcd012_apiserver_etcd_tls_missing::ApiserverEtcdTlsMissing,
        &etcd013_apiserver_etcd_plain_http::ApiserverEtcdPlainHttp,
        &etcd014_apiserver_no_encryption_config::ApiserverNoEncryptionConfig,
        &etcd015_encryption_identity_first::EncryptionIdentityFirst,
        &etcd016_encryption_secrets_not_covered::EncryptionSecretsNotCovered,
        &etcd017_encryption_key_length::EncryptionKeyLength,
        &etcd018_encryption_provider_weak::EncryptionProviderWeak,
        &etcd019_encryption_key_not_rotated::EncryptionKeyNotRotated,
    ],
};

/// The document classes that can hold control-plane settings.
pub(crate) const SETTINGS_DOCS: &[DocClass] = &[
    DocClass::Kubernetes,
    DocClass::KubernetesList,
    DocClass::EtcdConfig,
    DocClass::Compose,
];

/// The kinds an encryption configuration is written as.
pub(crate) const ENCRYPTION_KINDS: &[&str] = &["EncryptionConfiguration", "EncryptionConfig"];

/// Where a process's settings come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// A container's `command`/`args` (and `ETCD_*` variables).
    CommandLine,
    /// An etcd `--config-file` YAML.
    ConfigFile,
}

/// One control-plane process of the deliverable, with its settings.
pub(crate) struct Process<'m> {
    pub(crate) settings: Settings<'m>,
    pub(crate) origin: Origin,
    pub(crate) file: FileId,
    /// Where a missing setting is reported: the program (`command[0]`, or
    /// the image when only `args` are given), or the config file's first key.
    pub(crate) anchor: Span,
    /// `container "etcd" of Pod kube-system/etcd`, `etcd config file etcd.yaml`.
    pub(crate) subject: String,
    /// `Pod kube-system/etcd`, `etcd config etcd.yaml`.
    pub(crate) object: String,
    /// Whether the process binds on the node's interfaces (`hostNetwork`,
    /// or a config file, which is read by etcd on a host).
    pub(crate) on_host_network: bool,
}

impl Process<'_> {
    pub(crate) fn at(&self, span: Span) -> FileSpan {
        FileSpan::new(self.file, span)
    }

    /// How setting `flag` is written in this process's source (`--flag`,
    /// `ETCD_FLAG` when a variable sets it, or the config-file key).
    pub(crate) fn spelling(&self, flag: &str) -> String {
        match self.origin {
            Origin::CommandLine
                if self
                    .settings
                    .get(flag)
                    .is_some_and(|s| s.source == SettingSource::Env) =>
            {
                format!("ETCD_{}", flag.to_ascii_uppercase().replace('-', "_"))
            }
            Origin::CommandLine => format!("--{flag}"),
            Origin::ConfigFile => config_key(flag),
        }
    }

    /// The first of `flags` that is unset or empty.
    pub(crate) fn first_missing<'f>(&self, flags: &[&'f str]) -> Option<&'f str> {
        flags
            .iter()
            .copied()
            .find(|f| self.settings.non_empty(f).is_none())
    }

    /// Where to report a certificate/key pair that is incomplete: the first
    /// of the two written with a value, else the first written at all, else
    /// the process's anchor.
    pub(crate) fn pair_location(&self, cert: &str, key: &str) -> Span {
        self.settings
            .non_empty(cert)
            .or_else(|| self.settings.non_empty(key))
            .or_else(|| self.settings.get(cert))
            .or_else(|| self.settings.get(key))
            .map_or(self.anchor, |s| s.name_span)
    }

    /// Where a boolean setting that is off is reported, and how its state
    /// reads in a message (`` `--client-cert-auth` is `false` `` or unset,
    /// etcd's default).
    pub(crate) fn off_state(&self, flag: &str) -> (Span, String) {
        let spelled = self.spelling(flag);
        match self.settings.get(flag) {
            Some(s) => (s.value_span, format!("`{spelled}` is `{}`", s.text())),
            None => (
                self.anchor,
                format!("`{spelled}` is not set (etcd's default is false)"),
            ),
        }
    }

    /// Whether a boolean setting is on.
    pub(crate) fn is_on(&self, flag: &str) -> bool {
        self.settings.bool(flag).is_some_and(|(b, _)| b)
    }

    /// Several members, or peers reachable beyond loopback: the peer port
    /// carries real traffic. A single member on loopback has no peers.
    pub(crate) fn is_clustered(&self) -> bool {
        let members = self
            .settings
            .get("initial-cluster")
            .map_or(0, |s| s.items().len());
        members > 1
            || ["listen-peer-urls", "initial-advertise-peer-urls"]
                .iter()
                .flat_map(|f| self.settings.list(f))
                .any(|(url, _)| !is_loopback_host(url_host(url)))
    }
}

/// The config-file spelling of a flag (`peer-cert-file` →
/// `peer-transport-security.cert-file`).
fn config_key(flag: &str) -> String {
    let (section, key) = match flag {
        "cert-file" | "key-file" | "client-cert-auth" | "trusted-ca-file" | "auto-tls" => {
            ("client-transport-security", flag)
        }
        "peer-cert-file"
        | "peer-key-file"
        | "peer-client-cert-auth"
        | "peer-trusted-ca-file"
        | "peer-auto-tls" => (
            "peer-transport-security",
            flag.strip_prefix("peer-").unwrap_or(flag),
        ),
        _ => return flag.to_owned(),
    };
    format!("{section}.{key}")
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The Kubernetes objects of one document (objects are stored in file, then
/// document order).
fn objects_of<'m>(ctx: &Context<'m>, doc: &DocInfo) -> impl Iterator<Item = ObjectView<'m>> {
    let objects = &ctx.model.objects;
    let key = (doc.file, doc.index);
    let start = objects.partition_point(|o| (o.file, o.doc) < key);
    objects
        .get(start..)
        .unwrap_or_default()
        .iter()
        .take_while(move |o| (o.file, o.doc) == key)
        .filter_map(|o| ObjectView::new(ctx.model, o))
}

/// Variables only an etcd server reads (clients are given `ETCD_ENDPOINTS`
/// and the like, never these).
const ETCD_SERVER_VARIABLES: &[&str] = &[
    "ETCD_LISTEN_CLIENT_URLS",
    "ETCD_ADVERTISE_CLIENT_URLS",
    "ETCD_LISTEN_PEER_URLS",
    "ETCD_INITIAL_ADVERTISE_PEER_URLS",
    "ETCD_INITIAL_CLUSTER",
    "ETCD_DATA_DIR",
];

/// Every process of `component` a document holds: containers running it
/// and, for etcd, an etcd config file.
pub(crate) fn processes<'m>(
    ctx: &Context<'m>,
    file: &'m SourceFile,
    doc: &DocInfo,
    component: Component,
) -> Vec<Process<'m>> {
    if doc.class == DocClass::EtcdConfig {
        if component != Component::Etcd {
            return Vec::new();
        }
        let root = file.tree.value(doc.root);
        let anchor = root.entries().next().map_or(root.span(), |(k, _)| k.span());
        let name = file_name(&file.path);
        return vec![Process {
            settings: etcd_config_settings(root),
            origin: Origin::ConfigFile,
            file: file.id,
            anchor,
            subject: format!("etcd config file {name}"),
            object: format!("etcd config {name}"),
            on_host_network: true,
        }];
    }
    if doc.class == DocClass::Compose {
        return if component == Component::Etcd {
            compose_etcd(file, doc)
        } else {
            Vec::new()
        };
    }
    let mut out = Vec::new();
    for object in objects_of(ctx, doc) {
        for container in object.containers() {
            let command = container.command();
            let line = parse_command_line(&command, &container.args(), container.image());
            let (line_settings, program) = match line {
                Some(line) if line.settings.component == component => {
                    (line.settings, line.program.span())
                }
                // An image assay does not know (a custom etcd build) that is
                // given etcd's server-only variables runs etcd as entrypoint.
                None if component == Component::Etcd
                    && command.is_empty()
                    && container
                        .env()
                        .iter()
                        .any(|v| v.name.is_some_and(|n| ETCD_SERVER_VARIABLES.contains(&n))) =>
                {
                    (
                        Settings::new(component, Vec::new()),
                        container
                            .image()
                            .map_or(container.anchor().span, |i| i.span()),
                    )
                }
                _ => continue,
            };
            let mut entries = env_settings(
                component,
                container.env().into_iter().filter_map(|var| {
                    let (_, name) = var.node.entry("name")?;
                    Some((name.as_str()?, name.span(), var.value?))
                }),
            );
            entries.extend(line_settings.entries().iter().cloned());
            let settings = Settings::new(component, entries);
            if settings.get("config-file").is_some() {
                continue;
            }
            out.push(Process {
                settings,
                origin: Origin::CommandLine,
                file: container.file_id(),
                anchor: program,
                subject: format!("{} of {}", container.describe(), container.owner()),
                object: container.owner(),
                on_host_network: container.pod_flag("hostNetwork").and_then(k8s_bool) == Some(true),
            });
        }
    }
    out
}

/// How a finding names an encryption configuration: its kind and name, or
/// its kind and file name (these files usually have no `metadata`).
pub(crate) fn encryption_name(object: &ObjectView<'_>) -> String {
    if object.object.name.is_some() {
        return object.display();
    }
    format!("{} {}", object.kind(), file_name(&object.file.path))
}

/// `ETCD_*` variables of a compose service's `environment` (a mapping, or
/// a list of `KEY=VALUE` items).
fn compose_env<'m>(environment: Value<'m>) -> Vec<Setting<'m>> {
    if environment.is_mapping() {
        return env_settings(
            Component::Etcd,
            environment
                .entries()
                .filter_map(|(k, v)| Some((k.as_str()?, k.span(), v))),
        );
    }
    environment
        .items()
        .filter_map(|item| {
            let text = item.as_str()?;
            let (name, value) = text.split_once('=')?;
            let flag = name.strip_prefix("ETCD_")?;
            let span = item.span();
            // Plain single-line items can be placed exactly; others point at the item.
            let exact = span.start.line == span.end.line
                && usize::try_from(span.end.col.saturating_sub(span.start.col))
                    .is_ok_and(|w| w == text.chars().count());
            let at = |from: usize, len: usize| {
                if exact {
                    let mut out = span;
                    out.start.col = span
                        .start
                        .col
                        .saturating_add(u32::try_from(from).unwrap_or(0));
                    out.end = out.start;
                    out.end.col = out
                        .start
                        .col
                        .saturating_add(u32::try_from(len).unwrap_or(0));
                    out
                } else {
                    span
                }
            };
            let name_chars = name.chars().count();
            Some(Setting {
                name: Cow::Owned(flag.to_ascii_lowercase().replace('_', "-")),
                value: Some(Cow::Borrowed(value)),
                source: SettingSource::Env,
                name_span: at(0, name_chars),
                value_span: at(name_chars + 1, value.chars().count()),
            })
        })
        .collect()
}

/// etcd services of a compose file: a `command` running etcd, or an image
/// named etcd or given etcd's server-only variables. A string `command` is
/// not split (its flags are not read).
fn compose_etcd<'m>(file: &'m SourceFile, doc: &DocInfo) -> Vec<Process<'m>> {
    let root = file.tree.value(doc.root);
    let mut out = Vec::new();
    for (name, service) in root.get("services").into_iter().flat_map(Value::entries) {
        let command: Vec<Value<'m>> = service
            .get("command")
            .filter(|c| c.is_sequence())
            .map(|c| c.items().collect())
            .unwrap_or_default();
        let environment = service.get("environment");
        let env = environment.map(compose_env).unwrap_or_default();
        let line = parse_command_line(&command, &[], service.get("image"));
        let (flags, anchor) = match line {
            Some(line) if line.settings.component == Component::Etcd => {
                (line.settings.entries().to_vec(), line.program.span())
            }
            _ if env.iter().any(|s| {
                ETCD_SERVER_VARIABLES.iter().any(|v| {
                    v.strip_prefix("ETCD_")
                        .is_some_and(|f| f.to_ascii_lowercase().replace('_', "-") == s.name)
                })
            }) =>
            {
                (
                    Vec::new(),
                    service.get("image").map_or(name.span(), |i| i.span()),
                )
            }
            _ => continue,
        };
        let mut entries = env;
        entries.extend(flags);
        let settings = Settings::new(Component::Etcd, entries);
        if settings.get("config-file").is_some() {
            continue;
        }
        let service_name = name.as_str().unwrap_or("<unnamed>");
        out.push(Process {
            settings,
            origin: Origin::CommandLine,
            file: file.id,
            anchor,
            subject: format!("service \"{service_name}\""),
            object: format!("service \"{service_name}\""),
            on_host_network: service.get_str("network_mode") == Some("host"),
        });
    }
    out
}

/// An `http://` URL whose host is not loopback (wildcards included).
pub(crate) fn is_plain_http_beyond_loopback(url: &str) -> bool {
    url_scheme(url).is_some_and(|s| s.eq_ignore_ascii_case("http"))
        && !is_loopback_host(url_host(url))
}
