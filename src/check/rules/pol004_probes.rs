//! POL004: a long-running container has no liveness or readiness probe (staging and production).

use crate::check::{Rule, Severity};

pub struct Probes;

impl Rule for Probes {
    fn id(&self) -> &'static str {
        "POL004"
    }
    fn name(&self) -> &'static str {
        "probes"
    }
    fn domain(&self) -> &'static str {
        "policy"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a long-running container has no liveness or readiness probe (staging and production)"
    }
    fn docs(&self) -> &'static str {
        r#"Without a readiness probe a Service sends traffic to a pod that is still starting; without a liveness probe a hung process is never restarted.

Checked for the containers (not init containers) of Pods, Deployments, StatefulSets, DaemonSets and ReplicaSets, in environments whose `requireProbes` parameter is true: by default environments named prod, production, prd, live, staging, stage, recette, preprod, uat, qa or acceptance. Set it per environment:

```yaml
environments:
  dev:
    policy: {params: {requireProbes: false}}
  perf:
    policy: {params: {requireProbes: true}}
```

Jobs and CronJobs run to completion and are not checked."#
    }
}
