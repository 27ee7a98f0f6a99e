//! POL003: a container does not set its CPU and memory requests and limits.

use crate::check::{Rule, Severity};

pub struct ResourceRequestsLimits;

impl Rule for ResourceRequestsLimits {
    fn id(&self) -> &'static str {
        "POL003"
    }
    fn name(&self) -> &'static str {
        "resource-requests-limits"
    }
    fn domain(&self) -> &'static str {
        "policy"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a container does not set its CPU and memory requests and limits"
    }
    fn docs(&self) -> &'static str {
        r#"Without requests the scheduler packs pods blindly and the pod gets the `BestEffort` QoS class, evicted first under pressure; without a memory limit one leak takes the node's memory.

Every container and init container must set the fields listed in the `requiredResources` parameter (default: `requests.cpu`, `requests.memory`, `limits.cpu`, `limits.memory`). Teams that do not want CPU limits (throttling) drop `limits.cpu` from the list in `gitopsc.yaml`:

```yaml
policy:
  params:
    requiredResources: [requests.cpu, requests.memory, limits.memory]
```

The finding lists what is missing and points at the container's `resources`."#
    }
}
