//! The working tree on disk, sandboxed to a root directory.

use super::{Fs, FsError, MAX_FILE_SIZE, normalize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct DiskFs {
    root: PathBuf,
}

impl DiskFs {
    /// A view of everything below `root` (which must exist).
    pub fn new(root: &Path) -> Result<DiskFs, FsError> {
        let root = std::fs::canonicalize(root).map_err(|source| io_err(root, source))?;
        Ok(DiskFs { root })
    }

    fn check(&self, path: &Path) -> Result<PathBuf, FsError> {
        let real = self.canonical(path)?;
        if !real.starts_with(&self.root) {
            return Err(FsError::OutsideRoot {
                path: path.to_path_buf(),
                root: self.root.clone(),
            });
        }
        Ok(real)
    }
}

fn io_err(path: &Path, source: std::io::Error) -> FsError {
    if source.kind() == std::io::ErrorKind::NotFound {
        FsError::NotFound {
            path: path.to_path_buf(),
        }
    } else {
        FsError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl Fs for DiskFs {
    fn read(&self, path: &Path) -> Result<Vec<u8>, FsError> {
        let real = self.check(path)?;
        let meta = std::fs::metadata(&real).map_err(|e| io_err(path, e))?;
        if meta.len() > MAX_FILE_SIZE {
            return Err(FsError::TooLarge {
                path: path.to_path_buf(),
                size: meta.len(),
            });
        }
        std::fs::read(&real).map_err(|e| io_err(path, e))
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.check(path).map(|p| p.is_dir()).unwrap_or(false)
    }

    fn exists(&self, path: &Path) -> bool {
        std::fs::symlink_metadata(path).is_ok()
    }

    fn list(&self, dir: &Path) -> Result<Vec<PathBuf>, FsError> {
        let real = self.check(dir)?;
        let mut out = Vec::new();
        for e in std::fs::read_dir(&real).map_err(|e| io_err(dir, e))? {
            let e = e.map_err(|e| io_err(dir, e))?;
            out.push(dir.join(e.file_name()));
        }
        out.sort();
        Ok(out)
    }

    fn canonical(&self, path: &Path) -> Result<PathBuf, FsError> {
        let abs = if path.is_absolute() {
            normalize(path)
        } else {
            normalize(&self.root.join(path))
        };
        std::fs::canonicalize(&abs).map_err(|e| io_err(&abs, e))
    }

    fn root(&self) -> &Path {
        &self.root
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_symlinks_leaving_the_root() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.yaml"), "a: 1").unwrap();
        let root = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.yaml"),
            root.path().join("link.yaml"),
        )
        .unwrap();
        std::fs::write(root.path().join("ok.yaml"), "a: 1").unwrap();
        let fs = DiskFs::new(root.path()).unwrap();
        let root_real = fs.root().to_path_buf();
        assert!(fs.read(&root_real.join("ok.yaml")).is_ok());
        assert!(matches!(
            fs.read(&root_real.join("link.yaml")),
            Err(FsError::OutsideRoot { .. })
        ));
        assert!(matches!(
            fs.read(&root_real.join("../x.yaml")),
            Err(FsError::OutsideRoot { .. }) | Err(FsError::NotFound { .. })
        ));
    }
}
