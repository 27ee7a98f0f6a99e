//! `--format sarif`: SARIF 2.1.0, for code-scanning dashboards.

use crate::check::{Diagnostic, Severity, all_rules};
use serde_json::json;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

pub fn render(diags: &[Diagnostic]) -> String {
    let rules: Vec<_> = all_rules()
        .iter()
        .map(|r| {
            json!({
                "id": r.id(),
                "name": r.name(),
                "shortDescription": { "text": r.summary() },
                "fullDescription": { "text": r.docs() },
                "defaultConfiguration": { "level": level(r.default_severity()) }
            })
        })
        .collect();
    let results: Vec<_> = diags
        .iter()
        .map(|d| {
            let mut region = json!({ "startLine": d.location.line.max(1) });
            if d.location.column > 0 {
                region["startColumn"] = json!(d.location.column);
            }
            json!({
                "ruleId": d.rule,
                "level": level(d.severity),
                "message": { "text": d.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": d.location.file },
                        "region": region
                    }
                }],
                "partialFingerprints": { "gitopsc/v1": d.fingerprint }
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "gitopsc",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://gitlab.com/gitopsc/gitopsc",
                    "rules": rules
                }
            },
            "results": results
        }]
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("JSON values serialise");
    s.push('\n');
    s
}
