#!/usr/bin/env python3
"""Agreement of assay with KICS's labelled Kubernetes samples.

Not part of CI. KICS (Checkmarx/kics, Apache-2.0) keeps, for each query,
`assets/queries/k8s/<query>/` with `metadata.json`, `query.rego` and
`test/positive*.{yaml,json}`, `test/negative*.{yaml,json}` and
`test/positive_expected_result.json` (the line of each expected result).
Check out KICS anywhere outside this repository (nothing of it is copied
here), build assay, then run from the repo root:

    cargo build --release          (or set ASSAY_BIN to another assay binary)
    python3 bench/kics-agreement.py /path/to/kics [--verbose] [--json]

How it scores. Every test file is checked alone (`assay check FILE`), as
KICS's own tests scan it. Each KICS query is mapped below to the assay rules
(ids, or a pack prefix such as `CP`) that check the same thing, or listed as
unmapped with the reason. For a mapped query:

- an expected positive is *found* when a finding of a mapped rule lies in the
  same object: the same file and the same YAML document (objects are one per
  document in these samples) as the expected line;
- a finding of a mapped rule in a negative file is a *false alarm* (counted
  once per negative document);
- a query mapped only to rules the binary does not have (`assay rules`) is
  *pending*: listed, left out of the totals.

Prints one line per query (found/expected, false alarms), the misses and
false alarms with assay's message (`--verbose`), the unmapped queries with
their reasons, then recall and false alarms over the mapped queries.
"""
import argparse
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ASSAY = os.environ.get("ASSAY_BIN", os.path.join(ROOT, "target", "release", "assay"))

