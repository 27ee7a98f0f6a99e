//! GK002: a rendered resource violates a Gatekeeper constraint whose
//! enforcement action is `warn`.

use crate::check::{Rule, Severity};

pub struct GatekeeperWarn;

impl Rule for GatekeeperWarn {
    fn id(&self) -> &'static str {
        "GK002"
    }
    fn name(&self) -> &'static str {
        "gatekeeper-warn"
    }
    fn domain(&self) -> &'static str {
        "policy"
    }
    fn default_severity(&self) -> Severity {
        Severity::Warning
    }
    fn summary(&self) -> &'static str {
        "a rendered resource violates a Gatekeeper constraint that warns at admission"
    }
    fn docs(&self) -> &'static str {
        "Gatekeeper admits a resource that violates a constraint with \
`enforcementAction: warn` but returns a warning to the client (`kubectl` \
prints it; Argo CD shows it in the sync result). gitopsc reports the same \
violation as a warning on the merge request. Everything else (where \
templates and constraints are found, how a resource is matched and \
reviewed, where the finding points) is as for GK001 (`gitopsc explain \
GK001`). Constraints with `enforcementAction: dryrun` are not reported."
    }
}
