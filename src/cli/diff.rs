//! `gitopsc diff`: the rendered difference between two revisions.
//! Exit 0 without changes, 1 with changes, 2 on error (like `kubectl diff`).

use crate::diff::{self, Options};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
    Html,
}

#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// Repository root.
    #[arg(default_value = ".")]
    pub repo: PathBuf,
    /// The revision to compare against (e.g. origin/main, a commit id).
    #[arg(long)]
    pub base: String,
    /// The revision to show (default: the working tree).
    #[arg(long)]
    pub head: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Write the report to FILE (atomically) instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only this environment.
    #[arg(long)]
    pub env: Option<String>,
    /// Only this app.
    #[arg(long)]
    pub app: Option<String>,
    /// Where the full report lives (URL), named in the markdown note when
    /// it is cut.
    #[arg(long, value_name = "URL")]
    pub full_report: Option<String>,
}

pub fn run(args: DiffArgs) -> ExitCode {
    let opts = Options {
        repo: args.repo.clone(),
        base: args.base.clone(),
        head: args.head.clone(),
        env: args.env.clone(),
        app: args.app.clone(),
    };
    let report = match diff::run(&opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(super::EXIT_ERROR);
        }
    };
    let colour = args.output.is_none()
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let text = match args.format {
        Format::Text => diff::text::render(&report, colour),
        Format::Markdown => diff::markdown::render(&report, args.full_report.as_deref()),
        Format::Json => diff::json::render(&report),
        Format::Html => diff::html::render(&report),
    };
    match &args.output {
        Some(p) => {
            if let Err(e) = super::kustomize::write_atomic(p, text.as_bytes()) {
                eprintln!("error: cannot write {}: {e}", p.display());
                return ExitCode::from(super::EXIT_ERROR);
            }
        }
        None => print!("{text}"),
    }
    for t in &report.targets {
        for e in &t.errors {
            eprintln!("error: {}/{}: {e}", t.app, t.env);
        }
    }
    if report
        .targets
        .iter()
        .any(|t| t.errors.iter().any(|e| e.starts_with("head")))
    {
        ExitCode::from(super::EXIT_ERROR)
    } else if report.has_changes() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
