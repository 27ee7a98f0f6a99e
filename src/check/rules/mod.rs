//! One file per rule. Add a rule by writing its file and listing it here.

mod arg001_source_path;
mod arg002_project_missing;
mod arg003_destination;
mod arg004_target_revision;
mod arg005_source_repo;
mod kus001_build_failed;

pub use arg001_source_path::SourcePath;
pub use arg002_project_missing::ProjectMissing;
pub use arg003_destination::DestinationNotAllowed;
pub use arg004_target_revision::TargetRevision;
pub use arg005_source_repo::SourceRepoNotAllowed;
pub use kus001_build_failed::BuildFailed;

use super::Rule;
use super::argocd::ArgoRule;

pub static ALL: &[&dyn Rule] = &[
    &BuildFailed,
    &SourcePath,
    &ProjectMissing,
    &DestinationNotAllowed,
    &TargetRevision,
    &SourceRepoNotAllowed,
];

/// The rules over Argo CD Applications (`check::argocd`).
pub static ARGOCD_RULES: &[&dyn ArgoRule] = &[
    &SourcePath,
    &ProjectMissing,
    &DestinationNotAllowed,
    &TargetRevision,
    &SourceRepoNotAllowed,
];
