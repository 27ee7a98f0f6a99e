//! Command line: wires the stages together; no logic of its own.

mod kustomize;

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
        Command::Kustomize { command } => kustomize::run(command),
    }
}
