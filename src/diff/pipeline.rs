//! Which targets to render, rendering them at both revisions, comparing.
//!
//! 1. `git diff --name-only` lists the files that differ (for the working
//!    tree: tracked changes plus untracked files). No change: done, before
//!    any tree is listed.
//! 2. Targets are discovered at both revisions (each with its own
//!    `gitopsc.yaml`) and matched by environment and app.
//! 3. A target is a candidate when its build graph meets a change (see
//!    [`super::select`]): a changed file lies in one of the kustomization
//!    folders it uses, or replaces one. Only head's kustomization files
//!    are read for that, once each; a target that exists at one revision
//!    only, a changed `gitopsc.yaml` or a changed symlink makes it a
//!    candidate regardless.
//! 4. Candidates are built at head; when base answers every question the
//!    build asked its file tree (contents, by blob id; listings; existence)
//!    the same way, the target is unchanged and base is not built.
//!    Otherwise base is built too and the two renders are compared.

use super::select::{Changes, Observing, Tree, touched};
use super::{DiffConfig, Report, Revision, Stats, Status, TargetDiff, compare};
use crate::hydrate::kustomize::{self, BuildOptions, KustError, ResMap};
use crate::resolve::config::FILE_NAME;
use crate::resolve::discover::targets_in;
use crate::resolve::{Config, ConfigError, Target};
use crate::source::git::{changed_between, resolve};
use crate::source::{DiskFs, Fs, FsError, GitError, GitFs};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
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
    tree: Tree,
    targets: BTreeMap<(String, String), Target>,
}

impl Side {
    fn open(
        tree: Tree,
        root: &Path,
        rev: &str,
        opts: &Options,
    ) -> Result<(Side, Config), DiffError> {
        let cfg = load_config(tree.fs(), root, rev)?;
        let targets = targets_in(tree.fs(), root, &cfg)
            .into_iter()
            .filter(|t| opts.env.as_ref().is_none_or(|e| *e == t.env))
            .filter(|t| opts.app.as_ref().is_none_or(|a| *a == t.app))
            .map(|t| ((t.env.clone(), t.app.clone()), t))
            .collect();
        Ok((Side { tree, targets }, cfg))
    }
}

/// Runs the whole diff; see the module docs.
pub fn run(opts: &Options) -> Result<Report, DiffError> {
    let root = std::fs::canonicalize(&opts.repo).map_err(|source| FsError::Io {
        path: opts.repo.clone(),
        source,
    })?;
    let (top, base_commit) = resolve(&root, &opts.base)?;
    let base_rev = Revision {
        name: opts.base.clone(),
        commit: Some(base_commit.clone()),
    };
    let (head_rev, head_commit) = match &opts.head {
        Some(h) => {
            let (_, c) = resolve(&top, h)?;
            let rev = Revision {
                name: h.clone(),
                commit: Some(c.clone()),
            };
            (rev, Some(c))
        }
        None => (
            Revision {
                name: "working tree".to_string(),
                commit: None,
            },
            None,
        ),
    };
    let changed = changed_between(&top, &base_commit, head_commit.as_deref())?;
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
    let (head, base) = rayon::join(
        || -> Result<_, DiffError> {
            let tree = match &head_commit {
                Some(c) => Tree::Git(Box::new(GitFs::at_commit(&top, c)?)),
                None => Tree::Disk(DiskFs::new(&root)?),
            };
            Side::open(tree, &root, &head_label, opts)
        },
        || -> Result<_, DiffError> {
            let tree = Tree::Git(Box::new(GitFs::at_commit(&top, &base_commit)?));
            Side::open(tree, &root, &opts.base, opts)
        },
    );
    let ((head, head_cfg), (base, base_cfg)) = (head?, base?);
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
    let changes = Changes::new(&changed, &head.tree, &base.tree);
    let everything = changes.symlink || changes.contains(&root.join(FILE_NAME));
    let candidates: Vec<(String, String)> = if everything {
        keys.into_iter().collect()
    } else {
        // Targets at both revisions in the same folder: by the build graph;
        // any other is new, gone or moved, and always a candidate.
        let same_dir = |k: &(String, String)| match (head.targets.get(k), base.targets.get(k)) {
            (Some(h), Some(b)) => (h.dir == b.dir).then_some(&h.dir),
            _ => None,
        };
        let dirs: Vec<PathBuf> = keys.iter().filter_map(same_dir).cloned().collect();
        let hit = touched(&head.tree, &dirs, &changes);
        keys.into_iter()
            .filter(|k| same_dir(k).is_none_or(|d| hit.contains(d)))
            .collect()
    };
    stats.rendered = candidates.len();

    let results: Vec<(Option<TargetDiff>, bool)> = candidates
        .par_iter()
        .map(|k| diff_target(&head, &base, k, &settings))
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

/// Builds `target` in `fs`.
fn build(fs: &dyn Fs, target: &Target) -> Result<ResMap, KustError> {
    kustomize::build(fs, &target.dir, &BuildOptions::default()).map(|b| b.resources)
}

/// The diff of one target; `true` when its inputs were identical.
fn diff_target(
    head: &Side,
    base: &Side,
    key: &(String, String),
    cfg: &DiffConfig,
) -> (Option<TargetDiff>, bool) {
    let ht = head.targets.get(key);
    let bt = base.targets.get(key);
    let h = ht.map(|t| {
        let observed = Observing::new(head.tree.fs());
        let built = build(&observed, t);
        let same = built.is_ok()
            && bt.is_some_and(|b| b.dir == t.dir)
            && match &base.tree {
                Tree::Git(g) => observed.same_answers(&head.tree, g),
                Tree::Disk(_) => false,
            };
        (built, same)
    });
    if let Some((_, true)) = &h {
        return (None, true);
    }
    let h = h.map(|(built, _)| built);
    let b = bt.map(|t| build(base.tree.fs(), t));
    let mut errors = Vec::new();
    let side = |x: Option<Result<ResMap, KustError>>, label: &str, errors: &mut Vec<String>| match x
    {
        Some(Ok(r)) => Some(r),
        Some(Err(e)) => {
            errors.push(format!("{label}: {e}"));
            None
        }
        None => None,
    };
    let hm = side(h, "head", &mut errors);
    let bm = side(b, "base", &mut errors);
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
