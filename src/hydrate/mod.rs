//! Hydrate stage: turning sources into plain resources (kustomize today,
//! Helm next).

pub mod cached_fs;
pub mod kustomize;
pub mod targets;
