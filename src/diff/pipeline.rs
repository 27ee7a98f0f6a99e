//! Which targets to render, rendering them at both revisions, comparing.
//!
//! 1. `git diff --name-only` lists the files that differ (for the working
//!    tree: tracked changes plus untracked files). No change: done.
//! 2. Targets are discovered at both revisions (each with its own
//!    `gitopsc.yaml`) and matched by environment and app.
//! 3. A target is a candidate when a changed file lies in one of the
//!    kustomization folders it uses (its folder, and every base or
//!    component it reaches, at either revision). With the default load
//!    restrictor a build reads nothing else, so this never misses a change;
//!    a changed `gitopsc.yaml` makes every target a candidate.
//! 4. Candidates are built at head; when every input file the build read
//!    (the build graph) has the same content at base, the target is
//!    unchanged and base is not built. Otherwise base is built too and the
//!    two renders are compared.

use super::{DiffConfig, Report, Revision, Stats, Status, TargetDiff, compare};
use crate::hydrate::targets::{Hydrated, hydrate_one, sha256_hex};
use crate::resolve::config::FILE_NAME;
use crate::resolve::discover::{kustomization_refs_in, targets_in};
use crate::resolve::{Config, ConfigError, Target};
use crate::source::git::changed_paths;
use crate::source::{DiskFs, Fs, FsError, GitError, GitFs};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Options {
    pub repo: PathBuf,
    pub base: String,
    /// `None`: the working tree.
    pub head: Option<String>,
    pub env: Option<String>,
    pub app: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    #[error(transparent)]
    Git(#[from] GitError),
    #[error("{0}")]
    Fs(#[from] FsError),
    #[error("{FILE_NAME}:{line} (at {rev}): {error}")]
    Config {
        rev: String,
        line: u32,
        error: ConfigError,
    },
    #[error(transparent)]
    Settings(#[from] super::config::DiffConfigError),
}

/// Reads and validates `gitopsc.yaml` from a tree; none means defaults.
fn load_config(fs: &dyn Fs, root: &Path, rev: &str) -> Result<Config, DiffError> {
    match fs.read(&root.join(FILE_NAME)) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            Config::parse(FILE_NAME, &text).map_err(|error| DiffError::Config {
                rev: rev.to_string(),
                line: error.span.as_ref().map_or(1, |s| s.line),
                error,
            })
        }
        Err(FsError::NotFound { .. }) => Ok(Config::default()),
        Err(e) => Err(e.into()),
    }
}

/// One side: its tree, config and targets keyed by (env, app).
struct Side {
    fs: Box<dyn Fs>,
    targets: BTreeMap<(String, String), Target>,
}

impl Side {
    fn open(
        fs: Box<dyn Fs>,
        root: &Path,
        rev: &str,
        opts: &Options,
    ) -> Result<(Side, Config), DiffError> {
        let cfg = load_config(fs.as_ref(), root, rev)?;
        let targets = targets_in(fs.as_ref(), root, &cfg)
            .into_iter()
            .filter(|t| opts.env.as_ref().is_none_or(|e| *e == t.env))
            .filter(|t| opts.app.as_ref().is_none_or(|a| *a == t.app))
            .map(|t| ((t.env.clone(), t.app.clone()), t))
            .collect();
        Ok((Side { fs, targets }, cfg))
    }

    /// Every kustomization folder `target` uses, memoised per folder.
    fn closure(&self, dir: &Path, memo: &mut HashMap<PathBuf, Vec<PathBuf>>) -> BTreeSet<PathBuf> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            if !seen.insert(d.clone()) {
                continue;
            }
            let refs = memo.entry(d.clone()).or_insert_with(|| {
                let r = kustomization_refs_in(self.fs.as_ref(), &d);
                let mut all = r.resources;
                all.extend(r.components);
                all
            });
            stack.extend(refs.iter().cloned());
        }
        seen
    }
}

