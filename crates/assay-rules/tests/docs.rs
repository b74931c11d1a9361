//! `docs/rules/` is generated from the registry and committed; this test fails
//! when it is stale. Regenerate with:
//! `ASSAY_UPDATE_DOCS=1 cargo test -p assay-rules --test docs`

use assay_rules::{PACKS, parse_doc};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

fn render() -> BTreeMap<String, String> {
    let mut pages = BTreeMap::new();
    let mut index = String::from(
        "# assay rules\n\nGenerated from the rule registry by `ASSAY_UPDATE_DOCS=1 cargo test -p assay-rules --test docs`; do not edit.\n",
    );
    for pack in PACKS {
        let _ = write!(
            index,
            "\n## {} — {}\n\n| id | name | severity | fix | summary |\n|---|---|---|---|---|\n",
            pack.prefix, pack.title
        );
        for rule in pack.rules {
            let m = rule.meta();
            let doc = parse_doc(m.doc);
            let _ = writeln!(
                index,
                "| [{id}]({id}.md) | {} | {} | {} | {} |",
                m.name,
                m.severity,
                m.fix.as_str(),
                doc.summary,
                id = m.id
            );
            let mut page = format!(
                "# {} {}\n\n{}\n\npack `{}` · default severity `{}` · fix `{}` · since {}\n",
                m.id,
                m.name,
                doc.summary,
                m.pack(),
                m.severity,
                m.fix.as_str(),
                m.since
            );
            for section in &doc.sections {
                let _ = write!(page, "\n## {}\n\n{}\n", section.title, section.body);
            }
            if let Some(extra) = rule.explain_extra() {
                let _ = write!(page, "\n{}\n", extra.trim_end());
            }
            pages.insert(format!("{}.md", m.id), page);
        }
    }
    pages.insert("index.md".to_owned(), index);
    pages
}

#[test]
fn generated_rule_docs_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules");
    let pages = render();
    if std::env::var_os("ASSAY_UPDATE_DOCS").is_some() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in &pages {
            std::fs::write(dir.join(name), text).unwrap();
        }
        return;
    }
    let mut stale = Vec::new();
    for (name, text) in &pages {
        if std::fs::read_to_string(dir.join(name)).ok().as_deref() != Some(text.as_str()) {
            stale.push(name.clone());
        }
    }
    let on_disk = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
    assert!(
        stale.is_empty() && on_disk == pages.len(),
        "docs/rules is stale ({stale:?}); run `ASSAY_UPDATE_DOCS=1 cargo test -p assay-rules --test docs`"
    );
}
