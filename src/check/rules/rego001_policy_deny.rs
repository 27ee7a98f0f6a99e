//! REGO001: a `deny` / `violation` rule of a user policy folder fired.

use crate::check::{Rule, Severity};

pub struct PolicyDeny;

impl Rule for PolicyDeny {
    fn id(&self) -> &'static str {
        "REGO001"
    }
    fn name(&self) -> &'static str {
        "policy-deny"
    }
    fn domain(&self) -> &'static str {
        "policy"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a deny or violation rule of a user policy (conftest semantics) matched a rendered resource"
    }
    fn docs(&self) -> &'static str {
        "Your own Rego policies, written for conftest, run on every hydrated \
resource of every target. Point gitopsc at them with `policies: [policy]` in \
gitopsc.yaml or `gitopsc check --policy DIR` (repeatable).\n\n\
Each message of a `deny`, `violation`, `deny_<name>` or `violation_<name>` \
rule in the selected packages (`main` unless `--namespace NS` or \
`--all-namespaces`) is one REGO001 finding, its message prefixed with the \
package: `main: Containers must not run as root`. A structured result \
(`{\"msg\": ..., \"path\": \"spec.template.spec.containers[0]\", \"id\": \
\"ACME-1\"}`) is reported at the source line that set the field `path` \
names (through the overlays' provenance), and its `id` is shown before the \
message (`main/ACME-1: ...`); without `path` the finding points at the \
resource's origin.\n\n\
`input` is one rendered resource; `data.gitopsc` holds the target: \
`environment`, `app`, `target` and `resources` (every rendered resource of \
the target, for cross-resource checks). With `--combine`, `input` is \
instead the array of `{\"path\": <origin file>, \"contents\": <resource>}` \
of the whole target, evaluated once; a result can name the resource it is \
about with `\"resource\": \"Kind/namespace/name\"`.\n\n\
An `exception` rule that contains the rule's name without its prefix \
(`exception contains rules if { ...; rules := [\"run_as_root\"] }`) \
silences `deny_run_as_root` for that input, as in conftest. Waive a single \
finding with the usual waivers, or set `severity: {REGO001: warning}`."
    }
}
