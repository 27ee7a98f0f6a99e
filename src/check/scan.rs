//! Which repository files the checks read besides the targets' builds:
//! committed CRDs (schema validation) and Gatekeeper templates and
//! constraints. A plain check walks the work tree for them; a cached run
//! already knows, from its content index, which listed files mention them
//! and hands that list over instead of walking thousands of files again.

use std::path::{Path, PathBuf};

/// Repository-relative files that may hold CRDs or ConstraintTemplates
/// (`crds`) and Gatekeeper templates or constraints (`gatekeeper`).
#[derive(Debug, Default, Clone)]
pub struct RepoFiles {
    pub crds: Vec<String>,
    pub gatekeeper: Vec<String>,
}

/// Files larger than this are not scanned.
pub const MAX_FILE: u64 = 8 << 20;

/// The YAML and JSON files below `root` a scan reads: `listed` (relative
/// to `root`) when known, else every such file of the work tree outside
/// the output folder.
pub fn files(root: &Path, output_dir: &str, listed: Option<&[String]>) -> Vec<PathBuf> {
    let mut out = match listed {
        Some(l) => l
            .iter()
            .map(|p| root.join(p))
            .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.len() <= MAX_FILE))
            .collect(),
        None => {
            let mut v = Vec::new();
            super::schema::targets::walk(root, &root.join(output_dir), &mut v, 0);
            v
        }
    };
    out.sort();
    out
}
