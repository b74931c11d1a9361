//! Control-plane settings as spanned data: component command lines, etcd
//! config files, `ETCD_*` environment variables and `EncryptionConfiguration`.
//!
//! Nothing here copies a tree: settings borrow the scalars they were read
//! from, and every setting keeps the span of its name and of its value.

mod component;
mod encryption;
mod etcd_config;
mod flags;

pub use component::Component;
pub use encryption::{
    EncryptionConfig, EncryptionKey, Provider, ProviderKind, ResourceRule, base64_decoded_len,
};
pub use etcd_config::etcd_config_settings;
pub use flags::{CommandLine, parse_command_line};

use assay_span::Span;
use assay_yaml::{ScalarType, Value, resolve_yaml11};
use std::borrow::Cow;

/// Where a setting was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SettingSource {
    /// A command-line flag (`--name=value`, `--name value`, `--name`).
    Flag,
    /// An environment variable (`ETCD_NAME`).
    Env,
    /// A key of a configuration file (etcd `--config-file`).
    ConfigFile,
}

/// One setting as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting<'t> {
    /// The flag name without dashes (`cert-file`), whatever the source.
    pub name: Cow<'t, str>,
    /// The value as written; `None` for a boolean flag given without one.
    pub value: Option<Cow<'t, str>>,
    pub source: SettingSource,
    /// Where the name is written (the flag, the variable name, the key).
    pub name_span: Span,
    /// Where the value is written (the name's span when there is no value).
    pub value_span: Span,
}

impl Setting<'_> {
    /// The value, `""` when none was written.
    #[must_use]
    pub fn text(&self) -> &str {
        self.value.as_deref().unwrap_or("")
    }

    /// The value as the component reads a boolean: Go's `strconv.ParseBool`
    /// for flags and variables (a bare flag is `true`), YAML 1.1 for config
    /// files (etcd reads them through `sigs.k8s.io/yaml`). `None` when the
    /// text is not a boolean.
    #[must_use]
    pub fn as_bool(&self) -> Option<bool> {
        let Some(text) = self.value.as_deref() else {
            return Some(true);
        };
        match self.source {
            SettingSource::Flag | SettingSource::Env => go_parse_bool(text),
            SettingSource::ConfigFile => {
                match resolve_yaml11(text, assay_yaml::ScalarStyle::Plain) {
                    ScalarType::Bool(b) => Some(b),
                    _ => go_parse_bool(text),
                }
            }
        }
    }

    /// Comma-separated items of the value with their spans (the whole value's
    /// span when an item cannot be placed exactly).
    #[must_use]
    pub fn items(&self) -> Vec<(&str, Span)> {
        let text = self.text();
        let single_line = self.value_span.start.line == self.value_span.end.line
            && usize::try_from(
                self.value_span
                    .end
                    .col
                    .saturating_sub(self.value_span.start.col),
            )
            .is_ok_and(|w| w == text.chars().count());
        let mut out = Vec::new();
        let mut offset = 0usize;
        for piece in text.split(',') {
            let trimmed = piece.trim();
            if !trimmed.is_empty() {
                let lead = piece.len() - piece.trim_start().len();
                let span = if single_line {
                    let start = text.get(..offset + lead).map_or(0, |s| s.chars().count());
                    shift(self.value_span, start, trimmed.chars().count())
                } else {
                    self.value_span
                };
                out.push((trimmed, span));
            }
            offset += piece.len() + 1;
        }
        out
    }
}

/// `span` narrowed to `len` characters starting `start` characters in (one line).
pub(crate) fn shift(span: Span, start: usize, len: usize) -> Span {
    let start = u32::try_from(start).unwrap_or(0);
    let len = u32::try_from(len).unwrap_or(0);
    let mut out = span;
    out.start.col = span.start.col.saturating_add(start);
    out.end = out.start;
    out.end.col = out.start.col.saturating_add(len);
    out
}

/// Go's `strconv.ParseBool`.
#[must_use]
pub fn go_parse_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Every setting one component was given, in the order written, and how the
/// component resolves them.
#[derive(Clone, Debug)]
pub struct Settings<'t> {
    pub component: Component,
    entries: Vec<Setting<'t>>,
}

impl<'t> Settings<'t> {
    #[must_use]
    pub fn new(component: Component, entries: Vec<Setting<'t>>) -> Self {
        Self { component, entries }
    }

    /// Every setting as written.
    #[must_use]
    pub fn entries(&self) -> &[Setting<'t>] {
        &self.entries
    }

    /// Every occurrence of `name`, in the order written.
    pub fn all<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Setting<'t>> + 's {
        self.entries.iter().filter(move |s| s.name == name)
    }

