//! `gitopsc report merge`: joins the reports of `check --shard i/n` jobs.
//! JSON reports carry every finding whole, so merging them and rendering
//! any format gives the bytes one unsharded run writes. Code quality,
//! SARIF and JUnit reports can also be merged directly (same items, same
//! counts), for pipelines that only kept those.

use crate::check::Diagnostic;
use serde_json::Value;
use std::collections::BTreeSet;

#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("{file}: {message}")]
    Bad { file: String, message: String },
    #[error("cannot merge reports of different formats ({0} and {1})")]
    Mixed(&'static str, &'static str),
    #[error("no report to merge")]
    Empty,
}

/// What one input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Json,
    CodeQuality,
    Sarif,
    Junit,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Json => "json",
            Kind::CodeQuality => "codequality",
            Kind::Sarif => "sarif",
            Kind::Junit => "junit",
        }
    }
}

pub fn detect(text: &str) -> Option<Kind> {
    let t = text.trim_start();
    if t.starts_with("<?xml") || t.starts_with("<testsuites") {
        return Some(Kind::Junit);
    }
    match serde_json::from_str::<Value>(t).ok()? {
        Value::Array(_) => Some(Kind::CodeQuality),
        Value::Object(o) if o.contains_key("runs") => Some(Kind::Sarif),
        Value::Object(o) if o.contains_key("diagnostics") => Some(Kind::Json),
        _ => None,
    }
}

/// The findings and checked targets of several JSON reports, as one run
/// would list them.
pub struct Merged {
    pub diags: Vec<Diagnostic>,
    pub targets: Vec<String>,
}

/// `app/env` → (env, app): the order `check` lists targets in.
fn target_order(id: &str) -> (String, String) {
    match id.rsplit_once('/') {
        Some((app, env)) => (env.to_string(), app.to_string()),
        None => (String::new(), id.to_string()),
    }
}

pub fn merge_json(inputs: &[(String, String)]) -> Result<Merged, MergeError> {
    let mut diags = Vec::new();
    let mut targets = BTreeSet::new();
    for (file, text) in inputs {
        let bad = |message: String| MergeError::Bad {
            file: file.clone(),
            message,
        };
        let v: Value = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        let ds: Vec<Diagnostic> = serde_json::from_value(v["diagnostics"].clone())
            .map_err(|e| bad(format!("diagnostics: {e}")))?;
        diags.extend(ds);
        for t in v["targets"].as_array().into_iter().flatten() {
            let t = t
                .as_str()
                .ok_or_else(|| bad("targets must be strings".into()))?;
            targets.insert((target_order(t), t.to_string()));
        }
    }
    crate::check::diagnostic::sort(&mut diags);
    diags.dedup();
    Ok(Merged {
        diags,
        targets: targets.into_iter().map(|(_, t)| t).collect(),
    })
}

fn json_items(
    inputs: &[(String, String)],
    pick: fn(&Value) -> Vec<Value>,
) -> Result<Vec<Value>, MergeError> {
    let mut out = Vec::new();
    for (file, text) in inputs {
        let v: Value = serde_json::from_str(text).map_err(|e| MergeError::Bad {
            file: file.clone(),
            message: e.to_string(),
        })?;
        out.extend(pick(&v));
    }
    Ok(out)
}

fn pretty(v: &Value) -> String {
    // A Value always serialises.
    let mut s = serde_json::to_string_pretty(v).expect("JSON values serialise");
    s.push('\n');
    s
}

/// Code quality items of all inputs, one per fingerprint, by place.
pub fn merge_codequality(inputs: &[(String, String)]) -> Result<String, MergeError> {
    let mut items = json_items(inputs, |v| v.as_array().cloned().unwrap_or_default())?;
    let key = |i: &Value| {
        (
            i["location"]["path"].as_str().unwrap_or("").to_string(),
            i["location"]["lines"]["begin"].as_u64().unwrap_or(0),
            i["description"].as_str().unwrap_or("").to_string(),
            i["fingerprint"].as_str().unwrap_or("").to_string(),
        )
    };
    items.sort_by_key(key);
    items.dedup_by(|a, b| a["fingerprint"] == b["fingerprint"]);
    Ok(pretty(&Value::Array(items)))
}

