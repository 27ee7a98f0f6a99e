//! Deciding which targets can render differently, from the build graph,
//! without building them, and proving after one build that a target's
//! inputs are the same at both revisions.
//!
//! A kustomization folder is *clean* when no changed path lies in it (or
//! replaces one of its parents), and every folder its kustomization uses
//! (`resources`, `bases`, `components`, `generators`, `transformers`,
//! `validators`) is clean too. With the default load restrictor a build
//! reads nothing outside the folders it uses, so a clean target renders
//! the same at both revisions. A clean folder has the same kustomization
//! at both revisions, so only head's graph is read; and only the
//! kustomization file of each folder, never its resources. A changed
//! symlink could redirect any path: then every target is a candidate.
//!
//! [`Observing`] records every question a build asks its file tree;
//! [`same_answers`] asks them again at the other revision. Same answers,
//! same render: base need not be built.

use crate::hydrate::kustomize::kustomization::{FILE_NAMES, Kustomization};
use crate::load::yaml::parse_single_last_key_wins;
use crate::source::{DiskFs, Fs, FsError, GitFs, normalize};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Kustomization fields whose entries may be folders built in turn.
const FOLDER_FIELDS: [&str; 6] = [
    "resources",
    "bases",
    "components",
    "generators",
    "transformers",
    "validators",
];

/// One revision's file tree: a commit (or the index) read from git, or
/// the working tree.
pub enum Tree {
    Git(Box<GitFs>),
    Disk(DiskFs),
}

impl Tree {
    pub fn fs(&self) -> &dyn Fs {
        match self {
            Tree::Git(g) => g.as_ref(),
            Tree::Disk(d) => d,
        }
    }

    fn git(&self) -> Option<&GitFs> {
        match self {
            Tree::Git(g) => Some(g),
            Tree::Disk(_) => None,
        }
    }

    /// Whether `path` itself is a symlink here.
    fn is_symlink(&self, path: &Path) -> bool {
        match self {
            Tree::Git(g) => g.is_symlink(path),
            Tree::Disk(_) => std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink()),
        }
    }
}

/// The files that differ between the two revisions (absolute paths).
#[derive(Debug, Default)]
pub struct Changes {
    files: HashSet<PathBuf>,
    /// Every folder above a changed file.
    dirs: HashSet<PathBuf>,
    /// A changed path is a symlink at one of the revisions.
    pub symlink: bool,
}

impl Changes {
    pub fn new(paths: &[PathBuf], head: &Tree, base: &Tree) -> Changes {
        let mut c = Changes::default();
        for p in paths {
            c.files.insert(p.clone());
            for a in p.ancestors().skip(1) {
                if !c.dirs.insert(a.to_path_buf()) {
                    break;
                }
            }
            c.symlink = c.symlink || head.is_symlink(p) || base.is_symlink(p);
        }
        c
    }

    pub fn contains(&self, path: &Path) -> bool {
        self.files.contains(path)
    }

    /// Whether `p` is a changed path, holds one, or lies below one (a file
    /// or symlink that replaced a folder).
    pub fn touches(&self, p: &Path) -> bool {
        self.files.contains(p)
            || self.dirs.contains(p)
            || p.ancestors().skip(1).any(|a| self.files.contains(a))
    }

    /// [`Changes::touches`] for `p` as written and where it really is.
    fn touches_real(&self, fs: &dyn Fs, p: &Path) -> bool {
        self.touches(p) || fs.canonical(p).is_ok_and(|c| c != p && self.touches(&c))
    }
}

/// What a kustomization folder needs from the graph.
enum Folder {
    /// It holds a change, uses a changed path, or cannot be read as a
    /// kustomization: its targets are candidates.
    Touched,
    /// Clean itself; the folders it uses.
    Uses(Vec<PathBuf>),
}

/// The kustomization file of `dir` that a build would load.
fn kustomization_file(fs: &dyn Fs, dir: &Path) -> Option<PathBuf> {
    FILE_NAMES
        .iter()
        .map(|f| dir.join(f))
        .find(|p| fs.exists(p) && !fs.is_dir(p))
}

fn examine(fs: &dyn Fs, dir: &Path, changes: &Changes) -> Folder {
    if changes.touches_real(fs, dir) {
        return Folder::Touched;
    }
    let Some(file) = kustomization_file(fs, dir) else {
        // The build fails alike at both revisions (nothing here changed).
        return Folder::Uses(Vec::new());
    };
    let name = file.to_string_lossy().into_owned();
    let parsed = fs
        .read(&file)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|text| parse_single_last_key_wins(&name, &text).ok())
        .and_then(|node| Kustomization::from_node(&name, node).ok());
    let Some(k) = parsed else {
        // Unreadable alike at both revisions, but be safe: render it.
        return Folder::Touched;
    };
    let mut uses = Vec::new();
    for field in FOLDER_FIELDS {
        let Some(items) = k.get(field).and_then(|n| n.as_seq()) else {
            continue;
        };
        for entry in items.iter().filter_map(|i| i.as_str()) {
            let p = normalize(&dir.join(entry));
            if changes.touches_real(fs, &p) {
                return Folder::Touched;
            }
            if fs.is_dir(&p) {
                uses.push(p);
            }
        }
    }
    Folder::Uses(uses)
}

