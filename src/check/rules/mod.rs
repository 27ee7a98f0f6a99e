//! One file per rule. Add a rule by writing its file and listing it here.

mod arg001_source_path;
mod arg002_project_missing;
mod arg003_destination;
mod arg004_target_revision;
mod arg005_source_repo;
mod gk001_gatekeeper_deny;
mod gk002_gatekeeper_warn;
mod gk003_gatekeeper_invalid;
mod img001_invalid_reference;
mod img002_tag_missing;
mod img003_tag_latest;
mod img004_tag_mutable;
mod img005_registry_not_allowed;
mod img006_tag_pattern;
mod img007_not_promoted;
mod kus001_build_failed;
mod pol001_run_as_non_root;
mod pol002_no_privilege_escalation;
mod pol003_resource_requests_limits;
mod pol004_probes;
mod pol005_host_access;
mod pol006_read_only_root_filesystem;
mod pol007_required_labels;
mod pol008_ingress_tls;
mod pol009_default_deny_network_policy;
mod pol010_dev_to_prod_network_policy;
mod pol011_pod_disruption_budget;
mod pol012_load_balancer_address_pool;
mod pol013_plaintext_secret;
mod rego001_policy_deny;
mod rego002_policy_warn;
mod sch001_schema_violation;
mod sch002_unknown_field;
mod sch003_unknown_kind;
mod sch004_malformed_resource;
mod sch005_removed_api;
mod sch006_deprecated_api;
mod wav001_waiver_expired;
mod wav002_waiver_malformed;

pub use arg001_source_path::SourcePath;
pub use arg002_project_missing::ProjectMissing;
pub use arg003_destination::DestinationNotAllowed;
pub use arg004_target_revision::TargetRevision;
pub use arg005_source_repo::SourceRepoNotAllowed;
pub use gk001_gatekeeper_deny::GatekeeperDeny;
pub use gk002_gatekeeper_warn::GatekeeperWarn;
pub use gk003_gatekeeper_invalid::GatekeeperInvalid;
pub use img001_invalid_reference::InvalidImageReference;
pub use img002_tag_missing::ImageTagMissing;
pub use img003_tag_latest::ImageTagLatest;
pub use img004_tag_mutable::ImageTagMutable;
pub use img005_registry_not_allowed::ImageRegistryNotAllowed;
pub use img006_tag_pattern::ImageTagPattern;
pub use img007_not_promoted::ImageNotPromoted;
pub use kus001_build_failed::BuildFailed;
pub use pol001_run_as_non_root::RunAsNonRoot;
pub use pol002_no_privilege_escalation::NoPrivilegeEscalation;
pub use pol003_resource_requests_limits::ResourceRequestsLimits;
pub use pol004_probes::Probes;
pub use pol005_host_access::HostAccess;
pub use pol006_read_only_root_filesystem::ReadOnlyRootFilesystem;
pub use pol007_required_labels::RequiredLabels;
pub use pol008_ingress_tls::IngressTls;
pub use pol009_default_deny_network_policy::DefaultDenyNetworkPolicy;
pub use pol010_dev_to_prod_network_policy::DevToProdNetworkPolicy;
pub use pol011_pod_disruption_budget::PodDisruptionBudget;
pub use pol012_load_balancer_address_pool::LoadBalancerAddressPool;
pub use pol013_plaintext_secret::PlaintextSecret;
pub use rego001_policy_deny::PolicyDeny;
pub use rego002_policy_warn::PolicyWarn;
pub use sch001_schema_violation::SchemaViolation;
pub use sch002_unknown_field::UnknownField;
pub use sch003_unknown_kind::UnknownKind;
pub use sch004_malformed_resource::MalformedResource;
pub use sch005_removed_api::RemovedApi;
pub use sch006_deprecated_api::DeprecatedApi;
pub use wav001_waiver_expired::WaiverExpired;
pub use wav002_waiver_malformed::WaiverMalformed;

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
    &RunAsNonRoot,
    &NoPrivilegeEscalation,
    &ResourceRequestsLimits,
    &Probes,
    &HostAccess,
    &ReadOnlyRootFilesystem,
    &RequiredLabels,
    &IngressTls,
    &DefaultDenyNetworkPolicy,
    &DevToProdNetworkPolicy,
    &PodDisruptionBudget,
    &LoadBalancerAddressPool,
    &PlaintextSecret,
    &WaiverExpired,
    &WaiverMalformed,
];

/// The rules over Argo CD Applications (`check::argocd`).
pub static ARGOCD_RULES: &[&dyn ArgoRule] = &[
    &SourcePath,
    &ProjectMissing,
    &DestinationNotAllowed,
    &TargetRevision,
    &SourceRepoNotAllowed,
];
