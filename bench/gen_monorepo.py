#!/usr/bin/env python3
"""Generates a synthetic GitOps monorepo: N apps x 3 environments.

    gen_monorepo.py OUT_DIR [--apps N]

Shaped like examples/oneex-platform: each app has a base (Deployment,
Service, Ingress with TLS, NetworkPolicy, ServiceMonitor, ExternalSecret and
a ConfigMap generator) and overlays dev / staging / prod that set the
namespace, labels, image tag (commit SHA in dev, vX.Y.Z-main elsewhere),
replicas, merged ConfigMap literals, a strategic-merge patch for resources,
a JSON 6902 patch for the Ingress host and, in prod, a PodDisruptionBudget;
every overlay uses one shared component (Vault agent annotations). With a
gitopsc.yaml and an Argo CD setting, `gitopsc build OUT_DIR` has N x 3
targets. Output is deterministic (no randomness, no timestamps).
"""
import argparse
import hashlib
import os

ENVS = {
    "dev": ("dev", 1, "debug"),
    "staging": ("recette", 2, "info"),
    "prod": ("prod", 3, "warn"),
}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        fh.write(text)


def base(name):
    return {
        "kustomization.yaml": f"""apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
labels:
- pairs:
    app.kubernetes.io/name: {name}
    app.kubernetes.io/part-of: synthetic
  includeTemplates: true
resources:
- deployment.yaml
- service.yaml
- ingress.yaml
- networkpolicy.yaml
- servicemonitor.yaml
- externalsecret.yaml
configMapGenerator:
- name: {name}-config
  literals:
  - LOG_FORMAT=json
  - HTTP_PORT=8080
""",
        "deployment.yaml": f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {name}
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
      - name: main
        image: harbor.example.internal/synthetic/{name}
        ports:
        - name: http
          containerPort: 8080
        envFrom:
        - configMapRef:
            name: {name}-config
        - secretRef:
            name: {name}-secrets
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            cpu: 500m
            memory: 256Mi
""",
        "service.yaml": f"""apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  selector:
    app.kubernetes.io/name: {name}
  ports:
  - name: http
    port: 80
    targetPort: http
""",
        "ingress.yaml": f"""apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {name}
  annotations:
    cert-manager.io/cluster-issuer: vault-pki
spec:
  ingressClassName: nginx
  tls:
  - hosts:
    - {name}.example.invalid
    secretName: {name}-tls
  rules:
  - host: {name}.example.invalid
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: {name}
            port:
              name: http
""",
        "networkpolicy.yaml": f"""apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {name}
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: {name}
  policyTypes:
  - Ingress
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: ingress-nginx
""",
        "servicemonitor.yaml": f"""apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {name}
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
  endpoints:
  - port: http
""",
        "externalsecret.yaml": f"""apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: {name}-secrets
spec:
  secretStoreRef:
    kind: ClusterSecretStore
    name: vault
  target:
    name: {name}-secrets
  dataFrom:
  - extract:
      key: synthetic/ENV/{name}
""",
    }


def overlay(name, env, i):
    short, replicas, level = ENVS[env]
    sha = hashlib.sha1(f"{name}{env}".encode()).hexdigest()[:8]
    tag = sha if env == "dev" else f"v1.{i % 20}.{i % 7}-main"
    host = f"{name}.{short}.example.internal"
    files = {
        "kustomization.yaml": f"""apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: synthetic-{short}
labels:
- pairs:
    example.internal/environment: {env}
resources:
- ../../base
{"- pdb.yaml" if env == "prod" else ""}
components:
- ../../../../components/vault-agent
images:
- name: harbor.example.internal/synthetic/{name}
  newTag: "{tag}"
replicas:
- name: {name}
  count: {replicas}
configMapGenerator:
- name: {name}-config
  behavior: merge
  literals:
  - LOG_LEVEL={level}
patches:
- path: resources.yaml
- target:
    kind: Ingress
    name: {name}
  patch: |-
    - op: replace
      path: /spec/rules/0/host
      value: {host}
    - op: replace
      path: /spec/tls/0/hosts/0
      value: {host}
- target:
    kind: ExternalSecret
  patch: |-
    - op: replace
      path: /spec/dataFrom/0/extract/key
      value: synthetic/{short}/{name}
""",
        "resources.yaml": f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  template:
    spec:
      containers:
      - name: main
        resources:
          limits:
            memory: {256 * replicas}Mi
""",
    }
    if env == "prod":
        files["pdb.yaml"] = f"""apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {name}
spec:
  minAvailable: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
"""
    return files


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--apps", type=int, default=1000)
    a = p.parse_args()
    write(os.path.join(a.out, "gitopsc.yaml"), """environments:
  dev:
  staging:
  prod:
apps:
- path: apps/*/overlays/{env}
argocd:
  repoURL: https://gitlab.example.internal/platform/synthetic.git
  targetRevision: rendered
""")
    write(os.path.join(a.out, "components/vault-agent/kustomization.yaml"), """apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
patches:
- target:
    kind: Deployment
  patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: any
    spec:
      template:
        metadata:
          annotations:
            vault.hashicorp.com/agent-inject: "true"
""")
    for i in range(a.apps):
        name = f"app{i:04d}"
        for f, text in base(name).items():
            write(os.path.join(a.out, "apps", name, "base", f), text)
        for env in ENVS:
            for f, text in overlay(name, env, i).items():
                write(os.path.join(a.out, "apps", name, "overlays", env, f), text)
    print(f"{a.apps} apps x {len(ENVS)} environments in {a.out}")


if __name__ == "__main__":
    main()
