//! IMG003: an image in a staging or production environment uses the moving tag `latest`.

use crate::check::{Rule, Severity};

pub struct ImageTagLatest;

impl Rule for ImageTagLatest {
    fn id(&self) -> &'static str {
        "IMG003"
    }
    fn name(&self) -> &'static str {
        "image-tag-latest"
    }
    fn domain(&self) -> &'static str {
        "image"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "an image in a staging or production environment uses the moving tag `latest`"
    }
    fn docs(&self) -> &'static str {
        "`latest` names whatever was pushed last: the deployed build is unknown from the \
repository, changes without a commit, and cannot be promoted or rolled back. GitOps \
traceability needs the tag in Git to name one build.\n\n\
Checked in environments of the staging and prod tiers (see IMG002 for how tiers are \
chosen). The finding points at the line that set the tag: the overlay's `images:` entry \
(`newTag: latest`) when there is one, else the manifest.\n\n\
Fix: pin the commit SHA the CI built (`newTag: 3f9c2e1a`) or a release tag \
(`newTag: v1.4.2-main`)."
    }
}
