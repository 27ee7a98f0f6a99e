#!/usr/bin/env python3
"""Cost of the built-in policy pack (POL001-POL013) over 10,000 rendered
resources.

    bench/policy_pack.py [--gitopsc target/release/gitopsc] [--resources 10000] [--apps 40] [--runs 5]

Generates a monorepo under a temporary directory: APPS apps in dev, staging
and prod (`apps/*/overlays/{env}`), each overlay rendering RESOURCES / (3 x
APPS) resources: Deployments (half of them with 3 replicas), Services,
ConfigMaps, PodDisruptionBudgets, NetworkPolicies, Ingresses, in roughly
equal parts, most of them compliant, some not. Times `gitopsc check` with
hyperfine (or the script's own clock when hyperfine is absent) twice: with
the pack (`policy: {builtin: true}`) and without it (`builtin: false`); the
difference is what the pack costs. Target: under 2 s on 2 cores.

Build gitopsc first: cargo build --release (set CARGO_TARGET_DIR as usual).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{i}
  labels:
    app.kubernetes.io/name: web-{i}
    app.kubernetes.io/part-of: app-{a}
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app.kubernetes.io/name: web-{i}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web-{i}
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
      initContainers:
      - name: migrate
        image: registry.example.com/migrate:1.0.{i}
        resources:
          limits: {{cpu: 200m, memory: 64Mi}}
          requests: {{cpu: 50m, memory: 32Mi}}
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
      containers:
      - name: web
        image: registry.example.com/web:1.2.{i}
        ports:
        - containerPort: 8080
        livenessProbe:
          httpGet: {{path: /healthz, port: 8080}}
        readinessProbe:
          httpGet: {{path: /ready, port: 8080}}
        resources:
          limits: {{cpu: 500m, memory: 256Mi}}
          requests: {{cpu: 100m, memory: 128Mi}}
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: {readonly}
---
"""
SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: web-{i}
spec:
  ports:
  - port: 80
    targetPort: 8080
  selector:
    app.kubernetes.io/name: web-{i}
---
"""
CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: web-{i}
data:
  LOG_LEVEL: info
  FEATURE: "{i}"
---
"""
PDB = """apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web-{i}
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: web-{i}
---
"""
NETPOL = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-web-{i}
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: web-{i}
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: ingress-nginx
  policyTypes: [Ingress]
---
"""
INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web-{i}
spec:
  ingressClassName: nginx
  rules:
  - host: web-{i}.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service: {{name: web-{i}, port: {{number: 80}}}}
  tls:
  - hosts: [web-{i}.example.com]
    secretName: web-{i}-tls
---
"""
DENY = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
spec:
  podSelector: {}
  policyTypes: [Ingress]
"""
ENVS = ["dev", "staging", "prod"]


def generate(root, resources, apps):
    per_target = max(6, resources // (len(ENVS) * apps))
    groups = per_target // 6
    total = 0
    for a in range(apps):
        for env in ENVS:
            d = os.path.join(root, "apps", f"app-{a}", "overlays", env)
            os.makedirs(d)
            docs = []
            for g in range(groups):
                i = a * 100000 + g
                docs.append(DEPLOYMENT.format(i=i, a=a, replicas=3 if g % 2 else 1,
                                              readonly="false" if g % 10 == 0 else "true"))
                docs += [t.format(i=i) for t in (SERVICE, CONFIGMAP, PDB, NETPOL, INGRESS)]
            docs.append(DENY)
            total += groups * 6 + 1
            with open(os.path.join(d, "resources.yaml"), "w") as f:
                f.write("".join(docs))
            with open(os.path.join(d, "kustomization.yaml"), "w") as f:
                f.write(f"namespace: app-{a}-{env}\nresources:\n- resources.yaml\n")
    return total


def config(root, builtin):
    with open(os.path.join(root, "gitopsc.yaml"), "w") as f:
        f.write("environments:\n  dev:\n  staging:\n  prod:\n")
        f.write("apps:\n- path: apps/*/overlays/{env}\n")
        f.write(f"policy:\n  builtin: {'true' if builtin else 'false'}\n")


def timed(cmd, runs):
    best = None
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    return best


def hyperfine(cmd, runs, root):
    out = os.path.join(root, "hyperfine.json")
    subprocess.run(["hyperfine", "--warmup", "1", "--runs", str(runs), "-N",
                    "--export-json", out, "--ignore-failure", " ".join(cmd)],
                   check=True, stdout=subprocess.DEVNULL)
    with open(out) as f:
        r = json.load(f)["results"][0]
    return r["mean"], r["min"]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--gitopsc", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "release", "gitopsc"))
    p.add_argument("--resources", type=int, default=10000)
    p.add_argument("--apps", type=int, default=40)
    p.add_argument("--runs", type=int, default=5)
    a = p.parse_args()
    if not os.path.exists(a.gitopsc):
        sys.exit(f"error: {a.gitopsc} not found (cargo build --release first)")
    root = tempfile.mkdtemp(prefix="gitopsc-policy-bench.")
    try:
        n = generate(root, a.resources, a.apps)
        cmd = [a.gitopsc, "check", root, "--format", "json"]
        rows = {}
        for builtin in (False, True):
            config(root, builtin)
            if shutil.which("hyperfine"):
                rows[builtin] = hyperfine(cmd, a.runs, root)
            else:
                t = timed(cmd, a.runs)
                rows[builtin] = (t, t)
        report = subprocess.run(cmd, capture_output=True, text=True).stdout
        findings = sum(1 for d in json.loads(report)["diagnostics"] if d["rule"].startswith("POL"))
        print(f"resources: {n} in {a.apps * len(ENVS)} targets, cores: {os.cpu_count()}")
        print(f"check without pack: mean {rows[False][0]:.3f} s (min {rows[False][1]:.3f})")
        print(f"check with pack:    mean {rows[True][0]:.3f} s (min {rows[True][1]:.3f})")
        print(f"pack cost:          {rows[True][0] - rows[False][0]:.3f} s ({findings} POL findings)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
