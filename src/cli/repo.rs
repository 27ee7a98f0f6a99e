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
