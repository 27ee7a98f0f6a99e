//! Content ids of the files of one view of the repository (the working
//! tree, the index or a commit), as git blob ids: git already knows them
//! for the index and for commits, and for an unmodified working-tree file
//! the index's id is the file's id. Only files git does not know are
//! hashed here, once per run.

use crate::source::Fs;
use sha1::{Digest, Sha1};
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::sync::Mutex;

/// The id of a file that does not exist in the view.
pub const ABSENT: &str = "-";

/// Repo-relative path (with `/`) → git blob id.
#[derive(Debug, Default)]
pub struct Snapshot {
    ids: HashMap<String, String>,
    /// Whether `ids` lists every file of the view (a git view): a path
    /// missing from it does not exist.
    complete: bool,
    /// Whether git listed the files (tracked, and untracked unless ignored).
    git: bool,
    /// Files git lists whose ids are computed on demand: untracked (not
    /// ignored), modified since staged, symlinks.
    untracked: Vec<String>,
    /// Ids computed during this run for files git does not track.
    hashed: Mutex<HashMap<String, String>>,
}

/// git's blob id of `content`: SHA-1 of `blob <len>\0<content>`.
pub fn blob_id(content: &[u8]) -> String {
    let mut h = Sha1::new();
    h.update(format!("blob {}\0", content.len()).as_bytes());
    h.update(content);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn git(root: &Path, args: &[&str]) -> Option<Vec<u8>> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout)
}

fn nul_split(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    bytes.split(|b| *b == 0).filter(|r| !r.is_empty())
}

impl Snapshot {
    /// A view whose ids are all given (a git tree or the index).
    pub fn complete(ids: HashMap<String, String>) -> Snapshot {
        Snapshot {
            ids,
            complete: true,
            git: true,
            untracked: Vec::new(),
            hashed: Mutex::default(),
        }
    }

    /// The working tree below `root`: the index's ids, except for files
    /// modified since (hashed on demand) and untracked files (hashed on
    /// demand). Outside a git work tree, every file is hashed on demand.
    pub fn worktree(root: &Path) -> Snapshot {
        let mut snap = Snapshot::default();
        let Some(staged) = git(root, &["ls-files", "-s", "-z"]) else {
            return snap;
        };
        let Some(modified) = git(root, &["diff-files", "--name-only", "-z", "--relative"]) else {
            return snap;
        };
        let modified: std::collections::HashSet<&[u8]> = nul_split(&modified).collect();
        // `<mode> SP <oid> SP <stage> TAB <path>`
        for rec in nul_split(&staged) {
            let Some(tab) = rec.iter().position(|b| *b == b'\t') else {
                continue;
            };
            let path = &rec[tab + 1..];
            let meta = String::from_utf8_lossy(&rec[..tab]);
            let mut it = meta.split(' ');
            let (Some(mode), Some(oid), Some("0")) = (it.next(), it.next(), it.next()) else {
                continue;
            };
            // Symlinks (their blob is the link text) and submodules are
            // hashed from what a read returns.
            let Ok(p) = std::str::from_utf8(path) else {
                continue;
            };
            if !mode.starts_with("100") || modified.contains(path) {
                snap.untracked.push(p.to_string());
                continue;
            }
            snap.ids.insert(p.to_string(), oid.to_string());
        }
        if let Some(others) = git(root, &["ls-files", "--others", "--exclude-standard", "-z"]) {
            snap.untracked.extend(
                nul_split(&others)
                    .filter_map(|p| std::str::from_utf8(p).ok())
                    .map(String::from),
            );
        }
        snap.git = true;
        snap
    }

    /// Whether git listed the view's files (false: not a git work tree).
    pub fn is_git(&self) -> bool {
        self.git
    }

    /// Every path git lists in the view (tracked and untracked), unsorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.ids
            .keys()
            .map(String::as_str)
            .chain(self.untracked.iter().map(String::as_str))
    }

    /// Number of files with a known id.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The id of `rel` in this view, reading it through `fs` when git does
    /// not know it; [`ABSENT`] when it does not exist.
    pub fn id(&self, fs: &dyn Fs, root: &Path, rel: &str) -> String {
        if let Some(id) = self.ids.get(rel) {
            return id.clone();
        }
        if self.complete {
            return ABSENT.to_string();
        }
        let mut memo = self.hashed.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(id) = memo.get(rel) {
            return id.clone();
        }
        let id = match fs.read(&root.join(rel)) {
            Ok(bytes) => blob_id(&bytes),
            Err(_) => ABSENT.to_string(),
        };
        memo.insert(rel.to_string(), id.clone());
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_ids_match_git() {
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(
            blob_id(b"hello\n"),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
        assert_eq!(blob_id(b""), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    }
}
