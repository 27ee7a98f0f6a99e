//! One file per rule. Add a rule by writing its file and listing it here.

mod arg001_source_path;
mod arg002_project_missing;
mod arg003_destination;
mod arg004_target_revision;
mod arg005_source_repo;
mod img001_invalid_reference;
mod img002_tag_missing;
mod img003_tag_latest;
mod img004_tag_mutable;
mod img005_registry_not_allowed;
mod img006_tag_pattern;
mod img007_not_promoted;
mod gk001_gatekeeper_deny;
mod gk002_gatekeeper_warn;
mod gk003_gatekeeper_invalid;
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
pub use img001_invalid_reference::InvalidImageReference;
pub use img002_tag_missing::ImageTagMissing;
pub use img003_tag_latest::ImageTagLatest;
pub use img004_tag_mutable::ImageTagMutable;
pub use img005_registry_not_allowed::ImageRegistryNotAllowed;
pub use img006_tag_pattern::ImageTagPattern;
pub use img007_not_promoted::ImageNotPromoted;
pub use gk001_gatekeeper_deny::GatekeeperDeny;
pub use gk002_gatekeeper_warn::GatekeeperWarn;
pub use gk003_gatekeeper_invalid::GatekeeperInvalid;
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
    &InvalidImageReference,
    &ImageTagMissing,
    &ImageTagLatest,
    &ImageTagMutable,
    &ImageRegistryNotAllowed,
    &ImageTagPattern,
    &ImageNotPromoted,
    &GatekeeperDeny,
    &GatekeeperWarn,
    &GatekeeperInvalid,
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
