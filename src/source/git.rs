//! A git tree read in-process: a commit's tree (`git show REV:path`) or the
//! index (`git show :path`, the staged content). No checkout, no temporary
//! copies: the file list comes from one `git ls-tree` (or `git ls-files`)
//! and contents from one long-lived `git cat-file --batch` process, asked
//! by blob id so paths with spaces or newlines never cross a pipe.
//!
//! Paths are the same absolute paths as in the working tree (the root is
//! the canonical top level of the work tree), so a target found in the
//! working tree names the same files at any revision.

use super::{Fs, FsError, MAX_FILE_SIZE, normalize};
use std::collections::{BTreeSet, HashMap};
use std::ffi::{OsStr, OsString};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};

/// Symlinks followed in a row before giving up (like the kernel's ELOOP).
const MAX_SYMLINK_HOPS: usize = 40;

const MODE_SYMLINK: u32 = 0o120000;
const MODE_SUBMODULE: u32 = 0o160000;

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("{path} is not inside a git work tree: {stderr}")]
    NotARepo { path: PathBuf, stderr: String },
    #[error("unknown revision '{rev}': {stderr}")]
    UnknownRevision { rev: String, stderr: String },
    #[error(
        "revision '{rev}' is not in this shallow clone; fetch it first:\n    {fetch}\n(or fetch the whole history: git fetch --unshallow)"
    )]
    Shallow { rev: String, fetch: String },
    #[error("`git {args}` failed: {stderr}")]
    Command { args: String, stderr: String },
    #[error("cannot run git: {0}")]
    Spawn(#[source] std::io::Error),
}

/// Which tree a [`GitFs`] shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revision {
    /// A commit, by full object id.
    Commit(String),
    /// The index: what `git commit` would record now.
    Index,
}

#[derive(Debug, Clone)]
struct Entry {
    mode: u32,
    oid: String,
}

/// A read-only view of a git tree; see the module docs.
pub struct GitFs {
    root: PathBuf,
    revision: Revision,
    /// Files (and symlinks), relative to the root.
    entries: HashMap<PathBuf, Entry>,
    /// Directory (relative, "" = root) → names of its children.
    dirs: HashMap<PathBuf, BTreeSet<OsString>>,
    /// Whether any entry is a symlink (if not, paths resolve lexically).
    has_symlinks: bool,
    cat: Mutex<Option<CatFile>>,
    cache: Mutex<HashMap<String, Arc<Vec<u8>>>>,
}

impl std::fmt::Debug for GitFs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitFs")
            .field("root", &self.root)
            .field("revision", &self.revision)
            .field("files", &self.entries.len())
            .finish()
    }
}

impl GitFs {
    /// The tree of commit `rev` (anything `git rev-parse` understands) of
    /// the repository containing `repo`.
    pub fn at_revision(repo: &Path, rev: &str) -> Result<GitFs, GitError> {
        let root = toplevel(repo)?;
        let commit = resolve_commit(&root, rev)?;
        GitFs::at_commit(&root, &commit)
    }

    /// The tree of `commit` (a full id, see [`resolve`]) of the work tree
    /// whose canonical top level is `root`.
    pub fn at_commit(root: &Path, commit: &str) -> Result<GitFs, GitError> {
        let root = root.to_path_buf();
        let commit = commit.to_string();
        let out = git(
            &root,
            &["ls-tree", "-r", "-z", "--full-tree", commit.as_str()],
        )?;
        let mut entries = HashMap::new();
        // `<mode> SP <type> SP <oid> TAB <path> NUL`
        for (meta, path) in records(&out) {
            if let [mode, _kind, oid, ..] = meta.as_slice() {
                push_entry(&mut entries, mode, oid, path);
            }
        }
        Ok(GitFs::new(root, Revision::Commit(commit), entries))
    }

    /// The index (staging area) of the repository containing `repo`:
    /// `read(p)` gives what `git show :p` shows. Unmerged paths show the
    /// current branch's side (stage 2).
    pub fn index(repo: &Path) -> Result<GitFs, GitError> {
        let root = toplevel(repo)?;
        let out = git(&root, &["ls-files", "-s", "-z", "--full-name"])?;
        let mut entries = HashMap::new();
        // `<mode> SP <oid> SP <stage> TAB <path> NUL`
        for (meta, path) in records(&out) {
            if let [mode, oid, stage, ..] = meta.as_slice()
                && (stage == "0" || stage == "2")
            {
                push_entry(&mut entries, mode, oid, path);
            }
        }
        Ok(GitFs::new(root, Revision::Index, entries))
    }

