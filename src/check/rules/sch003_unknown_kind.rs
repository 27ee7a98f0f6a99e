//! SCH003: no schema is known for a resource's kind.

use crate::check::{Rule, Severity};

pub struct UnknownKind;

impl Rule for UnknownKind {
    fn id(&self) -> &'static str {
        "SCH003"
    }
    fn name(&self) -> &'static str {
        "unknown-kind"
    }
    fn domain(&self) -> &'static str {
        "schema"
    }
    fn default_severity(&self) -> Severity {
        Severity::Warning
    }
    fn summary(&self) -> &'static str {
        "no schema is known for a resource's apiVersion and kind, so it is not validated"
    }
    fn docs(&self) -> &'static str {
        "A resource whose kind has no schema cannot be validated. Either the \
kind is misspelt (`apps/v1 Deploymnet`: the API server answers `no matches \
for kind`), or it is a custom resource whose CRD gitopsc has not seen.\n\n\
Schemas are looked up in the `schemas:` folders of gitopsc.yaml, the CRDs \
of the repository and its rendered targets, then the bundled Kubernetes and \
platform CRD schemas. To validate a custom resource, commit its CRD (or a \
vendored copy) to the repository, or put its JSON schema in a `schemas:` \
folder (`<kind>-<group>-<version>.json` or `<group>/<kind>_<version>.json`, \
the kubeconform and CRDs-catalog layouts).\n\n\
Like kubeconform's `-ignore-missing-schemas`, the severity is yours: \
`severity: {SCH003: error}` fails the check, `off` ignores unknown kinds."
    }
}
