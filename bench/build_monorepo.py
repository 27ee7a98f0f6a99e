#!/usr/bin/env python3
"""Wall-clock and CPU time of `gitopsc build` on a synthetic monorepo
(bench/gen_monorepo.py, default 1,000 apps x 3 environments), against
kustomize in a loop (one `kubectl kustomize` per target, what a CI script
without gitopsc does) when kubectl is installed.

    bench/build_monorepo.py [--gitopsc target/release/gitopsc] [--apps N]
                            [--runs N] [--kustomize-sample N]

Two gitopsc figures: a build into a fresh output folder (the folder is
removed before each run, outside the timing), and a re-run over the output
of the previous one (nothing changed: gitopsc leaves the tree alone). Each
is the best of --runs, wall and CPU (user + system) taken separately, since
on a shared machine the wall time of one run varies far more than its CPU.

kustomize-in-a-loop is timed on a sample of targets (default 60) and scaled
to all targets; pass --kustomize-sample 0 to time every target. Prints one
line per measurement; the generated repository goes to a temporary folder.
"""
import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(cmd, **kw):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{r.stderr.decode(errors='replace')[-2000:]}")
    return wall, cpu


def main():
    p = argparse.ArgumentParser()
    target_dir = os.environ.get("CARGO_TARGET_DIR", os.path.join(HERE, "..", "target"))
    p.add_argument("--gitopsc", default=os.path.join(target_dir, "release", "gitopsc"))
    p.add_argument("--apps", type=int, default=1000)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--kustomize-sample", type=int, default=60)
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = os.path.join(tmp, "repo")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_monorepo.py"), repo, "--apps", str(a.apps)], check=True,
                       stdout=subprocess.DEVNULL)
        targets = [os.path.join(repo, "apps", app, "overlays", env)
                   for app in sorted(os.listdir(os.path.join(repo, "apps"))) for env in ("dev", "staging", "prod")]
        out = os.path.join(tmp, "rendered")
        env = dict(os.environ, GITOPSC_NO_PROGRESS="1")
        cmd = [a.gitopsc, "build", repo, "--out", out]
        fresh = []
        for _ in range(a.runs):
            shutil.rmtree(out, ignore_errors=True)
            fresh.append(timed(cmd, env=env))
        rerun = [timed(cmd, env=env) for _ in range(a.runs)]
        for label, runs in (("fresh output", fresh), ("re-run, output unchanged", rerun)):
            print(f"gitopsc build ({label}): {len(targets)} targets ({a.apps} apps x 3 envs) in "
                  f"{min(w for w, _ in runs):.2f} s wall, {min(c for _, c in runs):.2f} s CPU "
                  f"(best of {a.runs})")
        best = min(fresh)
        if shutil.which("kubectl"):
            sample = targets if a.kustomize_sample <= 0 else targets[:: max(1, len(targets) // a.kustomize_sample)]
            wall = cpu = 0.0
            for t in sample:
                w, c = timed(["kubectl", "kustomize", t])
                wall += w
                cpu += c
            scale = len(targets) / len(sample)
            print(f"kubectl kustomize in a loop: {len(sample)} of {len(targets)} targets in {wall:.2f} s wall; "
                  f"all targets ~{wall * scale:.1f} s wall, ~{cpu * scale:.1f} s CPU")
            print(f"speed-up (wall): ~{wall * scale / best[0]:.0f}x")
        else:
            print("kubectl not installed: no kustomize comparison")


if __name__ == "__main__":
    main()