    fn new(root: PathBuf, revision: Revision, entries: HashMap<PathBuf, Entry>) -> GitFs {
        let mut dirs: HashMap<PathBuf, BTreeSet<OsString>> = HashMap::new();
        dirs.entry(PathBuf::new()).or_default();
        for path in entries.keys() {
            let mut child = path.as_path();
            while let Some(parent) = child.parent() {
                let Some(name) = child.file_name() else {
                    break;
                };
                // Only a new folder needs its own parent filled in.
                let known = dirs.contains_key(parent);
                dirs.entry(parent.to_path_buf())
                    .or_default()
                    .insert(name.to_os_string());
                if known {
                    break;
                }
                child = parent;
            }
        }
        let has_symlinks = entries.values().any(|e| e.mode == MODE_SYMLINK);
        GitFs {
            root,
            revision,
            entries,
            dirs,
            has_symlinks,
            cat: Mutex::new(None),
            cache: Mutex::new(HashMap::new()),
        }
    }

    pub fn revision(&self) -> &Revision {
        &self.revision
    }

    /// The full commit id, or `None` for the index.
    pub fn commit(&self) -> Option<&str> {
        match &self.revision {
            Revision::Commit(c) => Some(c),
            Revision::Index => None,
        }
    }

    /// Every file of the tree (symlinks included), relative to the root,
    /// sorted.
    pub fn files(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = self.entries.keys().cloned().collect();
        v.sort();
        v
    }

    /// The git blob id of the file at `path` (absolute, symlinks not
    /// followed), a cheap content hash.
    pub fn blob_id(&self, path: &Path) -> Option<&str> {
        let rel = self.relative(path).ok()?;
        self.entries.get(&rel).map(|e| e.oid.as_str())
    }

    /// The blob id of what reading `path` gives (symlinks followed), or
    /// `None` when it is not a readable file: equal ids, equal content.
    pub fn content_id(&self, path: &Path) -> Option<&str> {
        let rel = self.resolve(path).ok()?;
        self.entries.get(&rel).map(|e| e.oid.as_str())
    }

    /// Whether `path` itself (not followed) is a symlink in this tree.
    pub fn is_symlink(&self, path: &Path) -> bool {
        self.relative(path)
            .ok()
            .and_then(|rel| self.entries.get(&rel))
            .is_some_and(|e| e.mode == MODE_SYMLINK)
    }

    /// Loads the files at `paths` (those not cached yet) with one
    /// `git cat-file --batch` stream, without a round trip per file: a
    /// walk that is about to read many files calls this first. Files that
    /// are missing or unreadable are skipped (a later `read` reports them).
    pub fn prefetch(&self, paths: &[PathBuf]) {
        let mut oids: Vec<String> = {
            let cache = lock(&self.cache);
            paths
                .iter()
                .filter_map(|p| self.content_id(p))
                .filter(|oid| !cache.contains_key(*oid))
                .map(str::to_string)
                .collect()
        };
        oids.sort();
        oids.dedup();
        if oids.len() < 2 {
            return;
        }
        if let Ok(blobs) = cat_many(&self.root, &oids) {
            let mut cache = lock(&self.cache);
            for (oid, bytes) in oids.into_iter().zip(blobs) {
                if let Some(b) = bytes {
                    cache.insert(oid, Arc::new(b));
                }
            }
        }
    }

    /// `path` (absolute or relative to the root) relative to the root.
    fn relative(&self, path: &Path) -> Result<PathBuf, FsError> {
        let abs = if path.is_absolute() {
            normalize(path)
        } else {
            normalize(&self.root.join(path))
        };
        abs.strip_prefix(&self.root)
            .map(Path::to_path_buf)
            .map_err(|_| FsError::OutsideRoot {
                path: path.to_path_buf(),
                root: self.root.clone(),
            })
    }

