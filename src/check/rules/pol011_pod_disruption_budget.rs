//! POL011: a production workload with more than one replica has no PodDisruptionBudget.

use crate::check::{Rule, Severity};

pub struct PodDisruptionBudget;

impl Rule for PodDisruptionBudget {
    fn id(&self) -> &'static str {
        "POL011"
    }
    fn name(&self) -> &'static str {
        "pod-disruption-budget"
    }
    fn domain(&self) -> &'static str {
        "policy"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a production workload with more than one replica has no PodDisruptionBudget"
    }
    fn docs(&self) -> &'static str {
        r#"Replicas exist so that the service survives losing one pod; a node drain without a PodDisruptionBudget may still evict all of them at once.

In production environments, each Deployment, StatefulSet and ReplicaSet whose `spec.replicas` is above 1 needs a PodDisruptionBudget in its namespace whose non-empty `selector` matches the pod template's labels (matchLabels and matchExpressions are evaluated). The budget may come from any target of the environment. Replica counts set by a HorizontalPodAutoscaler alone are not seen."#
    }
}
