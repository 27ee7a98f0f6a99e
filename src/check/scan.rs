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

/// Folders a scan never enters.
const SKIP_DIRS: [&str; 4] = [".git", "target", "node_modules", ".gitopsc"];

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
            walk(root, &root.join(output_dir), &mut v, 0);
            v
        }
    };
    out.sort();
    out
}

/// Whether `needle` occurs in `hay` (the cheap test before parsing).
pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Every YAML and JSON file below `dir` up to [`MAX_FILE`] bytes, except
/// the folder `skip` and tool folders.
pub fn walk(dir: &Path, skip: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    if depth > 30 || dir == skip {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            if !SKIP_DIRS.contains(&name.as_str()) {
                walk(&p, skip, out, depth + 1);
            }
        } else if ft.is_file()
            && matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("yaml" | "yml" | "json")
            )
            && e.metadata().is_ok_and(|m| m.len() <= MAX_FILE)
        {
            out.push(p);
        }
    }
}