/// Of the kustomization folders `dirs` (in `tree`), those whose build
/// graph meets a change. Reads each kustomization once, a level of the
/// graph at a time: the level's files are fetched in one batch, then
/// parsed in parallel.
pub fn touched(tree: &Tree, dirs: &[PathBuf], changes: &Changes) -> HashSet<PathBuf> {
    let fs = tree.fs();
    let mut graph: HashMap<PathBuf, Folder> = HashMap::new();
    let mut level: Vec<PathBuf> = {
        let set: HashSet<&PathBuf> = dirs.iter().collect();
        set.into_iter().cloned().collect()
    };
    while !level.is_empty() {
        if let Some(git) = tree.git() {
            let files: Vec<PathBuf> = level
                .iter()
                .filter(|d| !changes.touches(d))
                .filter_map(|d| kustomization_file(fs, d))
                .collect();
            git.prefetch(&files);
        }
        let examined: Vec<(PathBuf, Folder)> = level
            .into_par_iter()
            .map(|d| {
                let f = examine(fs, &d, changes);
                (d, f)
            })
            .collect();
        let mut next = HashSet::new();
        for (d, f) in examined {
            if let Folder::Uses(uses) = &f {
                next.extend(uses.iter().filter(|u| !graph.contains_key(*u)).cloned());
            }
            graph.insert(d, f);
        }
        next.retain(|d| !graph.contains_key(d));
        level = next.into_iter().collect();
    }
    let mut memo: HashMap<PathBuf, bool> = HashMap::new();
    dirs.iter()
        .filter(|d| reaches_change(d, &graph, &mut memo))
        .cloned()
        .collect()
}

/// Whether `dir` or a folder it uses, transitively, is touched. A cycle
/// (which kustomize rejects at both revisions alike) counts as clean.
fn reaches_change(
    dir: &Path,
    graph: &HashMap<PathBuf, Folder>,
    memo: &mut HashMap<PathBuf, bool>,
) -> bool {
    if let Some(&v) = memo.get(dir) {
        return v;
    }
    memo.insert(dir.to_path_buf(), false);
    let v = match graph.get(dir) {
        Some(Folder::Uses(uses)) => uses.iter().any(|u| reaches_change(u, graph, memo)),
        // Not examined: cannot happen (every used folder is), but safe.
        Some(Folder::Touched) | None => true,
    };
    memo.insert(dir.to_path_buf(), v);
    v
}

/// A question a build asked its file tree.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Question {
    Read(PathBuf),
    IsDir(PathBuf),
    Exists(PathBuf),
    List(PathBuf),
    Canonical(PathBuf),
}

/// An [`Fs`] that remembers every question asked through it.
pub struct Observing<'a> {
    inner: &'a dyn Fs,
    asked: Mutex<HashSet<Question>>,
}

impl<'a> Observing<'a> {
    pub fn new(inner: &'a dyn Fs) -> Self {
        Observing {
            inner,
            asked: Mutex::new(HashSet::new()),
        }
    }

    fn note(&self, q: Question) {
        self.asked
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(q);
    }

    /// Whether `base` answers every question asked so far as `head` did
    /// (`head` being the tree this wraps). No question: not proven.
    pub fn same_answers(&self, head: &Tree, base: &GitFs) -> bool {
        let asked = self.asked.lock().unwrap_or_else(|p| p.into_inner());
        !asked.is_empty() && asked.iter().all(|q| same_answer(q, head, base))
    }
}

fn same_answer(q: &Question, head: &Tree, base: &GitFs) -> bool {
    let h = head.fs();
    match q {
        Question::Read(p) => match head {
            Tree::Git(g) => match (g.content_id(p), base.content_id(p)) {
                (Some(a), Some(b)) => a == b,
                (None, None) => h.exists(p) == base.exists(p) && h.is_dir(p) == base.is_dir(p),
                _ => false,
            },
            Tree::Disk(_) => match (h.read(p), base.read(p)) {
                (Ok(a), Ok(b)) => a == b,
                (Err(FsError::NotFound { .. }), Err(FsError::NotFound { .. })) => true,
                _ => false,
            },
        },
        Question::IsDir(p) => h.is_dir(p) == base.is_dir(p),
        Question::Exists(p) => h.exists(p) == base.exists(p),
        Question::List(p) => match (h.list(p), base.list(p)) {
            (Ok(a), Ok(b)) => a == b,
            (Err(_), Err(_)) => true,
            _ => false,
        },
        Question::Canonical(p) => match (h.canonical(p), base.canonical(p)) {
            (Ok(a), Ok(b)) => a == b,
            (Err(_), Err(_)) => true,
            _ => false,
        },
    }
}

impl Fs for Observing<'_> {
    fn read(&self, path: &Path) -> Result<Vec<u8>, FsError> {
        self.note(Question::Read(path.to_path_buf()));
        self.inner.read(path)
    }
    fn is_dir(&self, path: &Path) -> bool {
        self.note(Question::IsDir(path.to_path_buf()));
        self.inner.is_dir(path)
    }
    fn exists(&self, path: &Path) -> bool {
        self.note(Question::Exists(path.to_path_buf()));
        self.inner.exists(path)
    }
    fn list(&self, dir: &Path) -> Result<Vec<PathBuf>, FsError> {
        self.note(Question::List(dir.to_path_buf()));
        self.inner.list(dir)
    }
    fn canonical(&self, path: &Path) -> Result<PathBuf, FsError> {
        self.note(Question::Canonical(path.to_path_buf()));
        self.inner.canonical(path)
    }
    fn root(&self) -> &Path {
        self.inner.root()
    }
}
