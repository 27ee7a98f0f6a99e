//! One file per rule. Add a rule by writing its file and listing it here.

mod kus001_build_failed;
mod sch001_schema_violation;
mod sch002_unknown_field;
mod sch003_unknown_kind;
mod sch004_malformed_resource;
mod sch005_removed_api;
mod sch006_deprecated_api;

pub use kus001_build_failed::BuildFailed;
pub use sch001_schema_violation::SchemaViolation;
pub use sch002_unknown_field::UnknownField;
pub use sch003_unknown_kind::UnknownKind;
pub use sch004_malformed_resource::MalformedResource;
pub use sch005_removed_api::RemovedApi;
pub use sch006_deprecated_api::DeprecatedApi;

use super::Rule;

pub static ALL: &[&dyn Rule] = &[
    &BuildFailed,
    &SchemaViolation,
    &UnknownField,
    &UnknownKind,
    &MalformedResource,
    &RemovedApi,
    &DeprecatedApi,
];
