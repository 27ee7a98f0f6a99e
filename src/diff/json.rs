//! The machine format: the whole [`Report`] (already redacted).

use super::Report;

pub fn render(report: &Report) -> String {
    let value = serde_json::json!({
        "version": 1,
        "changed": report.has_changes(),
        "summary": {
            "targets": report.targets.len(),
            "resources": {
                "added": report.totals().0,
                "removed": report.totals().1,
                "changed": report.totals().2,
            },
        },
        "base": report.base,
        "head": report.head,
        "stats": report.stats,
        "targets": report.targets,
    });
    // Plain data: serialising it cannot fail.
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}
