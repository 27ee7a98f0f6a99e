//! One self-contained page (no scripts, no external assets): a summary
//! table, then per app and target a side-by-side view of every changed
//! resource with line numbers, folded to 3 lines of context.

use super::markdown::html_escape as esc;
use super::text::{revision_label, status_sign, target_counts};
use super::{CONTEXT_LINES, Report, ResourceDiff, Status};
use similar::{DiffTag, TextDiff};
use std::fmt::Write;

const STYLE: &str = r#"
:root { --bg:#fff; --fg:#1f2328; --muted:#59636e; --line:#d1d9e0; --add:#dafbe1; --add-strong:#aceebb;
  --del:#ffebe9; --del-strong:#ffcecb; --hunk:#ddf4ff; --card:#f6f8fa; }
@media (prefers-color-scheme: dark) { :root { --bg:#0d1117; --fg:#e6edf3; --muted:#9198a1; --line:#3d444d;
  --add:#12261e; --add-strong:#1f4a2c; --del:#25171c; --del-strong:#5c1e24; --hunk:#121d2f; --card:#151b23; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1400px; padding: 24px; background: var(--bg); color: var(--fg);
  font: 14px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
h1 { font-size: 20px; margin: 0 0 4px; } h1 code { font-size: 16px; }
.headline { color: var(--muted); margin: 0 0 16px; }
table.summary { border-collapse: collapse; margin-bottom: 24px; }
table.summary th, table.summary td { border: 1px solid var(--line); padding: 4px 10px; text-align: left; }
table.summary td.n { text-align: right; font-variant-numeric: tabular-nums; }
details.app { border: 1px solid var(--line); border-radius: 6px; margin: 12px 0; }
details.app > summary { cursor: pointer; padding: 8px 12px; background: var(--card); font-weight: 600; border-radius: 6px; }
section.target { padding: 4px 12px 12px; }
section.target h3 { font-size: 15px; margin: 12px 0 4px; }
.src { color: var(--muted); font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.error { background: var(--del); border-left: 3px solid #cf222e; padding: 6px 10px; white-space: pre-wrap; }
.res { border: 1px solid var(--line); border-radius: 6px; margin: 10px 0; overflow: hidden; }
.res > .title { background: var(--card); padding: 4px 10px; font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
  font-size: 12px; border-bottom: 1px solid var(--line); }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 11px; margin-right: 6px; }
.badge.added { background: var(--add-strong); } .badge.removed { background: var(--del-strong); }
.badge.changed { background: var(--hunk); }
table.sbs { width: 100%; border-collapse: collapse; table-layout: fixed;
  font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; }
table.sbs td { padding: 0 8px; white-space: pre-wrap; word-break: break-all; vertical-align: top; }
table.sbs td.ln { width: 48px; text-align: right; color: var(--muted); user-select: none; }
table.sbs td.del { background: var(--del); } table.sbs td.add { background: var(--add); }
table.sbs td.ln.del { background: var(--del-strong); } table.sbs td.ln.add { background: var(--add-strong); }
table.sbs tr.hunk td { background: var(--hunk); color: var(--muted); }
table.sbs td.sep { width: 1px; padding: 0; background: var(--line); }
footer { color: var(--muted); margin-top: 24px; font-size: 12px; }
"#;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let title = format!(
        "gitopsc diff: {} → {}",
        revision_label(&report.base),
        revision_label(&report.head)
    );
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&title)
    );
    let _ = writeln!(
        out,
        "<h1>gitopsc diff <code>{}</code> → <code>{}</code></h1>\n<p class=\"headline\" id=\"headline\">{}</p>",
        esc(&revision_label(&report.base)),
        esc(&revision_label(&report.head)),
        esc(&report.headline())
    );
    if !report.targets.is_empty() {
        out.push_str("<table class=\"summary\"><thead><tr><th>Environment</th><th>App</th><th>Status</th><th>Added</th><th>Removed</th><th>Changed</th></tr></thead><tbody>\n");
        for t in &report.targets {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td><a href=\"#{}\">{}</a></td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                esc(&t.env),
                anchor(&t.app),
                esc(&t.app),
                esc(&target_counts(t)),
                t.count(Status::Added),
                t.count(Status::Removed),
                t.count(Status::Changed)
            );
        }
        out.push_str("</tbody></table>\n");
    }
    let mut apps: Vec<&str> = report.targets.iter().map(|t| t.app.as_str()).collect();
    apps.sort();
    apps.dedup();
    for app in apps {
        let targets: Vec<_> = report.targets.iter().filter(|t| t.app == app).collect();
        let envs: Vec<&str> = targets.iter().map(|t| t.env.as_str()).collect();
        let _ = writeln!(
            out,
            "<details class=\"app\" open id=\"{}\"><summary>{} <span class=\"src\">{}</span></summary>",
            anchor(app),
            esc(app),
            esc(&envs.join(", "))
        );
        for t in targets {
            let _ = writeln!(
                out,
                "<section class=\"target\"><h3>{}/{} <span class=\"src\">{}</span></h3><p>{}</p>",
                esc(&t.app),
                esc(&t.env),
                esc(&t.source),
                esc(&target_counts(t))
            );
            for e in &t.errors {
                let _ = writeln!(out, "<div class=\"error\">{}</div>", esc(e));
            }
            for r in &t.resources {
                resource(&mut out, r);
            }
            out.push_str("</section>\n");
        }
        out.push_str("</details>\n");
    }
    let _ = writeln!(
        out,
        "<footer>Secrets are shown as &lt;redacted sha256:…&gt;; ignored fields and set order are not compared.</footer>\n</body>\n</html>"
    );
    out
}

