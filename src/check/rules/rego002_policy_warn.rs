//! REGO002: a `warn` rule of a user policy folder fired.

use crate::check::{Rule, Severity};

pub struct PolicyWarn;

impl Rule for PolicyWarn {
    fn id(&self) -> &'static str {
        "REGO002"
    }
    fn name(&self) -> &'static str {
        "policy-warn"
    }
    fn domain(&self) -> &'static str {
        "policy"
    }
    fn default_severity(&self) -> Severity {
        Severity::Warning
    }
    fn summary(&self) -> &'static str {
        "a warn rule of a user policy (conftest semantics) matched a rendered resource"
    }
    fn docs(&self) -> &'static str {
        "The `warn` and `warn_<name>` rules of your conftest policies report \
REGO002 warnings: they do not fail `gitopsc check` unless \
`--fail-on warning` (conftest's `--fail-on-warn`).\n\n\
Everything else works as for REGO001 (`gitopsc explain REGO001`): the \
selected packages, the `input` / `data.gitopsc` contract, structured \
results with `msg`, `path` and `id`, `exception` rules (`warn_<name>` is \
excepted by `<name>`), and severity overrides \
(`severity: {REGO002: error}`)."
    }
}
