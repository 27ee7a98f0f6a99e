//! `gitopsc report merge`: one report of each format from the reports of
//! sharded `check` jobs (GitLab applies one code quality report per
//! pipeline cleanly).

use crate::report::merge::{self, Kind};
use crate::report::{Format, codequality, json, junit, sarif};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum ReportCommand {
    /// Join the reports of `check --shard i/n` jobs. From JSON reports any
    /// format can be written (`--format junit=report.xml`, repeatable),
    /// byte-identical to an unsharded run; code quality, SARIF and JUnit
    /// reports merge into their own format.
    Merge(MergeArgs),
}

#[derive(clap::Args, Debug)]
pub struct MergeArgs {
    /// Reports to join (all of one format).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Where to write the merged report in the inputs' format (default:
    /// stdout).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// From JSON inputs: formats to write, `FMT[=PATH]`.
    #[arg(long = "format", value_name = "FMT[=PATH]")]
    pub formats: Vec<String>,
}

pub fn run(cmd: ReportCommand) -> ExitCode {
    let ReportCommand::Merge(args) = cmd;
    match merge_reports(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(super::EXIT_ERROR)
        }
    }
}

fn write(path: Option<&PathBuf>, text: &str) -> Result<(), String> {
    match path {
        Some(p) => super::kustomize::write_atomic(p, text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", p.display())),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

fn merge_reports(args: &MergeArgs) -> Result<(), String> {
    let mut inputs = Vec::new();
    for p in &args.inputs {
        let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
        inputs.push((p.display().to_string(), text));
    }
    let kind = merge::common_kind(&inputs).map_err(|e| e.to_string())?;
    if kind != Kind::Json {
        if !args.formats.is_empty() {
            return Err(
                "--format needs JSON reports as inputs; merge other formats with --out".into(),
            );
        }
        let text = match kind {
            Kind::CodeQuality => merge::merge_codequality(&inputs),
            Kind::Sarif => merge::merge_sarif(&inputs),
            _ => merge::merge_junit(&inputs),
        }
        .map_err(|e| e.to_string())?;
        return write(args.out.as_ref(), &text);
    }
    let m = merge::merge_json(&inputs).map_err(|e| e.to_string())?;
    let mut outputs: Vec<(Format, Option<PathBuf>)> = Vec::new();
    if args.formats.is_empty() || args.out.is_some() {
        outputs.push((Format::Json, args.out.clone()));
    }
    for f in &args.formats {
        let (name, path) = match f.split_once('=') {
            Some((n, p)) => (n, Some(PathBuf::from(p))),
            None => (f.as_str(), None),
        };
        outputs.push((name.parse::<Format>()?, path));
    }
    for (fmt, path) in outputs {
        let text = match fmt {
            Format::Json => json::render(&m.diags, &m.targets),
            Format::Junit => junit::render(&m.diags, &m.targets),
            Format::CodeQuality => codequality::render(&m.diags),
            Format::Sarif => sarif::render(&m.diags),
            Format::Human => {
                crate::report::human::render_findings(&m.diags, std::path::Path::new("."), false)
            }
        };
        write(path.as_ref(), &text)?;
    }
    Ok(())
}
