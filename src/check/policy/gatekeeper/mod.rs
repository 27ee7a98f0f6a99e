//! Gatekeeper ConstraintTemplates and Constraints over hydrated targets.
//!
//! Templates and constraints are found in policy folders, anywhere in the
//! repository, and among the rendered resources of every target (platform
//! overlays deploy them). Each template is compiled once (Rego v0, its libs
//! isolated in a policy set of its own); every rendered resource a
//! constraint matches is reviewed as Gatekeeper's audit would review it,
//! with `data.inventory` built from the target's resources.

pub mod check;
pub mod constraint;
pub mod eval;
pub mod library;
pub mod matching;
pub mod negation;
pub mod review;
pub mod rewrite;
pub mod template;
pub mod yaml;

pub use check::check_targets;
pub use constraint::{Action, Constraint};
pub use eval::{Violation, engine_with_data, violations};
pub use template::{Template, TemplateSource, template_source};
