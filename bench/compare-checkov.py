#!/usr/bin/env python3
"""Side-by-side: assay's HARD/SEC findings against Checkov's equivalent checks.

Not part of CI. Install the peer first (PyPI), then run from the repo root:
    python3 -m venv .venv && .venv/bin/pip install checkov
    cargo build --release
    python3 bench/compare-checkov.py [CORPUS_DIR]   (default ../shared/corpus/kubernetes)
(CHECKOV=/path/to/checkov uses a Checkov installed elsewhere.)

For each pair of equivalent checks it compares the set of objects flagged
(file, kind, namespace, name) and prints both counts, the agreement, and up to
five objects each tool flags alone, so every disagreement can be explained.
It also prints both tools' wall time, and the speed ratio of one Checkov run
against a whole-process `assay check` with every rule (median of 5 runs, in
the same run of this script, so both see the same machine load).
"""
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ASSAY = os.path.join(ROOT, "target", "release", "assay")
CHECKOV = os.environ.get("CHECKOV", os.path.join(ROOT, ".venv", "bin", "checkov"))
RUNS = 5

# Checkov id -> assay rule ids that flag the same problem. Only true
# equivalents are listed: where the two tools define a check differently
# (Checkov's CKV_K8S_28 "NET_RAW not dropped" vs assay's "ALL not dropped"),
# the pair is left out rather than compared unfairly.
PAIRS = {
    "CKV_K8S_16": ("privileged", {"HARD001"}),
    "CKV_K8S_19": ("hostNetwork", {"HARD007:hostNetwork"}),
    "CKV_K8S_17": ("hostPID", {"HARD007:hostPID"}),
    "CKV_K8S_18": ("hostIPC", {"HARD007:hostIPC"}),
    "CKV_K8S_26": ("hostPort", {"HARD015"}),
    "CKV_K8S_27": ("runtime socket mounted", {"HARD009"}),
    "CKV_K8S_20": ("allowPrivilegeEscalation", {"HARD002"}),
    "CKV_K8S_22": ("read-only root filesystem", {"HARD006"}),
    "CKV_K8S_31": ("seccomp profile", {"HARD014"}),
    "CKV_K8S_13": ("memory limit", {"HARD011"}),
    "CKV_K8S_14": ("image tag latest or none", {"HARD012"}),
    "CKV_K8S_43": ("image not pinned by digest", {"HARD012", "HARD013"}),
    "CKV_K8S_35": ("secret as env var", {"SEC005"}),
}


def object_key(path, kind, namespace, name):
    return (os.path.normpath(path), kind, namespace or "default", name)


def run_assay(corpus):
    start = time.perf_counter()
    out = subprocess.run(
        [ASSAY, "check", corpus, "--no-config", "--select", "HARD,SEC", "--format", "json"],
        capture_output=True, check=False,
    )
    elapsed = time.perf_counter() - start
    flagged = {}
    for f in json.loads(out.stdout)["findings"]:
        obj = f.get("object") or ""
        kind, _, rest = obj.partition(" ")
        namespace, _, name = rest.rpartition("/")
        rule = f["rule"]
        if rule == "HARD007":
            for field in ("hostNetwork", "hostPID", "hostIPC"):
                if f"`{field}: true`" in f["message"]:
                    rule = f"HARD007:{field}"
        key = object_key(os.path.relpath(f["path"], corpus), kind, namespace, name)
        flagged.setdefault(rule, set()).add(key)
    return flagged, elapsed


def time_assay_all_rules(corpus):
    """Median wall time of a whole-process check with every rule."""
    times = []
    for _ in range(RUNS + 1):
        start = time.perf_counter()
        subprocess.run(
            [ASSAY, "check", corpus, "--no-config", "--format", "json", "--fail-on", "never"],
            capture_output=True, check=True,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])  # the first run warms the page cache


def run_checkov(corpus):
    start = time.perf_counter()
    out = subprocess.run(
        [CHECKOV, "-d", corpus, "--framework", "kubernetes", "-o", "json", "--quiet", "--compact"],
        capture_output=True, check=False,
    )
    elapsed = time.perf_counter() - start
    reports = json.loads(out.stdout)
    if isinstance(reports, dict):
        reports = [reports]
    flagged = {}
    for report in reports:
        for f in report["results"]["failed_checks"]:
            kind, namespace, name = (f["resource"].split(".", 2) + ["", ""])[:3]
            path = f["file_path"].lstrip("/")
            key = object_key(path, kind, namespace, name)
            flagged.setdefault(f["check_id"], set()).add(key)
    return flagged, elapsed


def main():
    corpus = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "corpus", "kubernetes"))
    assay, assay_time = run_assay(corpus)
    checkov, checkov_time = run_checkov(corpus)
    print(f"wall time: assay {assay_time:.2f} s, checkov {checkov_time:.2f} s")
    all_rules = time_assay_all_rules(corpus)
    print(
        f"speed: assay check, all rules {all_rules * 1000:.0f} ms (median of {RUNS}), "
        f"checkov {checkov_time:.1f} s: {checkov_time / all_rules:.0f}x"
    )
    print(f"{'check':32} {'checkov':>8} {'assay':>8} {'both':>8}")
    for check_id, (title, rules) in PAIRS.items():
        theirs = checkov.get(check_id, set())
        ours = set().union(*(assay.get(r, set()) for r in rules))
        both = theirs & ours
        print(f"{title:32} {len(theirs):8} {len(ours):8} {len(both):8}")
        for label, only in (("checkov only", theirs - ours), ("assay only", ours - theirs)):
            for key in sorted(only)[:5]:
                print(f"    {label}: {key[0]} {key[1]} {key[2]}/{key[3]}")


if __name__ == "__main__":
    main()
