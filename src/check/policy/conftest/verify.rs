//! Policy unit tests like `opa test` / `conftest verify`: every `test_*`
//! rule of the loaded modules passes when it is defined and not `false`.

use super::eval::glob;
use super::load::Policies;
use regorus::Value;
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Pass,
    /// Undefined or `false`.
    Fail,
    /// Evaluation failed (a conflict, a builtin error in strict mode...).
    Error(String),
}

#[derive(Clone, Debug)]
pub struct TestResult {
    /// `data.<package>.<test>`
    pub name: String,
    pub file: String,
    pub line: u32,
    pub status: Status,
    pub duration: Duration,
}

/// The test rules of packages matching one of `namespaces` (globs; all
/// when empty), in file then line order, each run once.
pub fn run_tests(policies: &Policies, namespaces: &[String]) -> Vec<TestResult> {
    let mut seen = BTreeSet::new();
    let mut tests = Vec::new();
    for d in &policies.defs {
        if !d.name.starts_with("test_") || d.is_function {
            continue;
        }
        if !namespaces.is_empty() && !namespaces.iter().any(|n| glob(n, &d.package)) {
            continue;
        }
        let name = format!("data.{}.{}", d.package, d.name);
        if seen.insert(name.clone()) {
            tests.push((name, d.file.clone(), d.line));
        }
    }
    let files: Vec<&String> = policies.files.iter().collect();
    tests.sort_by_key(|(_, f, l)| (files.iter().position(|x| *x == f), *l));
    let mut engine = policies.set.evaluator();
    tests
        .into_iter()
        .map(|(name, file, line)| {
            let start = Instant::now();
            let status = match engine.eval_rule(name.clone()) {
                Ok(Value::Undefined | Value::Bool(false)) => Status::Fail,
                Ok(_) => Status::Pass,
                Err(e) => Status::Error(e.to_string()),
            };
            TestResult {
                name,
                file,
                line,
                status,
                duration: start.elapsed(),
            }
        })
        .collect()
}

/// `opa test`-style output: one line per test, then `PASS: n/N` (and
/// `FAIL: m/N` when some failed). `timing` adds each test's duration.
pub fn render(results: &[TestResult], timing: bool) -> String {
    let mut s = String::new();
    for r in results {
        let status = match &r.status {
            Status::Pass => "PASS".to_string(),
            Status::Fail => "FAIL".to_string(),
            Status::Error(e) => format!("ERROR\n  {}:{}: {e}", r.file, r.line),
        };
        let (head, tail) = status.split_once('\n').unwrap_or((&status, ""));
        s.push_str(&format!("{}: {head}", r.name));
        if timing {
            s.push_str(&format!(" ({:.1}ms)", r.duration.as_secs_f64() * 1000.0));
        }
        s.push('\n');
        if !tail.is_empty() {
            s.push_str(tail);
            s.push('\n');
        }
    }
    let n = results.len();
    let passed = results.iter().filter(|r| r.status == Status::Pass).count();
    s.push_str(&"-".repeat(80));
    s.push('\n');
    s.push_str(&format!("PASS: {passed}/{n}\n"));
    if passed < n {
        s.push_str(&format!("FAIL: {}/{n}\n", n - passed));
    }
    s
}
