//! The Gatekeeper policy library corpus (`../shared/conformance/gatekeeper`):
//! one folder per library test, a ConstraintTemplate, a constraint, case
//! objects, inventory objects and `expect.json`.
//!
//! A case passes when every suite assertion holds (violations counted over
//! the messages matching the assertion's regular expression, unanchored)
//! and the number of violations equals `expected_violations`. A constraint
//! that does not match the case object gives no violation.

use crate::common::{corpus_dir, filter, report, verbose};
use gitopsc::check::policy::gatekeeper::matching::Subject;
use gitopsc::check::policy::gatekeeper::review::{inventory, review_of, subject};
use gitopsc::check::policy::gatekeeper::yaml::parse_manifests;
use gitopsc::check::policy::gatekeeper::{
    Constraint, Template, engine_with_data, template_source, violations,
};
use gitopsc::load::yaml::json::to_json;
use serde_json::Value;
use std::path::Path;

fn read_docs(path: &Path) -> Result<Vec<Value>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let docs = parse_manifests(&path.to_string_lossy(), &text).map_err(|e| e.to_string())?;
    Ok(docs.iter().map(to_json).filter(|d| !d.is_null()).collect())
}

fn read_one(path: &Path) -> Result<Value, String> {
    read_docs(path)?
        .into_iter()
        .next()
        .ok_or_else(|| format!("{}: no document", path.display()))
}

fn load(dir: &Path, expect: &Value) -> Result<(Template, Constraint), String> {
    let tpl = read_one(&dir.join(expect["template"].as_str().unwrap_or("template.yaml")))?;
    let source = template_source(&tpl)?.ok_or("the template has no Rego")?;
    let template = source.compile("template.yaml")?;
    let doc = read_one(&dir.join(expect["constraint"].as_str().unwrap_or("constraint.yaml")))?;
    Ok((template, Constraint::parse(&doc)?))
}

fn run_case(dir: &Path, t: &Template, c: &Constraint, case: &Value) -> Result<(), String> {
    let obj = read_one(&dir.join(case["object"].as_str().ok_or("case without object")?))?;
    let mut inv = Vec::new();
    for f in case["inventory"].as_array().into_iter().flatten() {
        inv.extend(read_docs(&dir.join(f.as_str().unwrap_or("")))?);
    }
    let review = review_of(&obj);
    let s: Subject = subject(&review);
    let namespaces = |name: &str| {
        inv.iter()
            .find(|o| o["kind"] == "Namespace" && o["metadata"]["name"] == name)
            .map(gitopsc::check::policy::gatekeeper::matching::labels_of)
    };
    let found = if c.matcher.matches(&s, &namespaces) {
        let data = regorus::Value::from(inventory(inv.iter()));
        let mut engine = engine_with_data(t, &data)?;
        violations(&mut engine, t, c, &review)?
    } else {
        Vec::new()
    };
    let msgs: Vec<&str> = found.iter().map(|v| v.msg.as_str()).collect();
    for a in case["assertions"].as_array().into_iter().flatten() {
        let count = match a["message"].as_str() {
            Some(re) => {
                let re = regex::Regex::new(re).map_err(|e| e.to_string())?;
                msgs.iter().filter(|m| re.is_match(m)).count()
            }
            None => msgs.len(),
        };
        let ok = match &a["violations"] {
            Value::Number(n) => n.as_u64() == Some(count as u64),
            Value::String(s) if s == "no" => count == 0,
            _ => count > 0,
        };
        if !ok {
            return Err(format!("assertion {a} fails: {count} counted in {msgs:?}"));
        }
    }
    let want = case["expected_violations"].as_u64().unwrap_or(0) as usize;
    if msgs.len() != want {
        return Err(format!(
            "{} violations, expected {want}: {msgs:?}",
            msgs.len()
        ));
    }
    Ok(())
}

#[test]
fn gatekeeper_library() {
    let Some(root) = corpus_dir("gatekeeper") else {
        return;
    };
    let filter = filter();
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("corpus dir is readable")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("expect.json").is_file())
        .collect();
    dirs.sort();
    let (mut passed, mut failed) = (0, 0);
    for dir in dirs {
        let folder = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(dir.join("expect.json")).unwrap_or_default();
        let expect: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let loaded = load(&dir, &expect);
        for case in expect["cases"].as_array().into_iter().flatten() {
            let id = format!("{folder}/{}", case["name"].as_str().unwrap_or(""));
            if filter.as_ref().is_some_and(|f| !f.is_match(&id)) {
                continue;
            }
            let result = match &loaded {
                Ok((t, c)) => run_case(&dir, t, c, case),
                Err(e) => Err(format!("load: {e}")),
            };
            match result {
                Ok(()) => passed += 1,
                Err(e) => {
                    failed += 1;
                    if verbose() {
                        println!("FAIL {id}: {e}");
                    }
                }
            }
        }
    }
    report("gatekeeper", passed, failed);
}
