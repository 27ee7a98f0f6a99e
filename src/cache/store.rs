//! The on-disk store: small files named by key, each with a checksum
//! header, written to a temporary file and renamed into place so a reader
//! never sees a partial entry. Concurrent runs may write the same key: the
//! last rename wins and both wrote the same bytes.

use std::io::Write;
use std::path::{Path, PathBuf};

/// First bytes of every entry; the format version is part of it.
const MAGIC: &str = "gitopsc-cache 1 ";

/// A cache directory. Every failure to read is a miss; every failure to
/// write is ignored (the cache only ever saves work).
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    crate::hydrate::targets::sha256_hex(bytes)
}

impl Store {
    pub fn new(dir: PathBuf) -> Store {
        Store { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, kind: &str, key: &str) -> PathBuf {
        let shard = key.get(..2).unwrap_or("00");
        self.dir.join(kind).join(shard).join(key)
    }

    /// The payload stored under `kind`/`key`, if present and intact.
    pub fn get(&self, kind: &str, key: &str) -> Option<Vec<u8>> {
        let bytes = std::fs::read(self.path(kind, key)).ok()?;
        decode(&bytes)
    }

    /// Stores `payload` under `kind`/`key` atomically.
    pub fn put(&self, kind: &str, key: &str, payload: &[u8]) {
        let _ = self.try_put(kind, key, payload);
    }

    fn try_put(&self, kind: &str, key: &str, payload: &[u8]) -> std::io::Result<()> {
        let path = self.path(kind, key);
        let Some(parent) = path.parent() else {
            return Ok(());
        };
        self.ensure_root()?;
        std::fs::create_dir_all(parent)?;
        let mut tmp = tempfile::NamedTempFile::new_in(parent)?;
        tmp.write_all(encode(payload).as_slice())?;
        // No fsync: after a crash an entry may be torn, and its checksum
        // then turns it into a miss. Syncing cost seconds on a cold run.
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok(())
    }

    /// Creates the directory with a `.gitignore` that ignores everything
    /// in it, so the cache is never committed.
    fn ensure_root(&self) -> std::io::Result<()> {
        let ignore = self.dir.join(".gitignore");
        if ignore.is_file() {
            return Ok(());
        }
        std::fs::create_dir_all(&self.dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(&self.dir)?;
        tmp.write_all(b"# gitopsc cache: never commit\n*\n")?;
        tmp.persist(&ignore).map_err(|e| e.error)?;
        Ok(())
    }
}

fn encode(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 90);
    out.extend_from_slice(MAGIC.as_bytes());
    out.extend_from_slice(sha256_hex(payload).as_bytes());
    out.push(b'\n');
    out.extend_from_slice(payload);
    out
}

/// The payload of an entry whose checksum matches; `None` for anything
/// else (truncated, edited, another format).
fn decode(bytes: &[u8]) -> Option<Vec<u8>> {
    let rest = bytes.strip_prefix(MAGIC.as_bytes())?;
    let nl = rest.iter().position(|b| *b == b'\n')?;
    let (sum, payload) = (&rest[..nl], &rest[nl + 1..]);
    (sum == sha256_hex(payload).as_bytes()).then(|| payload.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_corrupt_entries() {
        let t = tempfile::tempdir().unwrap();
        let s = Store::new(t.path().join("cache"));
        assert_eq!(s.get("e", "abcd"), None);
        s.put("e", "abcd", b"hello");
        assert_eq!(s.get("e", "abcd").as_deref(), Some(&b"hello"[..]));
        assert!(t.path().join("cache/.gitignore").is_file());
        let p = t.path().join("cache/e/ab/abcd");
        let mut bytes = std::fs::read(&p).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&p, &bytes).unwrap();
        assert_eq!(s.get("e", "abcd"), None);
        std::fs::write(&p, &bytes[..10]).unwrap();
        assert_eq!(s.get("e", "abcd"), None);
        s.put("e", "abcd", b"again");
        assert_eq!(s.get("e", "abcd").as_deref(), Some(&b"again"[..]));
    }
}