/// One SARIF run holding every input's results.
pub fn merge_sarif(inputs: &[(String, String)]) -> Result<String, MergeError> {
    let first: Value = serde_json::from_str(&inputs[0].1).map_err(|e| MergeError::Bad {
        file: inputs[0].0.clone(),
        message: e.to_string(),
    })?;
    let mut results = json_items(inputs, |v| {
        v["runs"][0]["results"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    })?;
    let key = |r: &Value| {
        let loc = &r["locations"][0]["physicalLocation"];
        (
            loc["artifactLocation"]["uri"]
                .as_str()
                .unwrap_or("")
                .to_string(),
            loc["region"]["startLine"].as_u64().unwrap_or(0),
            loc["region"]["startColumn"].as_u64().unwrap_or(0),
            r["ruleId"].as_str().unwrap_or("").to_string(),
            r["message"]["text"].as_str().unwrap_or("").to_string(),
            r["partialFingerprints"]["gitopsc/v1"]
                .as_str()
                .unwrap_or("")
                .to_string(),
        )
    };
    results.sort_by_key(key);
    results.dedup_by(|a, b| key(a) == key(b));
    let mut doc = first;
    doc["runs"][0]["results"] = Value::Array(results);
    Ok(pretty(&doc))
}

/// One test suite holding every input's test cases (a target checked in
/// several inputs is kept once).
pub fn merge_junit(inputs: &[(String, String)]) -> Result<String, MergeError> {
    let mut cases: Vec<(bool, (String, String), String)> = Vec::new();
    let mut seen = BTreeSet::new();
    for (file, text) in inputs {
        let mut rest = text.as_str();
        while let Some(at) = rest.find("    <testcase ") {
            let tail = &rest[at..];
            let first_line = tail.split('\n').next().unwrap_or("");
            let end = if first_line.ends_with("/>") {
                first_line.len() + 1
            } else {
                match tail.find("</testcase>\n") {
                    Some(e) => e + "</testcase>\n".len(),
                    None => {
                        return Err(MergeError::Bad {
                            file: file.clone(),
                            message: "unterminated testcase".into(),
                        });
                    }
                }
            }
            .min(tail.len());
            let case = &tail[..end];
            let name = case
                .split(" name=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap_or("")
                .to_string();
            if seen.insert(name.clone()) {
                let repo = name == "repository";
                cases.push((repo, target_order(&name), case.to_string()));
            }
            rest = &tail[end..];
        }
    }
    cases.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let failures = cases.iter().filter(|c| c.2.contains("<failure")).count();
    let n = cases.len();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(&format!(
        "<testsuites name=\"gitopsc\" tests=\"{n}\" failures=\"{failures}\" errors=\"0\">\n"
    ));
    s.push_str(&format!(
        "  <testsuite name=\"gitopsc check\" tests=\"{n}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n"
    ));
    for c in &cases {
        s.push_str(&c.2);
    }
    s.push_str("  </testsuite>\n</testsuites>\n");
    Ok(s)
}

/// The kind shared by every input.
pub fn common_kind(inputs: &[(String, String)]) -> Result<Kind, MergeError> {
    let mut kind = None;
    for (file, text) in inputs {
        let k = detect(text).ok_or_else(|| MergeError::Bad {
            file: file.clone(),
            message: "not a gitopsc json, junit, codequality or sarif report".into(),
        })?;
        match kind {
            None => kind = Some(k),
            Some(prev) if prev != k => return Err(MergeError::Mixed(prev.name(), k.name())),
            _ => {}
        }
    }
    kind.ok_or(MergeError::Empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_formats() {
        assert_eq!(detect("[]"), Some(Kind::CodeQuality));
        assert_eq!(detect("{\"runs\": []}"), Some(Kind::Sarif));
        assert_eq!(
            detect("{\"diagnostics\": [], \"targets\": []}"),
            Some(Kind::Json)
        );
        assert_eq!(detect("<?xml version=\"1.0\"?>"), Some(Kind::Junit));
        assert_eq!(detect("hello"), None);
        assert_eq!(target_order("web/prod"), ("prod".into(), "web".into()));
    }
}
