//! One file per rule. Add a rule by writing its file and listing it here.

mod arg001_source_path;
mod arg002_project_missing;
mod arg003_destination;
mod arg004_target_revision;
mod arg005_source_repo;
mod kus001_build_failed;
mod rego001_policy_deny;
mod rego002_policy_warn;
mod sch001_schema_violation;
mod sch002_unknown_field;
mod sch003_unknown_kind;
mod sch004_malformed_resource;
mod sch005_removed_api;
mod sch006_deprecated_api;

pub use arg001_source_path::SourcePath;
pub use arg002_project_missing::ProjectMissing;
pub use arg003_destination::DestinationNotAllowed;
pub use arg004_target_revision::TargetRevision;
pub use arg005_source_repo::SourceRepoNotAllowed;
pub use kus001_build_failed::BuildFailed;
pub use rego001_policy_deny::PolicyDeny;
pub use rego002_policy_warn::PolicyWarn;
pub use sch001_schema_violation::SchemaViolation;
pub use sch002_unknown_field::UnknownField;
pub use sch003_unknown_kind::UnknownKind;
pub use sch004_malformed_resource::MalformedResource;
pub use sch005_removed_api::RemovedApi;
pub use sch006_deprecated_api::DeprecatedApi;

use super::Rule;
use super::argocd::ArgoRule;

pub static ALL: &[&dyn Rule] = &[
    &BuildFailed,
    &SchemaViolation,
    &UnknownField,
    &UnknownKind,
    &MalformedResource,
    &RemovedApi,
    &DeprecatedApi,
    &SourcePath,
    &ProjectMissing,
    &DestinationNotAllowed,
    &TargetRevision,
    &SourceRepoNotAllowed,
    &PolicyDeny,
    &PolicyWarn,
];

/// The rules over Argo CD Applications (`check::argocd`).
pub static ARGOCD_RULES: &[&dyn ArgoRule] = &[
    &SourcePath,
    &ProjectMissing,
    &DestinationNotAllowed,
    &TargetRevision,
    &SourceRepoNotAllowed,
];
