//! `assay rules` and `assay explain`, both printed from the registry.

use crate::args::ListFormat;
use anyhow::{Result, bail};
use assay_rules::{PACKS, Rule, all_rules, find_rule, parse_doc};
use std::io::Write as _;
use std::process::ExitCode;

fn rule_json(rule: &dyn Rule) -> serde_json::Value {
    let m = rule.meta();
    serde_json::json!({
        "id": m.id,
        "name": m.name,
        "pack": m.pack(),
        "severity": m.severity.as_str(),
        "fix": m.fix.as_str(),
        "since": m.since,
        "summary": m.summary(),
    })
}

pub(crate) fn list(pack: Option<&str>, format: ListFormat) -> Result<ExitCode> {
    if let Some(p) = pack
        && !PACKS.iter().any(|k| k.prefix.eq_ignore_ascii_case(p))
    {
        let names: Vec<&str> = PACKS.iter().map(|k| k.prefix).collect();
        bail!("unknown pack `{p}` (packs: {})", names.join(", "));
    }
    let rules: Vec<&dyn Rule> = all_rules()
        .filter(|r| pack.is_none_or(|p| r.meta().pack().eq_ignore_ascii_case(p)))
        .collect();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match format {
        ListFormat::Json => {
            let list: Vec<_> = rules.iter().map(|r| rule_json(*r)).collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
        }
        ListFormat::Markdown => {
            writeln!(out, "| id | name | pack | severity | fix | summary |")?;
            writeln!(out, "|---|---|---|---|---|---|")?;
            for r in &rules {
                let m = r.meta();
                writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    m.id,
                    m.name,
                    m.pack(),
                    m.severity,
                    m.fix.as_str(),
                    m.summary()
                )?;
            }
        }
        ListFormat::Table => {
            let name_width = rules.iter().map(|r| r.meta().name.len()).max().unwrap_or(4);
            writeln!(
                out,
                "{:<8} {:<5} {:<8} {:<name_width$} SUMMARY",
                "ID", "PACK", "SEVERITY", "NAME"
            )?;
            for r in &rules {
                let m = r.meta();
                writeln!(
                    out,
                    "{:<8} {:<5} {:<8} {:<name_width$} {}",
                    m.id,
                    m.pack(),
                    m.severity.as_str(),
                    m.name,
                    m.summary()
                )?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The closest rule id, rule name or pack to `input`, if it is close enough.
pub(crate) fn did_you_mean(input: &str) -> Option<String> {
    let candidates = all_rules()
        .flat_map(|r| [r.meta().id, r.meta().name])
        .chain(PACKS.iter().map(|p| p.prefix));
    assay_diagnostics::closest(input, candidates).map(str::to_owned)
}

pub(crate) fn explain(id: &str, format: ListFormat) -> Result<ExitCode> {
    let Some(rule) = find_rule(id) else {
        let hint = did_you_mean(id)
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        bail!("unknown rule `{id}`{hint}; `assay rules` lists them");
    };
    let m = rule.meta();
    let doc = parse_doc(m.doc);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if format == ListFormat::Json {
        let mut value = rule_json(rule);
        if let Some(obj) = value.as_object_mut() {
            let sections: serde_json::Map<String, serde_json::Value> = doc
                .sections
                .iter()
                .map(|s| (s.title.clone(), serde_json::Value::String(s.body.clone())))
                .collect();
            obj.insert("sections".to_owned(), serde_json::Value::Object(sections));
            if let Some(extra) = rule.explain_extra() {
                obj.insert("extra".to_owned(), serde_json::Value::String(extra));
            }
        }
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
    } else {
        writeln!(out, "# {} {}", m.id, m.name)?;
        writeln!(out)?;
        writeln!(
            out,
            "pack {} · default severity {} · fix {} · since {}",
            m.pack(),
            m.severity,
            m.fix.as_str(),
            m.since
        )?;
        writeln!(out)?;
        writeln!(out, "{}", doc.summary)?;
        for section in &doc.sections {
            writeln!(out)?;
            writeln!(out, "## {}", section.title)?;
            writeln!(out)?;
            writeln!(out, "{}", section.body)?;
        }
        if let Some(extra) = rule.explain_extra() {
            writeln!(out)?;
            writeln!(out, "{}", extra.trim_end())?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(did_you_mean("YAML02"), Some("YAML002".to_owned()));
        assert_eq!(
            did_you_mean("duplicate-kye"),
            Some("duplicate-key".to_owned())
        );
        assert_eq!(did_you_mean("zzzzzzzzzz"), None);
    }
}
