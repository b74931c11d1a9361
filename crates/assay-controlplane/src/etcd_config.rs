use crate::{Component, Setting, SettingSource, Settings};
use assay_yaml::Value;
use std::borrow::Cow;

/// The flag a key of an etcd config file's `client-transport-security` or
/// `peer-transport-security` section stands for (etcd `embed.Config`,
/// `securityConfig` YAML tags).
fn transport_flag(section: &str, key: &str) -> Option<&'static str> {
    let peer = section == "peer-transport-security";
    Some(match (peer, key) {
        (false, "cert-file") => "cert-file",
        (false, "key-file") => "key-file",
        (false, "client-cert-auth") => "client-cert-auth",
        (false, "trusted-ca-file") => "trusted-ca-file",
        (false, "auto-tls") => "auto-tls",
        (false, "crl-file") => "client-crl-file",
        (false, "allowed-cn") => "client-cert-allowed-cn",
        (false, "allowed-hostname") => "client-cert-allowed-hostname",
        (true, "cert-file") => "peer-cert-file",
        (true, "key-file") => "peer-key-file",
        (true, "client-cert-auth") => "peer-client-cert-auth",
        (true, "trusted-ca-file") => "peer-trusted-ca-file",
        (true, "auto-tls") => "peer-auto-tls",
        (true, "crl-file") => "peer-crl-file",
        (true, "allowed-cn") => "peer-cert-allowed-cn",
        (true, "allowed-hostname") => "peer-cert-allowed-hostname",
        _ => return None,
    })
}

/// A scalar's text, or a sequence's items joined with commas (`cipher-suites`,
/// `log-outputs`); a null value is an empty string, as etcd reads it.
fn value_text(value: Value<'_>) -> Option<Cow<'_, str>> {
    if value.is_null() {
        return Some(Cow::Borrowed(""));
    }
    if let Some(text) = value.as_str() {
        return Some(Cow::Borrowed(text));
    }
    if value.is_sequence() {
        let items: Vec<&str> = value.items().filter_map(Value::as_str).collect();
        return Some(Cow::Owned(items.join(",")));
    }
    None
}

/// The settings of an etcd `--config-file` YAML, keyed by flag name. When
/// etcd is given a config file it ignores every other flag and variable.
#[must_use]
pub fn etcd_config_settings(root: Value<'_>) -> Settings<'_> {
    let mut out = Vec::new();
    for (key, value) in root.merged_entries() {
        let Some(name) = key.as_str() else {
            continue;
        };
        if matches!(
            name,
            "client-transport-security" | "peer-transport-security"
        ) {
            for (inner_key, inner) in value.merged_entries() {
                let Some(flag) = inner_key.as_str().and_then(|k| transport_flag(name, k)) else {
                    continue;
                };
                if let Some(text) = value_text(inner) {
                    out.push(Setting {
                        name: Cow::Borrowed(flag),
                        value: Some(text),
                        source: SettingSource::ConfigFile,
                        name_span: inner_key.span(),
                        value_span: inner.span(),
                    });
                }
            }
            continue;
        }
        if let Some(text) = value_text(value) {
            out.push(Setting {
                name: Cow::Borrowed(name),
                value: Some(text),
                source: SettingSource::ConfigFile,
                name_span: key.span(),
                value_span: value.span(),
            });
        }
    }
    Settings::new(Component::Etcd, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use assay_yaml::Limits;

    #[test]
    fn sections_map_to_flag_names() {
        let text = "listen-client-urls: https://127.0.0.1:2379\nclient-transport-security:\n  cert-file: /c\n  client-cert-auth: yes\n  trusted-ca-file:\npeer-transport-security:\n  auto-tls: true\n  allowed-cn: etcd\ncipher-suites: [A, B]\n";
        let (tree, errors) = assay_yaml::parse(text, &Limits::default());
        assert!(errors.is_empty());
        let s = etcd_config_settings(tree.value(tree.documents()[0].root));
        assert_eq!(s.get("cert-file").map(|x| x.text()), Some("/c"));
        assert_eq!(
            s.bool("client-cert-auth").map(|b| b.0),
            Some(true),
            "YAML 1.1 yes"
        );
        assert!(s.non_empty("trusted-ca-file").is_none());
        assert_eq!(s.bool("peer-auto-tls").map(|b| b.0), Some(true));
        assert_eq!(
            s.get("peer-cert-allowed-cn").map(|x| x.text()),
            Some("etcd")
        );
        assert_eq!(s.list("cipher-suites").len(), 2);
        assert_eq!(s.get("cert-file").map(|x| x.name_span.start.line), Some(3));
    }
}
