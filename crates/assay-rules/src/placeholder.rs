//! Placeholders that templating tools replace before a manifest is applied:
//! a value holding one was never rendered. Rules that judge a value (an
//! image's tag, a name's syntax) stay silent on placeholders and leave them
//! to `YAML009`, which says the manifest looks unrendered.

/// The templating syntax a placeholder is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Placeholder {
    /// `{{ .Values.image }}`: Helm and other Go templates.
    GoTemplate,
    /// `$IMAGE`, `${IMAGE}`, `${IMAGE:-x}`: `envsubst` and shell variables.
    ShellVariable,
    /// `$(IMAGE)`: kustomize `vars` (Kubernetes itself expands `$(VAR)` only
    /// in `command`, `args` and `env`, never in an image or a name).
    KustomizeVariable,
    /// `<image>`, `<your-registry>`: a value to fill in by hand.
    AngleBrackets,
    /// `__IMAGE__`: token replacement in CI pipelines.
    DoubleUnderscore,
    /// `#{IMAGE}#`, `#{IMAGE}`: Azure DevOps "Replace Tokens" and Octopus Deploy.
    HashBraces,
}

impl Placeholder {
    /// `{{ … }}` (a Helm/Go template): what the placeholder is, for messages.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Placeholder::GoTemplate => "a `{{ … }}` Helm/Go template expression",
            Placeholder::ShellVariable => "a `$VAR`/`${VAR}` shell variable",
            Placeholder::KustomizeVariable => "a `$(VAR)` kustomize variable",
            Placeholder::AngleBrackets => "an `<…>` fill-in placeholder",
            Placeholder::DoubleUnderscore => "a `__TOKEN__` replacement token",
            Placeholder::HashBraces => "a `#{…}#` replacement token",
        }
    }

    /// The command that renders this kind of placeholder.
    pub(crate) fn render_with(self) -> &'static str {
        match self {
            Placeholder::GoTemplate => "`helm template <release> <chart> | assay check -`",
            Placeholder::ShellVariable => "`envsubst < manifest.yaml | assay check -`",
            Placeholder::KustomizeVariable => "`kustomize build <dir> | assay check -`",
            Placeholder::AngleBrackets => "replace each `<…>` with its real value first",
            Placeholder::DoubleUnderscore | Placeholder::HashBraces => {
                "run the pipeline's token-replacement step, then check its output"
            }
        }
    }

    /// Whether a docker-compose file can hold it unrendered: compose
    /// interpolates `$VAR` and `${VAR}` itself (and `COMPOSE010` reports an
    /// unset one), so only foreign syntaxes are placeholders there.
    pub(crate) fn applies_to_compose(self) -> bool {
        !matches!(
            self,
            Placeholder::ShellVariable | Placeholder::KustomizeVariable
        )
    }
}

/// The placeholder `text` contains, if any (the first in the order of
/// [`Placeholder`]'s variants).
pub(crate) fn find(text: &str) -> Option<Placeholder> {
    if text.contains("{{") && text.contains("}}") {
        return Some(Placeholder::GoTemplate);
    }
    if let Some(found) = dollar(text) {
        return Some(found);
    }
    if angle_brackets(text) {
        return Some(Placeholder::AngleBrackets);
    }
    if text
        .split(['/', ':', '@', '.', '-'])
        .any(|part| part.len() > 4 && part.starts_with("__") && part.ends_with("__"))
    {
        return Some(Placeholder::DoubleUnderscore);
    }
    if text
        .find("#{")
        .is_some_and(|at| text.get(at..).is_some_and(|rest| rest.contains('}')))
    {
        return Some(Placeholder::HashBraces);
    }
    None
}

/// `$NAME`, `${…}` or `$(NAME)`; a lone `$` or `$$` is not a variable.
fn dollar(text: &str) -> Option<Placeholder> {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(offset) = text.get(at..).and_then(|rest| rest.find('$')) {
        let next = bytes.get(at + offset + 1).copied();
        match next {
            Some(b'{') if text.get(at + offset..).is_some_and(|r| r.contains('}')) => {
                return Some(Placeholder::ShellVariable);
            }
            Some(b'(') if text.get(at + offset..).is_some_and(|r| r.contains(')')) => {
                return Some(Placeholder::KustomizeVariable);
            }
            Some(b) if b.is_ascii_alphabetic() || b == b'_' => {
                return Some(Placeholder::ShellVariable);
            }
            Some(b'$') => at += offset + 2,
            _ => at += offset + 1,
        }
    }
    None
}

/// `<word>`: an opening `<` closed by `>` with something in between.
fn angle_brackets(text: &str) -> bool {
    text.find('<').is_some_and(|open| {
        text.get(open + 1..)
            .and_then(|rest| rest.find('>'))
            .is_some_and(|close| close > 0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_syntax() {
        let cases = [
            ("{{ .Values.image }}", Some(Placeholder::GoTemplate)),
            (
                "repo/app:{{ .Chart.AppVersion }}",
                Some(Placeholder::GoTemplate),
            ),
            ("$IMAGE", Some(Placeholder::ShellVariable)),
            ("${IMAGE}", Some(Placeholder::ShellVariable)),
            ("registry/app:${TAG:-dev}", Some(Placeholder::ShellVariable)),
            ("$(IMAGE)", Some(Placeholder::KustomizeVariable)),
            ("<image>", Some(Placeholder::AngleBrackets)),
            ("<your-registry>/app:1.2", Some(Placeholder::AngleBrackets)),
            ("__IMAGE__", Some(Placeholder::DoubleUnderscore)),
            ("registry/app:__TAG__", Some(Placeholder::DoubleUnderscore)),
            ("#{Image}#", Some(Placeholder::HashBraces)),
            (
                "registry/app:#{Build.BuildId}#",
                Some(Placeholder::HashBraces),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(find(text), expected, "{text}");
        }
    }

    #[test]
    fn real_values_are_not_placeholders() {
        for text in [
            "nginx:1.27",
            "registry:5000/team/app:1.2",
            "app@sha256:abc",
            "foo__bar/app:1_2",
            "price-$",
            "a$$b",
            "web",
            "<>",
            "a < b",
            "{ not a template }",
            "#channel",
        ] {
            assert_eq!(find(text), None, "{text}");
        }
    }
}
