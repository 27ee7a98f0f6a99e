//! SCH004: a resource that is not a mapping, or lacks apiVersion or kind.

use crate::check::{Rule, Severity};

pub struct MalformedResource;

impl Rule for MalformedResource {
    fn id(&self) -> &'static str {
        "SCH004"
    }
    fn name(&self) -> &'static str {
        "malformed-resource"
    }
    fn domain(&self) -> &'static str {
        "schema"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a resource is not a mapping, or has no apiVersion or kind"
    }
    fn docs(&self) -> &'static str {
        "Every Kubernetes object is a mapping that starts with `apiVersion` \
and `kind`; without them the API server cannot even find the schema, and \
`kubectl apply` fails with `Object 'Kind' is missing`. This usually comes \
from a stray `---`, a list written where a document was meant, or a key \
lost in a merge.\n\n\
The finding points at the document. Add the missing field, or remove the \
document."
    }
}
