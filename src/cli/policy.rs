//! `gitopsc policy test`: run the `test_` rules of policy folders like
//! `opa test` / `conftest verify`.

use crate::check::policy::conftest::RegoVersion;
use crate::check::policy::conftest::load::{self, LoadOptions};
use crate::check::policy::conftest::verify::{self, Status};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum PolicyCommand {
    /// Run the `test_*` rules of policy folders; exit 1 when one fails.
    Test(TestArgs),
}

#[derive(clap::Args, Debug)]
pub struct TestArgs {
    /// Policy folders or `.rego` files (default: `policies:` of ./gitopsc.yaml, else `policy`).
    pub dirs: Vec<PathBuf>,
    /// A JSON or YAML file or folder merged into `data` (repeatable).
    #[arg(long = "data", value_name = "PATH")]
    pub data: Vec<PathBuf>,
    /// Only packages matching this (repeatable; `*` globs).
    #[arg(long = "namespace", value_name = "NS")]
    pub namespaces: Vec<String>,
    #[arg(long, value_enum, default_value = "auto")]
    pub rego_version: RegoVersion,
    /// Leave out each test's duration (stable output).
    #[arg(long)]
    pub no_timing: bool,
}

pub fn run(cmd: PolicyCommand) -> ExitCode {
    match cmd {
        PolicyCommand::Test(args) => test(args),
    }
}

fn default_dirs() -> Vec<PathBuf> {
    let from_config = std::fs::read_to_string("gitopsc.yaml")
        .ok()
        .and_then(|t| load::parse_documents("gitopsc.yaml", &t).ok())
        .and_then(|docs| docs.into_iter().next())
        .and_then(|d| d.get("policies").cloned())
        .and_then(|p| serde_json::from_value::<Vec<String>>(p).ok())
        .unwrap_or_default();
    if from_config.is_empty() {
        vec![PathBuf::from("policy")]
    } else {
        from_config.into_iter().map(PathBuf::from).collect()
    }
}

fn test(args: TestArgs) -> ExitCode {
    let dirs = if args.dirs.is_empty() {
        default_dirs()
    } else {
        args.dirs.clone()
    };
    let base = PathBuf::from(".");
    let policies = match load::load(
        &base,
        &dirs,
        &args.data,
        &LoadOptions {
            rego_version: args.rego_version,
            include_tests: true,
        },
    ) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: policy: {e}");
            return ExitCode::from(super::EXIT_ERROR);
        }
    };
    let results = verify::run_tests(&policies, &args.namespaces);
    print!("{}", verify::render(&results, !args.no_timing));
    if results.iter().all(|r| r.status == Status::Pass) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
