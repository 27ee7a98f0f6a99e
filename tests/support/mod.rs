//! What the rule tests share: `gitopsc check` over one fixture repository
//! as a user runs it (no colour, a fixed width), and its JSON report.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// `gitopsc check <fixtures>/<case> --format <format>`: exit code, stdout,
/// stderr.
pub fn check(fixtures: &str, case: &str, format: &str) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gitopsc"))
        .arg("check")
        .arg(Path::new(fixtures).join(case))
        .args(["--format", format])
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .expect("run gitopsc");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The exit code and JSON report of `check` on `<fixtures>/<case>`.
pub fn json(fixtures: &str, case: &str) -> (i32, Value) {
    let (code, stdout, stderr) = check(fixtures, case, "json");
    let v =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{case}: {e}\n{stdout}\n{stderr}"));
    (code, v)
}
