#!/usr/bin/env python3
"""Throughput of offline schema validation, end to end (read, YAML parse,
schema lookup, validation), against kubeconform's published figure.

    bench/schema_validate.py [--gitopsc target/release/gitopsc] [--resources 50000] [--runs 3]

Generates N resources in one multi-document file: Deployments, Services,
ConfigMaps and custom resources (cert-manager Certificates, Prometheus
ServiceMonitors, Argo CD Applications), a quarter each, all valid, with
distinct names. Runs `gitopsc validate --strict --summary` on it and prints
wall seconds, resources per second, and the ratio to kubeconform's
published figure: 50,714 resources in 6.71 s wall (4-core laptop, -n 8, its
README), i.e. about 7,558 resources/s. When `kubeconform` is on PATH it is
timed on the same file too (it needs network access for schemas).

Build gitopsc first: cargo build --release (set CARGO_TARGET_DIR as usual).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
KUBECONFORM_PUBLISHED = 50714 / 6.710

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{i}
  namespace: team-{ns}
  labels:
    app.kubernetes.io/name: web-{i}
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: web-{i}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web-{i}
    spec:
      containers:
      - name: web
        image: registry.example.com/web:v1.2.{i}
        ports:
        - containerPort: 8080
          name: http
        env:
        - name: LOG_LEVEL
          value: info
        resources:
          limits:
            cpu: 500m
            memory: 256Mi
          requests:
            cpu: 100m
            memory: 128Mi
        readinessProbe:
          httpGet:
            path: /healthz
            port: http
"""

SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: web-{i}
  namespace: team-{ns}
spec:
  selector:
    app.kubernetes.io/name: web-{i}
  ports:
  - name: http
    port: 80
    targetPort: http
"""

CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: settings-{i}
  namespace: team-{ns}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "a,b,c"
  endpoint: https://api-{i}.example.com
"""

CRS = [
    """apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web-{i}-tls
  namespace: team-{ns}
spec:
  secretName: web-{i}-tls
  dnsNames:
  - web-{i}.example.com
  issuerRef:
    name: letsencrypt
    kind: ClusterIssuer
""",
    """apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: web-{i}
  namespace: team-{ns}
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: web-{i}
  endpoints:
  - port: http
    interval: 30s
""",
    """apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web-{i}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://git.example.com/platform/apps.git
    targetRevision: main
    path: apps/web-{i}/overlays/prod
  destination:
    server: https://kubernetes.default.svc
    namespace: team-{ns}
  syncPolicy:
    automated:
      prune: true
      selfHeal: true
""",
]


def generate(path, n):
    with open(path, "w") as fh:
        for i in range(n):
            kind = i % 4
            tpl = [DEPLOYMENT, SERVICE, CONFIGMAP, CRS[(i // 4) % 3]][kind]
            fh.write("---\n")
            fh.write(tpl.format(i=i, ns=i % 17))


def wall(cmd, runs):
    best = None
    out = None
    for _ in range(runs):
        t = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    return best, out


def main():
    p = argparse.ArgumentParser()
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(HERE, "..", "target"))
    p.add_argument("--gitopsc", default=os.path.join(target, "release", "gitopsc"))
    p.add_argument("--resources", type=int, default=50000)
    p.add_argument("--runs", type=int, default=3)
    a = p.parse_args()
    if not os.path.exists(a.gitopsc):
        sys.exit(f"{a.gitopsc} not found: cargo build --release first")
    with tempfile.TemporaryDirectory() as tmp:
        f = os.path.join(tmp, "resources.yaml")
        generate(f, a.resources)
        size = os.path.getsize(f)
        secs, out = wall([a.gitopsc, "validate", "--strict", "--summary", f], a.runs)
        summary = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr.strip()
        rate = a.resources / secs
        print(f"input: {a.resources} resources, {size / 1e6:.1f} MB, cores: {os.cpu_count()}")
        print(f"gitopsc validate: {secs:.2f} s wall (best of {a.runs}), {rate:,.0f} resources/s; exit {out.returncode}")
        print(f"  {summary}")
        print(f"kubeconform published: {KUBECONFORM_PUBLISHED:,.0f} resources/s (4 cores, -n 8)")
        print(f"ratio gitopsc / kubeconform published: {rate / KUBECONFORM_PUBLISHED:.1f}x")
        if shutil.which("kubeconform"):
            ksecs, kout = wall(["kubeconform", "-strict", "-summary", "-n", str(os.cpu_count()), f], 1)
            print(f"kubeconform here: {ksecs:.2f} s wall, {a.resources / ksecs:,.0f} resources/s; exit {kout.returncode}")
            print(f"ratio gitopsc / kubeconform here: {ksecs / secs:.1f}x")
        if out.returncode != 0:
            sys.exit(f"validation failed:\n{out.stdout[-2000:]}{out.stderr[-2000:]}")


if __name__ == "__main__":
    main()
