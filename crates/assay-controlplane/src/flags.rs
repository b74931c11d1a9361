use crate::{Component, Setting, SettingSource, Settings, shift};
use assay_span::Span;
use assay_yaml::{ScalarStyle, Value};
use std::borrow::Cow;

/// A component's command line: which component, where its program is
/// written, and the flags it was given.
#[derive(Clone, Debug)]
pub struct CommandLine<'t> {
    pub settings: Settings<'t>,
    /// The program item (`command[0]`), or the image when only `args` are given.
    pub program: Value<'t>,
}

/// Read a container's `command` and `args` as the component would: the
/// component is named by `command[0]` or, without a command, by the image's
/// repository. `None` when neither names a known component.
#[must_use]
pub fn parse_command_line<'t>(
    command: &[Value<'t>],
    args: &[Value<'t>],
    image: Option<Value<'t>>,
) -> Option<CommandLine<'t>> {
    let (component, program, flags): (Component, Value<'t>, Vec<Value<'t>>) =
        if let Some((first, rest)) = command.split_first() {
            let component = Component::from_program(first.as_str()?.trim())?;
            (
                component,
                *first,
                rest.iter().chain(args).copied().collect(),
            )
        } else {
            let image = image?;
            (
                Component::from_image(image.as_str()?.trim())?,
                image,
                args.to_vec(),
            )
        };
    Some(CommandLine {
        settings: Settings::new(component, parse_flags(component, &flags)),
        program,
    })
}

/// Characters between a scalar's span start and its text: 1 for a quoted
/// scalar, 0 for a plain one; `None` when the text cannot be placed
/// character by character (escapes, several lines, block scalars).
fn text_offset(item: Value<'_>, text: &str) -> Option<usize> {
    let (_, style) = item.as_scalar()?;
    let span = item.span();
    if span.start.line != span.end.line {
        return None;
    }
    let width = usize::try_from(span.end.col.checked_sub(span.start.col)?).ok()?;
    let chars = text.chars().count();
    match style {
        ScalarStyle::Plain if width == chars => Some(0),
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted if width == chars + 2 => Some(1),
        _ => None,
    }
}

/// The span of `text[from..to]` (bytes) of `item`, or the item's span.
fn piece_span(item: Value<'_>, text: &str, from: usize, to: usize) -> Span {
    let span = item.span();
    match (
        text_offset(item, text),
        text.get(..from),
        text.get(from..to),
    ) {
        (Some(lead), Some(before), Some(piece)) => {
            shift(span, lead + before.chars().count(), piece.chars().count())
        }
        _ => span,
    }
}

