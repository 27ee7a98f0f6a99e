//! `gitopsc graph`: bases, overlays, components, targets and environments,
//! as Mermaid or Graphviz DOT.

use super::repo;
use crate::emit::graph::{dot, mermaid};
use crate::resolve::graph;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum GraphFormat {
    /// Mermaid flowchart (renders in GitLab and GitHub markdown).
    Mermaid,
    /// Graphviz DOT (`dot -Tsvg`).
    Dot,
}

#[derive(clap::Args, Debug)]
pub struct GraphArgs {
    /// Repository root.
    #[arg(default_value = ".")]
    pub repo: PathBuf,
    #[arg(long, value_enum, default_value = "mermaid")]
    pub format: GraphFormat,
    /// Only this environment's targets (and what they use).
    #[arg(long)]
    pub env: Option<String>,
    /// Only this app's targets (and what they use).
    #[arg(long)]
    pub app: Option<String>,
}

pub fn run(args: GraphArgs) -> ExitCode {
    let Ok(repo) = repo::open(&args.repo, args.env.as_deref(), args.app.as_deref()) else {
        return ExitCode::from(super::EXIT_ERROR);
    };
    let g = graph::build(&repo.root, &repo.targets);
    print!(
        "{}",
        match args.format {
            GraphFormat::Mermaid => mermaid(&g),
            GraphFormat::Dot => dot(&g),
        }
    );
    ExitCode::SUCCESS
}
