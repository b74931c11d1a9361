#!/usr/bin/env python3
"""Score assay's HARD pack on the Pod Security admission test data.

Not part of CI. kubernetes/pod-security-admission ships, for each level and
policy version, pods that admission must accept (`pass`) and reject (`fail`):
    test/testdata/{baseline,restricted}/v1.N/{pass,fail}/*.yaml
Fetch that repository yourself (its files are not committed here), build
assay, and run from the repo root:
    cargo build --release
    python3 bench/psa-agreement.py PATH/TO/pod-security-admission [--verbose]
PATH is the repository's root (or its test/testdata folder).

Each folder is checked with `--kubernetes-version 1.N --select HARD`. A file
is flagged at Baseline when a finding's message names the Baseline Pod
Security Standard; at Restricted when it names either standard (Restricted
includes Baseline). Scores: fail files flagged (target 100 %), pass files
flagged (target 0 %), per level, for 1.25 to 1.37; --verbose lists every
file on the wrong side with the findings.
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ASSAY = os.path.join(ROOT, "target", "release", "assay")
MARKERS = {
    "baseline": ("Baseline Pod Security Standard",),
    "restricted": ("Baseline Pod Security Standard", "Restricted Pod Security Standard"),
}


def flagged_files(folder, minor, level):
    out = subprocess.run(
        [ASSAY, "check", folder, "--no-config", "--select", "HARD", "-f", "json",
         "--fail-on", "never", "--kubernetes-version", f"1.{minor}"],
        capture_output=True, text=True, check=True,
    )
    report = json.loads(out.stdout)
    flagged = {}
    for f in report["findings"]:
        if any(m in f["message"] for m in MARKERS[level]):
            flagged.setdefault(os.path.basename(f["path"]), []).append(f"{f['rule']}: {f['message']}")
    return flagged


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    verbose = "--verbose" in sys.argv
    if not args:
        sys.exit(__doc__)
    data = args[0]
    if os.path.isdir(os.path.join(data, "test", "testdata")):
        data = os.path.join(data, "test", "testdata")
    wrong = []
    print(f"{'level':<11}{'fail flagged':>16}{'pass flagged':>16}")
    for level in ("baseline", "restricted"):
        totals = {"fail": [0, 0], "pass": [0, 0]}
        for minor in range(25, 38):
            for outcome in ("fail", "pass"):
                folder = os.path.join(data, level, f"v1.{minor}", outcome)
                if not os.path.isdir(folder):
                    continue
                files = sorted(f for f in os.listdir(folder) if f.endswith(".yaml"))
                flagged = flagged_files(folder, minor, level)
                totals[outcome][0] += sum(1 for f in files if f in flagged)
                totals[outcome][1] += len(files)
                for f in files:
                    if (f in flagged) != (outcome == "fail"):
                        wrong.append((level, minor, outcome, f, flagged.get(f, [])))
        (ff, fn), (pf, pn) = totals["fail"], totals["pass"]
        print(f"{level:<11}{ff:>6}/{fn:<4}{100 * ff / max(fn, 1):5.1f} %{pf:>6}/{pn:<4}{100 * pf / max(pn, 1):5.1f} %")
    print(f"\n{len(wrong)} files on the wrong side")
    for level, minor, outcome, f, why in wrong:
        print(f"  {level} 1.{minor} {outcome}/{f}")
        if verbose:
            for line in why:
                print(f"      {line}")


if __name__ == "__main__":
    main()
