//! `gitopsc validate`: kubeconform's command line over plain manifest
//! files, offline, with the bundled schemas.

use crate::check::schema::kubeconform::{Input, Options, Status, validate};
use std::io::Read;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct ValidateArgs {
    /// Files or folders (searched for .yaml, .yml, .json); `-` reads stdin.
    #[arg(required = true)]
    pub files: Vec<String>,
    /// Kubernetes version of the schemas: 1.34, 1.34.0 or master (newest bundled).
    #[arg(long = "kubernetes-version", short = 'k', default_value = "1.34")]
    pub kubernetes_version: String,
    /// Reject fields the schema does not declare, and duplicate keys.
    #[arg(long)]
    pub strict: bool,
    /// Skip resources whose kind has no schema instead of failing.
    #[arg(long)]
    pub ignore_missing_schemas: bool,
    /// Comma-separated kinds or apiVersion/Kinds to skip.
    #[arg(long, value_delimiter = ',')]
    pub skip: Vec<String>,
    /// Comma-separated kinds or apiVersion/Kinds to reject.
    #[arg(long, value_delimiter = ',')]
    pub reject: Vec<String>,
    /// Regular expression of file paths to ignore (repeatable).
    #[arg(long = "ignore-filename-pattern")]
    pub ignore_filename_pattern: Vec<String>,
    /// Schema location (repeatable): `default` (bundled Kubernetes), a path
    /// template like `schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json`, or
    /// the CRDs-catalog URL (served from the bundled CRDs). Without any: the
    /// bundled Kubernetes schemas, then the bundled platform CRDs.
    #[arg(long = "schema-location")]
    pub schema_location: Vec<String>,
    /// Print valid and skipped resources too.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Print a summary line.
    #[arg(long)]
    pub summary: bool,
    /// Output format.
    #[arg(long, value_parser = ["text", "json"], default_value = "text")]
    pub output: String,
}

pub fn run(args: ValidateArgs) -> ExitCode {
    let mut patterns = Vec::new();
    for p in &args.ignore_filename_pattern {
        match regex::Regex::new(p) {
            Ok(r) => patterns.push(r),
            Err(e) => {
                eprintln!("error: invalid --ignore-filename-pattern {p}: {e}");
                return ExitCode::from(super::EXIT_ERROR);
            }
        }
    }
    let opts = Options {
        kubernetes_version: args.kubernetes_version.clone(),
        strict: args.strict,
        ignore_missing_schemas: args.ignore_missing_schemas,
        skip: args.skip.clone(),
        reject: args.reject.clone(),
        ignore_filename_patterns: patterns,
        schema_locations: args.schema_location.clone(),
        base: std::path::PathBuf::from("."),
    };
    let mut inputs = Vec::new();
    for f in &args.files {
        if f == "-" {
            let mut text = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut text) {
                eprintln!("error: cannot read stdin: {e}");
                return ExitCode::from(super::EXIT_ERROR);
            }
            inputs.push(Input::Stdin(text));
        } else {
            inputs.push(Input::Path(f.clone()));
        }
    }
    let report = match validate(&opts, &inputs) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(super::EXIT_ERROR);
        }
    };
    if args.output == "json" {
        let resources: Vec<serde_json::Value> = report
            .outcomes
            .iter()
            .map(|o| {
                serde_json::json!({
                    "filename": o.file, "line": o.line, "kind": o.kind, "name": o.name,
                    "status": match o.status {
                        Status::Valid => "statusValid",
                        Status::Invalid => "statusInvalid",
                        Status::Error => "statusError",
                        Status::Skipped => "statusSkipped",
                    },
                    "msg": o.detail,
                })
            })
            .filter(|r| {
                args.verbose || r["status"] == "statusInvalid" || r["status"] == "statusError"
            })
            .collect();
        let doc = serde_json::json!({
            "resources": resources,
            "summary": {
                "valid": report.count(Status::Valid),
                "invalid": report.count(Status::Invalid),
                "errors": report.count(Status::Error),
                "skipped": report.count(Status::Skipped),
            }
        });
        // A tree of strings and numbers always serialises.
        println!(
            "{}",
            serde_json::to_string_pretty(&doc).expect("json output")
        );
    } else {
        print!("{}", report.text(args.verbose, args.summary));
    }
    ExitCode::from(report.exit_code())
}
