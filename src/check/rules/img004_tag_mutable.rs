//! IMG004: an image in production has a tag that can move: not a commit SHA, a release version or a digest.

use crate::check::{Rule, Severity};

pub struct ImageTagMutable;

impl Rule for ImageTagMutable {
    fn id(&self) -> &'static str {
        "IMG004"
    }
    fn name(&self) -> &'static str {
        "image-tag-mutable"
    }
    fn domain(&self) -> &'static str {
        "image"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "an image in production has a tag that can move: not a commit SHA, a release version or a digest"
    }
    fn docs(&self) -> &'static str {
        "In production the image must name one build for good. Accepted:\n\n\
- a digest (`@sha256:...`), with or without a tag;\n\
- a commit SHA tag: 7 to 40 lowercase hex digits, optionally `sha-` first \
(`3f9c2e1a`, `sha-3f9c2e1`);\n\
- a release version `X.Y.Z` with an optional `v` and suffix: `v1.4.2`, `v1.4.2-main`, \
`30.0.4-apache`, `17.6.1-ce.0` (third-party images publish such tags per release).\n\n\
Refused: branch and channel tags (`main`, `stable`, `edge`), partial versions (`1.27`, \
`v2`: they move with each patch release), and anything else. `latest` and missing tags \
are reported by IMG003 and IMG002 instead.\n\n\
Checked in environments of the prod tier. To require a stricter form (only \
`vX.Y.Z-main` for your own images), add `tagPattern` (IMG006)."
    }
}
