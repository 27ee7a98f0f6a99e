#!/usr/bin/env python3
"""Wall-clock and CPU time of `gitopsc diff` on a synthetic monorepo
(bench/gen_monorepo.py, default 1,000 apps x 3 environments) in git:

- small: one app's base changes (3 targets differ, the rest untouched);
- all: the component every overlay uses changes (every target differs);
- none: base == head (nothing to render).

    bench/diff.py [--gitopsc target/release/gitopsc] [--apps N] [--runs N] [--keep DIR]

Each case diffs two commits (`--base HEAD~1 --head HEAD` on a branch), so
no working-tree scan is involved; prints one line per case (best of N).
"""
import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GIT_ENV = dict(os.environ, GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@example.com",
               GIT_COMMITTER_NAME="b", GIT_COMMITTER_EMAIL="b@example.com")


def git(repo, *args):
    subprocess.run(["git", "-C", repo, *args], check=True, env=GIT_ENV,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def timed(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if r.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed:\n{r.stderr.decode(errors='replace')[-2000:]}")
    return wall, cpu, r.stdout.decode()


def edit(path, old, new):
    with open(path) as fh:
        text = fh.read()
    assert old in text, (path, old)
    with open(path, "w") as fh:
        fh.write(text.replace(old, new, 1))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--gitopsc", default=os.path.join(HERE, "..", "target", "release", "gitopsc"))
    p.add_argument("--apps", type=int, default=1000)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--keep", metavar="DIR",
                   help="build the repository in DIR (new) and keep it, e.g. to profile")
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = a.keep or os.path.join(tmp, "repo")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_monorepo.py"), repo, "--apps", str(a.apps)],
                       check=True, stdout=subprocess.DEVNULL)
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "initial")

        git(repo, "checkout", "-q", "-b", "small")
        edit(os.path.join(repo, "apps", "app0007", "base", "kustomization.yaml"), "HTTP_PORT=8080", "HTTP_PORT=8081")
        git(repo, "commit", "-qam", "small")

        git(repo, "checkout", "-q", "-b", "all", "main")
        edit(os.path.join(repo, "components", "vault-agent", "kustomization.yaml"),
             'agent-inject: "true"', 'agent-inject: "true"\n            vault.hashicorp.com/role: synthetic')
        git(repo, "commit", "-qam", "all")

        for case, head in (("none", "main"), ("small", "small"), ("all", "all")):
            best = None
            for _ in range(a.runs):
                wall, cpu, out = timed([a.gitopsc, "diff", repo, "--base", "main", "--head", head,
                                        "--format", "json"])
                best = (wall, cpu, out) if best is None or wall < best[0] else best
            import json
            rep = json.loads(best[2])
            print(f"gitopsc diff [{case}]: {len(rep['targets'])} targets changed, "
                  f"{rep['stats']['rendered']} of {rep['stats']['targets']} rendered; "
                  f"{best[0]:.2f} s wall, {best[1]:.2f} s CPU (best of {a.runs})")


if __name__ == "__main__":
    main()
