//! KUS001: a target's kustomization does not build.

use crate::check::{Rule, Severity};

pub struct BuildFailed;

impl Rule for BuildFailed {
    fn id(&self) -> &'static str {
        "KUS001"
    }
    fn name(&self) -> &'static str {
        "kustomize-build"
    }
    fn domain(&self) -> &'static str {
        "kustomize"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "the kustomization of a target fails to build"
    }
    fn docs(&self) -> &'static str {
        "Argo CD cannot sync what does not build: a kustomization that fails \
`kustomize build` leaves the application OutOfSync with a ComparisonError.\n\n\
gitopsc builds every target (app × environment) the way `kustomize build` \
does, offline. The finding points at the line that broke the build: a \
missing resource file, a patch whose target does not exist, a remote base, \
a path leaving the kustomization's directory, invalid YAML.\n\n\
Fix the line named, then run `gitopsc kustomize build <overlay>` to see \
the rendered output."
    }
}
