#!/usr/bin/env python3
"""Compare `assay connectivity` with netpol-analyzer's expected connection lists.

Not run in CI. Fetch np-guard/netpol-analyzer yourself and extract its `tests/`
and `test_outputs/` folders, e.g.

    git --git-dir=PATH/TO/netpol-analyzer.git archive HEAD tests test_outputs | tar -x -C NPA

then run

    python3 bench/netpol-agreement.py NPA [--assay target/release/assay] [-v]

Every input folder under NPA/tests that has an expected
`test_outputs/connlist/<folder>_connlist_output.{json,txt}` and uses only
NetworkPolicy and core kinds (no AdminNetworkPolicy, Route, UDN, …) is run
through `assay connectivity --format json`. Both lists are normalised before
comparing: connection strings become per-protocol port sets, and external IP
ranges with the same peer and connection are merged (netpol-analyzer splits
them at every ipBlock boundary of the whole input; assay merges adjacent
ranges into the fewest).
"""
import argparse
import ipaddress
import json
import os
import re
import subprocess
import sys

CORE_KINDS = {
    "Namespace", "NamespaceList", "Pod", "PodList", "Deployment", "DeploymentList",
    "StatefulSet", "StatefulSetList", "DaemonSet", "DaemonSetList", "ReplicaSet",
    "ReplicaSetList", "ReplicationController", "ReplicationControllerList", "Job",
    "JobList", "CronJob", "CronJobList", "NetworkPolicy", "NetworkPolicyList",
    "Service", "ServiceList", "Ingress", "IngressList", "ConfigMap", "ConfigMapList",
    "Secret", "SecretList", "ServiceAccount", "ServiceAccountList", "List",
    "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding", "Endpoints",
    "PersistentVolumeClaim", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Node",
}
KIND_RE = re.compile(r'^\s*(?:-\s*)?"?kind"?\s*:\s*"?([A-Za-z]+)"?', re.M)
EXT_RE = re.compile(r"^(\d+\.\d+\.\d+\.\d+)-(\d+\.\d+\.\d+\.\d+)\[External\]$")


def kinds_of(folder):
    kinds = set()
    for root, _, files in os.walk(folder):
        for f in files:
            if f.endswith((".yaml", ".yml", ".json")):
                with open(os.path.join(root, f), errors="replace") as fh:
                    kinds.update(KIND_RE.findall(fh.read()))
    return kinds


def conn_set(text):
    """`TCP 80,443,UDP 53` → frozenset of (protocol, start, end) atoms."""
    text = text.strip()
    if text == "All Connections":
        text = "SCTP 1-65535,TCP 1-65535,UDP 1-65535"
    if text == "No Connections":
        return frozenset()
    out = {}
    proto = None
    for part in text.split(","):
        part = part.strip()
        if " " in part:
            proto, part = part.split(" ", 1)
        lo, _, hi = part.partition("-")
        out.setdefault(proto, []).append((int(lo), int(hi or lo)))
    norm = []
    for proto, ranges in out.items():
        ranges.sort()
        merged = []
        for lo, hi in ranges:
            if merged and lo <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
            else:
                merged.append((lo, hi))
        norm.extend((proto, lo, hi) for lo, hi in merged)
    return frozenset(norm)


def normalise(entries):
    """Set of (src, dst, conn) with external ranges merged per peer and conn."""
    plain, external = set(), {}
    for e in entries:
        src, dst, conn = e["src"], e["dst"], conn_set(e["conn"])
        ms, md = EXT_RE.match(src), EXT_RE.match(dst)
        if ms or md:
            m = ms or md
            lo = int(ipaddress.IPv4Address(m.group(1)))
            hi = int(ipaddress.IPv4Address(m.group(2)))
            key = ("in", dst, conn) if ms else ("out", src, conn)
            external.setdefault(key, []).append((lo, hi))
        else:
            plain.add((src, dst, conn))
    for (direction, peer, conn), ranges in external.items():
        ranges.sort()
        merged = []
        for lo, hi in ranges:
            if merged and lo <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
            else:
                merged.append((lo, hi))
        for lo, hi in merged:
            name = f"{ipaddress.IPv4Address(lo)}-{ipaddress.IPv4Address(hi)}[External]"
            plain.add((name, peer, conn) if direction == "in" else (peer, name, conn))
    return plain


def expected(npa, name):
    base = os.path.join(npa, "test_outputs", "connlist", f"{name}_connlist_output")
    if os.path.exists(base + ".json"):
        with open(base + ".json") as fh:
            return json.load(fh)
    if os.path.exists(base + ".txt"):
        out = []
        with open(base + ".txt") as fh:
            for line in fh:
                line = line.rstrip("\n")
                if " => " not in line:
                    continue
                src, rest = line.split(" => ", 1)
                dst, conn = rest.split(" : ", 1)
                out.append({"src": src, "dst": dst, "conn": conn})
        return out
    return None


def show(c):
    src, dst, conn = c
    text = ",".join(f"{p} {lo}-{hi}" if lo != hi else f"{p} {lo}" for p, lo, hi in sorted(conn))
    return f"{src} => {dst} : {text}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("npa", help="folder holding netpol-analyzer's tests/ and test_outputs/")
    ap.add_argument("--assay", default="target/release/assay")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every difference")
    args = ap.parse_args()
    tests = os.path.join(args.npa, "tests")
    same, differ, skipped = [], [], []
    for name in sorted(os.listdir(tests)):
        folder = os.path.join(tests, name)
        if not os.path.isdir(folder):
            continue
        want = expected(args.npa, name)
        if want is None:
            continue
        extra = kinds_of(folder) - CORE_KINDS
        if extra:
            skipped.append((name, sorted(extra)))
            continue
        run = subprocess.run([args.assay, "connectivity", folder, "--format", "json"],
                             capture_output=True, text=True)
        if run.returncode != 0:
            differ.append((name, [f"assay exited {run.returncode}: {run.stderr.strip()}"]))
            continue
        got = normalise(json.loads(run.stdout))
        exp = normalise(want)
        if got == exp:
            same.append(name)
        else:
            lines = [f"  only netpol-analyzer: {show(c)}" for c in sorted(exp - got, key=show)]
            lines += [f"  only assay:           {show(c)}" for c in sorted(got - exp, key=show)]
            differ.append((name, lines))
    total = len(same) + len(differ)
    print(f"identical: {len(same)}/{total} folders ({len(skipped)} skipped: non-core kinds)")
    for name, lines in differ:
        print(f"DIFFERENT {name} ({len(lines)} lines)")
        for line in lines if args.verbose else lines[:6]:
            print(line)
    return 0 if not differ else 1


if __name__ == "__main__":
    sys.exit(main())
