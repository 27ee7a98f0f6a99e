//! The working tree on disk, sandboxed to a root directory.

use super::{Fs, FsError, MAX_FILE_SIZE, normalize};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// A view of the tree below a root. The real location of each directory is
/// resolved once and remembered for the life of the value (and its
/// clones): a build resolves the same few directories for every file it
/// reads, and a full `realpath` per read (one `readlink` per path component)
/// was the largest cost of reading a repository. Make a new `DiskFs` to see
/// directories or symlinks that changed meanwhile.
#[derive(Debug, Clone)]
pub struct DiskFs {
    root: PathBuf,
    /// Directory (absolute, normalised) → its real location.
    dirs: Arc<RwLock<HashMap<PathBuf, PathBuf>>>,
}

impl DiskFs {
    /// A view of everything below `root` (which must exist).
    pub fn new(root: &Path) -> Result<DiskFs, FsError> {
        let root = std::fs::canonicalize(root).map_err(|source| io_err(root, source))?;
        Ok(DiskFs {
            root,
            dirs: Arc::default(),
        })
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

    /// `realpath(abs)` for a normalised absolute path: the parent's real
    /// location (remembered) joined with the last component, which is
    /// resolved only when it is itself a symlink.
    fn resolve(&self, abs: &Path) -> std::io::Result<PathBuf> {
        let (Some(parent), Some(name)) = (abs.parent(), abs.file_name()) else {
            return std::fs::canonicalize(abs);
        };
        let candidate = self.real_dir(parent)?.join(name);
        if std::fs::symlink_metadata(&candidate)?
            .file_type()
            .is_symlink()
        {
            std::fs::canonicalize(&candidate)
        } else {
            Ok(candidate)
        }
    }

    fn real_dir(&self, dir: &Path) -> std::io::Result<PathBuf> {
        let cached = |d: &HashMap<PathBuf, PathBuf>| d.get(dir).cloned();
        if let Some(real) = cached(&self.dirs.read().unwrap_or_else(|p| p.into_inner())) {
            return Ok(real);
        }
        let real = self.resolve(dir)?;
        self.dirs
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(dir.to_path_buf(), real.clone());
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
        let mut file = std::fs::File::open(&real).map_err(|e| io_err(path, e))?;
        let size = file.metadata().map_err(|e| io_err(path, e))?.len();
        if size > MAX_FILE_SIZE {
            return Err(FsError::TooLarge {
                path: path.to_path_buf(),
                size,
            });
        }
        // The size is below MAX_FILE_SIZE, so it fits in usize.
        let mut out = Vec::with_capacity(size as usize);
        file.read_to_end(&mut out).map_err(|e| io_err(path, e))?;
        Ok(out)
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
        self.resolve(&abs).map_err(|e| io_err(&abs, e))
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

    #[test]
    fn resolves_symlinked_directories_like_realpath() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.yaml"), "a: 1").unwrap();
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("real/sub")).unwrap();
        std::fs::write(root.path().join("real/sub/f.yaml"), "a: 1").unwrap();
        std::os::unix::fs::symlink("real", root.path().join("alias")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.path().join("out")).unwrap();
        let fs = DiskFs::new(root.path()).unwrap();
        let r = fs.root().to_path_buf();
        for _ in 0..2 {
            // The second round answers from the remembered directories.
            assert_eq!(
                fs.canonical(&r.join("alias/sub/f.yaml")).unwrap(),
                r.join("real/sub/f.yaml")
            );
            assert_eq!(
                fs.canonical(&r.join("alias/sub")).unwrap(),
                r.join("real/sub")
            );
            assert!(fs.read(&r.join("alias/sub/f.yaml")).is_ok());
            assert!(fs.is_dir(&r.join("alias/sub")));
            assert!(matches!(
                fs.read(&r.join("out/secret.yaml")),
                Err(FsError::OutsideRoot { .. })
            ));
            assert!(matches!(
                fs.read(&r.join("alias/missing.yaml")),
                Err(FsError::NotFound { .. })
            ));
            assert!(matches!(
                fs.read(&r.join("nowhere/missing.yaml")),
                Err(FsError::NotFound { .. })
            ));
        }
    }
}
