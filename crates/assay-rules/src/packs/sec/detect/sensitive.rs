//! Values the engine masks in every message besides what the `SEC` rules
//! report: the values of sensitive fields (a Secret's `data` and
//! `stringData`, keys named like a password or token), whether or not they
//! look like a credential, credentials used as keys, and the credentials in
//! the text of a file that did not parse (its code frames show raw lines).
//!
//! Keys are read as the `SEC` rules read them ([`secret_name`]): a reference
//! to a secret (`secretName: db-creds`, `tokenSecretRef`) is not one, and
//! masking its value everywhere would hide ordinary names from messages.

use super::super::{locate, pos_of};
use super::{
    base64_decode, find_tokens, is_non_secret_value, names_a_public_value, secret_assignment,
    secret_name,
};
use assay_model::{Model, SourceFile};
use assay_span::{FileSpan, Span};
use assay_yaml::{NodeId, Value};

/// One sensitive value: where it is written and its text (a Secret's `data`
/// value also gives its decoded text, with no location of its own).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct SensitiveValue {
    pub(crate) location: Option<FileSpan>,
    pub(crate) text: String,
}

/// The sensitive values of one file.
pub(crate) fn sensitive_values(model: &Model, file: &SourceFile) -> Vec<SensitiveValue> {
    let mut out = Vec::new();
    let tree = &file.tree;
    let scalar = |v: Value<'_>, out: &mut Vec<SensitiveValue>| {
        if let Some(text) = v.as_str()
            && v.as_scalar().is_some()
            && !is_non_secret_value(text)
        {
            out.push(SensitiveValue {
                location: Some(FileSpan::new(file.id, v.span())),
                text: text.to_owned(),
            });
        }
    };
    // Every mapping once, in arena order: no recursion, aliases not expanded.
    for index in 0..tree.node_count() {
        let node = tree.value(NodeId(u32::try_from(index).unwrap_or(u32::MAX)));
        if !node.is_mapping() || node.is_alias() {
            continue;
        }
        for (key, value) in node.entries() {
            let Some(name) = key.as_str() else {
                continue;
            };
            if may_name_a_secret(name) && secret_name(name).is_some() {
                scalar(value, &mut out);
            }
            // The `SEC` rules read values; a credential used as a key
            // (`AKIA…: x`) is quoted by messages about unknown fields. The
            // shortest format (`sk_live_` and 10 characters) is 18 long.
            if name.len() < 18 && !name.contains("://") {
                continue;
            }
            for token in find_tokens(name) {
                let span = locate(&file.text, key.span(), name, token.start, token.end);
                out.push(SensitiveValue {
                    location: Some(FileSpan::new(file.id, span)),
                    text: name
                        .get(token.start..token.end)
                        .unwrap_or_default()
                        .to_owned(),
                });
            }
        }
    }
    for object in model
        .objects
        .iter()
        .filter(|o| o.file == file.id && o.kind == "Secret" && o.api_version == "v1")
    {
        let root = tree.value(object.node);
        for field in ["data", "stringData"] {
            let Some(map) = root.get(field).filter(|m| m.is_mapping()) else {
                continue;
            };
            for (key, value) in map.entries() {
                if key.as_str().is_some_and(names_a_public_value) {
                    continue;
                }
                scalar(value, &mut out);
                let decoded = (field == "data")
                    .then(|| value.as_str().and_then(base64_decode))
                    .flatten()
                    .and_then(|bytes| String::from_utf8(bytes).ok());
                if let Some(text) = decoded {
                    out.push(SensitiveValue {
                        location: None,
                        text,
                    });
                }
            }
        }
    }
    if !file.errors.is_empty() {
        out.extend(credentials_in_text(file));
    }
    out
}

/// Whether `name` holds a word [`secret_name`] needs (`pass`, `pwd`, `key`,
/// `token`, `secret`, `cred`): a check without allocation that passes over
/// nearly every key of a manifest before the word split.
fn may_name_a_secret(name: &str) -> bool {
    const PARTS: [&[u8]; 6] = [b"pass", b"pwd", b"key", b"token", b"secret", b"cred"];
    let name = name.as_bytes();
    PARTS.iter().any(|part| {
        name.windows(part.len())
            .any(|w| w.eq_ignore_ascii_case(part))
    })
}

/// Credentials of a known format and `password: literal` lines in the raw
/// text of a file, for files whose tree is incomplete.
fn credentials_in_text(file: &SourceFile) -> Vec<SensitiveValue> {
    let text = file.text.as_str();
    let mut ranges: Vec<(usize, usize)> = find_tokens(text)
        .into_iter()
        .map(|t| (t.start, t.end))
        .collect();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some((_, s, e)) = secret_assignment(content) {
            ranges.push((line_start + s, line_start + e));
        }
        line_start += line.len();
    }
    ranges
        .into_iter()
        .filter_map(|(start, end)| {
            let value = text.get(start..end)?;
            Some(SensitiveValue {
                location: Some(FileSpan::new(
                    file.id,
                    Span::new(pos_of(text, start), pos_of(text, end)),
                )),
                text: value.to_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use assay_span::FileId;
    use assay_yaml::Limits;

    fn values_of(text: &str) -> Vec<String> {
        let file = SourceFile::parse(
            FileId(0),
            "t.yaml".to_owned(),
            text.as_bytes(),
            &Limits::default(),
        );
        let model = Model::build(vec![file]);
        let mut values: Vec<String> = model
            .files
            .iter()
            .flat_map(|f| sensitive_values(&model, f))
            .map(|v| v.text)
            .collect();
        // A value may be sensitive twice (a Secret's `password`): the set dedups.
        values.sort();
        values.dedup();
        values
    }

    #[test]
    fn sensitive_fields_not_references() {
        let text = "\
apiVersion: v1
kind: Secret
metadata:
  name: db
data:
  username: cG9zdGdyZXM=
  password: aHVudGVyMi1ob3JzZQ==
stringData:
  api-key: plain-text-key
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
data:
  db_password: open-sesame
  password_file: /run/secrets/db
  secretName: db-creds
  tokenTTL: 3600s
";
        assert_eq!(
            values_of(text),
            [
                "aHVudGVyMi1ob3JzZQ==",
                "hunter2-horse",
                "open-sesame",
                "plain-text-key",
            ]
        );
    }

    #[test]
    fn the_prefilter_passes_every_secret_name() {
        for name in [
            "DB_PASSWORD",
            "passwd",
            "ADMIN_PWD",
            "db_pass",
            "API_KEY",
            "apiKey",
            "privateKey",
            "x-api-key",
            "accessToken",
            "client_secret",
            "secretKey",
            "credentials",
            "creds",
            "awsAccessKey",
        ] {
            assert!(secret_name(name).is_some(), "{name}");
            assert!(may_name_a_secret(name), "{name}");
        }
        assert!(!may_name_a_secret("image") && !may_name_a_secret("containerPort"));
    }

    #[test]
    fn credentials_in_keys_and_in_files_that_do_not_parse() {
        let key = ["AK", "IA", "Q3MZ7X2KD5WN4PLT"].concat();
        assert_eq!(
            values_of(&format!("{key}: x\n")),
            std::slice::from_ref(&key)
        );
        let broken = format!("a: [\"{key}\"\npassword: open-sesame\n");
        assert_eq!(values_of(&broken), [key, "open-sesame".to_owned()]);
    }
}
