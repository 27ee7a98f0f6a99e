//! kubeconform's acceptance cases (`../shared/conformance/kubeconform`).
//!
//! A case passes when gitopsc's kubeconform mode (`gitopsc validate`) gives
//! everything the bats test asserts (`expected`: exit code, summary
//! counts, verbose lines, summary line, output fragments) and the per-
//! resource statuses of the reference harness, in order. Like the
//! reference, every case runs against the Kubernetes 1.34 schemas, whatever
//! version the bats test names.

use crate::common::{corpus_dir, filter, report, verbose};
use gitopsc::check::schema::kubeconform::{Input, Options, Report, Status, validate};
use serde_json::Value;
use std::path::Path;

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Valid => "valid",
        Status::Invalid => "invalid",
        Status::Error => "error",
        Status::Skipped => "skipped",
    }
}

fn run_case(dir: &Path, case: &Value) -> Result<(), String> {
    let flags = &case["flags"];
    let mut patterns = Vec::new();
    for p in strings(&flags["ignore_filename_pattern"]) {
        patterns.push(regex::Regex::new(&p).map_err(|e| e.to_string())?);
    }
    let opts = Options {
        kubernetes_version: "1.34".into(),
        strict: flags["strict"].as_bool().unwrap_or(false),
        ignore_missing_schemas: flags["ignore_missing_schemas"].as_bool().unwrap_or(false),
        skip: strings(&flags["skip"]),
        reject: strings(&flags["reject"]),
        ignore_filename_patterns: patterns,
        schema_locations: strings(&flags["schema_location"]),
        base: dir.to_path_buf(),
    };
    let mut inputs = Vec::new();
    for f in strings(&case["files"]) {
        if f == "-" {
            let stdin = case["stdin"].as_str().ok_or("stdin case without a file")?;
            let text = std::fs::read_to_string(dir.join(stdin)).map_err(|e| e.to_string())?;
            inputs.push(Input::Stdin(text));
        } else {
            inputs.push(Input::Path(f));
        }
    }
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| validate(&opts, &inputs)))
        .map_err(|_| "panicked".to_string())?
        .map_err(|e| format!("unusable: {e}"))?;
    let text = r.text(true, true);
    let mut why = Vec::new();
    for (source, want) in [
        ("expected", &case["expected"]),
        ("reference", &case["reference"]),
    ] {
        check_against(source, want, &r, &text, &mut why);
    }
    let got: Vec<(String, &str)> = r
        .outcomes
        .iter()
        .map(|o| (o.file.clone(), status_name(o.status)))
        .collect();
    let want: Vec<(String, &str)> = case["reference"]["resources"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| {
                    (
                        x["file"].as_str().unwrap_or("").to_string(),
                        x["status"].as_str().unwrap_or(""),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    if got != want {
        why.push(format!("statuses: got {got:?}, reference {want:?}"));
    }
    if why.is_empty() {
        Ok(())
    } else {
        Err(format!("{}\n--- output ---\n{text}", why.join("\n")))
    }
}

fn check_against(source: &str, want: &Value, r: &Report, text: &str, why: &mut Vec<String>) {
    if let Some(code) = want["exit_code"].as_u64()
        && u64::from(r.exit_code()) != code
    {
        why.push(format!("{source} exit code {code}, got {}", r.exit_code()));
    }
    if let Some(s) = want["summary"].as_object() {
        let got = [
            ("resources", r.outcomes.len()),
            ("files", r.files),
            ("valid", r.count(Status::Valid)),
            ("invalid", r.count(Status::Invalid)),
            ("errors", r.count(Status::Error)),
            ("skipped", r.count(Status::Skipped)),
        ];
        for (k, n) in got {
            if let Some(w) = s.get(k).and_then(Value::as_u64)
                && w != n as u64
            {
                why.push(format!("{source} summary {k} {w}, got {n}"));
            }
        }
    }
    let mut fragments = strings(&want["verbose"]);
    fragments.extend(strings(&want["output_contains"]));
    fragments.extend(want["summary_line"].as_str().map(String::from));
    for f in fragments {
        if !text.contains(&f) {
            why.push(format!("{source} output lacks {f:?}"));
        }
    }
}

#[test]
fn kubeconform() {
    let Some(dir) = corpus_dir("kubeconform") else {
        return;
    };
    let cases: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("cases.json")).expect("cases.json"))
            .expect("cases.json is JSON");
    let filter = filter();
    let (mut passed, mut failed) = (0, 0);
    for case in cases["cases"].as_array().expect("cases") {
        let id = case["id"].as_str().unwrap_or("?");
        if filter.as_ref().is_some_and(|f| !f.is_match(id)) {
            continue;
        }
        match run_case(&dir, case) {
            Ok(()) => passed += 1,
            Err(why) => {
                failed += 1;
                if verbose() {
                    println!("FAIL {id}: {why}");
                } else {
                    println!("FAIL {id}: {}", why.lines().next().unwrap_or(""));
                }
            }
        }
    }
    report("kubeconform", passed, failed);
}
