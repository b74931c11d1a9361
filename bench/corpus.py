#!/usr/bin/env python3
"""Throughput, linearity and memory of `assay check` over the shared corpus.

Run from the repository root:  python3 bench/corpus.py [CORPUS_DIR]
(default CORPUS_DIR: ../shared/corpus, the corpus beside the project).

Measures, in one run on this machine:
  1. bare YAML parsing of the same bytes with saphyr-parser events, single
     thread, from memory (the `bare_parse` example of assay-yaml);
  2. `assay check` of the whole corpus with all rules (whole process: walk,
     read, parse, model, rules, JSON report), median of 5 runs, peak RSS;
  3. the same over ten copies of the corpus (cost must stay linear: at most
     11x the single-copy time; peak memory at most 5x the input size);
  4. where the time goes: the phases `assay check` prints with
     ASSAY_TIMINGS=1 (walk, read+parse, model, crds, rules, report; median of
     5 runs), and the rules phase split into SEC detectors (they always run,
     to mask secrets: `--select SEC`), SCHEMA (`--select SCHEMA` minus SEC)
     and the other packs (the rest).
Prints a table and exits 1 when a target is missed.
"""
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ASSAY = os.path.join(ROOT, "target", "release", "assay")
RUNS = 5


def build():
    subprocess.run(["cargo", "build", "--release", "-q", "--bin", "assay"], cwd=ROOT, check=True)
    subprocess.run(
        ["cargo", "build", "--release", "-q", "-p", "assay-yaml", "--example", "bare_parse"], cwd=ROOT, check=True
    )


def input_bytes(corpus):
    total = 0
    for dirpath, _, names in os.walk(corpus):
        for name in names:
            if name.lower().endswith((".yaml", ".yml", ".json")):
                total += os.path.getsize(os.path.join(dirpath, name))
    return total


def run_check(corpus):
    """One whole-process run; returns (wall seconds, peak RSS bytes, report)."""
    cmd = [ASSAY, "check", corpus, "--no-config", "--format", "json", "--fail-on", "never"]
    # A fresh child each time: ru_maxrss of RUSAGE_CHILDREN is the max over waited children,
    # so measure in a helper process to keep runs independent.
    probe = (
        "import resource,subprocess,sys,time,json;"
        "t=time.perf_counter();p=subprocess.run(sys.argv[1:],capture_output=True);w=time.perf_counter()-t;"
        "r=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss;"
        "sys.stdout.write(json.dumps({'wall':w,'rss_kb':r,'code':p.returncode})+'\\n');"
        "sys.stdout.write(p.stdout.decode())"
    )
    out = subprocess.run([sys.executable, "-c", probe] + cmd, capture_output=True, check=True).stdout.decode()
    head, _, report = out.partition("\n")
    meta = json.loads(head)
    if meta["code"] not in (0, 1):
        sys.exit(f"assay exited {meta['code']}")
    return meta["wall"], meta["rss_kb"] * 1024, json.loads(report)


def median_check(corpus):
    runs = [run_check(corpus) for _ in range(RUNS + 1)][1:]  # first run warms the page cache
    wall = statistics.median(r[0] for r in runs)
    rss = max(r[1] for r in runs)
    return wall, rss, runs[-1][2]


def timed_phases(corpus, select=None):
    """Median per phase (ms) of RUNS runs with ASSAY_TIMINGS=1."""
    cmd = [ASSAY, "check", corpus, "--no-config", "--format", "json", "--fail-on", "never"]
    if select:
        cmd += ["--select", select]
    env = dict(os.environ, ASSAY_TIMINGS="1")
    runs = []
    for _ in range(RUNS):
        err = subprocess.run(cmd, capture_output=True, env=env, check=True).stderr.decode()
        line = next(l for l in err.splitlines() if l.startswith("assay: timings:"))
        runs.append({k: float(v.rstrip("ms")) for k, v in (p.split("=") for p in line.split()[2:])})
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def phase_rows(corpus):
    phases = timed_phases(corpus)
    sec = timed_phases(corpus, "SEC")["rules"]
    schema = max(timed_phases(corpus, "SCHEMA")["rules"] - sec, 0.0)
    other = max(phases["rules"] - sec - schema, 0.0)
    rows = [("where the time goes (ASSAY_TIMINGS=1, median ms)", "")]
    for name, ms in phases.items():
        rows.append((f"  {name}", f"{ms:.1f} ms"))
    rows += [
        ("    rules: SEC detectors", f"{sec:.1f} ms"),
        ("    rules: SCHEMA", f"{schema:.1f} ms"),
        ("    rules: other packs", f"{other:.1f} ms"),
    ]
    return rows


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "corpus")
    corpus = os.path.abspath(corpus)
    build()
    size = input_bytes(corpus)
    bare = json.loads(
        subprocess.run(
            [os.path.join(ROOT, "target", "release", "examples", "bare_parse"), corpus, "--passes", "5"],
            capture_output=True,
            check=True,
        ).stdout
    )
    bare_mbs = bare["bytes"] / bare["bare_parse_seconds"] / 1e6
    tree_mbs = bare["bytes"] / bare["tree_seconds"] / 1e6

    wall1, rss1, report = median_check(corpus)
    summary = report.get("summary", {})
    objects = summary.get("objects", 0)
    check_mbs = size / wall1 / 1e6

    with tempfile.TemporaryDirectory(prefix="assay-bench-") as tmp:
        for i in range(10):
            shutil.copytree(corpus, os.path.join(tmp, f"copy{i}"))
        wall10, rss10, _ = median_check(tmp)
    size10 = size * 10

    ratio_speed = check_mbs / bare_mbs
    ratio_linear = wall10 / wall1
    mem_ratio = rss10 / size10
    rows = [
        ("input (YAML/JSON bytes)", f"{size / 1e6:.2f} MB, {objects} objects"),
        ("bare parse (saphyr events, 1 thread)", f"{bare_mbs:.1f} MB/s"),
        ("assay-yaml tree (1 thread)", f"{tree_mbs:.1f} MB/s"),
        ("assay check, all rules (whole process)", f"{wall1 * 1000:.0f} ms, {check_mbs:.1f} MB/s, {objects / wall1:.0f} objects/s"),
        ("  speed vs bare parse (target >= 0.40)", f"{ratio_speed:.2f}"),
        ("  peak RSS", f"{rss1 / 1e6:.1f} MB"),
        ("assay check, 10 copies", f"{wall10 * 1000:.0f} ms ({size10 / 1e6:.1f} MB)"),
        ("  time vs one copy (target <= 11)", f"{ratio_linear:.2f}"),
        ("  peak RSS (target <= 5x input)", f"{rss10 / 1e6:.1f} MB = {mem_ratio:.2f}x input"),
    ] + phase_rows(corpus)
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    missed = [n for n, ok in [("speed", ratio_speed >= 0.40), ("linearity", ratio_linear <= 11), ("memory", mem_ratio <= 5)] if not ok]
    if missed:
        print("targets missed: " + ", ".join(missed))
        sys.exit(1)


if __name__ == "__main__":
    main()
