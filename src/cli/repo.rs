//! Shared steps of the repository commands: open the repo, read its
//! config, find and filter targets.

use crate::report::human::render_config_error;
use crate::resolve::{Config, Target, discover};
use std::path::{Path, PathBuf};

pub struct Repo {
    pub root: PathBuf,
    pub config: Config,
    pub targets: Vec<Target>,
}

/// Opens the repository at `path`; an unusable one is an `Err` with the
/// message already printed.
pub fn open(path: &Path, env: Option<&str>, app: Option<&str>) -> Result<Repo, ()> {
    let root = match std::fs::canonicalize(path) {
        Ok(r) if r.is_dir() => r,
        _ => {
            eprintln!("error: {} is not a directory", path.display());
            return Err(());
        }
    };
    let config = match Config::load(&root).and_then(|c| {
        crate::check::image::preflight(&root, &c)?;
        Ok(c)
    }) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{}", render_config_error(&e, &root));
            return Err(());
        }
    };
    let mut targets = discover::targets(&root, &config);
    if let Some(env) = env {
        targets.retain(|t| t.env == env);
    }
    if let Some(app) = app {
        targets.retain(|t| t.app == app);
    }
    Ok(Repo {
        root,
        config,
        targets,
    })
}

/// Which content a command reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// The files on disk.
    WorkTree,
    /// The git index: what `git commit` would record.
    Index,
}

/// A repository opened in one view, with the view's files and their ids.
pub struct Opened {
    pub repo: Repo,
    pub fs: Box<dyn crate::source::Fs>,
    pub snapshot: crate::cache::snapshot::Snapshot,
}

/// [`open`] in `view`; errors are printed.
pub fn open_view(path: &Path, view: View, env: Option<&str>, app: Option<&str>) -> Option<Opened> {
    match view {
        View::WorkTree => {
            let repo = open(path, env, app).ok()?;
            let fs = match crate::source::DiskFs::new(&repo.root) {
                Ok(f) => f,
                Err(e) => {
                    eprintln!("error: {e}");
                    return None;
                }
            };
            let snapshot = crate::cache::snapshot::Snapshot::worktree(&repo.root);
            Some(Opened {
                repo,
                fs: Box::new(fs),
                snapshot,
            })
        }
        View::Index => open_index(path, env, app),
    }
}

/// The repository as staged: config, targets and files from the index.
fn open_index(path: &Path, env: Option<&str>, app: Option<&str>) -> Option<Opened> {
    let root = match std::fs::canonicalize(path) {
        Ok(r) if r.is_dir() => r,
        _ => {
            eprintln!("error: {} is not a directory", path.display());
            return None;
        }
    };
    let fs = match crate::source::GitFs::index(&root) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: --staged: {e}");
            return None;
        }
    };
    use crate::source::Fs;
    let config = match fs.read(&root.join(crate::resolve::config::FILE_NAME)) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            match Config::parse(crate::resolve::config::FILE_NAME, &text) {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("{}", render_config_error(&e, &root));
                    return None;
                }
            }
        }
        Err(_) => Config::default(),
    };
    let mut targets = discover::targets_in(&fs, &root, &config);
    if let Some(env) = env {
        targets.retain(|t| t.env == env);
    }
    if let Some(app) = app {
        targets.retain(|t| t.app == app);
    }
    // Ids relative to `root`, which may be below the work tree's top.
    let prefix = root
        .strip_prefix(fs.root())
        .unwrap_or(Path::new(""))
        .to_path_buf();
    let mut ids = std::collections::HashMap::new();
    for f in fs.files() {
        let Ok(rel) = f.strip_prefix(&prefix) else {
            continue;
        };
        if let Some(id) = fs.blob_id(&fs.root().join(&f)) {
            ids.insert(rel.to_string_lossy().into_owned(), id.to_string());
        }
    }
    Some(Opened {
        repo: Repo {
            root,
            config,
            targets,
        },
        fs: Box::new(fs),
        snapshot: crate::cache::snapshot::Snapshot::complete(ids),
    })
}