    /// Resolves symlinks in `path`: the real path relative to the root.
    fn resolve(&self, path: &Path) -> Result<PathBuf, FsError> {
        let rel = self.relative(path)?;
        if !self.has_symlinks {
            return Ok(rel);
        }
        let mut pending: Vec<OsString> = rel
            .components()
            .rev()
            .map(|c| c.as_os_str().to_os_string())
            .collect();
        let mut done = PathBuf::new();
        let mut hops = 0;
        while let Some(part) = pending.pop() {
            if part == ".." {
                if !done.pop() {
                    return Err(FsError::OutsideRoot {
                        path: path.to_path_buf(),
                        root: self.root.clone(),
                    });
                }
                continue;
            }
            if part == "." || part.is_empty() {
                continue;
            }
            let candidate = done.join(&part);
            match self.entries.get(&candidate) {
                Some(e) if e.mode == MODE_SYMLINK => {
                    hops += 1;
                    if hops > MAX_SYMLINK_HOPS {
                        return Err(FsError::Io {
                            path: path.to_path_buf(),
                            source: std::io::Error::other("too many levels of symbolic links"),
                        });
                    }
                    let target = self.blob(&e.oid, path)?;
                    let mut target = PathBuf::from(OsStr::from_bytes(&target));
                    if target.is_absolute() {
                        done = PathBuf::new();
                        target = self.relative(&target)?;
                    }
                    for c in target.components().rev() {
                        match c {
                            Component::RootDir | Component::Prefix(_) => {}
                            other => pending.push(other.as_os_str().to_os_string()),
                        }
                    }
                }
                _ => done = candidate,
            }
        }
        Ok(done)
    }

    /// The content of blob `oid`, from the cache or `git cat-file`.
    fn blob(&self, oid: &str, path: &Path) -> Result<Arc<Vec<u8>>, FsError> {
        if let Some(b) = lock(&self.cache).get(oid) {
            return Ok(b.clone());
        }
        let bytes = {
            let mut cat = lock(&self.cat);
            if cat.is_none() {
                *cat = Some(CatFile::spawn(&self.root).map_err(|e| io(path, e))?);
            }
            // Just set above when absent.
            let proc = cat.as_mut().expect("cat-file process started");
            match proc.get(oid) {
                Ok(b) => b,
                Err(e) => {
                    // A broken pipe leaves the process unusable: start afresh
                    // next time.
                    *cat = None;
                    return Err(e.into_fs(path));
                }
            }
        };
        let bytes = Arc::new(bytes);
        lock(&self.cache).insert(oid.to_string(), bytes.clone());
        Ok(bytes)
    }
}

/// The NUL-separated records of `ls-tree -z` / `ls-files -s -z`: the
/// space-separated fields before the tab, and the path after it.
fn records(out: &[u8]) -> impl Iterator<Item = (Vec<String>, PathBuf)> + '_ {
    out.split(|b| *b == 0).filter_map(|rec| {
        let tab = rec.iter().position(|b| *b == b'\t')?;
        let meta = String::from_utf8_lossy(&rec[..tab])
            .split(' ')
            .map(str::to_string)
            .collect();
        Some((meta, PathBuf::from(OsStr::from_bytes(&rec[tab + 1..]))))
    })
}