/// Runs the whole diff; see the module docs.
pub fn run(opts: &Options) -> Result<Report, DiffError> {
    let root = std::fs::canonicalize(&opts.repo).map_err(|source| FsError::Io {
        path: opts.repo.clone(),
        source,
    })?;
    let base_git = GitFs::at_revision(&root, &opts.base)?;
    let base_rev = Revision {
        name: opts.base.clone(),
        commit: base_git.commit().map(String::from),
    };
    let (head_fs, head_rev): (Box<dyn Fs>, Revision) = match &opts.head {
        Some(h) => {
            let g = GitFs::at_revision(&root, h)?;
            let rev = Revision {
                name: h.clone(),
                commit: g.commit().map(String::from),
            };
            (Box::new(g), rev)
        }
        None => (
            Box::new(DiskFs::new(&root)?),
            Revision {
                name: "working tree".to_string(),
                commit: None,
            },
        ),
    };
    let changed = changed_paths(
        &root,
        base_rev.commit.as_deref().unwrap_or(&opts.base),
        head_rev.commit.as_deref(),
    )?;

    if changed.is_empty() {
        // Same files: nothing can render differently; no discovery needed.
        return Ok(Report {
            base: base_rev,
            head: head_rev,
            targets: Vec::new(),
            stats: Stats::default(),
        });
    }
    let head_label = head_rev.name.clone();
    let (head, head_cfg) = Side::open(head_fs, &root, &head_label, opts)?;
    let (base, base_cfg) = Side::open(Box::new(base_git), &root, &opts.base, opts)?;
    let mut settings = DiffConfig::from_value(head_cfg.diff.as_ref())?;
    settings.merge_secret_keys(&DiffConfig::from_value(base_cfg.diff.as_ref())?);

    let keys: BTreeSet<(String, String)> = head
        .targets
        .keys()
        .chain(base.targets.keys())
        .cloned()
        .collect();
    let mut stats = Stats {
        targets: keys.len(),
        ..Stats::default()
    };
    let everything = changed.iter().any(|p| *p == root.join(FILE_NAME));
    let candidates: Vec<(String, String)> = if everything {
        keys.into_iter().collect()
    } else {
        let (mut hm, mut bm) = (HashMap::new(), HashMap::new());
        keys.into_iter()
            .filter(|k| {
                let mut dirs = BTreeSet::new();
                if let Some(t) = head.targets.get(k) {
                    dirs.extend(head.closure(&t.dir, &mut hm));
                }
                if let Some(t) = base.targets.get(k) {
                    dirs.extend(base.closure(&t.dir, &mut bm));
                }
                changed
                    .iter()
                    .any(|p| dirs.iter().any(|d| p.starts_with(d)))
            })
            .collect()
    };
    stats.rendered = candidates.len();

    let results: Vec<(Option<TargetDiff>, bool)> = candidates
        .par_iter()
        .map(|k| diff_target(&root, &head, &base, k, &settings))
        .collect();
    let mut targets = Vec::new();
    for (t, identical) in results {
        if identical {
            stats.identical_inputs += 1;
        }
        targets.extend(t);
    }
    Ok(Report {
        base: base_rev,
        head: head_rev,
        targets,
        stats,
    })
}

/// Whether every file `h` read has the same content in `fs`.
fn same_inputs(h: &Hydrated, fs: &dyn Fs, root: &Path) -> bool {
    !h.inputs.is_empty()
        && h.inputs.iter().all(|(rel, hash)| {
            fs.read(&root.join(rel))
                .is_ok_and(|b| sha256_hex(&b) == *hash)
        })
}

/// The diff of one target; `true` when its inputs were identical.
fn diff_target(
    root: &Path,
    head: &Side,
    base: &Side,
    key: &(String, String),
    cfg: &DiffConfig,
) -> (Option<TargetDiff>, bool) {
    let ht = head.targets.get(key);
    let bt = base.targets.get(key);
    let h = ht.map(|t| hydrate_one(head.fs.as_ref(), root, t));
    if let (Some(h), Some(bt)) = (&h, bt)
        && h.result.is_ok()
        && bt.dir == h.target.dir
        && same_inputs(h, base.fs.as_ref(), root)
    {
        return (None, true);
    }
    let b = bt.map(|t| hydrate_one(base.fs.as_ref(), root, t));
    let mut errors = Vec::new();
    let side = |x: &Option<Hydrated>, label: &str, errors: &mut Vec<String>| match x {
        Some(x) => match &x.result {
            Ok(r) => Some(r.resources.clone()),
            Err(e) => {
                errors.push(format!("{label}: {e}"));
                None
            }
        },
        None => None,
    };
    let hm = side(&h, "head", &mut errors);
    let bm = side(&b, "base", &mut errors);
    let status = match (ht, bt) {
        (Some(_), None) => Status::Added,
        (None, Some(_)) => Status::Removed,
        _ => Status::Changed,
    };
    // A side that failed to build is not compared as if it were empty.
    let resources = if errors.iter().any(|e| e.starts_with("head")) && ht.is_some() {
        Vec::new()
    } else {
        compare(bm.as_ref(), hm.as_ref(), cfg)
    };
    if resources.is_empty() && errors.is_empty() && status == Status::Changed {
        return (None, false);
    }
    // Just matched: at least one side exists for every candidate key.
    let t = ht.or(bt).expect("a candidate exists at one revision");
    (
        Some(TargetDiff {
            env: t.env.clone(),
            app: t.app.clone(),
            source: t.source.clone(),
            status,
            errors,
            resources,
        }),
        false,
    )
}
