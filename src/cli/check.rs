//! `gitopsc check`: hydrate every target and run every rule; no writes
//! except the requested reports.

use super::repo;
use crate::check::Severity;
use crate::check::run::check_targets;
use crate::hydrate::targets::hydrate_all_with;
use crate::report::{Format, codequality, human, json, junit, sarif};
use crate::source::DiskFs;
use std::collections::BTreeSet;
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
    let Ok(repo) = repo::open(&args.repo, args.env.as_deref(), args.app.as_deref()) else {
        return ExitCode::from(super::EXIT_ERROR);
    };
    if let Err(e) = crate::check::schema::preflight(&repo.root, &repo.config) {
        eprintln!("error: {e}");
        return ExitCode::from(super::EXIT_ERROR);
    }
    let user_policies = match crate::check::policy::conftest::check::load(
        &repo.root,
        &repo.config,
        &args.policy.options(),
    ) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: policy: {e}");
            return ExitCode::from(super::EXIT_ERROR);
        }
    };
    let fs = match DiskFs::new(&repo.root) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(super::EXIT_ERROR);
        }
    };
    let progress = super::progress::Progress::new(repo.targets.len(), "checking");
    let hydrated = hydrate_all_with(&fs, &repo.root, &repo.targets, &|| progress.inc());
    progress.finish();
    let mut diags = check_targets(&repo.root, &repo.config, &hydrated);
    if let Some(p) = &user_policies {
        diags.extend(crate::check::policy::conftest::check::check(
            &repo.root,
            &repo.config,
            &hydrated,
            p,
        ));
    }
    let read: BTreeSet<String> = hydrated
        .iter()
        .flat_map(|h| h.inputs.iter().map(|(p, _)| p.clone()))
        .collect();
    let plain_argo = crate::resolve::argocd::scan_manifests(&repo.root, &repo.config, &read);
    diags.extend(crate::check::argocd::check(
        &repo.root,
        &repo.config,
        &hydrated,
        &plain_argo,
    ));
    crate::check::diagnostic::sort(&mut diags);
    let target_ids: Vec<String> = repo.targets.iter().map(|t| t.id()).collect();
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
