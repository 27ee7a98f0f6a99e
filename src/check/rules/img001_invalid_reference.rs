//! IMG001: an image field does not hold a valid OCI image reference.

use crate::check::{Rule, Severity};

pub struct InvalidImageReference;

impl Rule for InvalidImageReference {
    fn id(&self) -> &'static str {
        "IMG001"
    }
    fn name(&self) -> &'static str {
        "invalid-image-reference"
    }
    fn domain(&self) -> &'static str {
        "image"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "an image field does not hold a valid OCI image reference"
    }
    fn docs(&self) -> &'static str {
        "An image reference must follow the distribution reference grammar that \
`docker pull`, containerd and the kubelet use: `[registry[:port]/]path[:tag][@digest]`, \
with lowercase path components (`[a-z0-9]` runs joined by `.`, `_`, `__` or dashes), \
a tag of 1 to 128 characters from `[A-Za-z0-9_.-]` not starting with `.` or `-`, and a \
digest `sha256:` followed by 64 lowercase hex digits. A bad reference makes every Pod \
of the workload fail with `InvalidImageName`.\n\n\
Examples: `harbor.internal/App:1` has an uppercase path (`repository name must be \
lowercase`); `app:v1:2` has two tags; `app@sha256:abc` has a short digest.\n\n\
Fix the value where it is set: the `images:` entry of the overlay (`newName`, `newTag`, \
`digest`) or the manifest. Checked in every environment."
    }
}
