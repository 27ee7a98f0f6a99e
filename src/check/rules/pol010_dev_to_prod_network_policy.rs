//! POL010: a production NetworkPolicy admits traffic from development namespaces.

use crate::check::{Rule, Severity};

pub struct DevToProdNetworkPolicy;

impl Rule for DevToProdNetworkPolicy {
    fn id(&self) -> &'static str {
        "POL010"
    }
    fn name(&self) -> &'static str {
        "dev-to-prod-network-policy"
    }
    fn domain(&self) -> &'static str {
        "policy"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a production NetworkPolicy admits traffic from development namespaces"
    }
    fn docs(&self) -> &'static str {
        r#"Development workloads run untested code; they must not reach production services on a shared cluster.

In production environments, for NetworkPolicies of non-development namespaces, each ingress rule must name its sources: a rule without `from` and a `namespaceSelector: {}` admit every namespace; a `namespaceSelector` matching a development namespace admits it. Development namespaces are the ones the environment renders or deploys to whose name matches a glob of `devNamespaces` (default `dev`, `*-dev`, `dev-*`, `lab`, `*-lab`, `lab-*`) or whose labels include one of the label sets of `devNamespaceLabels`:

```yaml
policy:
  params:
    devNamespaceLabels: [{uyoop.fr/tier: dev}]
```

`ipBlock` peers are not evaluated."#
    }
}
