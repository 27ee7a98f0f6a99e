//! POL009: a production namespace that runs workloads has no default-deny NetworkPolicy.

use crate::check::{Rule, Severity};

pub struct DefaultDenyNetworkPolicy;

impl Rule for DefaultDenyNetworkPolicy {
    fn id(&self) -> &'static str {
        "POL009"
    }
    fn name(&self) -> &'static str {
        "default-deny-network-policy"
    }
    fn domain(&self) -> &'static str {
        "policy"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a production namespace that runs workloads has no default-deny NetworkPolicy"
    }
    fn docs(&self) -> &'static str {
        r#"Without a default-deny policy every pod of a namespace accepts traffic from every pod of the cluster; allow rules only mean something on top of it.

In production environments, each namespace where the target runs a workload must have a NetworkPolicy with an empty `podSelector`, `Ingress` in its `policyTypes` and no ingress rules:

```yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
spec:
  podSelector: {}
  policyTypes: [Ingress]
```

The policy may be rendered by any target of the same environment (a shared platform app, say). The finding points at the first workload of the namespace."#
    }
}
