//! Rule documentation: parsed from the doc comment the rule declares.

/// One `## Title` section of a rule's doc.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocSection {
    pub title: String,
    pub body: String,
}

/// A rule's doc, as Markdown: the summary line and the sections in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleDoc {
    pub summary: String,
    pub sections: Vec<DocSection>,
}

impl RuleDoc {
    #[must_use]
    pub fn section(&self, title: &str) -> Option<&str> {
        self.sections
            .iter()
            .find(|s| s.title == title)
            .map(|s| s.body.as_str())
    }
}

/// The sections every rule doc has, in this order.
pub const REQUIRED_SECTIONS: [&str; 5] = [
    "What it checks",
    "Why it matters",
    "Example",
    "Fix",
    "References",
];

/// Doc comments keep the space after `///`; remove one leading space per line.
fn unindent(doc: &str) -> impl Iterator<Item = &str> {
    doc.lines().map(|l| l.strip_prefix(' ').unwrap_or(l))
}

/// Split a rule doc into its summary and sections.
#[must_use]
pub fn parse_doc(doc: &str) -> RuleDoc {
    let mut summary = String::new();
    let mut sections: Vec<DocSection> = Vec::new();
    let mut in_fence = false;
    for line in unindent(doc) {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if !in_fence && let Some(title) = line.strip_prefix("## ") {
            sections.push(DocSection {
                title: title.trim().to_owned(),
                body: String::new(),
            });
            continue;
        }
        match sections.last_mut() {
            Some(section) => {
                section.body.push_str(line);
                section.body.push('\n');
            }
            None if summary.is_empty() && !line.trim().is_empty() => {
                line.trim().clone_into(&mut summary)
            }
            None => {}
        }
    }
    for s in &mut sections {
        s.body = s.body.trim().to_owned();
    }
    RuleDoc { summary, sections }
}

/// A fenced YAML example from a rule's doc.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocExample {
    /// `true` for ```` ```yaml,expect_finding ````: exactly one finding of the rule.
    /// `false` for ```` ```yaml ````: no finding of the rule.
    pub expect_finding: bool,
    /// File name the example is checked as (`file=…` in the info string), default `example.yaml`.
    pub file_name: String,
    pub text: String,
}

/// Every `yaml` example block in the doc (other languages are ignored).
#[must_use]
pub fn doc_examples(doc: &str) -> Vec<DocExample> {
    let mut out = Vec::new();
    let mut current: Option<DocExample> = None;
    let mut in_other_fence = false;
    for line in unindent(doc) {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            if let Some(example) = current.take() {
                out.push(example);
            } else if in_other_fence {
                in_other_fence = false;
            } else {
                let mut parts = info.split(',').map(str::trim);
                if parts.next() == Some("yaml") {
                    let mut example = DocExample {
                        expect_finding: false,
                        file_name: "example.yaml".to_owned(),
                        text: String::new(),
                    };
                    for part in parts {
                        if part == "expect_finding" {
                            example.expect_finding = true;
                        } else if let Some(name) = part.strip_prefix("file=") {
                            name.clone_into(&mut example.file_name);
                        }
                    }
                    current = Some(example);
                } else {
                    in_other_fence = true;
                }
            }
            continue;
        }
        if let Some(example) = current.as_mut() {
            example.text.push_str(line);
            example.text.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_and_examples() {
        let doc = " Summary line.\n ## What it checks\n Things.\n ## Example\n ```yaml,expect_finding\n a: 1\n ## not a title\n ```\n ```yaml\n b: 2\n ```\n ```text\n c\n ```\n";
        let parsed = parse_doc(doc);
        assert_eq!(parsed.summary, "Summary line.");
        let titles: Vec<_> = parsed.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["What it checks", "Example"]);
        let examples = doc_examples(doc);
        assert_eq!(examples.len(), 2);
        assert!(examples[0].expect_finding);
        assert_eq!(examples[0].text, "a: 1\n## not a title\n");
        assert!(!examples[1].expect_finding);
    }
}
