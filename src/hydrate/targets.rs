//! Hydrating every target of a repository, in parallel, each result with
//! the input files it read (the build graph) and their content hashes.

use crate::hydrate::cached_fs::CachedFs;
use crate::hydrate::kustomize::{self, BuildOptions, KustError};
use crate::resolve::Target;
use crate::source::{Fs, RecordingFs};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

pub struct Hydrated {
    pub target: Target,
    pub result: Result<Rendered, KustError>,
    /// Every file the build read, relative to the repository root, with the
    /// SHA-256 of its content.
    pub inputs: Vec<(String, String)>,
}

pub struct Rendered {
    pub resources: kustomize::ResMap,
    pub yaml: String,
    pub warnings: Vec<String>,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(64);
    for b in Sha256::digest(bytes) {
        s.push(HEX[usize::from(b >> 4)] as char);
        s.push(HEX[usize::from(b & 15)] as char);
    }
    s
}

/// Builds every target; the order of results follows `targets`.
pub fn hydrate_all(fs: &dyn Fs, root: &Path, targets: &[Target]) -> Vec<Hydrated> {
    hydrate_all_with(fs, root, targets, &|| {})
}

/// [`hydrate_all`], calling `done` after each target (progress display).
pub fn hydrate_all_with(
    fs: &dyn Fs,
    root: &Path,
    targets: &[Target],
    done: &(dyn Fn() + Sync),
) -> Vec<Hydrated> {
    // One snapshot of the inputs for the whole run: targets share most of
    // their files.
    let cached = CachedFs::new(fs);
    targets
        .par_iter()
        .map(|t| {
            let h = hydrate_cached(&cached, root, t);
            done();
            h
        })
        .collect()
}

pub fn hydrate_one(fs: &dyn Fs, root: &Path, target: &Target) -> Hydrated {
    hydrate_cached(&CachedFs::new(fs), root, target)
}

fn hydrate_cached(fs: &CachedFs, root: &Path, target: &Target) -> Hydrated {
    let recording = RecordingFs::new(fs);
    let result =
        kustomize::build(&recording, &target.dir, &BuildOptions::default()).map(|b| Rendered {
            yaml: kustomize::render(&b.resources),
            resources: b.resources,
            warnings: b.warnings,
        });
    let inputs = recording
        .reads()
        .into_iter()
        .map(|p: PathBuf| (relative(root, &p), fs.sha256_hex(&p).to_string()))
        .collect();
    Hydrated {
        target: target.clone(),
        result,
        inputs,
    }
}

fn relative(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .into_owned()
}
