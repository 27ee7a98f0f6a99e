//! GK003: a ConstraintTemplate or constraint gitopsc cannot use.

use crate::check::{Rule, Severity};

pub struct GatekeeperInvalid;

impl Rule for GatekeeperInvalid {
    fn id(&self) -> &'static str {
        "GK003"
    }
    fn name(&self) -> &'static str {
        "gatekeeper-invalid"
    }
    fn domain(&self) -> &'static str {
        "policy"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a Gatekeeper ConstraintTemplate does not compile, or a constraint is malformed or fails to evaluate"
    }
    fn docs(&self) -> &'static str {
        "A ConstraintTemplate whose Rego does not parse or compile (Gatekeeper \
reads it as Rego v0: `violation[{\"msg\": msg}] { ... }`), a constraint \
with a malformed `spec.match` (an unknown selector operator, a `scope` \
other than `*`, `Cluster` or `Namespaced`) or an unknown \
`enforcementAction`, or a template whose evaluation fails (a conflict \
between rule values, a runtime error). Gatekeeper would reject the template \
(its status shows the error) and the constraints of that kind would never \
be enforced: the policy silently does nothing on the cluster.\n\n\
The finding points at the template or constraint. Fix the Rego (run it \
with `gator verify` or `opa eval --v0-compatible`) or the constraint."
    }
}
