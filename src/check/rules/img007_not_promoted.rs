//! IMG007: an image reaches an environment without having run in the one before it in the promotion chain.

use crate::check::{Rule, Severity};

pub struct ImageNotPromoted;

impl Rule for ImageNotPromoted {
    fn id(&self) -> &'static str {
        "IMG007"
    }
    fn name(&self) -> &'static str {
        "image-not-promoted"
    }
    fn domain(&self) -> &'static str {
        "image"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "an image reaches an environment without having run in the one before it in the promotion chain"
    }
    fn docs(&self) -> &'static str {
        "Nothing should reach production unseen: the image an app runs in an environment \
must be the one the same app runs in the previous environment of the promotion chain \
(same repository, same tag or digest), or listed as promoted in gitopsc.yaml.\n\n\
The chain is `images.promotion` when set (`[dev, staging, prod]`), else the staging-tier \
environments followed by the prod-tier ones, in the order of `environments:` (typically \
`staging → prod`). An app without a target in the previous environment is not checked.\n\n\
Accepted besides an identical reference: a release version lower than the one in the \
previous environment (`v1.4.2-main` in prod while staging already tests `v1.5.0-main`: \
prod is behind, not ahead). Reported: a repository the previous environment does not \
run, a different commit SHA, a release ahead of the previous environment.\n\n\
A hotfix that must skip staging is listed explicitly:\n\n\
```yaml\nimages:\n  promoted:\n  - harbor.oneex.internal/oneex/oneex-back:v1.4.3-main   # this tag\n  - docker.io/library/redis                               # any tag\n```"
    }
}
