//! What every target's findings depend on besides its own inputs: the
//! tool (version, binary, rule set), `gitopsc.yaml`, policy and schema
//! folders, Rego files, and the CRDs committed anywhere in the repository
//! (the schema rules read them all). Also which files hold Argo CD
//! objects outside any kustomization (the Argo CD rules read them).

use super::snapshot::{ABSENT, Snapshot};
use super::store::{Store, sha256_hex};
use crate::check::scan::{RepoFiles, contains};
use crate::resolve::Config;
use crate::source::Fs;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Files larger than this are not scanned for CRDs (the schema rules skip
/// them too).
const MAX_SCAN: usize = 8 << 20;

/// The running tool: version, the binary's size and modification time (a
/// rebuilt binary may judge differently), and the rule set.
pub fn tool() -> String {
    let mut parts = vec![env!("CARGO_PKG_VERSION").to_string()];
    if let Ok(meta) = std::env::current_exe().and_then(std::fs::metadata) {
        parts.push(meta.len().to_string());
        if let Ok(t) = meta.modified()
            && let Ok(d) = t.duration_since(std::time::UNIX_EPOCH)
        {
            parts.push(d.as_nanos().to_string());
        }
    }
    for r in crate::check::all_rules() {
        parts.push(format!("{}:{}:{}", r.id(), r.name(), r.default_severity()));
    }
    sha256_hex(parts.join("\n").as_bytes())
}

/// Is this path scanned by the repository-wide rules?
fn scanned(rel: &str, output_dir: &str) -> bool {
    skipping(
        rel,
        output_dir,
        &[".git/", "target/", "node_modules/", ".gitopsc/", "vendor/"],
    )
}

/// Is this path one the CRD and Gatekeeper scans read (vendored files
/// included, as `check::scan` walks them)?
fn scanned_for_objects(rel: &str, output_dir: &str) -> bool {
    skipping(
        rel,
        output_dir,
        &[".git/", "target/", "node_modules/", ".gitopsc/"],
    )
}

fn skipping(rel: &str, output_dir: &str, skip: &[&str]) -> bool {
    (rel.ends_with(".yaml") || rel.ends_with(".yml") || rel.ends_with(".json"))
        && !skip
            .iter()
            .any(|s| rel.starts_with(s) || rel.contains(&format!("/{s}")))
        && !rel.starts_with(&format!("{}/", output_dir.trim_end_matches('/')))
}

fn under(rel: &str, dirs: &[String]) -> bool {
    dirs.iter().any(|d| {
        let d = d.trim_start_matches("./").trim_end_matches('/');
        d.is_empty() || d == "." || rel == d || rel.starts_with(&format!("{d}/"))
    })
}

/// Per scanned file: its id and whether it holds a CRD / an Argo CD object.
#[derive(Serialize, Deserialize, Default)]
struct ContentIndex {
    /// path → (blob id, mentions CRDs, mentions Argo CD, mentions Gatekeeper)
    files: BTreeMap<String, (String, bool, bool, bool)>,
}

/// The repository-wide state of one view.
pub struct Global {
    /// Hash of everything every target's findings depend on.
    pub fingerprint: String,
    /// Paths that select every target when they change: the config,
    /// policy and schema folders, Rego files, CRD files.
    pub select_all: BTreeSet<String>,
    /// Files holding Argo CD objects, with their ids.
    pub argo_files: BTreeMap<String, String>,
    /// Whether the view's files could be listed (a git view); without it
    /// the CRD part is left to a full run.
    pub listed: bool,
    /// Listed files that may hold CRDs or Gatekeeper objects.
    pub repo_files: RepoFiles,
}

impl Global {
    pub fn is_global(&self, rel: &str, cfg: &Config) -> bool {
        rel == crate::resolve::config::FILE_NAME
            || rel.ends_with(".rego")
            || under(rel, &cfg.policies)
            || under(rel, &cfg.schemas)
            || self.select_all.contains(rel)
    }
}

/// Computes [`Global`] for a view. The CRD scan reuses the index kept in
/// `store`: only files whose id changed since are read.
pub fn global(
    fs: &dyn Fs,
    root: &Path,
    cfg: &Config,
    snap: &Snapshot,
    store: Option<&Store>,
) -> Global {
    let tool = tool();
    let mut parts: Vec<String> = vec![format!("tool {tool}")];
    let config_id = snap.id(fs, root, crate::resolve::config::FILE_NAME);
    parts.push(format!("config {config_id}"));
    let mut select_all = BTreeSet::new();
    select_all.insert(crate::resolve::config::FILE_NAME.to_string());
    let mut paths: Vec<&str> = snap.paths().collect();
    paths.sort_unstable();
    paths.dedup();
    let old: ContentIndex = store
        .and_then(|s| s.get("index", "content-v2"))
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let mut index = ContentIndex::default();
    let mut argo_files = BTreeMap::new();
    let mut changed_index = false;
    let mut repo_files = RepoFiles::default();
    for rel in &paths {
        let policy =
            rel.ends_with(".rego") || under(rel, &cfg.policies) || under(rel, &cfg.schemas);
        let argo_scan = scanned(rel, cfg.output_dir());
        let scan = argo_scan || scanned_for_objects(rel, cfg.output_dir());
        if !policy && !scan {
            continue;
        }
        let id = snap.id(fs, root, rel);
        if id == ABSENT {
            continue;
        }
        if policy {
            parts.push(format!("policy {rel} {id}"));
            select_all.insert(rel.to_string());
        }
        if !scan {
            continue;
        }
        let (crd, argo, gk) = match old.files.get(*rel) {
            Some((old_id, crd, argo, gk)) if *old_id == id => (*crd, *argo, *gk),
            _ => {
                changed_index = true;
                match fs.read(&root.join(rel)) {
                    Ok(b) if b.len() <= MAX_SCAN => (
                        contains(&b, b"CustomResourceDefinition")
                            || contains(&b, b"ConstraintTemplate"),
                        contains(&b, b"argoproj.io"),
                        contains(&b, b"ConstraintTemplate")
                            || contains(&b, b"constraints.gatekeeper.sh"),
                    ),
                    _ => (false, false, false),
                }
            }
        };
        if gk {
            repo_files.gatekeeper.push(rel.to_string());
        }
        if crd {
            repo_files.crds.push(rel.to_string());
            parts.push(format!("crd {rel} {id}"));
            select_all.insert(rel.to_string());
        }
        if argo && argo_scan {
            argo_files.insert(rel.to_string(), id.clone());
        }
        index.files.insert(rel.to_string(), (id, crd, argo, gk));
    }
    if changed_index || index.files.len() != old.files.len() {
        changed_index = true;
    }
    if let Some(s) = store
        && changed_index
        && let Ok(b) = serde_json::to_vec(&index)
    {
        s.put("index", "content-v2", &b);
    }
    // Files whose CRD-ness was true before and are gone now still changed
    // the CRD set: their removal is in `parts` by absence.
    Global {
        fingerprint: sha256_hex(parts.join("\n").as_bytes()),
        select_all,
        argo_files,
        listed: snap.is_git(),
        repo_files,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanned_paths_skip_output_and_vendored_dirs() {
        assert!(scanned("crds/x.yaml", "rendered"));
        assert!(!scanned("rendered/dev/a.yaml", "rendered"));
        assert!(!scanned("a/node_modules/x.yaml", "rendered"));
        assert!(!scanned("README.md", "rendered"));
        assert!(under("policies/a.rego", &["policies/".into()]));
        assert!(!under("policiesx/a.rego", &["policies".into()]));
    }
}
