//! IMG006: an image tag does not match the environment's configured tag pattern.

use crate::check::{Rule, Severity};

pub struct ImageTagPattern;

impl Rule for ImageTagPattern {
    fn id(&self) -> &'static str {
        "IMG006"
    }
    fn name(&self) -> &'static str {
        "image-tag-pattern"
    }
    fn domain(&self) -> &'static str {
        "image"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "an image tag does not match the environment's configured tag pattern"
    }
    fn docs(&self) -> &'static str {
        "`tagPattern` (a regular expression, Rust `regex` syntax, unanchored unless you \
anchor it) states which tags an environment accepts, top-level or per environment:\n\n\
```yaml\nenvironments:\n  dev:\n    images:\n      tagPattern: '^[0-9a-f]{7,40}$'         # commit SHAs\n  prod:\n    images:\n      tagPattern: '^v\\d+\\.\\d+\\.\\d+-main$'   # releases from main\n```\n\n\
An image with only a digest is not checked; an image without a tag is (the empty tag \
must match). Without a pattern (the default) the rule is silent. A pattern that does \
not compile is a configuration error (exit 2)."
    }
}
