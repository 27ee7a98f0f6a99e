//! `gitopsc check`: hydrate every target and run every rule; no writes
//! except the requested reports.

use super::repo;
use crate::check::Severity;
use crate::report::{Format, codequality, human, json, junit, sarif};
use crate::resolve::changed;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Repository root.
    #[arg(default_value = ".")]
    pub repo: PathBuf,
    /// Report format, optionally written to a file: `json`, `junit=report.xml`,
    /// `codequality=gl-code-quality.json`, `sarif=gitopsc.sarif`, `human`.
    /// Repeat to write several.
    #[arg(long = "format", value_name = "FMT[=PATH]")]
    pub formats: Vec<String>,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOn,
    #[arg(long)]
    pub env: Option<String>,
    #[arg(long)]
    pub app: Option<String>,
    /// Check the staged content (the index, not the working tree), and only
    /// the targets the staged changes affect (a pre-commit hook).
    #[arg(long, conflicts_with = "changed_since")]
    pub staged: bool,
    /// Check only the targets affected by changes since REV (a merge
    /// request's base), working tree included.
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,
    /// Check only this shard of the targets, `I/N` (e.g. GitLab's
    /// `$CI_NODE_INDEX/$CI_NODE_TOTAL`); join the reports with
    /// `gitopsc report merge`.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<crate::resolve::shard::Shard>,
    /// Do not read or write the cache (`.gitopsc/cache`).
    #[arg(long)]
    pub no_cache: bool,
    /// Print what was checked, built and taken from the cache (stderr).
    #[arg(long, short)]
    pub verbose: bool,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// User policy folders with conftest semantics (see `gitopsc explain REGO001`).
#[derive(clap::Args, Debug)]
pub struct PolicyArgs {
    /// A policy folder or `.rego` file, besides `policies:` in gitopsc.yaml (repeatable).
    #[arg(long = "policy", value_name = "DIR")]
    pub policies: Vec<PathBuf>,
    /// A Rego package to evaluate (default `main`; repeatable; `*` globs).
    #[arg(long = "namespace", value_name = "NS")]
    pub namespaces: Vec<String>,
    /// Evaluate every package of the policy folders.
    #[arg(long)]
    pub all_namespaces: bool,
    /// A JSON or YAML file or folder merged into `data` (repeatable).
    #[arg(long = "data", value_name = "PATH")]
    pub data: Vec<PathBuf>,
    /// Evaluate once per target with `input` = every resource (`[{path, contents}]`).
    #[arg(long)]
    pub combine: bool,
    /// Rego syntax of the policy files.
    #[arg(long, value_enum, default_value = "auto")]
    pub rego_version: crate::check::policy::conftest::RegoVersion,
}

impl PolicyArgs {
    pub fn options(&self) -> crate::check::policy::conftest::Options {
        crate::check::policy::conftest::Options {
            policies: self.policies.clone(),
            namespaces: self.namespaces.clone(),
            all_namespaces: self.all_namespaces,
            data: self.data.clone(),
            combine: self.combine,
            rego_version: self.rego_version,
        }
    }
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

pub fn run(args: CheckArgs) -> ExitCode {
    let mut outputs = Vec::new();
    for f in if args.formats.is_empty() {
        vec!["human".to_string()]
    } else {
        args.formats.clone()
    } {
        let (name, path) = match f.split_once('=') {
            Some((n, p)) => (n.to_string(), Some(PathBuf::from(p))),
            None => (f.clone(), None),
        };
        match name.parse::<Format>() {
            Ok(fmt) => outputs.push((fmt, path)),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(super::EXIT_ERROR);
            }
        }
    }
    let Some(run) = run_checks(&args) else {
        return ExitCode::from(super::EXIT_ERROR);
    };
    let (repo, diags, target_ids) = (run.repo, run.diags, run.checked);
    for (fmt, path) in outputs {
        let text = match fmt {
            Format::Human => {
                let color = path.is_none()
                    && std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none();
                let mut s = human::render_findings(&diags, &repo.root, color);
                s.push_str(&summary(&diags, target_ids.len()));
                s
            }
            Format::Json => json::render(&diags, &target_ids),
            Format::Junit => junit::render(&diags, &target_ids),
            Format::CodeQuality => codequality::render(&diags),
            Format::Sarif => sarif::render(&diags),
        };
        let written = match &path {
            Some(p) => super::kustomize::write_atomic(p, text.as_bytes()),
            None => {
                print!("{text}");
                Ok(())
            }
        };
        if let Err(e) = written {
            eprintln!("error: cannot write report: {e}");
            return ExitCode::from(super::EXIT_ERROR);
        }
    }
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    if diags.iter().any(|d| d.severity >= threshold) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn summary(diags: &[crate::check::Diagnostic], targets: usize) -> String {
    let n = |s| diags.iter().filter(|d| d.severity == s).count();
    format!(
        "checked {targets} targets: {} errors, {} warnings, {} notes\n",
        n(Severity::Error),
        n(Severity::Warning),
        n(Severity::Info)
    )
}

struct Run {
    repo: repo::Repo,
    diags: Vec<crate::check::Diagnostic>,
    checked: Vec<String>,
}

/// Opens the view to check (working tree or index), selects and checks
/// its targets; errors are printed.
fn run_checks(args: &CheckArgs) -> Option<Run> {
    let view = if args.staged {
        repo::View::Index
    } else {
        repo::View::WorkTree
    };
    let opened = repo::open_view(&args.repo, view, args.env.as_deref(), args.app.as_deref())?;
    let repo = opened.repo;
    if let Err(e) = crate::check::schema::preflight(&repo.root, &repo.config) {
        eprintln!("error: {e}");
        return None;
    }
    let changed = if args.staged {
        Some(changed::staged(&repo.root))
    } else {
        args.changed_since
            .as_deref()
            .map(|rev| changed::since(&repo.root, rev))
    };
    let changed = match changed.transpose() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return None;
        }
    };
    let snapshot = opened.snapshot;
    let store = if args.no_cache {
        None
    } else {
        crate::cache::open(&repo.root, &repo.config)
    };
    let progress = std::sync::Arc::new(super::progress::Progress::new(
        repo.targets.len(),
        "checking",
    ));
    let policy_opts = args.policy.options();
    let policies =
        match crate::check::policy::conftest::check::load(&repo.root, &repo.config, &policy_opts) {
            Ok(p) => p.map(std::sync::Arc::new),
            Err(e) => {
                eprintln!("error: policy: {e}");
                return None;
            }
        };
    let p = progress.clone();
    let opts = crate::cache::Options {
        store,
        changed,
        shard: args.shard,
        on_built: Some(Box::new(move || p.inc())),
        policies,
        policy_key: format!("{policy_opts:?}"),
    };
    let out = crate::cache::check(
        opened.fs.as_ref(),
        &repo.root,
        &repo.config,
        &repo.targets,
        &snapshot,
        &opts,
    );
    progress.finish();
    if args.verbose {
        let s = out.stats;
        eprintln!(
            "gitopsc: {} targets, {} checked, {} rendered, {} from cache",
            s.targets, s.checked, s.rendered, s.cached
        );
    }
    Some(Run {
        repo,
        diags: out.diags,
        checked: out.checked,
    })
}
