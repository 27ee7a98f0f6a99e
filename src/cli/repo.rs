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
    let config = match Config::load(&root) {
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
pub fn open_view(
    path: &Path,
    view: View,
    env: Option<&str>,
    app: Option<&str>,
) -> Option<Opened> {
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

fn open_index(_path: &Path, _env: Option<&str>, _app: Option<&str>) -> Option<Opened> {
    eprintln!("error: --staged needs the git index reader");
    None
}
