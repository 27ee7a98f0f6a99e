//! POL002: a container is privileged or does not set allowPrivilegeEscalation: false.

use crate::check::{Rule, Severity};

pub struct NoPrivilegeEscalation;

impl Rule for NoPrivilegeEscalation {
    fn id(&self) -> &'static str {
        "POL002"
    }
    fn name(&self) -> &'static str {
        "no-privilege-escalation"
    }
    fn domain(&self) -> &'static str {
        "policy"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a container is privileged or does not set allowPrivilegeEscalation: false"
    }
    fn docs(&self) -> &'static str {
        r#"A privileged container has every capability and device of the node; `allowPrivilegeEscalation` (true unless set) lets a process gain more privileges than its parent through setuid binaries or file capabilities. Pod Security's `restricted` profile forbids both.

Every container, init container and ephemeral container of a workload must not set `securityContext.privileged: true` and must set `securityContext.allowPrivilegeEscalation: false` explicitly.

```yaml
securityContext:
  allowPrivilegeEscalation: false
  capabilities:
    drop: [ALL]
```

A CNI or storage driver that really needs privileges: waive the finding with a reason and an expiry (`gitopsc.dev/waive: "POL002 until 2027-06-30: CSI node plugin"`)."#
    }
}
