//! SCH006: an API version that a later Kubernetes minor removes.

use crate::check::{Rule, Severity};

pub struct DeprecatedApi;

impl Rule for DeprecatedApi {
    fn id(&self) -> &'static str {
        "SCH006"
    }
    fn name(&self) -> &'static str {
        "deprecated-api"
    }
    fn domain(&self) -> &'static str {
        "schema"
    }
    fn default_severity(&self) -> Severity {
        Severity::Warning
    }
    fn summary(&self) -> &'static str {
        "a resource uses an API version that is deprecated and removed in a later Kubernetes minor"
    }
    fn docs(&self) -> &'static str {
        "The API still works on the environment's Kubernetes version, but the \
next upgrade that removes it breaks every sync of the application. Moving \
before the upgrade is cheap; after it, Argo CD cannot even diff the app.\n\n\
gitopsc knows removals from the bundled schemas of Kubernetes 1.25 to 1.37 \
and from the deprecated API migration guide. The message names the minor \
that removes the version and the help names the replacement, e.g. \
`autoscaling/v2beta2` HorizontalPodAutoscaler on 1.25: removed in 1.26, \
use `autoscaling/v2`."
    }
}
