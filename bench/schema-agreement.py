#!/usr/bin/env python3
"""Agreement of assay's SCHEMA pack with kubernetes-validate (not part of CI).

Run from the repository root, with kubernetes-validate installed:

    python3 -m venv .venv && .venv/bin/pip install kubernetes-validate
    cargo build --release -p assay-cli
    .venv/bin/python bench/schema-agreement.py [CORPUS_DIR] [VERSION ...]

(default CORPUS_DIR ../shared/corpus/kubernetes, versions 1.29 and 1.37).
Every Kubernetes object (YAML document with apiVersion and kind) is validated
by kubernetes-validate in strict mode and by `assay check --select SCHEMA`;
an object is "invalid" for assay when a SCHEMA001, YAML006 or YAML007
finding lies within its document (SCHEMA001 leaves YAML 1.1 booleans in
string fields and quoted numbers in port fields to those two rules),
"unknown-kind" with SCHEMA002, "no-schema" with SCHEMA003, and "api-pack"
when kubernetes-validate has no schema and assay reports nothing (removed
apiVersions, left to the API pack). kubernetes-validate's "no-schema" agrees
with unknown-kind, no-schema and api-pack. Prints agreement per version and each disagreement.
Reads assay's JSON report when it has a `findings` array, else the plain
`path:line:col: severity[RULE] message` lines.
"""
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict

import kubernetes_validate
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ASSAY = os.path.join(ROOT, "target", "release", "assay")
LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>\w+)\[(?P<rule>[A-Z]+\d+)\] (?P<msg>.*)$")


def documents(path):
    """(start line, end line, data) of each document with apiVersion and kind."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
        datas = list(yaml.safe_load_all(text))
    except Exception:  # noqa: BLE001 - unreadable for PyYAML: skip the file
        return []
    out = []
    for node, data in zip(nodes, datas):
        if node is None or not isinstance(data, dict):
            continue
        if "apiVersion" not in data or "kind" not in data or data["kind"].endswith("List"):
            continue
        out.append((node.start_mark.line + 1, node.end_mark.line + 1, data))
    return out


def assay_findings(corpus, version):
    cmd = [ASSAY, "check", "--no-config", "--select", "SCHEMA,YAML006,YAML007", "--fail-on", "never",
           "--kubernetes-version", version, "--format", "json", corpus]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
    findings = []
    try:
        report = json.loads(out)
        for f in report.get("findings", []):
            loc = f.get("location", {})
            findings.append((os.path.normpath(loc.get("path", f.get("path", ""))),
                             int(loc.get("line", f.get("line", 0))), f.get("rule"), f.get("message")))
        return findings
    except (ValueError, AttributeError):
        pass
    cmd[cmd.index("json")] = "text"
    cmd.insert(2, "--concise")
    out = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
    for line in out.splitlines():
        m = LINE.match(line)
        if m:
            findings.append((os.path.normpath(m["path"]), int(m["line"]), m["rule"], m["msg"]))
    return findings


def kv_verdict(data, version):
    try:
        kubernetes_validate.validate(data, version, strict=True)
        return "valid", ""
    except kubernetes_validate.SchemaNotFoundError:
        return "no-schema", ""
    except kubernetes_validate.ValidationError as e:
        path = ".".join(str(p) for p in e.path)
        return "invalid", f"{path}: {e.message[:150]}"
    except Exception as e:  # noqa: BLE001
        return "error", str(e)[:150]


def agrees(kv, assay):
    if kv == "no-schema":
        return assay in ("unknown-kind", "no-schema", "api-pack")
    return kv == assay


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "corpus", "kubernetes")
    versions = sys.argv[2:] or ["1.29", "1.37"]
    files = []
    for dirpath, _, names in os.walk(corpus):
        for name in sorted(names):
            if name.endswith((".yaml", ".yml", ".json")):
                files.append(os.path.normpath(os.path.join(dirpath, name)))
    docs = {path: documents(path) for path in sorted(files)}
    for version in versions:
        by_file = defaultdict(list)
        for path, line, rule, msg in assay_findings(corpus, version):
            by_file[path].append((line, rule, msg))
        tally = Counter()
        disagreements = []
        for path, items in docs.items():
            for start, end, data in items:
                kv, why = kv_verdict(data, version)
                found = [(r, m, ln) for ln, r, m in by_file.get(path, []) if start <= ln <= end]
                rules = {r for r, _, _ in found}
                if rules & {"SCHEMA001", "YAML006", "YAML007"}:
                    assay = "invalid"
                elif "SCHEMA002" in rules:
                    assay = "unknown-kind"
                elif "SCHEMA003" in rules:
                    assay = "no-schema"
                elif kv == "no-schema":
                    assay = "api-pack"
                else:
                    assay = "valid"
                tally[(kv, assay)] += 1
                if not agrees(kv, assay):
                    disagreements.append((path, start, data.get("kind"), kv, why, assay, found[:2]))
        total = sum(tally.values())
        agree = sum(n for (k, a), n in tally.items() if agrees(k, a))
        print(f"== Kubernetes {version}: {total} objects, agreement {agree}/{total} ({100 * agree / max(total, 1):.1f}%)")
        for (k, a), n in sorted(tally.items()):
            print(f"   kubernetes-validate {k:10} assay {a:13} {n}")
        for path, line, kind, kv, why, assay, found in disagreements:
            print(f"   {path}:{line} {kind}: kubernetes-validate {kv} {why!r}; assay {assay} {found}")


if __name__ == "__main__":
    main()
