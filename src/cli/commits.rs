//! `gitopsc commits [RANGE]`: lint every commit of a merge request the way
//! `commitlint --from BASE --to HEAD` does, with the report formats of
//! `gitopsc check`. Also the git plumbing shared by the commit commands.

use crate::check::commits::{self, FormatOptions, LintOutcome};
use crate::check::{Diagnostic, Severity};
use crate::report::{Format, codequality, json, junit, sarif};
use crate::resolve::Config;
use crate::resolve::commitlint::{self, LintConfig};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

#[derive(clap::Args, Debug)]
pub struct CommitsArgs {
    /// Commits to lint, e.g. `origin/main..HEAD`. Default:
    /// `$CI_MERGE_REQUEST_DIFF_BASE_SHA..HEAD` in a GitLab merge-request
    /// pipeline, else the merge base with the upstream branch.
    pub range: Option<String>,
    /// Report format, optionally written to a file: `json`, `junit=report.xml`,
    /// `codequality=gl-code-quality.json`, `sarif=gitopsc.sarif`, `human`.
    #[arg(long = "format", value_name = "FMT[=PATH]")]
    pub formats: Vec<String>,
    /// Also list commits without problems.
    #[arg(long, short = 'V')]
    pub verbose: bool,
    /// Exit 1 on warnings too (commitlint's `--strict` without its 2/3 codes).
    #[arg(long)]
    pub strict: bool,
}

/// Runs git in `dir`; stdout as text, or the error message.
pub fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `(hash, message)` of every commit in `range`, newest first.
pub fn log(dir: &Path, range: &str) -> Result<Vec<(String, String)>, String> {
    let out = git(dir, &["log", "-z", "--format=%H%n%B", range, "--"])?;
    Ok(out
        .split('\0')
        .filter(|e| !e.is_empty())
        .filter_map(|e| {
            let (h, m) = e.split_once('\n')?;
            Some((h.to_string(), m.to_string()))
        })
        .collect())
}

/// The repository root: the nearest ancestor of the current directory
/// holding `.git` (no git process needed), else the current directory.
pub fn repo_root() -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    cwd.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
        .unwrap_or(cwd)
}

/// The lint configuration of the repository at `root`; configuration
/// problems are printed as warnings. `Err` when gitopsc.yaml is invalid.
pub fn lint_config(root: &Path) -> Result<(LintConfig, Config), ()> {
    let config = if root.join(crate::resolve::config::FILE_NAME).exists() {
        match Config::load(root) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("{}", crate::report::human::render_config_error(&e, root));
                return Err(());
            }
        }
    } else {
        Config::default()
    };
    let cfg = commitlint::load(root, config.commits.as_ref());
    for n in &cfg.notes {
        eprintln!("warning: {n}");
    }
    Ok((cfg, config))
}

/// Parses `--format` values.
pub fn outputs(formats: &[String]) -> Result<Vec<(Format, Option<PathBuf>)>, String> {
    let list = if formats.is_empty() {
        vec!["human".to_string()]
    } else {
        formats.to_vec()
    };
    list.iter()
        .map(|f| {
            let (name, path) = match f.split_once('=') {
                Some((n, p)) => (n, Some(PathBuf::from(p))),
                None => (f.as_str(), None),
            };
            name.parse::<Format>().map(|fmt| (fmt, path))
        })
        .collect()
}

pub fn color_for(path: &Option<PathBuf>) -> bool {
    path.is_none() && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Writes every requested report. `human` is the commitlint-style text
/// produced by `human`.
pub fn write_reports(
    outs: &[(Format, Option<PathBuf>)],
    diags: &[Diagnostic],
    targets: &[String],
    human: &dyn Fn(bool) -> String,
) -> Result<(), ()> {
    for (fmt, path) in outs {
        let text = match fmt {
            Format::Human => human(color_for(path)),
            Format::Json => json::render(diags, targets),
            Format::Junit => junit::render(diags, targets),
            Format::CodeQuality => codequality::render(diags),
            Format::Sarif => sarif::render(diags),
        };
        match path {
            Some(p) => {
                if let Err(e) = super::kustomize::write_atomic(p, text.as_bytes()) {
                    eprintln!("error: cannot write {}: {e}", p.display());
                    return Err(());
                }
            }
            None => print!("{text}"),
        }
    }
    Ok(())
}

/// The default range: the merge request's base in GitLab CI, else the
/// merge base with the upstream branch.
fn default_range(root: &Path) -> Result<String, String> {
    if let Some(base) = std::env::var("CI_MERGE_REQUEST_DIFF_BASE_SHA")
        .ok()
        .filter(|s| !s.is_empty())
    {
        return Ok(format!("{base}..HEAD"));
    }
    match git(root, &["merge-base", "HEAD", "@{upstream}"]) {
        Ok(base) => Ok(format!("{}..HEAD", base.trim())),
        Err(_) => Err("no range given, CI_MERGE_REQUEST_DIFF_BASE_SHA is not set and the current branch has no \
                       upstream; pass one, e.g. `gitopsc commits origin/main..HEAD`"
            .into()),
    }
}

pub fn run(args: CommitsArgs) -> ExitCode {
    let outs = match outputs(&args.formats) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(super::EXIT_ERROR);
        }
    };
    let root = repo_root();
    let Ok((cfg, _)) = lint_config(&root) else {
        return ExitCode::from(super::EXIT_ERROR);
    };
    let range = match args.range.clone().map_or_else(|| default_range(&root), Ok) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(super::EXIT_ERROR);
        }
    };
    let commits_in_range = match log(&root, &range) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(super::EXIT_ERROR);
        }
    };
    // commitlint drops empty messages before linting.
    let results: Vec<(String, LintOutcome)> = commits_in_range
        .iter()
        .filter(|(_, m)| !crate::load::commit::js::trim(m).is_empty())
        .map(|(h, m)| (h.clone(), commits::lint(m, &cfg, None)))
        .collect();
    let mut diags: Vec<Diagnostic> = Vec::new();
    for (h, r) in &results {
        diags.extend(commits::diagnostics(r, h, Some(&short(h))));
    }
    let targets: Vec<String> = results.iter().map(|(h, _)| h.clone()).collect();
    let human = |color: bool| {
        let o = FormatOptions {
            color,
            verbose: args.verbose,
            help_url: cfg.help_url.clone(),
        };
        let labelled: Vec<(Option<String>, &LintOutcome)> = results
            .iter()
            .map(|(h, r)| (Some(format!("{} {}", short(h), first_line(r))), r))
            .collect();
        let mut s = commits::format(&labelled, &o);
        let bad = results.iter().filter(|(_, r)| !r.valid).count();
        let warned = results
            .iter()
            .filter(|(_, r)| !r.warnings.is_empty())
            .count();
        s.push_str(&format!(
            "{range}: {} commits, {bad} with errors, {warned} with warnings\n",
            results.len()
        ));
        s
    };
    if write_reports(&outs, &diags, &targets, &human).is_err() {
        return ExitCode::from(super::EXIT_ERROR);
    }
    let threshold = if args.strict {
        Severity::Warning
    } else {
        Severity::Error
    };
    if diags.iter().any(|d| d.severity >= threshold) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn short(h: &str) -> String {
    h.chars().take(12).collect()
}

fn first_line(r: &LintOutcome) -> String {
    r.input.lines().next().unwrap_or("").to_string()
}
