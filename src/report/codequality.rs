//! `--format codequality`: GitLab's Code Quality report (a JSON array),
//! shown in the merge-request widget.

use crate::check::{Diagnostic, Severity};
use serde_json::json;

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "critical",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

pub fn render(diags: &[Diagnostic]) -> String {
    let items: Vec<_> = diags
        .iter()
        .map(|d| {
            json!({
                "description": format!("{}: {}", d.rule, d.message),
                "check_name": d.name,
                "fingerprint": d.fingerprint,
                "severity": severity(d.severity),
                "location": {
                    "path": d.location.file,
                    "lines": { "begin": d.location.line.max(1) }
                }
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&items).expect("JSON values serialise");
    s.push('\n');
    s
}
