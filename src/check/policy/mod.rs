//! Rego policies over hydrated targets: user policy folders with conftest
//! semantics, Gatekeeper ConstraintTemplates and Constraints, and the
//! built-in pack embedded from `policies/`. Evaluated with regorus.

pub mod builtin;
pub mod conftest;
pub mod engine;
pub mod gatekeeper;
pub mod location;
pub mod waiver;
