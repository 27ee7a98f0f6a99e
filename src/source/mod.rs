//! Source stage: a read-only view of the repository. Everything that reads
//! input goes through [`Fs`], so the same code can read the working tree or
//! a git revision.

mod disk;
pub mod git;
mod mem;
mod recording;

pub use disk::DiskFs;
pub use git::{GitError, GitFs, Revision};
pub use mem::MemFs;
pub use recording::RecordingFs;

use std::path::{Path, PathBuf};

/// Files larger than this are refused: no manifest is this big, and reading
/// one whole would only waste memory.
pub const MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum FsError {
    #[error("{path}: no such file or directory")]
    NotFound { path: PathBuf },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is outside the root {root}")]
    OutsideRoot { path: PathBuf, root: PathBuf },
    #[error("{path} is {size} bytes, over the {MAX_FILE_SIZE}-byte limit")]
    TooLarge { path: PathBuf, size: u64 },
}

/// A read-only file tree. Paths are absolute and already normalised.
pub trait Fs: Send + Sync {
    fn read(&self, path: &Path) -> Result<Vec<u8>, FsError>;
    fn is_dir(&self, path: &Path) -> bool;
    fn exists(&self, path: &Path) -> bool;
    /// Entries of a directory, sorted by name.
    fn list(&self, dir: &Path) -> Result<Vec<PathBuf>, FsError>;
    /// The real location of `path` (symlinks resolved), checked to stay
    /// inside the tree's root.
    fn canonical(&self, path: &Path) -> Result<PathBuf, FsError>;
    fn root(&self) -> &Path;
}

/// Lexically normalises `path` (resolves `.` and `..`) without touching disk.
pub fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}
