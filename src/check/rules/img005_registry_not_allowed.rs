//! IMG005: an image comes from a registry outside the configured allow-list.

use crate::check::{Rule, Severity};

pub struct ImageRegistryNotAllowed;

impl Rule for ImageRegistryNotAllowed {
    fn id(&self) -> &'static str {
        "IMG005"
    }
    fn name(&self) -> &'static str {
        "image-registry-not-allowed"
    }
    fn domain(&self) -> &'static str {
        "image"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "an image comes from a registry outside the configured allow-list"
    }
    fn docs(&self) -> &'static str {
        "When gitopsc.yaml lists allowed registries, every image must come from one of \
them:\n\n\
```yaml\nimages:\n  registries: [harbor.oneex.internal]   # every environment\nenvironments:\n  dev:\n    images:\n      registries: [harbor.oneex.internal, docker.io]   # this one\n```\n\n\
An entry is a registry host (`harbor.oneex.internal`, `localhost:5000`) or a repository \
prefix (`ghcr.io/authelia`), matched on whole path components against the normalised \
name: `nginx` is `docker.io/library/nginx`. Without a list (the default) any registry is \
accepted.\n\n\
Fix: mirror the image into an allowed registry and point the overlay at it \
(`newName: harbor.oneex.internal/mirror/nginx`)."
    }
}
