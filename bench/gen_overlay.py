#!/usr/bin/env python3
"""Generates a large kustomize overlay tree for benchmarks.

    gen_overlay.py OUT_DIR [--apps N]

Each app contributes a Deployment, a Service, a ConfigMap, a ServiceAccount,
a HorizontalPodAutoscaler, a PodDisruptionBudget and a NetworkPolicy (7
resources) to a shared base; the overlay (OUT_DIR/overlays/prod) adds a
namespace, a name prefix, labels, annotations, image tags, replicas, a
strategic-merge patch per app, a JSON 6902 patch, and a generated ConfigMap.
100 apps give a 701-resource build.
"""
import argparse
import os


def app_resources(i):
    name = f"app{i:04d}"
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      serviceAccountName: {name}
      containers:
      - name: main
        image: harbor.example.internal/team/{name}:1.0.0
        ports:
        - containerPort: 8080
          name: http
        envFrom:
        - configMapRef:
            name: {name}
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  selector:
    app: {name}
  ports:
  - name: http
    port: 80
    targetPort: http
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "a,b,c"
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {name}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {name}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {name}
  minReplicas: 2
  maxReplicas: 10
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {name}
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app: {name}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {name}
spec:
  podSelector:
    matchLabels:
      app: {name}
  ingress:
  - from:
    - podSelector: {{}}
"""


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--apps", type=int, default=100)
    a = p.parse_args()
    base = os.path.join(a.out, "base")
    prod = os.path.join(a.out, "overlays", "prod")
    os.makedirs(base, exist_ok=True)
    os.makedirs(prod, exist_ok=True)
    files = []
    for i in range(a.apps):
        f = f"app{i:04d}.yaml"
        files.append(f)
        with open(os.path.join(base, f), "w") as fh:
            fh.write(app_resources(i))
    with open(os.path.join(base, "kustomization.yaml"), "w") as fh:
        fh.write("resources:\n" + "".join(f"- {f}\n" for f in files))
    patches = []
    for i in range(a.apps):
        name = f"app{i:04d}"
        patches.append(
            f"- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: {name}\n"
            f"    spec:\n      template:\n        spec:\n          containers:\n          - name: main\n"
            f"            resources:\n              limits:\n                memory: 512Mi\n"
        )
    images = "".join(
        f"- name: harbor.example.internal/team/app{i:04d}\n  newTag: v1.{i}.0-main\n" for i in range(a.apps)
    )
    with open(os.path.join(prod, "kustomization.yaml"), "w") as fh:
        fh.write(
            "namespace: prod\nnamePrefix: prod-\n"
            "labels:\n- pairs:\n    env: prod\n  includeSelectors: true\n"
            "commonAnnotations:\n  owner: platform-team\n"
            "resources:\n- ../../base\n"
            "configMapGenerator:\n- name: global\n  literals:\n  - REGION=eu-west\n  - TIER=gold\n"
            "patches:\n" + "".join(patches)
            + "- target:\n    kind: Service\n  patch: |-\n    - op: add\n      path: /metadata/annotations/prometheus.io~1scrape\n      value: \"true\"\n"
            + "images:\n" + images
            + "replicas:\n" + "".join(f"- name: app{i:04d}\n  count: 3\n" for i in range(a.apps))
        )


if __name__ == "__main__":
    main()
