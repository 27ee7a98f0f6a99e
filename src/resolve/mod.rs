//! Resolve stage: the repository model. `gitopsc.yaml` (or discovery
//! without it) gives environments × apps, i.e. the targets to build.

pub mod argocd;
pub mod changed;
pub mod commitlint;
pub mod config;
pub mod discover;
pub mod graph;
pub mod shard;
pub mod target;

pub use config::{Config, ConfigError};
pub use target::Target;
