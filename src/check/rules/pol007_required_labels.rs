//! POL007: a workload lacks a required label (app.kubernetes.io/name, app.kubernetes.io/part-of by default).

use crate::check::{Rule, Severity};

pub struct RequiredLabels;

impl Rule for RequiredLabels {
    fn id(&self) -> &'static str {
        "POL007"
    }
    fn name(&self) -> &'static str {
        "required-labels"
    }
    fn domain(&self) -> &'static str {
        "policy"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a workload lacks a required label (app.kubernetes.io/name, app.kubernetes.io/part-of by default)"
    }
    fn docs(&self) -> &'static str {
        r#"Dashboards, cost reports and Argo CD views group resources by the recommended labels. Every workload (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) must carry each label of the `requiredLabels` parameter in its `metadata.labels` (default: `app.kubernetes.io/name` and `app.kubernetes.io/part-of`).

```yaml
policy:
  params:
    requiredLabels: [app.kubernetes.io/name, app.kubernetes.io/part-of, team]
```

A kustomize `labels:` entry (or `commonLabels`) in the base sets them on every resource at once."#
    }
}
