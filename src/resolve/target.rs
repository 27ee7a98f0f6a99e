//! A target: one app in one environment, built from one kustomization.

use serde::Serialize;
use std::path::PathBuf;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Target {
    pub env: String,
    pub app: String,
    /// The kustomization directory, relative to the repository root.
    pub source: String,
    #[serde(skip)]
    pub dir: PathBuf,
}

impl Target {
    /// `app/env`, the name used in reports.
    pub fn id(&self) -> String {
        format!("{}/{}", self.app, self.env)
    }
}
