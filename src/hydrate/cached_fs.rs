//! An [`Fs`] that remembers what it answered, for one hydration run.
//!
//! The targets of a repository share most of their inputs (an app's base
//! feeds each of its environments, a component feeds every app), and a
//! build asks about each file several times (does it exist, is it a
//! directory, where does it really live, its bytes, their hash). Asking the
//! file system once per run and answering from memory afterwards also makes
//! every target of a run see the same snapshot of a file.

use crate::source::{Fs, FsError};
use std::collections::HashMap;
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// One memo table; only answers that are not errors are kept (errors are
/// rare and carry the caller's context).
struct Memo<K, V>(RwLock<HashMap<K, V>>);

impl<K: Hash + Eq, V: Clone> Memo<K, V> {
    fn new() -> Self {
        Memo(RwLock::new(HashMap::new()))
    }

    fn get_or<E>(&self, key: &K, compute: impl FnOnce() -> Result<V, E>) -> Result<V, E>
    where
        K: Clone,
    {
        if let Some(v) = self.0.read().unwrap_or_else(|p| p.into_inner()).get(key) {
            return Ok(v.clone());
        }
        let v = compute()?;
        self.0
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key.clone(), v.clone());
        Ok(v)
    }
}

pub struct CachedFs<'a> {
    inner: &'a dyn Fs,
    files: Memo<PathBuf, Arc<Vec<u8>>>,
    hashes: Memo<PathBuf, Arc<str>>,
    dirs: Memo<PathBuf, bool>,
    exists: Memo<PathBuf, bool>,
    canonical: Memo<PathBuf, PathBuf>,
    lists: Memo<PathBuf, Arc<Vec<PathBuf>>>,
}

impl<'a> CachedFs<'a> {
    pub fn new(inner: &'a dyn Fs) -> CachedFs<'a> {
        CachedFs {
            inner,
            files: Memo::new(),
            hashes: Memo::new(),
            dirs: Memo::new(),
            exists: Memo::new(),
            canonical: Memo::new(),
            lists: Memo::new(),
        }
    }

    fn bytes(&self, path: &Path) -> Result<Arc<Vec<u8>>, FsError> {
        self.files
            .get_or(&path.to_path_buf(), || self.inner.read(path).map(Arc::new))
    }

    /// The SHA-256 of a file's bytes (hex), empty when it cannot be read.
    pub fn sha256_hex(&self, path: &Path) -> Arc<str> {
        self.hashes
            .get_or(&path.to_path_buf(), || {
                self.bytes(path)
                    .map(|b| Arc::from(super::targets::sha256_hex(&b)))
            })
            .unwrap_or_else(|_| Arc::from(""))
    }
}

impl Fs for CachedFs<'_> {
    fn read(&self, path: &Path) -> Result<Vec<u8>, FsError> {
        self.bytes(path).map(|b| b.as_ref().clone())
    }

    fn is_dir(&self, path: &Path) -> bool {
        let key = path.to_path_buf();
        self.dirs
            .get_or(&key, || Ok::<_, ()>(self.inner.is_dir(path)))
            .unwrap_or(false)
    }

    fn exists(&self, path: &Path) -> bool {
        let key = path.to_path_buf();
        self.exists
            .get_or(&key, || Ok::<_, ()>(self.inner.exists(path)))
            .unwrap_or(false)
    }

    fn list(&self, dir: &Path) -> Result<Vec<PathBuf>, FsError> {
        self.lists
            .get_or(&dir.to_path_buf(), || self.inner.list(dir).map(Arc::new))
            .map(|l| l.as_ref().clone())
    }

    fn canonical(&self, path: &Path) -> Result<PathBuf, FsError> {
        self.canonical
            .get_or(&path.to_path_buf(), || self.inner.canonical(path))
    }

    fn root(&self) -> &Path {
        self.inner.root()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_like_the_inner_tree() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("d")).unwrap();
        std::fs::write(root.path().join("d/a.yaml"), "a: 1\n").unwrap();
        let disk = crate::source::DiskFs::new(root.path()).unwrap();
        let r = disk.root().to_path_buf();
        let fs = CachedFs::new(&disk);
        for _ in 0..2 {
            assert_eq!(fs.read(&r.join("d/a.yaml")).unwrap(), b"a: 1\n");
            assert!(fs.is_dir(&r.join("d")));
            assert!(!fs.is_dir(&r.join("d/a.yaml")));
            assert!(fs.exists(&r.join("d/a.yaml")));
            assert!(!fs.exists(&r.join("d/b.yaml")));
            assert!(matches!(
                fs.read(&r.join("d/b.yaml")),
                Err(FsError::NotFound { .. })
            ));
            assert_eq!(fs.list(&r.join("d")).unwrap(), [r.join("d/a.yaml")]);
            assert_eq!(
                &*fs.sha256_hex(&r.join("d/a.yaml")),
                super::super::targets::sha256_hex(b"a: 1\n")
            );
            assert_eq!(&*fs.sha256_hex(&r.join("d/b.yaml")), "");
        }
    }
}
