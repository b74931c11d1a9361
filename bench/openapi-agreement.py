#!/usr/bin/env python3
"""Agreement and speed: assay's OPENAPI pack against Spectral's OWASP ruleset.

Not part of CI. Install the peer into a folder OUTSIDE the repository:
    mkdir -p ~/spectral-owasp && cd ~/spectral-owasp
    npm i @stoplight/spectral-cli @stoplight/spectral-owasp-ruleset
then, from the repository root:
    cargo build --release
    python3 bench/openapi-agreement.py ~/spectral-owasp [CORPUS_DIR]
(default CORPUS_DIR: ../shared/corpus/openapi).

For each pair of equivalent rules (Spectral rule ids -> assay rule ids) it
prints how many findings each tool made, and which files and operations were
flagged by both, only by Spectral, only by assay, with up to three samples of
each disagreement. Operations are matched by method and path (`PUT /pet`);
an assay finding grouped at document level (`none of its 24 operations ...`)
covers every operation of its file. Spectral rules with no assay counterpart
and assay rules with no Spectral counterpart are counted separately. Last, it
prints both tools' wall time and CPU time over the same files in the same run
(median of three runs each).
"""
import collections
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ASSAY = os.path.join(ROOT, "target", "release", "assay")

# Spectral rule (without the `owasp:` prefix) -> assay rules that check the same thing.
PAIRS = [
    ("API1 numeric ids", ["api1:2023-no-numeric-ids"], ["OPENAPI010"]),
    ("API2 http basic / insecure schemes", ["api2:2023-no-http-basic", "api2:2023-auth-insecure-schemes"], ["OPENAPI003"]),
    ("API2 api key in url", ["api2:2023-no-api-keys-in-url"], ["OPENAPI004"]),
    ("API2 credentials in url", ["api2:2023-no-credentials-in-url"], ["OPENAPI008"]),
    ("API2 unauthenticated operations", ["api2:2023-write-restricted", "api2:2023-read-restricted"], ["OPENAPI002"]),
    ("API3 open objects", ["api3:2023-no-additionalProperties", "api3:2023-constrained-additionalProperties", "api3:2023-no-unevaluatedProperties", "api3:2023-constrained-unevaluatedProperties"], ["OPENAPI011"]),
    ("API4 rate limiting", ["api4:2023-rate-limit", "api4:2023-rate-limit-retry-after", "api4:2023-rate-limit-responses-429"], ["OPENAPI018"]),
    ("API4 arrays", ["api4:2023-array-limit"], ["OPENAPI015"]),
    ("API4 strings", ["api4:2023-string-limit", "api4:2023-string-restricted"], ["OPENAPI014"]),
    ("API4 numbers", ["api4:2023-integer-limit", "api4:2023-integer-limit-legacy", "api4:2023-integer-format"], ["OPENAPI016"]),
    ("API5 admin security", ["api5:2023-admin-security-unique"], ["OPENAPI013"]),
    ("API7 url inputs", ["api7:2023-concerning-url-parameter"], ["OPENAPI020"]),
    ("API8 plain http", ["api8:2023-no-scheme-http", "api8:2023-no-server-http"], ["OPENAPI021"]),
    ("API8 401 responses", ["api8:2023-define-error-responses-401"], ["OPENAPI022"]),
    ("API9 server inventory", ["api9:2023-inventory-access", "api9:2023-inventory-environment"], ["OPENAPI025"]),
]

METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
OPERATION = re.compile(r"^[A-Z]+ /")


def corpus_files(corpus):
    out = []
    for folder, _, names in os.walk(corpus):
        for name in names:
            if name.endswith((".yaml", ".yml", ".json")):
                out.append(os.path.join(folder, name))
    return sorted(out)


