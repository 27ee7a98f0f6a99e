//! SCH005: an API version the environment's Kubernetes no longer (or not
//! yet) serves.

use crate::check::{Rule, Severity};

pub struct RemovedApi;

impl Rule for RemovedApi {
    fn id(&self) -> &'static str {
        "SCH005"
    }
    fn name(&self) -> &'static str {
        "removed-api"
    }
    fn domain(&self) -> &'static str {
        "schema"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a resource uses an API version its environment's Kubernetes does not serve (removed, or not yet added)"
    }
    fn docs(&self) -> &'static str {
        "Kubernetes removes beta APIs a few minors after their replacement is \
stable: `extensions/v1beta1` Ingress (1.22, use `networking.k8s.io/v1`), \
`policy/v1beta1` PodSecurityPolicy (1.25, replaced by Pod Security \
Admission), `batch/v1beta1` CronJob (1.25, use `batch/v1`), \
`autoscaling/v2beta2` HorizontalPodAutoscaler (1.26, use `autoscaling/v2`), \
`flowcontrol.apiserver.k8s.io/v1beta3` (1.32). A manifest using a removed \
version fails to apply: `no matches for kind \"Ingress\" in version \
\"extensions/v1beta1\"`.\n\n\
The check uses each environment's `kubernetesVersion` from gitopsc.yaml \
(default 1.34): removals since 1.25 come from the bundled schemas of every \
minor, earlier ones from the Kubernetes deprecated API migration guide. The \
help names the replacement API; its fields may differ (see the migration \
guide), so re-run `gitopsc check` after moving."
    }
}
