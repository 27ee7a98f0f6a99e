//! GK001: a rendered resource violates a Gatekeeper constraint whose
//! enforcement action is `deny`.

use crate::check::{Rule, Severity};

pub struct GatekeeperDeny;

impl Rule for GatekeeperDeny {
    fn id(&self) -> &'static str {
        "GK001"
    }
    fn name(&self) -> &'static str {
        "gatekeeper-deny"
    }
    fn domain(&self) -> &'static str {
        "policy"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a rendered resource violates a Gatekeeper constraint that denies admission"
    }
    fn docs(&self) -> &'static str {
        "Gatekeeper rejects a resource that violates a constraint with \
`enforcementAction: deny` (the default): Argo CD's sync then fails on the \
cluster. gitopsc evaluates the same ConstraintTemplates and constraints on \
the hydrated resources before the merge, so the failure shows up on the \
merge request with the line to change.\n\n\
**Where templates and constraints come from.** ConstraintTemplates \
(`templates.gatekeeper.sh/v1`, `v1beta1`) and constraints \
(`constraints.gatekeeper.sh`, kind = the template's \
`spec.crd.spec.names.kind`) are read from the policy folders in \
gitopsc.yaml (`policies:`), from any YAML file of the repository, and from \
the rendered resources of every target (a platform overlay that deploys \
them). A constraint found in a target's rendered resources applies to every \
target of that environment; one committed elsewhere applies to all targets. \
Each template's Rego (`spec.targets[0].rego` with `libs`, or its `code` \
entry with `engine: Rego`) is compiled once per run; CEL \
(`K8sNativeValidation`) code is not evaluated. A constraint whose template \
is not found is skipped.\n\n\
**What is evaluated.** Every rendered resource the constraint's \
`spec.match` selects (kinds, namespaces and excludedNamespaces with `*` \
globs, labelSelector, namespaceSelector against the Namespace objects of \
the target, scope, name) is reviewed as Gatekeeper's audit reviews it: \
`input.review` holds the object, its kind and name, an empty operation and \
user; `input.parameters` is the constraint's `spec.parameters` (`{}` when \
absent); `data.inventory` holds every rendered resource of the \
environment's targets, as the cluster would once they are all synced \
(`namespace[ns][apiVersion][kind][name]`, `cluster[apiVersion][kind][name]`). \
`namespaceSelector` reads the labels of the Namespace objects rendered by \
any target of the environment; a namespace none renders is taken as having \
no labels (as one Argo CD creates at sync time).\n\n\
**Severity per enforcement action.** `deny` → GK001 (error); `warn` → \
GK002 (warning); `dryrun` is not reported (it only audits). With \
`enforcementAction: scoped`, the strictest `scopedEnforcementActions` entry \
for the `validation.gatekeeper.sh` or `gator.gatekeeper.sh` enforcement \
point (or `*`) applies.\n\n\
**Message and location.** The message is `[<constraint>] <msg>`, as the \
admission webhook shows it. When the violation's `details` names a field \
(`details.path` or `details.field`, e.g. `spec.containers[0].image`), the \
finding points at the source line that set it; otherwise at the resource's \
origin.\n\n\
Fix the resource, or narrow the constraint's `match`. Waive one finding \
with a waiver on the resource (see the policy docs)."
    }
}
