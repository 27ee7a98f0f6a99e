//! Command line: wires the stages together; no logic of its own.

mod build;
mod check;
mod commit_msg;
mod commits;
mod diff;
mod graph;
mod init;
mod kustomize;
mod next_version;
mod policy;
mod progress;
mod repo;
mod report_merge;
mod rules;
mod validate;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "gitopsc",
    version,
    about = "GitOps repository compiler and policy linter"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Hydrate every target into rendered/<env>/<app>.yaml (atomically).
    Build(build::BuildArgs),
    /// Hydrate and run every rule; write reports; no other writes.
    Check(check::CheckArgs),
    /// Rendered diff between two revisions (exit 0: none, 1: changes, 2: error).
    Diff(diff::DiffArgs),
    /// Show bases, overlays, components, targets and environments.
    Graph(graph::GraphArgs),
    /// List every rule.
    Rules,
    /// Show a rule's documentation.
    Explain {
        /// Rule id or name, e.g. KUS001.
        rule: String,
    },
    /// Lint a commit message like `commitlint --edit` (Husky commit-msg hook) or from stdin.
    CommitMsg(commit_msg::CommitMsgArgs),
    /// Lint every commit of a range (a merge request) like commitlint.
    Commits(commits::CommitsArgs),
    /// The release type and version semantic-release would publish.
    NextVersion(next_version::NextVersionArgs),
    /// Validate manifest files offline against bundled schemas (kubeconform-compatible).
    Validate(validate::ValidateArgs),
    /// Policy folder commands (`policy test`: run `test_` rules like `opa test`).
    Policy {
        #[command(subcommand)]
        command: policy::PolicyCommand,
    },
    /// Scaffold gitopsc.yaml from what is in the repository, and
    /// optionally Git hooks and the GitLab CI job.
    Init(init::InitArgs),
    /// Work with reports (merge the reports of sharded jobs).
    Report {
        #[command(subcommand)]
        command: report_merge::ReportCommand,
    },
    /// kustomize-compatible commands.
    Kustomize {
        #[command(subcommand)]
        command: kustomize::KustomizeCommand,
    },
}

/// Exit status for unusable input (bad flags, unreadable repo, failed build).
pub const EXIT_ERROR: u8 = 2;

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Build(args) => build::run(args),
        Command::Check(args) => check::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Graph(args) => graph::run(args),
        Command::Rules => rules::list(),
        Command::Explain { rule } => rules::explain(&rule),
        Command::Kustomize { command } => kustomize::run(command),
        Command::Policy { command } => policy::run(command),
        Command::CommitMsg(args) => commit_msg::run(args),
        Command::Commits(args) => commits::run(args),
        Command::NextVersion(args) => next_version::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Init(args) => init::run(args),
        Command::Report { command } => report_merge::run(command),
    }
}
