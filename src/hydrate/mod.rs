//! Hydrate stage: turning sources into plain resources (kustomize today,
//! Helm next).

pub mod kustomize;
pub mod targets;