# KICS query folder -> assay rule ids or pack prefixes that check the same thing.
MAPPED = {
    # Control-plane flags (pack CONTROLPLANE, ids CP…) and etcd (pack ETCD).
    "always_admit_admission_control_plugin_set": ["CP006"],
    "anonymous_auth_is_not_set_to_false": ["CP001", "CP017"],
    "audit_log_maxage_not_properly_set": ["CP005"],
    "audit_log_maxbackup_not_properly_set": ["CP005"],
    "audit_log_maxsize_not_properly_set": ["CP005"],
    "audit_log_path_not_set": ["CP005"],
    "audit_policy_file_not_defined": ["CP005"],
    "authorization_mode_node_not_set": ["CP002"],
    "authorization_mode_rbac_not_set": ["CP002"],
    "authorization_mode_set_to_always_allow": ["CP002", "CP018"],
    "bind_address_not_properly_set": ["CP015"],
    "client_certificate_authentication_not_setup_properly": ["CP019"],
    "insecure_bind_address_set": ["CP003"],
    "insecure_port_not_properly_set": ["CP003"],
    "kubelet_client_periodic_certificate_switch_disabled": ["CP022"],
    "kubelet_not_managing_ip_tables": ["CP025"],
    "kubelet_protect_kernel_defaults_set_to_false": ["CP021"],
    "kubelet_read_only_port_is_not_set_to_zero": ["CP020"],
    "kubelet_streaming_connection_timeout_disabled": ["CP024"],
    "namespace_lifecycle_admission_control_plugin_disabled": ["CP008"],
    "service_account_admission_control_plugin_disabled": ["CP008"],
    "node_restriction_admission_control_plugin_not_set": ["CP007"],
    "profiling_not_set_to_false": ["CP004"],
    "root_ca_file_not_defined": ["CP013"],
    "rotate_kubelet_server_certificate_not_active": ["CP016"],
    "service_account_key_file_not_properly_set": ["CP010"],
    "service_account_private_key_file_not_defined": ["CP010"],
    "service_account_lookup_set_to_false": ["CP009"],
    "terminated_pod_garbage_collector_threshold_not_properly_set": ["CP014"],
    "tls_connection_certificate_not_setup": ["CP019", "CP023"],
    "use_service_account_credentials_not_set_to_true": ["CP012"],
    # The samples are kube-apiserver/kubelet flags; etcd's own is ETCD011.
    "weak_tls_cipher_suites": ["CP011"],
    "auto_tls_set_to_true": ["ETCD007"],
    "peer_auto_tls_set_to_true": ["ETCD007"],
    "etcd_client_certificate_authentication_set_to_false": ["ETCD002"],
    "etcd_peer_client_certificate_authentication_set_to_false": ["ETCD005"],
    "etcd_tls_certificate_files_not_properly_set": ["ETCD001"],
    "etcd_peer_tls_certificate_files_not_properly_set": ["ETCD004"],
    "etcd_client_certificate_file_not_defined": ["ETCD012"],
    "etcd_tls_certificate_not_properly_configured": ["ETCD012"],
    "encryption_provider_config_is_not_defined": ["ETCD014"],
    "encryption_provider_not_properly_configured": ["ETCD015", "ETCD016", "ETCD018"],
    # RBAC and service accounts (packs RBAC and SA).
    "rbac_wildcard_in_rule": ["RBAC001"],
    "rbac_roles_with_read_secrets_permissions": ["RBAC002"],
    "service_account_allows_access_secrets": ["RBAC002"],
    "permissive_access_to_create_pods": ["RBAC003"],
    "rbac_roles_with_attach_permission": ["RBAC004"],
    "rbac_roles_with_exec_permission": ["RBAC004"],
    "rbac_roles_with_portforwarding_permissions": ["RBAC004"],
    "rbac_roles_with_impersonate_permission": ["RBAC005"],
    "rbac_roles_allow_privilege_escalation": ["RBAC006"],
    "cluster_admin_role_binding_with_super_user_permissions": ["RBAC011"],
    "role_binding_to_default_service_account": ["RBAC014"],
    # SA001 leaves pods on the default ServiceAccount to SA002, whose fix
    # includes `automountServiceAccountToken: false`.
    "service_account_token_automount_not_disabled": ["SA001", "SA002"],
    "service_account_name_undefined_or_empty": ["SA002"],
    # Container hardening.
    "container_is_privileged": ["HARD001"],
    "privilege_escalation_allowed": ["HARD002"],
    "containers_running_as_root": ["HARD003"],
    "net_raw_capabilities_not_being_dropped": ["HARD004"],
    "no_drop_capabilities_for_containers": ["HARD004"],
    "containers_with_added_capabilities": ["HARD005"],
    "containers_with_sys_admin_capabilities": ["HARD005"],
    "root_container_not_mounted_as_read_only": ["HARD006"],
    "shared_host_ipc_namespace": ["HARD007"],
    "shared_host_network_namespace": ["HARD007"],
    "shared_host_pid_namespace": ["HARD007"],
    "non_kube_system_pod_with_host_mount": ["HARD008", "HARD009", "HARD023"],
    "workload_mounting_with_sensitive_os_directory": ["HARD008", "HARD009", "HARD023"],
    "docker_daemon_socket_is_exposed_to_containers": ["HARD009"],
    "cpu_requests_not_set": ["HARD010"],
    "memory_requests_not_defined": ["HARD010"],
    "memory_limits_not_defined": ["HARD011"],
    "invalid_image": ["HARD012"],
    # A placeholder image (`$IMAGE`) is reported as unrendered (YAML009).
    "image_without_digest": ["HARD013", "YAML009"],
    "seccomp_profile_is_not_configured": ["HARD014"],
    "workload_host_port_not_specified": ["HARD015"],
    "cluster_allows_unsafe_sysctls": ["HARD016"],
    "container_runs_unmasked": ["HARD017"],
    "pod_or_container_without_security_context": ["HARD002", "HARD003", "HARD004", "HARD006", "HARD014"],
    # Secrets, references, scaling, API versions, validation, exposure.
    "secrets_as_environment_variables": ["SEC005"],
    "service_does_not_target_pod": ["GRAPH001", "GRAPH002", "GRAPH003", "GRAPH004"],
    "hpa_targets_invalid_object": ["GRAPH007"],
    "network_policy_is_not_targeting_any_pod": ["GRAPH012", "GRAPH013"],
    "statefulset_without_service_name": ["GRAPH009", "GRAPH014"],
    "hpa_targeted_deployments_with_configured_replica_count": ["SCALE002"],
    "object_is_using_a_deprecated_api_version": ["API001", "API002", "API003"],
    "metadata_label_is_invalid": ["VAL002"],
    "service_type_is_nodeport": ["NET001"],
    "service_with_external_load_balancer": ["NET001"],
}

