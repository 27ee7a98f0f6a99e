//! gitopsc: a GitOps repository compiler and policy linter.
//!
//! The crate follows the pipeline source → load → resolve → hydrate →
//! check → emit → report; each module depends only on those before it.

pub mod cache;
pub mod check;
pub mod cli;
pub mod diff;
pub mod emit;
pub mod hydrate;
pub mod load;
pub mod report;
pub mod resolve;
pub mod source;
