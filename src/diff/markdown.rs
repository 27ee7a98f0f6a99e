//! A merge-request note: a summary table, then one collapsible `<details>`
//! per app with a `diff` code block per changed resource. Notes are capped
//! (GitLab refuses very long ones): apps that do not fit are listed in a
//! notice that points at the full report.

use super::text::{revision_label, status_sign, target_counts};
use super::{Report, Status, TargetDiff};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The longest note written, in characters.
pub const MAX_CHARS: usize = 60_000;

/// `full_report`: where the full report is (a URL or a command), for the
/// notice when the note is cut.
pub fn render(report: &Report, full_report: Option<&str>) -> String {
    render_capped(report, full_report, MAX_CHARS)
}

pub fn render_capped(report: &Report, full_report: Option<&str>, max: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### gitopsc diff: `{}` → `{}`\n",
        revision_label(&report.base),
        revision_label(&report.head)
    );
    let _ = writeln!(out, "**{}**\n", report.headline());
    if report.targets.is_empty() {
        return out;
    }
    out.push_str("| Environment | App | Status | Added | Removed | Changed |\n");
    out.push_str("|---|---|---|---:|---:|---:|\n");
    for (i, t) in report.targets.iter().enumerate() {
        // The table takes at most half the note; the rest is in the report.
        if out.chars().count() > max / 2 {
            let _ = writeln!(
                out,
                "| … | {} more targets | | | | |",
                report.targets.len() - i
            );
            break;
        }
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            cell(&t.env),
            cell(&t.app),
            cell(&target_counts(t)),
            t.count(Status::Added),
            t.count(Status::Removed),
            t.count(Status::Changed)
        );
    }
    out.push('\n');

    let mut apps: BTreeMap<&str, Vec<&TargetDiff>> = BTreeMap::new();
    for t in &report.targets {
        apps.entry(&t.app).or_default().push(t);
    }
    let notice =
        |left: &[&str]| {
            let whr = full_report.map_or_else(
            || format!(
                "run `gitopsc diff --base {} --format html -o diff.html` for the full report",
                report.base.commit.as_deref().unwrap_or(&report.base.name)
            ),
            |w| format!("the full report: {w}"),
        );
            format!(
                "\n> **Note:** this note is cut at {max} characters; left out: {}. See {whr}.\n",
                left.join(", ")
            )
        };
    let names: Vec<&str> = apps.keys().copied().collect();
    for (i, (app, targets)) in apps.iter().enumerate() {
        let section = app_section(app, targets);
        // Room for this section plus the notice for whatever would follow
        // (the previous step kept room for the notice naming this app on).
        let reserve = if i + 1 < names.len() {
            notice(&names[i + 1..]).chars().count()
        } else {
            0
        };
        if out.chars().count() + section.chars().count() + reserve > max {
            out.push_str(&notice(&names[i..]));
            return out;
        }
        out.push_str(&section);
    }
    out
}

fn app_section(app: &str, targets: &[&TargetDiff]) -> String {
    let envs: Vec<&str> = targets.iter().map(|t| t.env.as_str()).collect();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<details><summary><b>{}</b> ({})</summary>\n",
        html_escape(app),
        html_escape(&envs.join(", "))
    );
    for t in targets {
        let _ = writeln!(
            s,
            "#### {}/{} — `{}`\n\n{}\n",
            t.app,
            t.env,
            t.source,
            target_counts(t)
        );
        for e in &t.errors {
            let _ = writeln!(s, "> **Build failed** — {}\n", e.replace('\n', " "));
        }
        for r in &t.resources {
            let fence = fence_for(&r.diff);
            let _ = writeln!(
                s,
                "`{} {}` ({})\n\n{fence}diff\n{}{fence}\n",
                status_sign(r.status),
                r.id(),
                r.status.as_str(),
                r.diff
            );
        }
    }
    s.push_str("</details>\n\n");
    s
}

/// A backtick fence longer than any run inside `text`.
fn fence_for(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for ch in text.chars() {
        if ch == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat(longest.max(2) + 1)
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