PSP = "not applicable: PodSecurityPolicy was removed in Kubernetes 1.25; assay reports every PodSecurityPolicy object as a removed API (API001) and checks the same controls on the pods (HARD)"
# KICS query folder -> why no assay rule checks it.
UNMAPPED = {
    "net_raw_capabilities_disabled_for_psp": PSP,
    "not_limited_capabilities_for_pod_security_policy": PSP,
    "psp_allows_privilege_escalation": PSP,
    "psp_allows_sharing_host_ipc": PSP,
    "psp_allows_sharing_host_pid": PSP,
    "psp_containers_share_host_network_namespace": PSP,
    "psp_set_to_privileged": PSP,
    "psp_with_added_capabilities": PSP,
    "psp_with_unrestricted_access_to_host_path": PSP,
    "root_containers_admitted": PSP,
    "pod_security_policy_admission_control_plugin_not_set": PSP + "; the plugin no longer exists",
    "security_context_deny_admission_control_plugin_not_set": "not a real problem: SecurityContextDeny was deprecated and removed in Kubernetes 1.30; Pod Security admission (the HARD pack's controls) replaces it",
    "image_policy_webhook_admission_control_plugin_not_set": "out of scope: a site choice that needs an image-policy backend; the CIS Benchmark lists it as Manual (1.2.x)",
    "audit_policy_not_cover_key_security_concerns": "out of scope: judging an audit Policy's rules against the site's data classification",
    "cni_plugin_does_not_support_network_policies": "not applicable: the CNI is a cluster property; CLOUD004 reports it from a cluster profile (`--cluster-profile`)",
    "not_unique_certificate_authority": "out of scope: comparing CA files needs their content, which a deliverable does not carry (the flags only name paths)",
    "containers_run_with_low_uid": "not a real problem: a non-root UID below 10000 grants no privilege; running as root is HARD003",
    "cpu_limits_not_set": "not a real problem: CPU limits throttle without protecting neighbours; assay checks CPU/memory requests (HARD010) and memory limits (HARD011)",
    "cronjob_deadline_not_configured": "not a real problem: an unset startingDeadlineSeconds is the safe default; VAL008 reports values that can never start a Job",
    "dashboard_is_enabled": "not a real problem: deploying the Dashboard is a choice; its RBAC is what matters (RBAC pack)",
    "deployment_has_no_pod_anti_affinity": "not a real problem: an availability preference; spreading is a scheduling policy (topologySpreadConstraints or anti-affinity) that depends on the cluster",
    "statefulset_has_no_pod_anti_affinity": "not a real problem: an availability preference, as for Deployments",
    "deployment_without_pod_disruption_budget": "not a real problem: an availability policy; SCALE003 reports a budget that blocks every disruption",
    "statefulset_without_pod_disruption_budget": "not a real problem: an availability policy; SCALE003 reports a budget that blocks every disruption",
    "ensure_administrative_boundaries_between_resources": "not a real problem: objects without a namespace are placed by `kubectl -n` or the deploy tool",
    "using_unrecommended_namespace": "not a real problem: in a deliverable the namespace usually comes from the deploy command; kube-system objects are legitimate for cluster add-ons",
    "image_pull_policy_of_container_is_not_always": "not a real problem: with a pinned digest (HARD013) `IfNotPresent` pulls the same bytes; AlwaysPullImages is a cluster setting",
    "incorrect_volume_claim_access_mode_read_write_once": "not a real problem: ReadWriteOncePod or ReadWriteMany are valid choices for StatefulSet claims",
    "statefulset_requests_storage": "not a real problem: requesting storage is what volumeClaimTemplates are for",
    "liveness_probe_is_not_defined": "not a real problem: a liveness probe is often wrong to add (restarts under load); ROLLOUT004 reports a liveness probe identical to the readiness probe",
    "readiness_probe_is_not_configured": "out of scope: workers and jobs need none; ROLLOUT002 checks the probes that are written",
    "missing_app_armor_config": "not a real problem: the runtime's default AppArmor profile applies when none is set; HARD018 reports `unconfined`",
    "pod_misconfigured_network_policy": "out of scope: a policy choice; `assay connectivity` shows which pods no NetworkPolicy selects",
    "pod_or_container_without_limit_range": "out of scope: LimitRange is a namespace policy object that usually lives outside the application's deliverable",
    "pod_or_container_without_resource_quota": "out of scope: ResourceQuota is a namespace policy object that usually lives outside the application's deliverable",
    "ingress_controller_exposes_workload": "not a real problem: as labelled, KICS flags any Ingress routing to a Service; assay checks the route itself (INGRESS, GRAPH006)",
    "tiller_deployment_is_accessible_from_within_the_cluster": "not applicable: Helm 2's Tiller reached end of life in 2020",
    "tiller_is_deployed": "not applicable: Helm 2's Tiller reached end of life in 2020",
    "tiller_service_is_not_deleted": "not applicable: Helm 2's Tiller reached end of life in 2020",
    "volume_mount_with_os_directory_write_permissions": "not a real problem: as labelled; the `mountPath` (`/bin`, `/var/run`) is inside the container, whatever the volume is; what reaches the node is the volume's source, which HARD008/HARD009/HARD023 check",
    "shared_service_account": "not a real problem: a ServiceAccount shared by workloads matters through its rights, and the RBAC findings name every workload that runs as a bound ServiceAccount",
    "basic_auth_file_is_set": "not applicable: `--basic-auth-file` was removed in Kubernetes 1.19; the API server refuses to start with it",
    "kubelet_https_set_to_false": "not applicable: `--kubelet-https` was removed in Kubernetes 1.22 (the API server always uses HTTPS to kubelets)",
    "always_pull_images_admission_control_plugin_not_set": "out of scope: a site choice for multi-tenant clusters; the CIS Benchmark lists AlwaysPullImages as Manual (1.2.11)",
    "event_rate_limit_admission_control_plugin_not_set": "out of scope: needs a site-specific configuration file; the CIS Benchmark lists EventRateLimit as Manual (1.2.9)",
    "kubelet_event_qps_not_properly_set": "out of scope: a site-specific rate; the CIS Benchmark lists `--event-qps` as Manual (4.2.8)",
    "kubelet_hostname_override_is_set": "out of scope: some cloud providers require `--hostname-override`; the CIS Benchmark lists it as Manual (4.2.8)",
    "request_timeout_not_properly_set": "not a real problem: a longer `--request-timeout` is a tuning choice (CIS dropped the control)",
    "token_auth_file_is_set": "no counterpart yet (a gap of the CONTROLPLANE pack): token-auth-file (CIS 1.2.2): static token files cannot be revoked without a restart",
    "kubelet_certificate_authority_not_set": "no counterpart yet (a gap of the CONTROLPLANE pack): kubelet-certificate-authority (CIS 1.2.5): the API server does not verify kubelet serving certificates",
    "kubelet_client_certificate_or_key_not_set": "no counterpart yet (a gap of the CONTROLPLANE pack): kubelet-client-certificate/key (CIS 1.2.4): the API server cannot authenticate to kubelets",
    "secure_port_set_to_zero": "no counterpart yet (a gap of the CONTROLPLANE pack): `--secure-port=0` (CIS v1.6 1.2.20): the API server serves no HTTPS",
    "using_kubernetes_native_secret_management": "not a real problem: a recommendation to consider an external secret store, not a defect",
}