fn anchor(app: &str) -> String {
    let slug: String = app
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("app-{slug}")
}

fn resource(out: &mut String, r: &ResourceDiff) {
    let _ = writeln!(
        out,
        "<div class=\"res\"><div class=\"title\"><span class=\"badge {0}\">{0}</span>{1} {2}</div>",
        r.status.as_str(),
        status_sign(r.status),
        esc(&r.id())
    );
    out.push_str("<table class=\"sbs\"><colgroup><col style=\"width:48px\"><col><col style=\"width:1px\"><col style=\"width:48px\"><col></colgroup>\n");
    let diff = TextDiff::from_lines(&r.before, &r.after);
    let old: Vec<&str> = r.before.lines().collect();
    let new: Vec<&str> = r.after.lines().collect();
    for (i, group) in diff.grouped_ops(CONTEXT_LINES).iter().enumerate() {
        let Some(first) = group.first() else {
            continue;
        };
        // A fold marker before every hunk that does not start the file.
        if i > 0 || first.old_range().start > 0 || first.new_range().start > 0 {
            let _ = writeln!(
                out,
                "<tr class=\"hunk\"><td class=\"ln\"></td><td>⋯ line {}</td><td class=\"sep\"></td><td class=\"ln\"></td><td>⋯ line {}</td></tr>",
                first.old_range().start + 1,
                first.new_range().start + 1
            );
        }
        for op in group {
            let (o, n) = (op.old_range(), op.new_range());
            match op.tag() {
                DiffTag::Equal => {
                    for k in 0..o.len() {
                        row(
                            out,
                            Some((o.start + k, old[o.start + k], "")),
                            Some((n.start + k, new[n.start + k], "")),
                        );
                    }
                }
                _ => {
                    let rows = o.len().max(n.len());
                    for k in 0..rows {
                        let l = (k < o.len()).then(|| (o.start + k, old[o.start + k], "del"));
                        let rr = (k < n.len()).then(|| (n.start + k, new[n.start + k], "add"));
                        row(out, l, rr);
                    }
                }
            }
        }
    }
    out.push_str("</table></div>\n");
}

fn row(out: &mut String, left: Option<(usize, &str, &str)>, right: Option<(usize, &str, &str)>) {
    out.push_str("<tr>");
    for (i, side) in [left, right].into_iter().enumerate() {
        if i == 1 {
            out.push_str("<td class=\"sep\"></td>");
        }
        match side {
            Some((ln, text, class)) => {
                let _ = write!(
                    out,
                    "<td class=\"ln {class}\">{}</td><td class=\"{class}\">{}</td>",
                    ln + 1,
                    esc(text)
                );
            }
            None => out.push_str("<td class=\"ln\"></td><td></td>"),
        }
    }
    out.push_str("</tr>\n");
}
