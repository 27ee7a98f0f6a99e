//! An output tree written all at once: files go to a temporary sibling
//! directory which then replaces the old one, so a failed run leaves the
//! previous output intact and readers never see half a tree.

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Relative path → content; a BTreeMap so writing order is deterministic.
#[derive(Default, Debug)]
pub struct OutputTree {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl OutputTree {
    pub fn add(&mut self, rel: impl Into<String>, content: impl Into<Vec<u8>>) {
        self.files.insert(rel.into(), content.into());
    }

    /// Replaces `dir` with this tree. When `dir` already holds exactly this
    /// tree nothing is written; otherwise the new tree is staged beside it
    /// (files whose bytes did not change are hard links to the old ones, so
    /// the file system allocates and frees nothing for them) and swapped in
    /// with renames.
    pub fn write_atomically(&self, dir: &Path) -> io::Result<()> {
        let parent = dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        let previous = std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir());
        if previous && self.is_written_in(dir) {
            return Ok(());
        }
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.new-"))
            .tempdir_in(parent)?;
        for d in self.dirs() {
            std::fs::create_dir_all(staging.path().join(d))?;
        }
        self.files.par_iter().try_for_each(|(rel, content)| {
            let p = staging.path().join(rel);
            if previous {
                let old = dir.join(rel);
                if holds(&old, content) && std::fs::hard_link(&old, &p).is_ok() {
                    return Ok(());
                }
            }
            std::fs::write(&p, content)
        })?;
        let staged: PathBuf = staging.keep();
        if std::fs::symlink_metadata(dir).is_ok() {
            let old = tempfile::Builder::new()
                .prefix(&format!(".{name}.old-"))
                .tempdir_in(parent)?
                .keep();
            // rename() needs the destination gone; swap the old tree aside first.
            std::fs::remove_dir(&old)?;
            std::fs::rename(dir, &old)?;
            if let Err(e) = std::fs::rename(&staged, dir) {
                let _ = std::fs::rename(&old, dir);
                let _ = std::fs::remove_dir_all(&staged);
                return Err(e);
            }
            let _ = std::fs::remove_dir_all(&old);
        } else if let Err(e) = std::fs::rename(&staged, dir) {
            let _ = std::fs::remove_dir_all(&staged);
            return Err(e);
        }
        Ok(())
    }

    /// Every directory the tree's files sit in (relative, parents first).
    fn dirs(&self) -> BTreeSet<&str> {
        let mut dirs = BTreeSet::new();
        for rel in self.files.keys() {
            let mut at = rel.as_str();
            while let Some((d, _)) = at.rsplit_once('/') {
                if !dirs.insert(d) {
                    break;
                }
                at = d;
            }
        }
        dirs
    }

    /// Whether `dir` holds exactly this tree: the same files with the same
    /// bytes, and no other file or directory.
    fn is_written_in(&self, dir: &Path) -> bool {
        let dirs = self.dirs();
        let mut files = 0;
        let mut pending = vec![(dir.to_path_buf(), String::new())];
        while let Some((abs, rel)) = pending.pop() {
            let Ok(entries) = std::fs::read_dir(&abs) else {
                return false;
            };
            for e in entries {
                let Ok(e) = e else { return false };
                let Some(name) = e.file_name().to_str().map(str::to_string) else {
                    return false;
                };
                let rel = if rel.is_empty() {
                    name
                } else {
                    format!("{rel}/{name}")
                };
                match e.file_type() {
                    Ok(t) if t.is_dir() && dirs.contains(rel.as_str()) => {
                        pending.push((e.path(), rel));
                    }
                    Ok(t) if t.is_file() && self.files.contains_key(&rel) => files += 1,
                    _ => return false,
                }
            }
        }
        files == self.files.len()
            && self
                .files
                .par_iter()
                .all(|(rel, content)| holds(&dir.join(rel), content))
    }
}

/// Whether the file at `path` holds exactly `content`.
fn holds(path: &Path, content: &[u8]) -> bool {
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    if f.metadata().map(|m| m.len()).ok() != Some(content.len() as u64) {
        return false;
    }
    let mut bytes = Vec::with_capacity(content.len());
    f.read_to_end(&mut bytes).is_ok() && bytes == content
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_whole_tree() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("rendered");
        let mut a = OutputTree::default();
        a.add("dev/web.yaml", "a: 1\n");
        a.add("prod/web.yaml", "a: 2\n");
        a.write_atomically(&out).unwrap();
        let mut b = OutputTree::default();
        b.add("dev/web.yaml", "a: 3\n");
        b.write_atomically(&out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("dev/web.yaml")).unwrap(),
            "a: 3\n"
        );
        assert!(!out.join("prod").exists());
        let leftovers: Vec<_> = std::fs::read_dir(t.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging directories left behind");
    }

    fn inode(p: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(p).unwrap().ino()
    }

    #[test]
    fn an_unchanged_tree_is_left_alone() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("rendered");
        let mut a = OutputTree::default();
        a.add("dev/web.yaml", "a: 1\n");
        a.add("index.json", "{}\n");
        a.write_atomically(&out).unwrap();
        let before = (inode(&out), inode(&out.join("dev/web.yaml")));
        a.write_atomically(&out).unwrap();
        assert_eq!(before, (inode(&out), inode(&out.join("dev/web.yaml"))));
    }

    #[test]
    fn unchanged_files_are_linked_and_extra_entries_removed() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("rendered");
        let mut a = OutputTree::default();
        a.add("dev/web.yaml", "a: 1\n");
        a.add("dev/api.yaml", "b: 1\n");
        a.write_atomically(&out).unwrap();
        let web = inode(&out.join("dev/web.yaml"));
        let mut b = OutputTree::default();
        b.add("dev/web.yaml", "a: 1\n");
        b.add("dev/api.yaml", "b: 2\n");
        b.write_atomically(&out).unwrap();
        assert_eq!(inode(&out.join("dev/web.yaml")), web, "unchanged: linked");
        assert_eq!(
            std::fs::read_to_string(out.join("dev/api.yaml")).unwrap(),
            "b: 2\n"
        );
        // A stray file or directory in the output is not part of the tree.
        std::fs::write(out.join("dev/stray.yaml"), "x").unwrap();
        b.write_atomically(&out).unwrap();
        assert!(!out.join("dev/stray.yaml").exists());
        std::fs::create_dir(out.join("empty")).unwrap();
        b.write_atomically(&out).unwrap();
        assert!(!out.join("empty").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("dev/web.yaml")).unwrap(),
            "a: 1\n"
        );
        let leftovers: Vec<_> = std::fs::read_dir(t.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging directories left behind");
    }
}
