//! SCH002: a field the kind's schema does not declare (strict validation).

use crate::check::{Rule, Severity};

pub struct UnknownField;

impl Rule for UnknownField {
    fn id(&self) -> &'static str {
        "SCH002"
    }
    fn name(&self) -> &'static str {
        "unknown-field"
    }
    fn domain(&self) -> &'static str {
        "schema"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a rendered resource has a field its schema does not declare (misspelt or misindented)"
    }
    fn docs(&self) -> &'static str {
        "kubectl and Argo CD apply with strict field validation: an unknown \
field fails the sync (`unknown field \"spec.replica\"`), and with lax \
validation it is silently dropped, which is worse: the setting you wrote \
never takes effect. Misspelt keys (`replica`), keys at the wrong indentation \
(`image` under `spec` instead of the container) and fields of a newer API \
version are the usual causes.\n\n\
gitopsc validates in strict mode: every object of a schema that lists its \
properties rejects others, unless it preserves unknown fields \
(`x-kubernetes-preserve-unknown-fields`). The finding points at the key.\n\n\
Set `severity: {SCH002: warning}` (or `off`) in gitopsc.yaml to relax it, \
like kubeconform without `-strict`."
    }
}
