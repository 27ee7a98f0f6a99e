//! POL006: a container can write to its root filesystem.

use crate::check::{Rule, Severity};

pub struct ReadOnlyRootFilesystem;

impl Rule for ReadOnlyRootFilesystem {
    fn id(&self) -> &'static str {
        "POL006"
    }
    fn name(&self) -> &'static str {
        "read-only-root-filesystem"
    }
    fn domain(&self) -> &'static str {
        "policy"
    }
    fn default_severity(&self) -> Severity {
        Severity::Warning
    }
    fn summary(&self) -> &'static str {
        "a container can write to its root filesystem"
    }
    fn docs(&self) -> &'static str {
        r#"A read-only root filesystem stops an intruder from dropping tools or changing binaries in a running container, and makes state that should be in a volume visible.

Every container and init container should set `securityContext.readOnlyRootFilesystem: true` and mount an `emptyDir` where the program writes (`/tmp`, caches). A warning by default: raise it with `severity: {POL006: error}` in the environments that must comply."#
    }
}
