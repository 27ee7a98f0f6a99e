//! The terminal format: a summary per environment and app, then a unified
//! diff per changed resource (coloured when asked).

use super::{Report, ResourceDiff, Status, TargetDiff};
use std::fmt::Write;

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// A revision as shown to people: `origin/main (1a2b3c4)`.
pub fn revision_label(r: &super::Revision) -> String {
    match &r.commit {
        Some(c) if !c.starts_with(&r.name) => format!("{} ({})", r.name, &c[..c.len().min(12)]),
        Some(c) => c[..c.len().min(12)].to_string(),
        None => r.name.clone(),
    }
}

/// `1 added, 2 changed` for one target (only the non-zero parts).
pub fn target_counts(t: &TargetDiff) -> String {
    let mut parts = Vec::new();
    for s in [Status::Added, Status::Removed, Status::Changed] {
        let n = t.count(s);
        if n > 0 {
            parts.push(format!("{n} {}", s.as_str()));
        }
    }
    match t.status {
        Status::Added => parts.insert(0, "new target".into()),
        Status::Removed => parts.insert(0, "target removed".into()),
        Status::Changed => {}
    }
    if !t.errors.is_empty() {
        parts.push("build failed".into());
    }
    parts.join(", ")
}

pub fn status_sign(s: Status) -> char {
    match s {
        Status::Added => '+',
        Status::Removed => '-',
        Status::Changed => '~',
    }
}

pub fn render(report: &Report, colour: bool) -> String {
    let c = |code: &'static str| if colour { code } else { "" };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}gitopsc diff{} {} → {}",
        c(BOLD),
        c(RESET),
        revision_label(&report.base),
        revision_label(&report.head)
    );
    let _ = writeln!(out, "{}", report.headline());
    if report.targets.is_empty() {
        return out;
    }
    out.push('\n');
    for (env, targets) in report.by_env() {
        let _ = writeln!(out, "{}{env}{}", c(BOLD), c(RESET));
        for t in targets {
            let _ = writeln!(
                out,
                "  {:<24} {}  {}{}{}",
                t.app,
                target_counts(t),
                c(DIM),
                t.source,
                c(RESET)
            );
        }
    }
    for t in &report.targets {
        out.push('\n');
        let _ = writeln!(
            out,
            "{}━━ {}/{} ({}) ━━{}",
            c(BOLD),
            t.app,
            t.env,
            t.source,
            c(RESET)
        );
        for e in &t.errors {
            let _ = writeln!(out, "{}error{}: {e}", c(RED), c(RESET));
        }
        for r in &t.resources {
            resource(&mut out, r, colour);
        }
    }
    out
}

fn resource(out: &mut String, r: &ResourceDiff, colour: bool) {
    let c = |code: &'static str| if colour { code } else { "" };
    let _ = writeln!(
        out,
        "{}{} {} ({}){}",
        c(BOLD),
        status_sign(r.status),
        r.id(),
        r.status.as_str(),
        c(RESET)
    );
    for line in r.diff.lines() {
        let code = if line.starts_with("+++") || line.starts_with("---") {
            BOLD
        } else if line.starts_with('+') {
            GREEN
        } else if line.starts_with('-') {
            RED
        } else if line.starts_with("@@") {
            CYAN
        } else {
            ""
        };
        if colour && !code.is_empty() {
            let _ = writeln!(out, "{code}{line}{RESET}");
        } else {
            let _ = writeln!(out, "{line}");
        }
    }
}
