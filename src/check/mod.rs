//! Check stage: rules over hydrated targets and repository files. A rule
//! never parses files; it reads what earlier stages produced.

pub mod argocd;
pub mod commits;
pub mod diagnostic;
pub mod image;
pub mod policy;
pub mod registry;
pub mod rules;
pub mod run;
pub mod scan;
pub mod schema;

pub use diagnostic::{Diagnostic, Location, Severity};
pub use registry::{Rule, all_rules, find_rule};