fn parse_flags<'t>(component: Component, items: &[Value<'t>]) -> Vec<Setting<'t>> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(item) = items.get(i) {
        i += 1;
        let Some(text) = item.as_str() else {
            continue;
        };
        if text == "--" {
            break;
        }
        let dashes = if text.starts_with("--") {
            2
        } else if text.starts_with('-') && text.len() > 1 {
            1
        } else {
            if component.stops_at_first_argument() {
                break;
            }
            continue;
        };
        let body = text.get(dashes..).unwrap_or_default();
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (body, None),
        };
        if name.is_empty() || name.starts_with('-') {
            continue;
        }
        let name_span = piece_span(*item, text, dashes, dashes + name.len());
        let setting = match inline {
            Some(value) => {
                let from = dashes + name.len() + 1;
                Setting {
                    name: Cow::Borrowed(name),
                    value: Some(Cow::Borrowed(value)),
                    source: SettingSource::Flag,
                    name_span,
                    value_span: piece_span(*item, text, from, text.len()),
                }
            }
            None => {
                // A flag we do not know to be boolean takes the next item,
                // unless that item is itself a `--flag` (then this one was a
                // boolean we do not list).
                let next = items
                    .get(i)
                    .filter(|_| !component.is_bool_flag(name))
                    .and_then(|n| n.as_str().map(|t| (*n, t)))
                    .filter(|(_, t)| !t.starts_with("--"));
                if let Some((node, value)) = next {
                    i += 1;
                    Setting {
                        name: Cow::Borrowed(name),
                        value: Some(Cow::Borrowed(value)),
                        source: SettingSource::Flag,
                        name_span,
                        value_span: node.span(),
                    }
                } else {
                    Setting {
                        name: Cow::Borrowed(name),
                        value: None,
                        source: SettingSource::Flag,
                        name_span,
                        value_span: name_span,
                    }
                }
            }
        };
        out.push(setting);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use assay_span::Pos;
    use assay_yaml::{Limits, Tree};

    fn tree(text: &str) -> Tree {
        assay_yaml::parse(text, &Limits::default()).0
    }

    fn line<'t>(tree: &'t Tree) -> CommandLine<'t> {
        let root = tree.value(tree.documents()[0].root);
        let command: Vec<_> = root
            .get("command")
            .map(|c| c.items().collect())
            .unwrap_or_default();
        let args: Vec<_> = root
            .get("args")
            .map(|c| c.items().collect())
            .unwrap_or_default();
        parse_command_line(&command, &args, root.get("image")).expect("a component")
    }

    #[test]
    fn flag_forms_and_spans() {
        let t = tree(
            "command:\n- etcd\n- --cert-file=/p/server.crt\n- --key-file\n- /p/server.key\n- -client-cert-auth\n- \"--name=a\"\n- --listen-client-urls=http://a:1,https://b:2\n",
        );
        let cl = line(&t);
        let s = &cl.settings;
        assert_eq!(s.component, Component::Etcd);
        let cert = s.get("cert-file").unwrap();
        assert_eq!(cert.text(), "/p/server.crt");
        assert_eq!(cert.name_span, Span::new(Pos::new(3, 5), Pos::new(3, 14)));
        assert_eq!(cert.value_span, Span::new(Pos::new(3, 15), Pos::new(3, 28)));
        let key = s.get("key-file").unwrap();
        assert_eq!(key.text(), "/p/server.key");
        assert_eq!(key.value_span.start, Pos::new(5, 3));
        assert_eq!(s.bool("client-cert-auth").map(|b| b.0), Some(true));
        let name = s.get("name").unwrap();
        assert_eq!(name.value_span, Span::new(Pos::new(7, 11), Pos::new(7, 12)));
        let urls = s.list("listen-client-urls");
        assert_eq!(urls.len(), 2);
        assert_eq!(urls[1].0, "https://b:2");
        assert_eq!(urls[1].1.start, Pos::new(8, 35));
    }

    #[test]
    fn repeated_flags_resolve_per_component() {
        let t = tree(
            "command: [etcd, --client-cert-auth=false, --client-cert-auth=true, --name, x, stray, --auto-tls]\n",
        );
        let s = line(&t).settings;
        assert_eq!(s.bool("client-cert-auth").map(|b| b.0), Some(true));
        // Go's flag package stops at the first non-flag argument.
        assert!(s.get("auto-tls").is_none());

        let t = tree(
            "command: [kube-apiserver, --etcd-servers=https://a:2379, stray, --etcd-servers=https://b:2379, --profiling, --anonymous-auth=false]\n",
        );
        let s = line(&t).settings;
        assert_eq!(s.list("etcd-servers").len(), 2, "pflag slices accumulate");
        assert_eq!(s.bool("profiling").map(|b| b.0), Some(true));
        assert_eq!(s.bool("anonymous-auth").map(|b| b.0), Some(false));
    }

    #[test]
    fn args_only_with_the_image_naming_the_component() {
        let t =
            tree("image: registry.k8s.io/etcd:3.5.15-0\nargs: [--unknown-bool, --auto-tls=1]\n");
        let s = line(&t).settings;
        assert_eq!(s.get("unknown-bool").and_then(|x| x.value.clone()), None);
        assert_eq!(s.bool("auto-tls").map(|b| b.0), Some(true));
        let t = tree("command: [/bin/sh, -c, etcd]\n");
        let root = t.value(t.documents()[0].root);
        let command: Vec<_> = root.get("command").unwrap().items().collect();
        assert!(parse_command_line(&command, &[], None).is_none());
    }
}
