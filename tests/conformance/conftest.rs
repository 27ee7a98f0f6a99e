//! conftest corpus: `conftest test` / `conftest verify` invocations replayed
//! on `gitopsc::check::policy::conftest`. A case passes when the exit code,
//! the summary counts (expected, and reference when computed) and the
//! failure / warning messages of the reference agree.

use crate::common::{corpus_dir, filter, report, verbose};
use gitopsc::check::policy::conftest::{self, LoadOptions, Options, RegoVersion, load, verify};
use serde_json::Value;
use std::path::{Path, PathBuf};

#[test]
fn conftest() {
    let Some(dir) = corpus_dir("conftest") else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("cases.json")).expect("cases.json");
    let cases: Value = serde_json::from_str(&text).expect("cases.json is JSON");
    let filt = filter();
    let (mut passed, mut failed) = (0, 0);
    for case in cases["cases"].as_array().into_iter().flatten() {
        let id = case["id"].as_str().unwrap_or("");
        if filt.as_ref().is_some_and(|f| !f.is_match(id)) {
            continue;
        }
        let got = run_case(&dir.join("files"), case);
        match judge(case, &got) {
            Ok(()) => passed += 1,
            Err(why) => {
                failed += 1;
                if verbose() || filt.is_some() {
                    eprintln!("conftest case {id}: {why}");
                }
            }
        }
    }
    report("conftest", passed, failed);
}

#[derive(Debug, Default)]
struct Got {
    exit: i32,
    tests: usize,
    passed: usize,
    warnings: usize,
    failures: usize,
    exceptions: usize,
    failure_messages: Vec<String>,
    warning_messages: Vec<String>,
    output: String,
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

fn run_case(files: &Path, case: &Value) -> Got {
    let cwd = files.join(case["cwd"].as_str().unwrap_or("."));
    let flags = &case["flags"];
    let paths: Vec<PathBuf> = strs(&case["policy"]).iter().map(|p| cwd.join(p)).collect();
    let data: Vec<PathBuf> = strs(&case["data"]).iter().map(|p| cwd.join(p)).collect();
    let rego_version = match flags["rego_version"].as_str() {
        Some("v0") => RegoVersion::V0,
        _ => RegoVersion::V1,
    };
    let mut got = Got::default();
    let policies = match load::load(
        &cwd,
        &paths,
        &data,
        &LoadOptions {
            rego_version,
            include_tests: true,
        },
    ) {
        Ok(p) => p,
        Err(e) => {
            got.exit = 1;
            got.output = e.to_string();
            return got;
        }
    };
    let namespaces = strs(&flags["namespace"]);
    if case["command"] == "verify" {
        let results = verify::run_tests(&policies, &namespaces);
        got.output = verify::render(&results, false);
        got.tests = results.len();
        got.passed = results
            .iter()
            .filter(|r| r.status == verify::Status::Pass)
            .count();
        got.failures = got.tests - got.passed;
        got.exit = i32::from(got.failures > 0);
        return got;
    }
    let mut inputs = Vec::new();
    for f in strs(&case["inputs"]) {
        let name = if f == "-" {
            case["stdin"].as_str().unwrap_or("").to_string()
        } else {
            f
        };
        match load::read_documents(&cwd.join(&name), &name) {
            Ok(docs) => inputs.push((name, docs)),
            Err(e) => {
                got.exit = 1;
                got.output = e.to_string();
                return got;
            }
        }
    }
    let opts = Options {
        namespaces,
        all_namespaces: flags["all_namespaces"] == true,
        combine: flags["combine"] == true,
        ..Options::default()
    };
    let outcomes = match conftest::test_files(&policies, &opts, &inputs) {
        Ok(o) => o,
        Err(e) => {
            got.exit = 1;
            got.output = e.to_string();
            return got;
        }
    };
    for (file, ns, o) in outcomes {
        got.tests += o.tests();
        got.passed += o.successes;
        got.warnings += o.warnings.len();
        got.failures += o.failures.len();
        got.exceptions += o.exceptions.len();
        for w in &o.warnings {
            got.output
                .push_str(&format!("WARN - {file} - {ns} - {}\n", w.message));
            got.warning_messages.push(w.message.clone());
        }
        for f in &o.failures {
            got.output
                .push_str(&format!("FAIL - {file} - {ns} - {}\n", f.message));
            got.failure_messages.push(f.message.clone());
        }
        for x in &o.exceptions {
            got.output
                .push_str(&format!("EXCP - {file} - {ns} - {x}\n"));
        }
    }
    got.failure_messages.sort();
    got.warning_messages.sort();
    got.exit = if flags["fail_on_warn"] == true {
        if got.failures > 0 {
            2
        } else {
            i32::from(got.warnings > 0)
        }
    } else {
        i32::from(got.failures > 0)
    };
    got
}

/// Output lines quoting OPA's or conftest's own wording are advisory.
fn advisory(s: &str) -> bool {
    s.starts_with("PRNT") || s.contains("rego_") || s.contains("undefined function")
}

fn judge(case: &Value, got: &Got) -> Result<(), String> {
    let expected = &case["expected"];
    let reference = &case["reference"];
    let want_exit = expected["exit_code"]
        .as_i64()
        .or_else(|| reference["exit_code"].as_i64());
    if let Some(w) = want_exit
        && w != i64::from(got.exit)
    {
        return Err(format!(
            "exit {} (want {w}); output: {}",
            got.exit, got.output
        ));
    }
    for summary in [&expected["summary"], &reference["summary"]] {
        let Some(s) = summary.as_object() else {
            continue;
        };
        for (k, v) in s {
            let have = match k.as_str() {
                "tests" => got.tests,
                "passed" => got.passed,
                "warnings" => got.warnings,
                "failures" => got.failures,
                "exceptions" => got.exceptions,
                _ => continue,
            };
            if v.as_u64() != Some(have as u64) {
                return Err(format!("{k} = {have} (want {v}); output: {}", got.output));
            }
        }
    }
    if case["command"] == "test" && reference["summary"].is_object() {
        if strs(&reference["failure_messages"]) != got.failure_messages {
            return Err(format!("failure messages {:?}", got.failure_messages));
        }
        if strs(&reference["warning_messages"]) != got.warning_messages {
            return Err(format!("warning messages {:?}", got.warning_messages));
        }
    }
    for s in strs(&expected["output_contains"]) {
        if !advisory(&s) && !got.output.contains(&s) {
            return Err(format!("output lacks {s:?}: {}", got.output));
        }
    }
    Ok(())
}
