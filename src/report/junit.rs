//! `--format junit`: one test case per checked target (passing or failing
//! with its findings), as GitLab's test report widget expects.

use crate::check::{Diagnostic, Severity};
use std::fmt::Write;

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' && c != '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// `targets` are the units checked; findings without a target are grouped
/// under a `repository` case.
pub fn render(diags: &[Diagnostic], targets: &[String]) -> String {
    let mut cases: Vec<(String, Vec<&Diagnostic>)> =
        targets.iter().map(|t| (t.clone(), Vec::new())).collect();
    for d in diags {
        let name = d.target.clone().unwrap_or_else(|| "repository".to_string());
        match cases.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => v.push(d),
            None => cases.push((name, vec![d])),
        }
    }
    let failures = cases
        .iter()
        .filter(|(_, v)| v.iter().any(|d| d.severity == Severity::Error))
        .count();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<testsuites name=\"gitopsc\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">",
        cases.len()
    );
    let _ = writeln!(
        s,
        "  <testsuite name=\"gitopsc check\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">",
        cases.len()
    );
    for (name, ds) in &cases {
        let errors: Vec<_> = ds
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        let _ = write!(
            s,
            "    <testcase classname=\"gitopsc\" name=\"{}\"",
            escape(name)
        );
        if ds.is_empty() {
            s.push_str("/>\n");
            continue;
        }
        s.push_str(">\n");
        if let Some(first) = errors.first() {
            let body: Vec<String> = errors
                .iter()
                .map(|d| {
                    format!(
                        "{}:{}:{}: {} {}",
                        d.location.file, d.location.line, d.location.column, d.rule, d.message
                    )
                })
                .collect();
            let _ = writeln!(
                s,
                "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                escape(&first.rule),
                escape(&first.message),
                escape(&body.join("\n"))
            );
        }
        let others: Vec<String> = ds
            .iter()
            .filter(|d| d.severity != Severity::Error)
            .map(|d| {
                format!(
                    "{}: {}:{}: {} {}",
                    d.severity, d.location.file, d.location.line, d.rule, d.message
                )
            })
            .collect();
        if !others.is_empty() {
            let _ = writeln!(
                s,
                "      <system-out>{}</system-out>",
                escape(&others.join("\n"))
            );
        }
        s.push_str("    </testcase>\n");
    }
    s.push_str("  </testsuite>\n</testsuites>\n");
    s
}
