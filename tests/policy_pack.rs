//! The built-in policy pack (POL001-POL013) and waivers (WAV001, WAV002)
//! as users see them: `gitopsc check` over `fixtures/policy-pack/`, one app
//! per case, human output snapshotted, rules and locations asserted.

use serde_json::Value;
use std::process::Command;

/// The date waivers are compared with, so snapshots do not rot.
const TODAY: &str = "2026-11-22";

fn check(repo: &str, app: Option<&str>, format: &str) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gitopsc"));
    cmd.arg("check")
        .arg(format!("fixtures/policy-pack/{repo}"))
        .args(["--format", format])
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env("GITOPSC_TODAY", TODAY);
    if let Some(app) = app {
        cmd.args(["--app", app]);
    }
    let out = cmd.output().expect("run gitopsc");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(repo: &str, app: Option<&str>) -> (i32, Vec<Value>) {
    let (code, stdout, stderr) = check(repo, app, "json");
    let v: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{repo} {app:?}: {e}\n{stdout}\n{stderr}"));
    (
        code,
        v["diagnostics"].as_array().cloned().unwrap_or_default(),
    )
}

fn rules(diags: &[Value]) -> Vec<String> {
    let mut v: Vec<String> = diags
        .iter()
        .map(|d| d["rule"].as_str().unwrap_or("").to_string())
        .collect();
    v.sort();
    v.dedup();
    v
}

const CASES: [(&str, &str, i32); 13] = [
    ("p001", "POL001", 1),
    ("p002", "POL002", 1),
    ("p003", "POL003", 1),
    ("p004", "POL004", 1),
    ("p005", "POL005", 1),
    ("p006", "POL006", 0),
    ("p007", "POL007", 1),
    ("p008", "POL008", 1),
    ("p009", "POL009", 1),
    ("p010", "POL010", 1),
    ("p011", "POL011", 1),
    ("p012", "POL012", 1),
    ("p013", "POL013", 1),
];

#[test]
fn each_policy_fires_on_its_failing_case_only() {
    for (case, rule, code) in CASES {
        let fail = format!("{case}-fail");
        let (got_code, diags) = json("cases", Some(&fail));
        assert_eq!(rules(&diags), vec![rule.to_string()], "{fail}: {diags:#?}");
        assert_eq!(got_code, code, "{fail}");
        for d in &diags {
            assert!(d["resource"].is_string(), "{fail}: no resource in {d}");
        }
        let pass = format!("{case}-pass");
        let (got_code, diags) = json("cases", Some(&pass));
        assert!(diags.is_empty(), "{pass}: {diags:#?}");
        assert_eq!(got_code, 0, "{pass}");
    }
}

#[test]
fn each_policy_diagnostic_as_a_user_sees_it() {
    for (case, _, _) in CASES {
        let fail = format!("{case}-fail");
        let (_, human, _) = check("cases", Some(&fail), "human");
        insta::assert_snapshot!(fail, human);
    }
}

#[test]
fn a_finding_points_at_the_patch_that_caused_it() {
    let (_, diags) = json("cases", Some("p001-fail"));
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let loc = &diags[0]["location"];
    assert_eq!(loc["file"], "apps/p001-fail/prod/run-as-root.yaml");
    assert_eq!(diags[0]["resource"], "Deployment/p001-fail/web");
    assert_eq!(diags[0]["target"], "p001-fail/prod");
}

#[test]
fn waivers_silence_findings_until_they_expire() {
    let (code, diags) = json("waivers", None);
    assert_eq!(code, 1);
    let got: Vec<(String, String)> = diags
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or("").to_string(),
                d["resource"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let has = |rule: &str, res: &str| got.iter().any(|(r, x)| r == rule && x == res);
    // Annotation: POL006 waived, POL003's waiver expired.
    assert!(!has("POL006", "Deployment/annotated/web"), "{got:?}");
    assert!(has("POL003", "Deployment/annotated/web"), "{got:?}");
    assert!(has("WAV001", "Deployment/annotated/web"), "{got:?}");
    // Malformed annotation: both entries reported, nothing waived.
    assert_eq!(
        got.iter()
            .filter(|(r, x)| r == "WAV002" && x == "Deployment/malformed/web")
            .count(),
        2,
        "{got:?}"
    );
    assert!(has("POL006", "Deployment/malformed/web"), "{got:?}");
    // Config: a glob waiver holds, an expired one is an error in gitopsc.yaml.
    assert!(!has("POL006", "Deployment/config-waiver/web"), "{got:?}");
    assert!(has("POL006", "Deployment/config-expired/web"), "{got:?}");
    let expired = diags
        .iter()
        .find(|d| d["rule"] == "WAV001" && d["location"]["file"] == "gitopsc.yaml")
        .expect("config WAV001");
    assert_eq!(expired["location"]["line"], 16);
    // `builtin: false` in dev, `POL007: off` everywhere.
    assert!(
        !got.iter()
            .any(|(_, x)| x.starts_with("Deployment/builtin-off/"))
    );
    assert!(!got.iter().any(|(r, _)| r == "POL007"), "{got:?}");
    let (_, human, _) = check("waivers", None, "human");
    insta::assert_snapshot!("waivers", human);
}

#[test]
fn the_examples_pass_the_pack() {
    for example in ["oneex-platform", "uyoop-k3s"] {
        let out = Command::new(env!("CARGO_BIN_EXE_gitopsc"))
            .args(["check", &format!("examples/{example}"), "--format", "json"])
            .env("GITOPSC_TODAY", TODAY)
            .output()
            .expect("run gitopsc");
        let v: Value = serde_json::from_slice(&out.stdout).expect("json report");
        let pol: Vec<&Value> = v["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|d| {
                d["rule"]
                    .as_str()
                    .is_some_and(|r| r.starts_with("POL") || r.starts_with("WAV"))
            })
            .collect();
        assert!(pol.is_empty(), "{example}: {pol:#?}");
    }
}
