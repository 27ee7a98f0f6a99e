//! User policy folders with conftest semantics in `gitopsc check`, and
//! `gitopsc policy test`, over `fixtures/policy-conftest/repo`.

use serde_json::Value;
use std::process::Command;

const REPO: &str = "fixtures/policy-conftest/repo";

fn gitopsc(args: &[&str], dir: Option<&str>) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gitopsc"));
    cmd.args(args).env("NO_COLOR", "1").env("COLUMNS", "100");
    if let Some(d) = dir {
        cmd.current_dir(d);
    }
    let out = cmd.output().expect("run gitopsc");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(extra: &[&str]) -> (i32, Vec<Value>) {
    let mut args = vec!["check", REPO, "--format", "json"];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = gitopsc(&args, None);
    let v: Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}\n{stdout}\n{stderr}"));
    (
        code,
        v["diagnostics"].as_array().cloned().unwrap_or_default(),
    )
}

fn summary(d: &Value) -> String {
    format!(
        "{} {} {}:{}",
        d["rule"].as_str().unwrap_or(""),
        d["message"].as_str().unwrap_or(""),
        d["location"]["file"].as_str().unwrap_or(""),
        d["location"]["line"]
    )
}

#[test]
fn deny_violation_warn_exception_and_cross_resource_data() {
    let (code, diags) = json(&[]);
    assert_eq!(code, 1);
    let got: Vec<String> = diags.iter().map(summary).collect();
    assert_eq!(
        got,
        [
            // `warn_service` uses data.gitopsc.environment.
            "REGO002 main: Service web in prod apps/web/base/service.yaml:1",
            // A structured violation with `path` points at the overlay line
            // that set the field, and carries its own id.
            "REGO001 main/ACME-1: web must not run as root apps/web/overlays/prod/kustomization.yaml:11",
        ]
    );
    // `deny_single_replica` is excepted; `deny_no_service` sees the Service
    // through data.gitopsc.resources.
    assert!(
        diags
            .iter()
            .all(|d| d["resource"].is_string() && d["target"] == "web/prod")
    );
}

#[test]
fn namespaces_and_data_files() {
    let (code, diags) = json(&[
        "--policy",
        "fixtures/policy-conftest/repo/policy-extra",
        "--namespace",
        "ports",
        "--data",
        "fixtures/policy-conftest/repo/data",
    ]);
    assert_eq!(code, 1);
    let got: Vec<String> = diags.iter().map(summary).collect();
    assert_eq!(
        got,
        ["REGO001 ports: port 80 is denied apps/web/base/service.yaml:1"]
    );
}

#[test]
fn combined_mode_sees_every_resource() {
    let (_, diags) = json(&[
        "--policy",
        "fixtures/policy-conftest/repo/policy-extra",
        "--namespace",
        "combined",
        "--combine",
    ]);
    let got: Vec<String> = diags.iter().map(summary).collect();
    assert_eq!(
        got,
        ["REGO001 combined: 2 resources in the target apps/web/base/service.yaml:11"]
    );
    assert_eq!(diags[0]["resource"], "Service/shop/web");
}

#[test]
fn a_broken_policy_is_exit_2_naming_the_file() {
    let dir = std::env::temp_dir().join(format!("gitopsc-bad-policy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("bad.rego"), "package main\ndeny[ {\n").unwrap();
    let (code, _, stderr) = gitopsc(&["check", REPO, "--policy", dir.to_str().unwrap()], None);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("bad.rego"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn human_output() {
    let (_, stdout, _) = gitopsc(&["check", REPO], None);
    insta::assert_snapshot!("policy_conftest_human", stdout);
}

#[test]
fn policy_test_reports_each_test_and_fails_on_failure() {
    let (code, stdout, stderr) = gitopsc(
        &["policy", "test", "--no-timing", "policy", "policy-extra"],
        Some(REPO),
    );
    assert_eq!(code, 1, "{stderr}");
    insta::assert_snapshot!("policy_test_output", stdout);
    let (code, stdout, _) = gitopsc(&["policy", "test", "policy"], Some(REPO));
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("data.main.test_root_denied: PASS ("),
        "{stdout}"
    );
}
