//! An in-memory tree, for tests and fuzzing (and a model for a git tree).

use super::{Fs, FsError, MAX_FILE_SIZE, normalize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default)]
pub struct MemFs {
    root: PathBuf,
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl MemFs {
    /// An empty tree rooted at `root` (an absolute path).
    pub fn new(root: &Path) -> MemFs {
        MemFs {
            root: normalize(root),
            files: BTreeMap::new(),
        }
    }

    /// Adds a file at `rel` below the root.
    pub fn add(&mut self, rel: &str, content: impl Into<Vec<u8>>) -> &mut Self {
        self.files
            .insert(normalize(&self.root.join(rel)), content.into());
        self
    }

    fn inside(&self, path: &Path) -> Result<PathBuf, FsError> {
        let p = normalize(path);
        if !p.starts_with(&self.root) {
            return Err(FsError::OutsideRoot {
                path: path.to_path_buf(),
                root: self.root.clone(),
            });
        }
        Ok(p)
    }
}

impl Fs for MemFs {
    fn read(&self, path: &Path) -> Result<Vec<u8>, FsError> {
        let p = self.inside(path)?;
        match self.files.get(&p) {
            Some(b) if b.len() as u64 > MAX_FILE_SIZE => Err(FsError::TooLarge {
                path: p,
                size: b.len() as u64,
            }),
            Some(b) => Ok(b.clone()),
            None => Err(FsError::NotFound { path: p }),
        }
    }

    fn is_dir(&self, path: &Path) -> bool {
        let p = normalize(path);
        p == self.root || self.files.keys().any(|f| f.starts_with(&p) && *f != p)
    }

    fn exists(&self, path: &Path) -> bool {
        let p = normalize(path);
        self.files.contains_key(&p) || self.is_dir(&p)
    }

    fn list(&self, dir: &Path) -> Result<Vec<PathBuf>, FsError> {
        let d = self.inside(dir)?;
        let mut out: Vec<PathBuf> = self
            .files
            .keys()
            .filter_map(|f| f.strip_prefix(&d).ok())
            .filter_map(|rel| rel.components().next())
            .map(|c| d.join(c.as_os_str()))
            .collect();
        out.dedup();
        Ok(out)
    }

    fn canonical(&self, path: &Path) -> Result<PathBuf, FsError> {
        let p = if path.is_absolute() {
            normalize(path)
        } else {
            normalize(&self.root.join(path))
        };
        if self.exists(&p) {
            Ok(p)
        } else {
            Err(FsError::NotFound { path: p })
        }
    }

    fn root(&self) -> &Path {
        &self.root
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lists_and_sandboxes() {
        let mut fs = MemFs::new(Path::new("/repo"));
        fs.add("a/k.yaml", "x").add("a/b/c.yaml", "y");
        assert_eq!(fs.read(Path::new("/repo/a/k.yaml")).unwrap(), b"x");
        assert!(fs.is_dir(Path::new("/repo/a/b")));
        assert_eq!(
            fs.list(Path::new("/repo/a")).unwrap(),
            vec![PathBuf::from("/repo/a/b"), PathBuf::from("/repo/a/k.yaml")]
        );
        assert!(matches!(
            fs.read(Path::new("/etc/passwd")),
            Err(FsError::OutsideRoot { .. })
        ));
    }
}
