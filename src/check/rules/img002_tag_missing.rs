//! IMG002: an image in a staging or production environment has neither a tag nor a digest (it pulls `latest`).

use crate::check::{Rule, Severity};

pub struct ImageTagMissing;

impl Rule for ImageTagMissing {
    fn id(&self) -> &'static str {
        "IMG002"
    }
    fn name(&self) -> &'static str {
        "image-tag-missing"
    }
    fn domain(&self) -> &'static str {
        "image"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "an image in a staging or production environment has neither a tag nor a digest (it pulls `latest`)"
    }
    fn docs(&self) -> &'static str {
        "An image without a tag or digest (`harbor.oneex.internal/oneex/back`) is pulled as \
`:latest`: what runs depends on when the node pulled it, two replicas can run different \
builds, and a rollback has nothing to go back to.\n\n\
Checked in environments of the staging and prod tiers (by name: `staging`, `recette`, \
`preprod`, `uat`, `qa`... and `prod`, `production`, `live`; or `tier:` under \
`environments.<env>.images` in gitopsc.yaml). Development environments may run untagged \
images.\n\n\
Fix: set the tag in the overlay, e.g.\n\n\
```yaml\nimages:\n- name: harbor.oneex.internal/oneex/back\n  newTag: v1.4.2-main\n```"
    }
}
