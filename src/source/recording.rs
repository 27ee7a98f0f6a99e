//! An [`Fs`] that remembers every file read through it: the inputs of a
//! target, for the build graph and content hashes.

use super::{Fs, FsError};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub struct RecordingFs<'a> {
    inner: &'a dyn Fs,
    reads: Mutex<BTreeSet<PathBuf>>,
}

impl<'a> RecordingFs<'a> {
    pub fn new(inner: &'a dyn Fs) -> Self {
        RecordingFs {
            inner,
            reads: Mutex::new(BTreeSet::new()),
        }
    }

    /// Files read so far, sorted.
    pub fn reads(&self) -> Vec<PathBuf> {
        match self.reads.lock() {
            Ok(r) => r.iter().cloned().collect(),
            Err(poisoned) => poisoned.into_inner().iter().cloned().collect(),
        }
    }
}

impl Fs for RecordingFs<'_> {
    fn read(&self, path: &Path) -> Result<Vec<u8>, FsError> {
        let out = self.inner.read(path)?;
        let mut r = self.reads.lock().unwrap_or_else(|p| p.into_inner());
        r.insert(path.to_path_buf());
        Ok(out)
    }
    fn is_dir(&self, path: &Path) -> bool {
        self.inner.is_dir(path)
    }
    fn exists(&self, path: &Path) -> bool {
        self.inner.exists(path)
    }
    fn list(&self, dir: &Path) -> Result<Vec<PathBuf>, FsError> {
        self.inner.list(dir)
    }
    fn canonical(&self, path: &Path) -> Result<PathBuf, FsError> {
        self.inner.canonical(path)
    }
    fn root(&self) -> &Path {
        self.inner.root()
    }
}
