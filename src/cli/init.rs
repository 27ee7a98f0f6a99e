//! `gitopsc init`: a `gitopsc.yaml` from what discovery finds (its
//! environments and app folders), optionally Husky hooks and the GitLab
//! CI job. Never overwrites a file without `--force`.

use crate::resolve::{Config, discover};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The includable GitLab CI job of this repository.
pub const GITLAB_JOB: &str = include_str!("../../ci/gitlab/gitopsc.gitlab-ci.yml");
const HUSKY_PRE_COMMIT: &str = "gitopsc check --staged\n";
const HUSKY_COMMIT_MSG: &str = "gitopsc commit-msg --edit \"$1\"\n";

#[derive(clap::Args, Debug)]
pub struct InitArgs {
    /// Repository root.
    #[arg(default_value = ".")]
    pub repo: PathBuf,
    /// Also write Git hooks: `husky` (.husky/pre-commit and .husky/commit-msg).
    #[arg(long, value_enum)]
    pub hooks: Option<Hooks>,
    /// Also write a CI job: `gitlab` (ci/gitopsc.gitlab-ci.yml, included from
    /// .gitlab-ci.yml).
    #[arg(long, value_enum)]
    pub ci: Option<Ci>,
    /// Overwrite existing files.
    #[arg(long)]
    pub force: bool,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Hooks {
    Husky,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Ci {
    Gitlab,
}

/// Usual environment names, in promotion order.
const ENV_ORDER: [&str; 12] = [
    "local",
    "dev",
    "development",
    "test",
    "qa",
    "recette",
    "staging",
    "stage",
    "preprod",
    "pre-prod",
    "prod",
    "production",
];

/// The scaffolded configuration for the repository at `root`.
pub fn scaffold(root: &Path) -> String {
    let targets = discover::targets(root, &Config::default());
    let mut envs: Vec<String> = targets
        .iter()
        .map(|t| t.env.clone())
        .filter(|e| e != "default")
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    envs.sort_by_key(|e| {
        (
            ENV_ORDER
                .iter()
                .position(|o| o == e)
                .unwrap_or(ENV_ORDER.len()),
            e.clone(),
        )
    });
    let mut globs = BTreeSet::new();
    let mut single = BTreeSet::new();
    for t in &targets {
        let parts: Vec<&str> = t.source.split('/').collect();
        match parts.iter().position(|p| *p == "overlays") {
            Some(i) if i > 0 && i + 1 < parts.len() && t.env != "default" => {
                let mut g: Vec<String> = parts.iter().map(|s| s.to_string()).collect();
                g[i - 1] = "*".into();
                g[i + 1] = "{env}".into();
                globs.insert(g.join("/"));
            }
            _ => {
                single.insert(t.source.clone());
            }
        }
    }
    let mut s = String::from(
        "# gitopsc configuration (scaffolded by `gitopsc init`; schema: schemas/gitopsc.schema.json)\n",
    );
    if envs.is_empty() {
        s.push_str("environments: {}\n");
    } else {
        s.push_str("environments:\n");
        for e in &envs {
            s.push_str(&format!("  {e}: {{}}\n"));
        }
    }
    if globs.is_empty() && single.is_empty() {
        s.push_str("apps: []\n");
    } else {
        s.push_str("apps:\n");
        for g in &globs {
            s.push_str(&format!("- path: {g}\n"));
        }
        if !single.is_empty() && !envs.is_empty() {
            s.push_str(
                "# kustomizations outside an overlays/<env> layout, checked in one environment\n",
            );
        }
        for p in &single {
            s.push_str(&format!("- path: {p}\n"));
            if let Some(first) = envs.first() {
                s.push_str(&format!("  environments: [{first}]\n"));
            }
        }
    }
    s
}

fn write_new(path: &Path, text: &str, force: bool, exec: bool) -> Result<(), String> {
    if path.exists() && !force {
        return Err(format!(
            "{} exists; rerun with --force to overwrite it",
            path.display()
        ));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    super::kustomize::write_atomic(path, text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    if exec {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| format!("cannot make {} executable: {e}", path.display()))?;
    }
    eprintln!("wrote {}", path.display());
    Ok(())
}

pub fn run(args: InitArgs) -> ExitCode {
    match init(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(super::EXIT_ERROR)
        }
    }
}

fn init(args: &InitArgs) -> Result<(), String> {
    let root =
        std::fs::canonicalize(&args.repo).map_err(|e| format!("{}: {e}", args.repo.display()))?;
    let cfg_path = root.join(crate::resolve::config::FILE_NAME);
    // Refuse before writing anything.
    let mut planned = vec![cfg_path.clone()];
    if args.hooks.is_some() {
        planned.push(root.join(".husky/pre-commit"));
        planned.push(root.join(".husky/commit-msg"));
    }
    if args.ci.is_some() {
        planned.push(root.join("ci/gitopsc.gitlab-ci.yml"));
    }
    if !args.force
        && let Some(p) = planned.iter().find(|p| p.exists())
    {
        return Err(format!(
            "{} exists; rerun with --force to overwrite it",
            p.display()
        ));
    }
    let text = scaffold(&root);
    Config::parse(crate::resolve::config::FILE_NAME, &text)
        .map_err(|e| format!("the scaffolded configuration does not validate: {e}"))?;
    write_new(&cfg_path, &text, args.force, false)?;
    if args.hooks.is_some() {
        write_new(
            &root.join(".husky/pre-commit"),
            HUSKY_PRE_COMMIT,
            args.force,
            true,
        )?;
        write_new(
            &root.join(".husky/commit-msg"),
            HUSKY_COMMIT_MSG,
            args.force,
            true,
        )?;
        eprintln!("activate the hooks with husky v9: npm install --save-dev husky && npx husky");
    }
    if args.ci.is_some() {
        write_new(
            &root.join("ci/gitopsc.gitlab-ci.yml"),
            GITLAB_JOB,
            args.force,
            false,
        )?;
        let main = root.join(".gitlab-ci.yml");
        let include = "include:\n  - local: ci/gitopsc.gitlab-ci.yml\n";
        if main.exists() {
            eprintln!("add to .gitlab-ci.yml:\n{include}");
        } else {
            write_new(&main, include, false, false)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaffolds_environments_and_globs_that_validate() {
        let t = tempfile::tempdir().unwrap();
        let w = |rel: &str, text: &str| {
            let p = t.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        w("apps/web/base/kustomization.yaml", "resources: []\n");
        for env in ["prod", "dev", "staging"] {
            w(
                &format!("apps/web/overlays/{env}/kustomization.yaml"),
                "resources:\n- ../../base\n",
            );
        }
        w("platform/kustomization.yaml", "resources: []\n");
        let text = scaffold(t.path());
        assert!(
            text.contains("environments:\n  dev: {}\n  staging: {}\n  prod: {}\n"),
            "{text}"
        );
        assert!(text.contains("- path: apps/*/overlays/{env}\n"), "{text}");
        assert!(
            text.contains("- path: platform\n  environments: [dev]\n"),
            "{text}"
        );
        let cfg = Config::parse("gitopsc.yaml", &text).unwrap();
        let found: Vec<String> = discover::targets(t.path(), &cfg)
            .iter()
            .map(|t| t.id())
            .collect();
        assert_eq!(
            found,
            ["platform/dev", "web/dev", "web/prod", "web/staging"]
        );
    }
}
