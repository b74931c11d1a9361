//! The connection list in netpol-analyzer's formats (`txt`, `json`, `csv`,
//! `md`, `dot`) plus Mermaid; one function each, all deterministic.

use crate::Graph;
use crate::connectivity::{Connection, Connectivity, Endpoint, INGRESS_CONTROLLER};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The output formats of `assay connectivity`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Csv,
    Markdown,
    Dot,
    Mermaid,
}

impl Format {
    pub const NAMES: &'static [&'static str] = &["text", "json", "csv", "md", "dot", "mermaid"];

    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "text" | "txt" => Format::Text,
            "json" => Format::Json,
            "csv" => Format::Csv,
            "md" => Format::Markdown,
            "dot" => Format::Dot,
            "mermaid" => Format::Mermaid,
            _ => return None,
        })
    }
}

/// Render `connectivity` in `format`.
#[must_use]
pub fn render(graph: &Graph<'_>, connectivity: &Connectivity, format: Format) -> String {
    let conns = &connectivity.connections;
    match format {
        Format::Text => text(conns),
        Format::Json => json(conns),
        Format::Csv => csv(conns),
        Format::Markdown => markdown(conns),
        Format::Dot => dot(graph, conns),
        Format::Mermaid => mermaid(graph, conns),
    }
}

fn text(conns: &[Connection]) -> String {
    let mut out = String::with_capacity(conns.len() * 96);
    for c in conns {
        for part in [
            &*c.src_name,
            " => ",
            &*c.dst_name,
            " : ",
            &*c.conn_text,
            "\n",
        ] {
            out.push_str(part);
        }
    }
    out
}

fn json(conns: &[Connection]) -> String {
    let list: Vec<serde_json::Value> = conns
        .iter()
        .map(|c| {
            serde_json::json!({
                "src": &*c.src_name,
                "dst": &*c.dst_name,
                "conn": &*c.conn_text,
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".to_owned());
    out.push('\n');
    out
}

/// RFC 4180: quote a field holding a comma, quote or line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn csv(conns: &[Connection]) -> String {
    let mut out = String::from("src,dst,conn\n");
    for c in conns {
        let _ = writeln!(
            out,
            "{},{},{}",
            csv_field(&c.src_name),
            csv_field(&c.dst_name),
            csv_field(&c.conn_text)
        );
    }
    out
}

fn markdown(conns: &[Connection]) -> String {
    let mut out = String::from("| src | dst | conn |\n|-----|-----|------|\n");
    for c in conns {
        let _ = writeln!(out, "| {} | {} | {} |", c.src_name, c.dst_name, c.conn_text);
    }
    out
}

/// Every node drawn: workloads by namespace, then the others.
fn nodes(graph: &Graph<'_>, conns: &[Connection]) -> (BTreeMap<String, Vec<String>>, Vec<String>) {
    let mut by_namespace: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut others: Vec<String> = Vec::new();
    for w in &graph.workloads {
        by_namespace
            .entry(w.namespace.clone())
            .or_default()
            .push(w.id());
    }
    for c in conns {
        for (endpoint, name) in [(&c.src, &c.src_name), (&c.dst, &c.dst_name)] {
            if !matches!(endpoint, Endpoint::Workload(_)) && !others.iter().any(|o| **o == **name) {
                others.push(name.to_string());
            }
        }
    }
    others.sort();
    (by_namespace, others)
}

fn dot_quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn dot(graph: &Graph<'_>, conns: &[Connection]) -> String {
    let (by_namespace, others) = nodes(graph, conns);
    let mut out = String::from("digraph {\n");
    for (namespace, ids) in &by_namespace {
        let _ = writeln!(
            out,
            "\tsubgraph {} {{",
            dot_quote(&format!("cluster_{namespace}[namespace]"))
        );
        out.push_str("\t\tcolor=\"black\"\n\t\tfontcolor=\"black\"\n");
        for id in ids {
            let label = id
                .strip_prefix(&format!("{namespace}/"))
                .unwrap_or(id.as_str());
            let _ = writeln!(
                out,
                "\t\t{} [label={} color=\"blue\" fontcolor=\"blue\"]",
                dot_quote(id),
                dot_quote(label)
            );
        }
        let _ = writeln!(
            out,
            "\t\tlabel={}",
            dot_quote(&format!("{namespace}[namespace]"))
        );
        out.push_str("\t}\n");
    }
    for name in &others {
        let color = if name == INGRESS_CONTROLLER {
            "blue"
        } else {
            "red2"
        };
        let _ = writeln!(
            out,
            "\t{} [label={} color=\"{color}\" fontcolor=\"{color}\"]",
            dot_quote(name),
            dot_quote(name)
        );
    }
    for c in conns {
        let _ = writeln!(
            out,
            "\t{} -> {} [label={} color=\"gold2\" fontcolor=\"darkgreen\" weight=0.5]",
            dot_quote(&c.src_name),
            dot_quote(&c.dst_name),
            dot_quote(&c.conn_text)
        );
    }
    out.push_str("}\n");
    out
}

/// Mermaid node text: quotes and brackets would end the label early.
fn mermaid_label(text: &str) -> String {
    text.replace('"', "#quot;")
}

fn mermaid(graph: &Graph<'_>, conns: &[Connection]) -> String {
    let (by_namespace, others) = nodes(graph, conns);
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut out = String::from("flowchart LR\n");
    let mut next = 0usize;
    let mut id_of = |name: &str, ids: &mut BTreeMap<String, String>| {
        ids.entry(name.to_owned())
            .or_insert_with(|| {
                next += 1;
                format!("n{next}")
            })
            .clone()
    };
    for (namespace, names) in &by_namespace {
        let _ = writeln!(
            out,
            "  subgraph ns_{} [\"{}\"]",
            id_of(&format!("ns:{namespace}"), &mut ids),
            mermaid_label(namespace)
        );
        for name in names {
            let id = id_of(name, &mut ids);
            let _ = writeln!(out, "    {id}[\"{}\"]", mermaid_label(name));
        }
        out.push_str("  end\n");
    }
    for name in &others {
        let id = id_of(name, &mut ids);
        let _ = writeln!(out, "  {id}[\"{}\"]", mermaid_label(name));
    }
    for c in conns {
        let src = id_of(&c.src_name, &mut ids);
        let dst = id_of(&c.dst_name, &mut ids);
        let _ = writeln!(
            out,
            "  {src} -->|\"{}\"| {dst}",
            mermaid_label(&c.conn_text)
        );
    }
    out
}
