//! An output tree written all at once: files go to a temporary sibling
//! directory which then replaces the old one, so a failed run leaves the
//! previous output intact and readers never see half a tree.

use std::collections::BTreeMap;
use std::io;
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

    /// Replaces `dir` with this tree.
    pub fn write_atomically(&self, dir: &Path) -> io::Result<()> {
        let parent = dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.new-"))
            .tempdir_in(parent)?;
        for (rel, content) in &self.files {
            let p = staging.path().join(rel);
            if let Some(d) = p.parent() {
                std::fs::create_dir_all(d)?;
            }
            std::fs::write(&p, content)?;
        }
        let staged: PathBuf = staging.keep();
        if dir.exists() {
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
}
