//! The image fields of a rendered resource.
//!
//! Pod templates are found wherever they sit: every `containers`,
//! `initContainers` and `ephemeralContainers` list anywhere in the object
//! (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob's
//! `jobTemplate`, ReplicationController, and CRDs embedding a pod spec:
//! Argo Rollouts `Rollout`, Knative `Service` / `Configuration` /
//! `Revision`, CloudNativePG `Pooler`, KEDA `ScaledJob`, Argo Workflows
//! templates, Prometheus-operator `containers` overrides...). Scalar image
//! fields of common operators are read by kind:
//!
//! | kind (group)                                  | field            |
//! |-----------------------------------------------|------------------|
//! | Prometheus, PrometheusAgent, Alertmanager, ThanosRuler (monitoring.coreos.com) | `spec.image` |
//! | Cluster, ImageCatalog entries (postgresql.cnpg.io) | `spec.imageName`, `spec.images[].image` |
//! | Kafka (kafka.strimzi.io)                       | `spec.kafka.image` |
//! | Elasticsearch, Kibana (*.k8s.elastic.co)       | `spec.image`     |
//!
//! Flux and Argo CD objects name charts and repositories, not images, and
//! Helm values are opaque: they are not read.

use crate::load::yaml::{Node, Span, Value};

/// One image field of a resource.
#[derive(Clone, Debug)]
pub struct ImageField {
    /// The dotted field path, e.g. `spec.template.spec.containers[0].image`.
    pub path: String,
    /// The container's name, when the field is a container's.
    pub container: Option<String>,
    /// The text of the field.
    pub value: String,
    /// Provenance: the source that set the value.
    pub span: Option<Span>,
}

const CONTAINER_LISTS: [&str; 3] = ["containers", "initContainers", "ephemeralContainers"];

/// Scalar image fields by API group and kind.
const SCALAR_FIELDS: &[(&str, &str, &[&str])] = &[
    ("monitoring.coreos.com", "Prometheus", &["spec", "image"]),
    (
        "monitoring.coreos.com",
        "PrometheusAgent",
        &["spec", "image"],
    ),
    ("monitoring.coreos.com", "Alertmanager", &["spec", "image"]),
    ("monitoring.coreos.com", "ThanosRuler", &["spec", "image"]),
    ("postgresql.cnpg.io", "Cluster", &["spec", "imageName"]),
    ("kafka.strimzi.io", "Kafka", &["spec", "kafka", "image"]),
    (
        "elasticsearch.k8s.elastic.co",
        "Elasticsearch",
        &["spec", "image"],
    ),
    ("kibana.k8s.elastic.co", "Kibana", &["spec", "image"]),
];

/// Every image field of `resource`, in document order.
pub fn images(resource: &Node) -> Vec<ImageField> {
    let mut out = Vec::new();
    let kind = resource.get_str("kind").unwrap_or("");
    if kind == "CustomResourceDefinition" {
        return out;
    }
    let group = resource
        .get_str("apiVersion")
        .and_then(|a| a.rsplit_once('/'))
        .map_or("", |(g, _)| g);
    for (g, k, path) in SCALAR_FIELDS {
        if *g == group && *k == kind {
            push_scalar(resource, path, &mut out);
        }
    }
    let catalog =
        group == "postgresql.cnpg.io" && matches!(kind, "ImageCatalog" | "ClusterImageCatalog");
    let entries = resource
        .get_path(&["spec", "images"])
        .and_then(Node::as_seq)
        .filter(|_| catalog);
    for (i, item) in entries.into_iter().flatten().enumerate() {
        if let Some(n) = item.get("image") {
            push(n, format!("spec.images[{i}].image"), None, &mut out);
        }
    }
    walk(resource, &mut String::new(), &mut out, 0);
    out
}

fn push_scalar(resource: &Node, path: &[&str], out: &mut Vec<ImageField>) {
    if let Some(n) = resource.get_path(path) {
        push(n, path.join("."), None, out);
    }
}

fn push(n: &Node, path: String, container: Option<String>, out: &mut Vec<ImageField>) {
    if let Value::Scalar(s) = &n.value
        && !n.is_null()
    {
        out.push(ImageField {
            path,
            container,
            value: s.text.clone(),
            span: n.span.clone(),
        });
    }
}

/// Container lists anywhere under `n` (`path` is `n`'s dotted path).
fn walk(n: &Node, path: &mut String, out: &mut Vec<ImageField>, depth: usize) {
    if depth > 64 {
        return;
    }
    match &n.value {
        Value::Map(m) => {
            for e in &m.entries {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&e.key);
                if CONTAINER_LISTS.contains(&e.key.as_str())
                    && let Some(items) = e.value.as_seq()
                {
                    for (i, c) in items.iter().enumerate() {
                        if let Some(img) = c.get("image") {
                            let name = c.get_str("name").map(String::from);
                            push(img, format!("{path}[{i}].image"), name, out);
                        }
                    }
                } else {
                    walk(&e.value, path, out, depth + 1);
                }
                path.truncate(len);
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(item, path, out, depth + 1);
                path.truncate(len);
            }
        }
        Value::Scalar(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse_single;

    fn paths(doc: &str) -> Vec<(String, String)> {
        images(&parse_single("r.yaml", doc).unwrap())
            .into_iter()
            .map(|f| (f.path, f.value))
            .collect()
    }

    #[test]
    fn workloads() {
        let got = paths(
            "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          initContainers:\n          - name: i\n            image: busybox:1.36.1\n          containers:\n          - name: c\n            image: app:v1.0.0\n          ephemeralContainers:\n          - name: e\n            image: debug\n",
        );
        assert_eq!(
            got,
            [
                (
                    "spec.jobTemplate.spec.template.spec.initContainers[0].image".to_string(),
                    "busybox:1.36.1".to_string()
                ),
                (
                    "spec.jobTemplate.spec.template.spec.containers[0].image".into(),
                    "app:v1.0.0".into()
                ),
                (
                    "spec.jobTemplate.spec.template.spec.ephemeralContainers[0].image".into(),
                    "debug".into()
                ),
            ]
        );
        let pod =
            paths("kind: Pod\nspec:\n  containers:\n  - name: a\n    image: a\n  - name: b\n");
        assert_eq!(
            pod,
            [("spec.containers[0].image".to_string(), "a".to_string())]
        );
    }

    #[test]
    fn operator_fields_and_crds() {
        assert_eq!(
            paths(
                "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nspec:\n  image: quay.io/prometheus/prometheus:v2.54.1\n"
            ),
            [(
                "spec.image".to_string(),
                "quay.io/prometheus/prometheus:v2.54.1".to_string()
            )]
        );
        assert_eq!(
            paths("apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nspec:\n  imageName: ghcr.io/cloudnative-pg/postgresql:16.4\n")[0].0,
            "spec.imageName"
        );
        assert_eq!(
            paths("apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nspec:\n  template:\n    spec:\n      containers:\n      - image: a:1.0.0\n")[0].0,
            "spec.template.spec.containers[0].image"
        );
        assert!(paths("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  containers:\n  - image: x\n").is_empty());
        assert!(paths("apiVersion: v1\nkind: Pod\nspec:\n  image: not-read\n").is_empty());
    }
}
