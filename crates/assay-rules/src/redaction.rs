//! What the engine masks in every finding of a run, whichever rules are
//! selected: the secret ranges the `SEC` rules found (they always run) and
//! the values of sensitive fields. Every finding's texts then pass through
//! [`Secrets::render`], so no rule can print one, by omission or otherwise.

use crate::packs::sec::sensitive_values;
use assay_diagnostics::{Finding, Secrets};
use assay_model::Model;
use assay_span::{FileId, FileSpan, LineIndex, Span};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// The secrets of a run, and the source ranges code frames must mask
/// besides those the reported findings carry.
pub(crate) fn secrets_of<'f>(
    model: &Model,
    findings: impl Iterator<Item = &'f Finding>,
) -> (Secrets, Vec<FileSpan>) {
    let mut by_file: BTreeMap<FileId, Vec<Span>> = BTreeMap::new();
    for span in findings.flat_map(|f| &f.secrets) {
        by_file.entry(span.file).or_default().push(span.span);
    }
    let mut values: Vec<String> = Vec::new();
    for (file, spans) in by_file {
        let Some(source) = model.file(file) else {
            continue;
        };
        let index = LineIndex::new(&source.text);
        for span in spans {
            let text = index
                .offset(&source.text, span.start)
                .zip(index.offset(&source.text, span.end))
                .and_then(|(start, end)| source.text.get(start..end));
            if let Some(text) = text {
                values.push(text.to_owned());
            }
        }
    }
    let sensitive: Vec<_> = model
        .files
        .par_iter()
        .flat_map_iter(|file| sensitive_values(model, file))
        .collect();
    let mut masked = Vec::new();
    for value in sensitive {
        masked.extend(value.location);
        values.push(value.text);
    }
    (Secrets::new(values), masked)
}

#[cfg(test)]
#[path = "../tests/common/fakes.rs"]
#[allow(dead_code, unreachable_pub, clippy::all)]
mod fakes;

#[cfg(test)]
mod tests {
    use super::fakes;
    use crate::{Engine, Selection};
    use assay_model::{Model, SourceFile};
    use assay_span::FileId;
    use assay_yaml::Limits;

    /// A finding's text with every value quoted through `quote`, `code` or
    /// `plain` left out: what a rule wrote by hand.
    fn written_by_hand(text: &str) -> String {
        let mut out = String::new();
        let mut quoted = false;
        for c in text.chars() {
            match c {
                '\u{E000}'..='\u{E002}' | '\u{E004}' => quoted = true,
                '\u{E003}' => quoted = false,
                _ if !quoted => out.push(c),
                _ => {}
            }
        }
        out
    }

    /// Rules quote input values through the typed helpers, never by hand:
    /// credentials are written where rules quote values, and no finding's
    /// text (before redaction) holds one outside a quoted value. Object
    /// names (`Deployment shop/web`) are identifiers written by
    /// `ObjectView::display`; the canary test of the CLI covers a credential
    /// used as a kind, which the redaction pass masks.
    #[test]
    fn rules_never_format_a_raw_value() {
        let (text, secrets) = fakes::substitute(
            "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    build: {{fake:github-pat}}
spec:
  replicas: {{fake:github-pat}}
  {{fake:aws-access-key-id}}: unknown field
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: {{fake:github-pat}}
          imagePullPolicy: {{fake:gitlab-pat}}
          command: {{fake:github-pat}}
          securityContext:
            runAsNonRoot: {{fake:npm}}
            readOnlyRootFilesystem: {{fake:npm}}
            capabilities:
              add: [{{fake:stripe-live}}]
          ports:
            - containerPort: {{fake:npm}}
              hostPort: {{fake:google-api}}
          resources:
            limits:
              memory: {{fake:github-pat}}
      volumes:
        - name: host
          hostPath:
            path: /{{fake:github-pat}}
---
apiVersion: v1
kind: Servce
metadata:
  name: k
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
data:
  {{fake:aws-access-key-id}}: a
  {{fake:aws-access-key-id}}: b
",
        );
        let file = SourceFile::parse(
            FileId(0),
            "canary.yaml".to_owned(),
            text.as_bytes(),
            &Limits::default(),
        );
        let model = Model::build(vec![file]);
        let findings = Engine::new(Selection::default()).run_rules(&model);
        let mut problems = Vec::new();
        for f in &findings {
            let texts = [Some(&f.message), f.fix.as_ref(), f.object.as_ref()]
                .into_iter()
                .flatten()
                .chain(f.labels.iter().map(|l| &l.message));
            for text in texts {
                let by_hand = written_by_hand(text);
                if secrets.iter().any(|s| by_hand.contains(&s[4..])) {
                    problems.push(format!("{}: {text}", f.rule));
                }
            }
        }
        let rules: std::collections::BTreeSet<&str> = findings.iter().map(|f| f.rule).collect();
        assert!(rules.len() >= 15, "{rules:?}");
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
