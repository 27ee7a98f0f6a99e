//! Reports checked against the schemas the tools reading them define:
//! - SARIF 2.1.0: the OASIS JSON schema, installed by
//!   `scripts/fetch-report-schemas.sh` (or named by GITOPSC_SARIF_SCHEMA);
//! - GitLab Code Quality: GitLab's documented contract, as a JSON schema in
//!   `tests/schemas/` (GitLab publishes no schema file for it);
//! - JUnit: `tests/schemas/junit.xsd`, checked with xmllint when installed.
//!
//! A check whose schema or tool is missing says so and passes.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A repository with findings of every severity, and a clean one.
const REPOS: [&str; 2] = ["fixtures/repo-findings", "fixtures/repo-clean"];

fn report(repo: &str, format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_gitopsc"))
        .args(["check", repo, "--format", format])
        .output()
        .expect("run gitopsc");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn validate_json(schema: &serde_json::Value, doc: &str, what: &str) {
    let validator = jsonschema::validator_for(schema).expect("schema compiles");
    let instance: serde_json::Value = serde_json::from_str(doc).expect("report is JSON");
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match its schema:\n{}",
        errors.join("\n")
    );
}

fn sarif_schema() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("GITOPSC_SARIF_SCHEMA") {
        return Some(PathBuf::from(p));
    }
    let local =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("target/report-schemas/sarif-2.1.0.json");
    local.is_file().then_some(local)
}

#[test]
fn sarif_matches_the_sarif_2_1_0_schema() {
    let Some(path) = sarif_schema() else {
        println!("skipped: SARIF schema not installed (run scripts/fetch-report-schemas.sh)");
        return;
    };
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).expect("schema is JSON");
    for repo in REPOS {
        validate_json(&schema, &report(repo, "sarif"), &format!("SARIF of {repo}"));
    }
}

#[test]
fn codequality_matches_gitlabs_contract() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("schemas/gitlab-codequality.schema.json"))
            .expect("schema is JSON");
    for repo in REPOS {
        validate_json(
            &schema,
            &report(repo, "codequality"),
            &format!("Code Quality report of {repo}"),
        );
    }
}

#[test]
fn junit_matches_the_xsd() {
    if Command::new("xmllint").arg("--version").output().is_err() {
        println!("skipped: xmllint not installed (Debian: libxml2-utils)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    for (i, repo) in REPOS.iter().enumerate() {
        let file = tmp.path().join(format!("junit-{i}.xml"));
        std::fs::write(&file, report(repo, "junit")).unwrap();
        let out = Command::new("xmllint")
            .args(["--noout", "--schema", "tests/schemas/junit.xsd"])
            .arg(&file)
            .output()
            .expect("run xmllint");
        assert!(
            out.status.success(),
            "JUnit of {repo}:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