fn push_entry(entries: &mut HashMap<PathBuf, Entry>, mode: &str, oid: &str, path: PathBuf) {
    let Ok(mode) = u32::from_str_radix(mode, 8) else {
        return;
    };
    if mode == MODE_SUBMODULE {
        // A submodule's content is not in this repository.
        return;
    }
    entries.insert(
        path,
        Entry {
            mode,
            oid: oid.to_string(),
        },
    );
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn io(path: &Path, source: std::io::Error) -> FsError {
    FsError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Fs for GitFs {
    fn read(&self, path: &Path) -> Result<Vec<u8>, FsError> {
        let rel = self.resolve(path)?;
        let Some(e) = self.entries.get(&rel) else {
            if self.dirs.contains_key(&rel) {
                return Err(io(path, std::io::Error::other("is a directory")));
            }
            return Err(FsError::NotFound {
                path: path.to_path_buf(),
            });
        };
        Ok(self.blob(&e.oid, path)?.as_ref().clone())
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.resolve(path)
            .is_ok_and(|rel| self.dirs.contains_key(&rel))
    }

    fn exists(&self, path: &Path) -> bool {
        self.resolve(path)
            .is_ok_and(|rel| self.entries.contains_key(&rel) || self.dirs.contains_key(&rel))
    }

    fn list(&self, dir: &Path) -> Result<Vec<PathBuf>, FsError> {
        let rel = self.resolve(dir)?;
        let Some(children) = self.dirs.get(&rel) else {
            return Err(FsError::NotFound {
                path: dir.to_path_buf(),
            });
        };
        let base = normalize(&if dir.is_absolute() {
            dir.to_path_buf()
        } else {
            self.root.join(dir)
        });
        // BTreeSet iterates sorted by name.
        Ok(children.iter().map(|n| base.join(n)).collect())
    }

    fn canonical(&self, path: &Path) -> Result<PathBuf, FsError> {
        let rel = self.resolve(path)?;
        if rel.as_os_str().is_empty()
            || self.entries.contains_key(&rel)
            || self.dirs.contains_key(&rel)
        {
            Ok(self.root.join(rel))
        } else {
            Err(FsError::NotFound {
                path: self.root.join(rel),
            })
        }
    }

    fn root(&self) -> &Path {
        &self.root
    }
}

/// Files that differ between commit `from` and `to` (a revision, or the
/// working tree with untracked files when `None`), as absolute paths below
/// the work tree's top level. Renames count as a deletion and an addition.
pub fn changed_paths(repo: &Path, from: &str, to: Option<&str>) -> Result<Vec<PathBuf>, GitError> {
    let root = toplevel(repo)?;
    let from = resolve_commit(&root, from)?;
    let to = to.map(|t| resolve_commit(&root, t)).transpose()?;
    changed_between(&root, &from, to.as_deref())
}

/// The canonical top level of the work tree containing `repo`, and the
/// full id of the commit `rev` names there.
pub fn resolve(repo: &Path, rev: &str) -> Result<(PathBuf, String), GitError> {
    let root = toplevel(repo)?;
    let commit = resolve_commit(&root, rev)?;
    Ok((root, commit))
}

/// [`changed_paths`] for a `root` and commit ids already resolved (see
/// [`resolve`]): no more `git rev-parse` runs.
pub fn changed_between(
    root: &Path,
    from: &str,
    to: Option<&str>,
) -> Result<Vec<PathBuf>, GitError> {
    let mut args = vec![
        "diff",
        "--name-only",
        "-z",
        "--no-renames",
        "--no-ext-diff",
        from,
    ];
    args.extend(to);
    args.push("--");
    let mut raw = git(root, &args)?;
    if to.is_none() {
        raw.push(0);
        raw.extend(git(
            root,
            &[
                "ls-files",
                "-z",
                "--others",
                "--exclude-standard",
                "--full-name",
            ],
        )?);
    }
    let mut out: Vec<PathBuf> = raw
        .split(|b| *b == 0)
        .filter(|r| !r.is_empty())
        .map(|r| root.join(OsStr::from_bytes(r)))
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// The contents of blobs `oids`, in order (`None` for one git does not
/// have), from one `git cat-file --batch` run: a thread writes the
/// requests while this one reads the answers, so neither pipe fills up.
fn cat_many(root: &Path, oids: &[String]) -> std::io::Result<Vec<Option<Vec<u8>>>> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["cat-file", "--batch", "--buffer"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| std::io::Error::other("no stdin"))?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| std::io::Error::other("no stdout"))?;
    let mut request = String::with_capacity(oids.len() * 41);
    for oid in oids {
        request.push_str(oid);
        request.push('\n');
    }
    let writer = std::thread::spawn(move || {
        let r = stdin.write_all(request.as_bytes());
        drop(stdin);
        r
    });
    let mut reader = BufReader::with_capacity(1 << 16, stdout);
    let mut out = Vec::with_capacity(oids.len());
    let mut failed = None;
    for _ in oids {
        match read_object(&mut reader) {
            Ok(Object::Blob(b)) => out.push(Some(b)),
            Ok(_) => out.push(None),
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
    }
    if failed.is_some() {
        let _ = child.kill();
    }
    let written = writer.join();
    let _ = child.wait();
    if let Some(e) = failed {
        return Err(e);
    }
    match written {
        Ok(r) => r?,
        Err(_) => return Err(std::io::Error::other("writer thread panicked")),
    }
    Ok(out)
}

/// One answer of `git cat-file --batch`.
enum Object {
    Blob(Vec<u8>),
    Missing,
    /// Over [`MAX_FILE_SIZE`]: skipped, the stream kept aligned.
    TooLarge(u64),
}

fn read_object(r: &mut impl BufRead) -> std::io::Result<Object> {
    let mut header = String::new();
    if r.read_line(&mut header)? == 0 {
        return Err(std::io::Error::other("git cat-file ended early"));
    }
    // `<oid> <type> <size>` or `<oid> missing`
    let mut parts = header.split_whitespace();
    let (_, kind, size) = (parts.next(), parts.next(), parts.next());
    if kind == Some("missing") || kind.is_none() {
        return Ok(Object::Missing);
    }
    let size: u64 = size
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad cat-file header: {header}")))?;
    if size > MAX_FILE_SIZE {
        std::io::copy(&mut r.take(size + 1), &mut std::io::sink())?;
        return Ok(Object::TooLarge(size));
    }
    let mut buf = vec![0; size as usize + 1];
    r.read_exact(&mut buf)?;
    buf.pop(); // the newline after the content
    Ok(Object::Blob(buf))
}

/// The canonical top level of the work tree containing `repo`.
fn toplevel(repo: &Path) -> Result<PathBuf, GitError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["rev-parse", "--show-toplevel"])
        .output()
        .map_err(GitError::Spawn)?;
    if !out.status.success() {
        return Err(GitError::NotARepo {
            path: repo.to_path_buf(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    let top = PathBuf::from(OsStr::from_bytes(trim_newline(&out.stdout)));
    std::fs::canonicalize(&top).map_err(|e| GitError::NotARepo {
        path: top,
        stderr: e.to_string(),
    })
}

fn trim_newline(b: &[u8]) -> &[u8] {
    b.strip_suffix(b"\n").unwrap_or(b)
}

/// Runs git in `root`; stdout on success.
fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(GitError::Spawn)?;
    if !out.status.success() {
        return Err(GitError::Command {
            args: args.join(" "),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    Ok(out.stdout)
}

/// The full commit id `rev` names; a shallow clone that lacks it gets the
/// fetch command to run.
fn resolve_commit(root: &Path, rev: &str) -> Result<String, GitError> {
    if rev.starts_with('-') {
        return Err(GitError::UnknownRevision {
            rev: rev.to_string(),
            stderr: "a revision cannot start with '-'".into(),
        });
    }
    let spec = format!("{rev}^{{commit}}");
    match git(root, &["rev-parse", "--verify", "--quiet", &spec]) {
        Ok(out) => Ok(String::from_utf8_lossy(trim_newline(&out)).to_string()),
        Err(e) => {
            let shallow = git(root, &["rev-parse", "--is-shallow-repository"])
                .map(|o| trim_newline(&o) == b"true")
                .unwrap_or(false);
            if shallow {
                return Err(GitError::Shallow {
                    rev: rev.to_string(),
                    fetch: fetch_hint(rev),
                });
            }
            let stderr = match e {
                GitError::Command { stderr, .. } if !stderr.is_empty() => stderr,
                _ => "no such commit in this repository".to_string(),
            };
            Err(GitError::UnknownRevision {
                rev: rev.to_string(),
                stderr,
            })
        }
    }
}

/// How to get `rev` into a shallow clone.
fn fetch_hint(rev: &str) -> String {
    let is_sha = rev.len() >= 7 && rev.chars().all(|c| c.is_ascii_hexdigit());
    if is_sha {
        return format!("git fetch --depth=1 origin {rev}");
    }
    // `HEAD~3`, `main^` and friends: the history behind the tip is missing.
    if let Some(i) = rev.find(['~', '^']) {
        let n: usize = rev[i + 1..].parse().unwrap_or(1);
        return format!("git fetch --deepen={}", n.max(1) + 1);
    }
    let branch = rev.strip_prefix("origin/").unwrap_or(rev);
    format!("git fetch origin {branch}:refs/remotes/origin/{branch}")
}

/// One `git cat-file --batch` process.
struct CatFile {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

enum CatError {
    Missing(String),
    Io(std::io::Error),
}

impl CatError {
    fn into_fs(self, path: &Path) -> FsError {
        match self {
            CatError::Missing(oid) => io(
                path,
                std::io::Error::other(format!(
                    "git object {oid} is missing (partial or shallow clone?)"
                )),
            ),
            CatError::Io(e) => io(path, e),
        }
    }
}

impl From<std::io::Error> for CatError {
    fn from(e: std::io::Error) -> Self {
        CatError::Io(e)
    }
}

impl CatFile {
    fn spawn(root: &Path) -> std::io::Result<CatFile> {
        let mut child = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| std::io::Error::other("no stdin"))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| std::io::Error::other("no stdout"))?;
        Ok(CatFile {
            child,
            stdin,
            stdout: BufReader::new(stdout),
        })
    }

    fn get(&mut self, oid: &str) -> Result<Vec<u8>, CatError> {
        writeln!(self.stdin, "{oid}")?;
        self.stdin.flush()?;
        match read_object(&mut self.stdout)? {
            Object::Blob(b) => Ok(b),
            Object::Missing => Err(CatError::Missing(oid.to_string())),
            Object::TooLarge(size) => Err(CatError::Io(std::io::Error::other(format!(
                "{size} bytes, over the {MAX_FILE_SIZE}-byte limit"
            )))),
        }
    }
}

impl Drop for CatFile {
    fn drop(&mut self) {
        // Closing stdin ends the process; reap it.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn git_in(dir: &Path, args: &[&str]) {
        let out = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn repo() -> tempfile::TempDir {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        git_in(r, &["init", "-q", "-b", "main"]);
        write(r, "a/k.yaml", "one\n");
        write(r, "a/with space\nnewline.yaml", "odd\n");
        write(r, "b/c/d.yaml", "deep\n");
        std::os::unix::fs::symlink("../a/k.yaml", r.join("b/link.yaml")).unwrap();
        std::os::unix::fs::symlink("../../etc/passwd", r.join("b/escape.yaml")).unwrap();
        std::os::unix::fs::symlink("../a", r.join("b/adir")).unwrap();
        git_in(r, &["add", "-A"]);
        git_in(r, &["commit", "-q", "-m", "first"]);
        write(r, "a/k.yaml", "two\n");
        git_in(r, &["commit", "-q", "-am", "second"]);
        t
    }

    #[test]
    fn reads_a_revision_without_checkout() {
        let t = repo();
        let fs = GitFs::at_revision(t.path(), "HEAD~1").unwrap();
        let root = fs.root().to_path_buf();
        assert_eq!(fs.read(&root.join("a/k.yaml")).unwrap(), b"one\n");
        assert_eq!(
            fs.read(&root.join("a/with space\nnewline.yaml")).unwrap(),
            b"odd\n"
        );
        let head = GitFs::at_revision(t.path(), "main").unwrap();
        assert_eq!(head.read(&root.join("a/k.yaml")).unwrap(), b"two\n");
        assert!(fs.is_dir(&root.join("b/c")));
        assert!(fs.is_dir(&root));
        assert!(!fs.is_dir(&root.join("a/k.yaml")));
        assert!(fs.exists(&root.join("b/c/d.yaml")));
        assert!(!fs.exists(&root.join("b/nope.yaml")));
        assert_eq!(
            fs.list(&root.join("b")).unwrap(),
            ["adir", "c", "escape.yaml", "link.yaml"].map(|n| root.join("b").join(n))
        );
        assert!(matches!(
            fs.read(&root.join("b/nope.yaml")),
            Err(FsError::NotFound { .. })
        ));
        assert_ne!(
            fs.blob_id(&root.join("a/k.yaml")),
            head.blob_id(&root.join("a/k.yaml"))
        );
    }

    #[test]
    fn follows_symlinks_inside_the_root_only() {
        let t = repo();
        let fs = GitFs::at_revision(t.path(), "HEAD").unwrap();
        let root = fs.root().to_path_buf();
        assert_eq!(fs.read(&root.join("b/link.yaml")).unwrap(), b"two\n");
        assert_eq!(
            fs.canonical(&root.join("b/link.yaml")).unwrap(),
            root.join("a/k.yaml")
        );
        assert_eq!(fs.read(&root.join("b/adir/k.yaml")).unwrap(), b"two\n");
        assert!(fs.is_dir(&root.join("b/adir")));
        assert!(matches!(
            fs.read(&root.join("b/escape.yaml")),
            Err(FsError::OutsideRoot { .. })
        ));
        assert!(matches!(
            fs.read(Path::new("/etc/passwd")),
            Err(FsError::OutsideRoot { .. })
        ));
    }

    #[test]
    fn reads_the_index() {
        let t = repo();
        let r = t.path();
        write(r, "a/k.yaml", "staged\n");
        git_in(r, &["add", "a/k.yaml"]);
        write(r, "a/k.yaml", "unstaged\n");
        write(r, "new/x.yaml", "new\n");
        git_in(r, &["add", "new/x.yaml"]);
        let fs = GitFs::index(r).unwrap();
        assert_eq!(fs.revision(), &Revision::Index);
        let root = fs.root().to_path_buf();
        assert_eq!(fs.read(&root.join("a/k.yaml")).unwrap(), b"staged\n");
        assert_eq!(fs.read(&root.join("new/x.yaml")).unwrap(), b"new\n");
        assert!(fs.is_dir(&root.join("new")));
    }

    #[test]
    fn unknown_revision_is_an_error() {
        let t = repo();
        let e = GitFs::at_revision(t.path(), "nope").unwrap_err();
        assert!(matches!(e, GitError::UnknownRevision { .. }), "{e}");
        let e = GitFs::at_revision(t.path(), "--output=x").unwrap_err();
        assert!(matches!(e, GitError::UnknownRevision { .. }), "{e}");
        let plain = tempfile::tempdir().unwrap();
        let e = GitFs::at_revision(plain.path(), "HEAD").unwrap_err();
        assert!(matches!(e, GitError::NotARepo { .. }), "{e}");
    }

    #[test]
    fn shallow_clone_missing_the_base_says_what_to_fetch() {
        let t = repo();
        let first = String::from_utf8(
            Command::new("git")
                .arg("-C")
                .arg(t.path())
                .args(["rev-parse", "HEAD~1"])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap()
        .trim()
        .to_string();
        let clone = tempfile::tempdir().unwrap();
        let url = format!("file://{}", t.path().display());
        git_in(clone.path(), &["clone", "-q", "--depth=1", &url, "shallow"]);
        let repo = clone.path().join("shallow");
        let e = GitFs::at_revision(&repo, &first).unwrap_err();
        let msg = e.to_string();
        assert!(matches!(e, GitError::Shallow { .. }), "{msg}");
        assert!(
            msg.contains(&format!("git fetch --depth=1 origin {first}")),
            "{msg}"
        );
        let e = GitFs::at_revision(&repo, "HEAD~1").unwrap_err();
        assert!(e.to_string().contains("git fetch --deepen=2"), "{e}");
        // Following the advice works.
        git_in(&repo, &["fetch", "-q", "--depth=1", "origin", &first]);
        let fs = GitFs::at_revision(&repo, &first).unwrap();
        assert_eq!(fs.read(&fs.root().join("a/k.yaml")).unwrap(), b"one\n");
    }

    #[test]
    fn lists_changed_paths() {
        let t = repo();
        let r = t.path();
        let root = std::fs::canonicalize(r).unwrap();
        let between = changed_paths(r, "HEAD~1", Some("HEAD")).unwrap();
        assert_eq!(between, [root.join("a/k.yaml")]);
        write(r, "b/c/d.yaml", "edited\n");
        write(r, "untracked file.yaml", "x\n");
        let worktree = changed_paths(r, "HEAD", None).unwrap();
        assert_eq!(
            worktree,
            [root.join("b/c/d.yaml"), root.join("untracked file.yaml")]
        );
    }

    #[test]
    fn hint_per_revision_shape() {
        assert_eq!(fetch_hint("HEAD~3"), "git fetch --deepen=4");
        assert_eq!(
            fetch_hint("origin/main"),
            "git fetch origin main:refs/remotes/origin/main"
        );
    }
}
