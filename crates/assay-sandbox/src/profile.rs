//! What a deliverable's etcd settings promise, reduced to what a loopback
//! sandbox can reproduce: schemes, TLS, client-certificate authentication.

use assay_controlplane::{
    Component, Settings, env_settings, etcd_config_settings, is_loopback_host, parse_command_line,
    url_host, url_scheme,
};
use assay_model::{DocClass, Model};
use serde::Serialize;

/// The security-relevant etcd settings of one side (clients or peers).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Side {
    /// `https` when the deliverable's URLs for this side use it, else `http`.
    pub scheme: String,
    /// `cert-file` and `key-file` (or their peer forms) are set.
    pub certificate: bool,
    pub auto_tls: bool,
    pub client_cert_auth: bool,
    pub trusted_ca: bool,
}

impl Side {
    #[must_use]
    pub fn is_https(&self) -> bool {
        self.scheme == "https"
    }
}

/// One etcd of the deliverable and what its settings promise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EtcdProfile {
    /// Where the settings were read: `container "etcd" of Pod kube-system/etcd (etcd.yaml)`.
    pub source: String,
    pub client: Side,
    pub peer: Side,
    /// `--cipher-suites`, passed through when set.
    pub cipher_suites: Option<String>,
}

/// The scheme etcd serves for `urls`: the first URL beyond loopback decides
/// (what other hosts reach), else the first URL, else etcd's default `http`.
fn scheme_of(settings: &Settings<'_>, flag: &str) -> String {
    let urls = settings.list(flag);
    let pick = urls
        .iter()
        .find(|(u, _)| !is_loopback_host(url_host(u)))
        .or(urls.first());
    pick.and_then(|(u, _)| url_scheme(u))
        .map_or_else(|| "http".to_owned(), str::to_ascii_lowercase)
}

fn side(settings: &Settings<'_>, peer: bool) -> Side {
    let flag = |name: &str| {
        if peer {
            format!("peer-{name}")
        } else {
            name.to_owned()
        }
    };
    let on = |name: &str| settings.bool(&flag(name)).is_some_and(|(b, _)| b);
    let set = |name: &str| settings.non_empty(&flag(name)).is_some();
    Side {
        scheme: scheme_of(
            settings,
            if peer {
                "listen-peer-urls"
            } else {
                "listen-client-urls"
            },
        ),
        certificate: set("cert-file") && set("key-file"),
        auto_tls: on("auto-tls"),
        client_cert_auth: on("client-cert-auth"),
        trusted_ca: set("trusted-ca-file"),
    }
}

impl EtcdProfile {
    #[must_use]
    pub fn from_settings(source: String, settings: &Settings<'_>) -> Self {
        Self {
            source,
            client: side(settings, false),
            peer: side(settings, true),
            cipher_suites: settings
                .non_empty("cipher-suites")
                .map(|s| s.text().to_owned()),
        }
    }
}

/// Every etcd the model describes: containers running etcd (command line
/// and `ETCD_*` variables; a container using `--config-file` is skipped, its
/// file is read instead when it is part of the input) and etcd config files.
#[must_use]
pub fn find_etcd(model: &Model) -> Vec<EtcdProfile> {
    let mut out = Vec::new();
    for object in model.object_views() {
        for container in object.containers() {
            let Some(line) =
                parse_command_line(&container.command(), &container.args(), container.image())
            else {
                continue;
            };
            if line.settings.component != Component::Etcd {
                continue;
            }
            let mut entries = env_settings(
                Component::Etcd,
                container.env().into_iter().filter_map(|var| {
                    let (_, name) = var.node.entry("name")?;
                    Some((name.as_str()?, name.span(), var.value?))
                }),
            );
            entries.extend(line.settings.entries().iter().cloned());
            let settings = Settings::new(Component::Etcd, entries);
            if settings.get("config-file").is_some() {
                continue;
            }
            let source = format!(
                "{} of {} ({})",
                container.describe(),
                container.owner(),
                object.file.path
            );
            out.push(EtcdProfile::from_settings(source, &settings));
        }
    }
    for doc in model
        .documents
        .iter()
        .filter(|d| d.class == DocClass::EtcdConfig)
    {
        if let Some(file) = model.file(doc.file) {
            let settings = etcd_config_settings(file.tree.value(doc.root));
            out.push(EtcdProfile::from_settings(
                format!("etcd config file {}", file.path),
                &settings,
            ));
        }
    }
    out
}