    /// The setting the component uses for `name`: a command-line flag wins
    /// over an environment variable (etcd ignores a variable whose flag is
    /// set); among several of one source the last written wins (Go `flag`
    /// and `pflag` both keep the last `Set`).
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Setting<'t>> {
        let rank = |s: &Setting<'_>| u8::from(s.source != SettingSource::Env);
        self.entries.iter().filter(|s| s.name == name).fold(
            None,
            |best: Option<&Setting<'t>>, s| match best {
                Some(b) if rank(b) > rank(s) => Some(b),
                _ => Some(s),
            },
        )
    }

    /// `get(name)` when its value is not empty.
    #[must_use]
    pub fn non_empty(&self, name: &str) -> Option<&Setting<'t>> {
        self.get(name).filter(|s| !s.text().trim().is_empty())
    }

    /// The boolean the component uses for `name` (`None`: unset or not a boolean).
    #[must_use]
    pub fn bool(&self, name: &str) -> Option<(bool, &Setting<'t>)> {
        let s = self.get(name)?;
        s.as_bool().map(|b| (b, s))
    }

    /// The list the component uses for `name`: the items of every occurrence
    /// for a flag that accumulates (`pflag` slices and maps of the Kubernetes
    /// components), else the items of the winning occurrence.
    #[must_use]
    pub fn list(&self, name: &str) -> Vec<(&str, Span)> {
        if self.component.accumulates(name) {
            self.entries
                .iter()
                .filter(|s| s.name == name && s.source == SettingSource::Flag)
                .flat_map(Setting::items)
                .collect()
        } else {
            self.get(name).map(Setting::items).unwrap_or_default()
        }
    }
}

/// Settings read from environment variables: `PREFIX_NAME_WITH_UNDERSCORES`
/// becomes `name-with-underscores` (etcd's `flags.FlagToEnv`, reversed).
/// `vars` yields each variable's name, the span of its name and its literal
/// value node; variables without a literal value are skipped by the caller.
#[must_use]
pub fn env_settings<'t>(
    component: Component,
    vars: impl IntoIterator<Item = (&'t str, Span, Value<'t>)>,
) -> Vec<Setting<'t>> {
    let Some(prefix) = component.env_prefix() else {
        return Vec::new();
    };
    vars.into_iter()
        .filter_map(|(name, name_span, value)| {
            let flag = name.strip_prefix(prefix)?;
            if flag.is_empty()
                || !flag
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            {
                return None;
            }
            let text = value.as_str()?;
            Some(Setting {
                name: Cow::Owned(flag.to_ascii_lowercase().replace('_', "-")),
                value: Some(Cow::Borrowed(text)),
                source: SettingSource::Env,
                name_span,
                value_span: value.span(),
            })
        })
        .collect()
}

/// Host of a URL (`https://10.0.0.1:2379` → `10.0.0.1`, `http://[::1]:2379` → `::1`).
#[must_use]
pub fn url_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(inner) = authority.strip_prefix('[') {
        return inner.split(']').next().unwrap_or(inner);
    }
    authority.rsplit_once(':').map_or(authority, |(h, _)| h)
}

/// The scheme of a URL, lower-cased comparison left to the caller.
#[must_use]
pub fn url_scheme(url: &str) -> Option<&str> {
    url.split_once("://").map(|(s, _)| s)
}

/// A loopback host: `localhost`, `127.0.0.0/8`, `::1`.
#[must_use]
pub fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host == "::1"
        || host.strip_prefix("127.").is_some_and(|rest| {
            rest.split('.').count() == 3 && rest.split('.').all(|o| o.parse::<u8>().is_ok())
        })
}

/// A wildcard listen host: every interface (`0.0.0.0`, `::`, or no host).
#[must_use]
pub fn is_wildcard_host(host: &str) -> bool {
    matches!(host, "" | "0.0.0.0" | "::" | "[::]" | "*")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(url_host("https://10.0.0.1:2379"), "10.0.0.1");
        assert_eq!(url_host("http://[::1]:2379/x"), "::1");
        assert_eq!(url_host("unix://localhost:1"), "localhost");
        assert_eq!(url_host("http://:2379"), "");
        assert_eq!(url_scheme("HTTPS://a"), Some("HTTPS"));
        assert!(is_loopback_host("127.0.0.1"));
        assert!(is_loopback_host("LOCALHOST"));
        assert!(!is_loopback_host("127.0.0"));
        assert!(!is_loopback_host("10.0.0.1"));
        assert!(is_wildcard_host("0.0.0.0"));
        assert!(is_wildcard_host("::"));
    }

    #[test]
    fn a_flag_wins_over_its_variable() {
        let text = "command: [etcd, --name=flag]\nenv:\n- {name: ETCD_NAME, value: env}\n- {name: ETCD_AUTO_TLS, value: 'true'}\n- {name: ETCDCTL_API, value: '3'}\n";
        let (tree, _) = assay_yaml::parse(text, &assay_yaml::Limits::default());
        let root = tree.value(tree.documents()[0].root);
        let command: Vec<_> = root.get("command").unwrap().items().collect();
        let mut line = parse_command_line(&command, &[], None).unwrap();
        let vars = root.get("env").unwrap().items().filter_map(|e| {
            let (_, name) = e.entry("name")?;
            Some((name.as_str()?, name.span(), e.get("value")?))
        });
        let mut entries = env_settings(Component::Etcd, vars);
        assert_eq!(entries.len(), 2, "ETCDCTL_API is not an etcd flag");
        entries.extend(line.settings.entries().iter().cloned());
        line.settings = Settings::new(Component::Etcd, entries);
        assert_eq!(line.settings.get("name").map(Setting::text), Some("flag"));
        assert_eq!(line.settings.bool("auto-tls").map(|b| b.0), Some(true));
    }

    #[test]
    fn go_booleans() {
        assert_eq!(go_parse_bool("T"), Some(true));
        assert_eq!(go_parse_bool("0"), Some(false));
        assert_eq!(go_parse_bool("yes"), None);
    }
}
