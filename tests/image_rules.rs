//! The image rules (IMG001-IMG007) as users see them: `gitopsc check` over
//! small repositories under `fixtures/images/`, human output snapshotted,
//! JSON locations asserted.

use serde_json::Value;
use std::process::Command;

mod support;

fn check(case: &str, format: &str) -> (i32, String, String) {
    support::check("fixtures/images", case, format)
}

fn json(case: &str) -> (i32, Value) {
    support::json("fixtures/images", case)
}

fn diagnostics(report: &Value) -> Vec<Value> {
    report["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn latest_in_prod_is_exit_1_at_the_overlay_new_tag_line() {
    let (code, report) = json("latest-prod");
    assert_eq!(code, 1, "{report:#}");
    let diags = diagnostics(&report);
    assert_eq!(diags.len(), 1, "{report:#}");
    let d = &diags[0];
    assert_eq!(d["rule"], "IMG003");
    assert_eq!(d["target"], "web/prod");
    assert_eq!(d["resource"], "Deployment/web-prod/web");
    assert_eq!(
        d["location"]["file"],
        "apps/web/overlays/prod/kustomization.yaml"
    );
    assert_eq!(d["location"]["line"], 6);
}

#[test]
fn each_rule_fires_on_its_fixture_and_the_clean_repo_is_clean() {
    let expect: [(&str, i32, &[&str], &str, u64); 8] = [
        ("clean", 0, &[], "", 0),
        (
            "invalid-reference",
            1,
            &["IMG001"],
            "apps/web/base/deployment.yaml",
            16,
        ),
        (
            "tag-missing",
            1,
            &["IMG002"],
            "apps/web/base/deployment.yaml",
            16,
        ),
        (
            "latest-prod",
            1,
            &["IMG003"],
            "apps/web/overlays/prod/kustomization.yaml",
            6,
        ),
        (
            "tag-mutable",
            1,
            &["IMG004"],
            "apps/web/overlays/prod/kustomization.yaml",
            6,
        ),
        (
            "registry-not-allowed",
            1,
            &["IMG005"],
            "apps/web/base/deployment.yaml",
            16,
        ),
        (
            "tag-pattern",
            1,
            &["IMG006"],
            "apps/web/overlays/prod/kustomization.yaml",
            6,
        ),
        (
            "not-promoted",
            1,
            &["IMG007"],
            "apps/web/overlays/prod/kustomization.yaml",
            6,
        ),
    ];
    for (case, want_code, want_rules, file, line) in expect {
        let (code, report) = json(case);
        assert_eq!(code, want_code, "{case}: {report:#}");
        let diags = diagnostics(&report);
        let rules: Vec<&str> = diags.iter().map(|d| d["rule"].as_str().unwrap()).collect();
        assert_eq!(rules, want_rules, "{case}: {report:#}");
        for d in &diags {
            assert_eq!(d["location"]["file"], file, "{case}");
            assert_eq!(d["location"]["line"], line, "{case}");
            assert!(d["resource"].is_string(), "{case}");
            assert!(d["target"].is_string(), "{case}");
        }
        let (_, human, stderr) = check(case, "human");
        assert!(stderr.is_empty(), "{case}: {stderr}");
        insta::assert_snapshot!(case, human);
    }
}

#[test]
fn a_bad_images_config_is_exit_2_at_its_line() {
    let (code, stdout, stderr) = check("bad-config", "human");
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("images.tagPattern"), "{stderr}");
    assert!(stderr.contains("gitopsc.yaml:8:15"), "{stderr}");
}

#[test]
fn the_examples_are_clean_under_the_image_rules() {
    for repo in ["examples/oneex-platform", "examples/uyoop-k3s"] {
        let out = Command::new(env!("CARGO_BIN_EXE_gitopsc"))
            .args(["check", repo, "--format", "json"])
            .output()
            .expect("run gitopsc");
        let report: Value = serde_json::from_slice(&out.stdout).expect("json report");
        let img: Vec<&Value> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"].as_str().unwrap().starts_with("IMG"))
            .collect();
        assert!(img.is_empty(), "{repo}: {img:#?}");
    }
}