DOC_SEPARATOR = re.compile(r"^---")


def document_starts(path):
    """1-based first line of each YAML document (JSON: one document)."""
    starts = [1]
    if path.endswith(".json"):
        return starts
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if DOC_SEPARATOR.match(line) and number > 1:
                starts.append(number)
    return starts


KIND = re.compile(r"^kind:\s*[\"']?([A-Za-z]+)", re.MULTILINE)
# Positives inside these kinds test a removed API, not the pod-level check
# the query is mapped to; they are listed apart and left out of recall.
NOT_APPLICABLE_KINDS = {"PodSecurityPolicy": "PodSecurityPolicy was removed in Kubernetes 1.25 (API001)"}


def document_kinds(path, starts):
    """The `kind:` of each document (None when not found)."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        lines = handle.read().split("\n")
    kinds = []
    for i, start in enumerate(starts):
        end = starts[i + 1] - 1 if i + 1 < len(starts) else len(lines)
        found = KIND.search("\n".join(lines[start - 1 : end]))
        kinds.append(found.group(1) if found else None)
    return kinds


def document_of(starts, line):
    index = 0
    for i, start in enumerate(starts):
        if line >= start:
            index = i
    return index


def run_assay(path):
    out = subprocess.run(
        [ASSAY, "check", "--format", "json", "--fail-on", "never", "--no-config", path],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode not in (0, 1):
        return path, None, out.stderr.strip()
    return path, json.loads(out.stdout)["findings"], None


def rule_ids():
    out = subprocess.run([ASSAY, "rules", "--format", "json"], capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    rules = data["rules"] if isinstance(data, dict) else data
    return {r["id"] for r in rules}


def matches(rule, targets):
    return any(rule == t or (not t[-1].isdigit() and re.fullmatch(re.escape(t) + r"\d+", rule)) for t in targets)


def test_files(query_dir):
    test = os.path.join(query_dir, "test")
    if not os.path.isdir(test):
        return [], []
    names = sorted(os.listdir(test))
    pick = lambda prefix: [
        os.path.join(test, n) for n in names if n.startswith(prefix) and n.endswith((".yaml", ".yml", ".json")) and "expected_result" not in n
    ]
    return pick("positive"), pick("negative")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kics", help="a KICS checkout (its root, or assets/queries/k8s)")
    parser.add_argument("--verbose", action="store_true", help="print each miss and false alarm with assay's findings")
    parser.add_argument("--json", action="store_true", help="print the per-query results as JSON")
    args = parser.parse_args()

    base = args.kics
    if os.path.isdir(os.path.join(base, "assets", "queries", "k8s")):
        base = os.path.join(base, "assets", "queries", "k8s")
    queries = sorted(d for d in os.listdir(base) if os.path.isfile(os.path.join(base, d, "metadata.json")))
    known = rule_ids()

    files = []
    for query in queries:
        positives, negatives = test_files(os.path.join(base, query))
        files += positives + negatives
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = {path: (findings, error) for path, findings, error in pool.map(run_assay, files)}

    rows = []
    unmapped = []
    unlisted = []
    for query in queries:
        folder = os.path.join(base, query)
        if query in UNMAPPED:
            unmapped.append((query, UNMAPPED[query]))
            continue
        if query not in MAPPED:
            unlisted.append(query)
            continue
        targets = MAPPED[query]
        pending = not any(matches(r, targets) for r in known)
        positives, negatives = test_files(folder)
        expected_path = os.path.join(folder, "test", "positive_expected_result.json")
        with open(expected_path, encoding="utf-8") as handle:
            expected = json.load(handle)
        found, misses, skipped = 0, [], []
        for item in expected:
            name = item.get("fileName") or item.get("filename") or (os.path.basename(positives[0]) if len(positives) == 1 else "positive.yaml")
            path = os.path.join(folder, "test", name)
            findings, error = results.get(path, (None, "no such test file"))
            if findings is None:
                misses.append((name, item["line"], f"assay failed: {error}"))
                continue
            starts = document_starts(path)
            doc = document_of(starts, item["line"])
            kind = document_kinds(path, starts)[doc]
            if kind in NOT_APPLICABLE_KINDS:
                skipped.append((name, item["line"], NOT_APPLICABLE_KINDS[kind]))
                continue
            hits = [f for f in findings if matches(f["rule"], targets) and document_of(starts, f["line"]) == doc]
            if hits:
                found += 1
            else:
                seen = sorted({f"{f['rule']}@{f['line']}" for f in findings if document_of(starts, f["line"]) == doc})
                misses.append((name, item["line"], ", ".join(seen) or "no finding in that object"))
        alarms = []
        for path in negatives:
            findings, _ = results.get(path, (None, None))
            starts = document_starts(path)
            docs = {}
            for f in findings or []:
                if matches(f["rule"], targets):
                    docs.setdefault(document_of(starts, f["line"]), f)
            for f in docs.values():
                alarms.append((os.path.basename(path), f["line"], f"{f['rule']}: {f['message']}"))
        rows.append(
            {
                "query": query,
                "rules": targets,
                "pending": pending,
                "expected": len(expected) - len(skipped),
                "notApplicable": skipped,
                "found": found,
                "misses": misses,
                "falseAlarms": alarms,
                "negativeFiles": len(negatives),
            }
        )

    if args.json:
        json.dump({"mapped": rows, "unmapped": dict(unmapped), "unlisted": unlisted}, sys.stdout, indent=2)
        print()
        return 0

    for row in rows:
        status = "pending (no such rule in this build)" if row["pending"] else f"{row['found']}/{row['expected']} found, {len(row['falseAlarms'])} false alarms"
        print(f"{row['query']:<62} {'/'.join(row['rules']):<28} {status}")
        if args.verbose and not row["pending"]:
            for name, line, why in row["notApplicable"]:
                print(f"    n/a   {name}:{line}  ({why})")
            for name, line, seen in row["misses"]:
                print(f"    miss  {name}:{line}  (assay in that object: {seen})")
            for name, line, message in row["falseAlarms"]:
                print(f"    alarm {name}:{line}  {message}")
    print()
    print(f"unmapped queries ({len(unmapped)}):")
    for query, reason in unmapped:
        print(f"  {query}: {reason}")
    reasons = {}
    for _, reason in unmapped:
        category = reason.split(":")[0]
        reasons[category] = reasons.get(category, 0) + 1
    print("  by reason: " + "; ".join(f"{n} {category}" for category, n in sorted(reasons.items(), key=lambda kv: -kv[1])))
    if unlisted:
        print(f"queries in neither table ({len(unlisted)}): {', '.join(unlisted)}")
    scored = [r for r in rows if not r["pending"]]
    expected = sum(r["expected"] for r in scored)
    found = sum(r["found"] for r in scored)
    alarms = sum(len(r["falseAlarms"]) for r in scored)
    negatives = sum(r["negativeFiles"] for r in scored)
    pending = [r["query"] for r in rows if r["pending"]]
    print()
    print(f"queries: {len(queries)} ({len(rows)} mapped, of them {len(pending)} pending; {len(unmapped)} unmapped)")
    if expected:
        print(f"recall on mapped queries: {found}/{expected} = {100 * found / expected:.1f} % of expected positives found within their object")
    not_applicable = sum(len(r["notApplicable"]) for r in scored)
    if not_applicable:
        print(f"not applicable: {not_applicable} expected positives inside removed kinds (PodSecurityPolicy), left out of recall")
    print(f"false alarms: {alarms} (in {negatives} negative files of the scored queries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
