#!/usr/bin/env python3
"""Generates src/hydrate/kustomize/openapi/patch_metadata.txt.

The table holds only what strategic merge needs: for each Kubernetes type,
the fields that carry a patch strategy (and merge keys) or lead to a type
that does, plus the apiVersion/kind -> type index.

Which Kubernetes version: `kustomize build` (v5.8.1) decides list merging
from the schema it compiles in, Kubernetes v1.21.2 (kyaml/openapi). To give
the same output we take the facts from that schema: a kind kustomize does
not know gets no metadata (its lists are replaced, as kustomize does), and
kinds that later Kubernetes versions removed (extensions/v1beta1, ...) keep
theirs. The Kubernetes v1.34 definitions are read as a cross-check: the
script prints where they disagree, so a reviewer can see what a switch of
version would change.

Usage:
  scripts/gen_patch_metadata.py \
      [--kustomize-mirror /work/.mirror/kubernetes-sigs+kustomize/repo] \
      [--k8s-defs /work/shared/schemas-candidates/kubernetes/v1.34.0-local/_definitions.json] \
      > src/hydrate/kustomize/openapi/patch_metadata.txt
"""

import argparse
import gzip
import io
import json
import subprocess
import sys

BUNDLE = "kyaml/openapi/kubernetesapi/data/kubernetes-openapi-union-v1.21.2.bundle-v1.json.gz"

PREFIXES = [
    ("io.k8s.apimachinery.pkg.apis.", "~"),
    ("io.k8s.apimachinery.pkg.", "~~"),
    ("io.k8s.api.", ""),
]


def short(name):
    for long_prefix, abbrev in PREFIXES:
        if name.startswith(long_prefix):
            return abbrev + name[len(long_prefix):]
    return name


def ref_name(schema):
    ref = schema.get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref else None


def is_array(schema):
    # v1.34 definitions spell nullable lists as ["array", "null"].
    t = schema.get("type")
    return t == "array" or (isinstance(t, list) and "array" in t)


def strategy_and_keys(schema):
    """The patch strategy and merge keys, chosen as kyaml chooses them.

    Only lists use them when merging, and a `$ref` schema is replaced by the
    type it names (dropping extensions next to the ref), so only inline
    arrays count."""
    strategy = schema.get("x-kubernetes-patch-strategy")
    if not strategy or ref_name(schema) or not is_array(schema):
        return None, []
    if "x-kubernetes-list-map-keys" in schema:
        return strategy, list(schema["x-kubernetes-list-map-keys"])
    if "x-kubernetes-patch-merge-key" in schema:
        return strategy, [schema["x-kubernetes-patch-merge-key"]]
    return strategy, []


def field_target(defs, schema):
    """(shape, type) of a field: shape is '' (object ref), '[]' or '{}'."""
    if ref_name(schema):
        return "", ref_name(schema)
    if is_array(schema):
        items = schema.get("items") or {}
        return "[]", ref_name(items)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict) and ref_name(extra):
        return "{}", ref_name(extra)
    return None, None


def interesting_types(defs):
    """Types with patch metadata somewhere below them (a fixpoint)."""
    found = set()
    changed = True
    while changed:
        changed = False
        for name, d in defs.items():
            if name in found:
                continue
            for f in (d.get("properties") or {}).values():
                strategy, _ = strategy_and_keys(f)
                _, target = field_target(defs, f)
                if strategy or (target and target in found):
                    found.add(name)
                    changed = True
                    break
    return found


def field_lines(defs, name, keep):
    out = []
    for fname in sorted((defs[name].get("properties") or {})):
        f = defs[name]["properties"][fname]
        strategy, keys = strategy_and_keys(f)
        shape, target = field_target(defs, f)
        target_kept = target if target in keep else None
        if not strategy and not target_kept:
            continue
        if shape is None:
            shape = "[]" if is_array(f) else ""
        line = " %s %s%s" % (fname, shape, short(target_kept) if target_kept else ("" if shape else "-"))
        if strategy:
            line += " " + strategy
            if keys:
                line += " " + ",".join(keys)
        out.append(line)
    return out


def load_bundle(mirror):
    raw = subprocess.check_output(["git", "-C", mirror, "show", "HEAD:" + BUNDLE])
    return json.load(gzip.GzipFile(fileobj=io.BytesIO(raw)))


def cross_check(old, new):
    def meta(p):
        return strategy_and_keys(p)

    for name, d in sorted(old.items()):
        n = new.get(name)
        if not n:
            continue
        for fname, f in sorted((d.get("properties") or {}).items()):
            g = (n.get("properties") or {}).get(fname)
            if g is not None and meta(f) != meta(g):
                print("v1.34 differs: %s.%s %s -> %s" % (name, fname, meta(f), meta(g)), file=sys.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kustomize-mirror", default="/work/.mirror/kubernetes-sigs+kustomize/repo")
    ap.add_argument(
        "--k8s-defs",
        default="/work/shared/schemas-candidates/kubernetes/v1.34.0-local/_definitions.json",
    )
    args = ap.parse_args()

    bundle = load_bundle(args.kustomize_mirror)
    defs = bundle["definitions"]
    try:
        with open(args.k8s_defs) as f:
            cross_check(defs, json.load(f)["$defs"])
    except OSError as e:
        print("cross-check skipped: %s" % e, file=sys.stderr)

    keep = interesting_types(defs)
    print("# Strategic merge patch metadata of the Kubernetes types kustomize v5 knows")
    print("# (Kubernetes v1.21.2). Generated by scripts/gen_patch_metadata.py; do not edit.")
    print("# `@ apiVersion kind type` indexes resources; `-` marks a known type without")
    print("# metadata. A type line is followed by ` field shape+type [strategy [keys]]`,")
    print("# shape `[]` = list of, `{}` = map of; type `-` = none. `~` abbreviates")
    print("# io.k8s.apimachinery.pkg.apis., `~~` io.k8s.apimachinery.pkg., no prefix io.k8s.api.")
    # Resources are indexed by the definitions' group-version-kind extension,
    # as kyaml indexes them.
    gvks = set()
    for name, d in defs.items():
        for g in d.get("x-kubernetes-group-version-kind") or []:
            api_version = g["group"] + "/" + g["version"] if g.get("group") else g["version"]
            gvks.add((api_version, g["kind"], name))
    for api_version, kind, definition in sorted(gvks):
        print("@ %s %s %s" % (api_version, kind, short(definition) if definition in keep else "-"))
    for name in sorted(keep):
        print(short(name))
        for line in field_lines(defs, name, keep):
            print(line)


if __name__ == "__main__":
    main()
