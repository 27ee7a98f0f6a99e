//! POL001: a container may run as root (no runAsNonRoot: true and no non-zero runAsUser).

use crate::check::{Rule, Severity};

pub struct RunAsNonRoot;

impl Rule for RunAsNonRoot {
    fn id(&self) -> &'static str {
        "POL001"
    }
    fn name(&self) -> &'static str {
        "run-as-non-root"
    }
    fn domain(&self) -> &'static str {
        "policy"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a container may run as root (no runAsNonRoot: true and no non-zero runAsUser)"
    }
    fn docs(&self) -> &'static str {
        r#"A process running as root inside a container is root on the node as soon as anything else goes wrong (a kernel bug, a writable hostPath, a mounted socket). Pod Security's `restricted` profile requires `runAsNonRoot: true`.

The check looks at every container, init container and ephemeral container of Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs. A container passes when its effective `runAsUser` (its own `securityContext`, else the pod's) is a non-zero number, or its effective `runAsNonRoot` is `true` and `runAsUser` is not 0.

Fix: in the pod template,

```yaml
securityContext:
  runAsNonRoot: true
  runAsUser: 10001
```

and build the image with a numeric `USER`. The finding points at the line that set the container's `securityContext` (or the container itself)."#
    }
}
