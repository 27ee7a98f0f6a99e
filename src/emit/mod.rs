//! Emit stage: writing rendered manifests and generated Argo CD objects to
//! disk, deterministically and atomically.

pub mod argocd;
pub mod graph;
pub mod tree;
