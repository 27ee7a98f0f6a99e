//! Gatekeeper templates and constraints in `gitopsc check` (GK001-GK003):
//! small repositories under `fixtures/policy-gatekeeper/`, human output
//! snapshotted, JSON locations asserted.

use serde_json::Value;

mod support;

fn check(case: &str, format: &str) -> (i32, String, String) {
    support::check("fixtures/policy-gatekeeper", case, format)
}

/// The GK findings of a JSON report.
fn gatekeeper(case: &str) -> (i32, Vec<Value>) {
    let (code, v) = support::json("fixtures/policy-gatekeeper", case);
    let diags = v["diagnostics"]
        .as_array()
        .unwrap_or_else(|| panic!("{case}: no diagnostics in {v:#}"))
        .iter()
        .filter(|d| d["rule"].as_str().is_some_and(|r| r.starts_with("GK")))
        .cloned()
        .collect();
    (code, diags)
}

fn find<'a>(diags: &'a [Value], rule: &str, target: &str) -> &'a Value {
    diags
        .iter()
        .find(|d| d["rule"] == rule && d["target"] == target)
        .unwrap_or_else(|| panic!("no {rule} on {target} in {diags:#?}"))
}

#[test]
fn violations_point_at_the_source_line() {
    let (code, diags) = gatekeeper("violating");
    assert_eq!(code, 1);
    // The owner label is missing in both environments (deny), the image
    // registry is wrong in prod only (a constraint the prod platform overlay
    // deploys); the dryrun constraint is not reported.
    let mut seen: Vec<(String, String)> = diags
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().into(),
                d["target"].as_str().unwrap().into(),
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            ("GK001".into(), "web/dev".into()),
            ("GK001".into(), "web/prod".into()),
            ("GK001".into(), "web/prod".into()),
        ],
        "{diags:#?}"
    );
    let image = diags
        .iter()
        .find(|d| {
            d["message"]
                .as_str()
                .unwrap()
                .starts_with("[prod-registries]")
        })
        .expect("the registry finding");
    assert_eq!(
        image["location"]["file"],
        "apps/web/overlays/prod/image.yaml"
    );
    assert_eq!(image["location"]["line"], 10);
    assert_eq!(image["resource"], "Deployment/web/web");
    let owner = find(&diags, "GK001", "web/dev");
    assert_eq!(owner["location"]["file"], "apps/web/base/deployment.yaml");
    assert_eq!(owner["location"]["line"], 1);
    assert_eq!(
        owner["message"],
        "[deployments-have-an-owner] Deployment web lacks the labels {\"owner\"}"
    );
    let (code, human, _) = check("violating", "human");
    assert_eq!(code, 1);
    insta::assert_snapshot!("violating", human);
}

#[test]
fn the_passing_repo_has_no_gatekeeper_finding() {
    let (code, diags) = gatekeeper("passing");
    assert_eq!(diags, Vec::<Value>::new());
    assert_eq!(code, 0);
}

#[test]
fn a_warn_constraint_is_a_warning() {
    let (_, diags) = gatekeeper("warn");
    let d = find(&diags, "GK002", "web/dev");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["location"]["file"], "apps/web/base/service.yaml");
}

#[test]
fn a_template_that_does_not_compile_is_reported() {
    let (code, diags) = gatekeeper("invalid");
    assert_eq!(code, 1);
    let d = diags.iter().find(|d| d["rule"] == "GK003").expect("GK003");
    assert_eq!(d["location"]["file"], "policies/broken.yaml");
}
