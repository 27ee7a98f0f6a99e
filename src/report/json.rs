//! `--format json`: the diagnostics and a summary, for scripts.

use crate::check::{Diagnostic, Severity};
use serde::Serialize;

#[derive(Serialize)]
struct Report<'a> {
    version: &'static str,
    summary: Summary,
    targets: &'a [String],
    diagnostics: &'a [Diagnostic],
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    infos: usize,
}

pub fn render(diags: &[Diagnostic], targets: &[String]) -> String {
    let count = |s| diags.iter().filter(|d| d.severity == s).count();
    let report = Report {
        version: env!("CARGO_PKG_VERSION"),
        summary: Summary {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
        },
        targets,
        diagnostics: diags,
    };
    // Serialising plain structs of strings and numbers cannot fail.
    let mut s = serde_json::to_string_pretty(&report).expect("report serialises");
    s.push('\n');
    s
}