def timed(cmd):
    """Run cmd; return (stdout, wall seconds, CPU seconds of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return proc.stdout, wall, cpu


def median_run(cmd, runs=3):
    results = [timed(cmd) for _ in range(runs)]
    return results[0][0], statistics.median(r[1] for r in results), statistics.median(r[2] for r in results)


def spectral_subject(path):
    if len(path) >= 3 and path[0] == "paths" and str(path[2]).lower() in METHODS:
        return f"{str(path[2]).upper()} {path[1]}"
    return "document"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    spectral_dir = os.path.abspath(sys.argv[1])
    corpus = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "..", "shared", "corpus", "openapi"))
    spectral = os.path.join(spectral_dir, "node_modules", ".bin", "spectral")
    ruleset = os.path.join(spectral_dir, "owasp-ruleset.yaml")
    with open(ruleset, "w") as f:
        f.write('extends:\n  - "@stoplight/spectral-owasp-ruleset"\n')
    files = corpus_files(corpus)

    s_out, s_wall, s_cpu = median_run([spectral, "lint", "--ruleset", ruleset, "-f", "json", "--quiet", *files])
    a_out, a_wall, a_cpu = median_run([ASSAY, "check", "--select", "OPENAPI", "--no-config", "-f", "json", corpus])
    spectral_findings = json.loads(s_out or "[]")
    assay_findings = json.loads(a_out)["findings"]

    s_by = collections.defaultdict(set)
    s_count = collections.Counter()
    for f in spectral_findings:
        code = f["code"].removeprefix("owasp:")
        source = os.path.relpath(f["source"], corpus)
        s_by[code].add((source, spectral_subject(f["path"])))
        s_count[code] += 1
    a_by = collections.defaultdict(set)
    a_count = collections.Counter()
    for f in assay_findings:
        source = os.path.relpath(os.path.abspath(f["path"]), corpus)
        obj = f.get("object") or ""
        subject = obj if OPERATION.match(obj) else "document"
        a_by[f["rule"]].add((source, subject))
        a_count[f["rule"]] += 1

    print(f"corpus: {corpus} ({len(files)} files)\n")
    paired_spectral, paired_assay = set(), set()
    for title, s_rules, a_rules in PAIRS:
        paired_spectral.update(s_rules)
        paired_assay.update(a_rules)
        s = set().union(*(s_by[r] for r in s_rules))
        a = set().union(*(a_by[r] for r in a_rules))
        s_files = {f for f, _ in s}
        a_files = {f for f, _ in a}
        # An assay finding at document level covers the whole file.
        a_doc = {f for f, subj in a if subj == "document"}
        s_doc = {f for f, subj in s if subj == "document"}
        both = {x for x in s if x in a or x[0] in a_doc or (x[1] == "document" and x[0] in a_files)}
        only_s = sorted(s - both)
        only_a = sorted(x for x in a if not (x in s or x[0] in s_doc or (x[1] == "document" and x[0] in s_files)))
        print(f"== {title}: Spectral {', '.join(s_rules)} ({sum(s_count[r] for r in s_rules)} findings) "
              f"vs assay {', '.join(a_rules)} ({sum(a_count[r] for r in a_rules)} findings)")
        print(f"   files: both {len(s_files & a_files)}, only Spectral {len(s_files - a_files)}, only assay {len(a_files - s_files)}")
        print(f"   subjects: both {len(both)}, only Spectral {len(only_s)}, only assay {len(only_a)}")
        for label, items in (("only Spectral", only_s), ("only assay", only_a)):
            for file, subject in items[:3]:
                print(f"     {label}: {file} {subject}")
    print("\n== Spectral rules without an assay counterpart")
    for code in sorted(set(s_count) - paired_spectral):
        print(f"   {code}: {s_count[code]} findings in {len({f for f, _ in s_by[code]})} files")
    print("\n== assay rules without a Spectral counterpart")
    for rule in sorted(set(a_count) - paired_assay):
        print(f"   {rule}: {a_count[rule]} findings in {len({f for f, _ in a_by[rule]})} files")
    print(f"\n== time over the same {len(files)} files (median of 3 runs)")
    print(f"   Spectral: wall {s_wall:.2f} s, CPU {s_cpu:.2f} s, {len(spectral_findings)} findings")
    print(f"   assay:    wall {a_wall:.3f} s, CPU {a_cpu:.3f} s, {len(assay_findings)} findings")
    print(f"   assay / Spectral: wall {a_wall / s_wall:.3f}, CPU {a_cpu / s_cpu:.3f}")


if __name__ == "__main__":
    main()
