//! The schema rules (SCH001-SCH006) as users see them: `gitopsc check` over
//! small repositories under `fixtures/schema/`, human output snapshotted,
//! JSON locations asserted.

use serde_json::Value;

mod support;

fn check(case: &str, format: &str) -> (i32, String, String) {
    support::check("fixtures/schema", case, format)
}

fn json(case: &str) -> (i32, Value) {
    support::json("fixtures/schema", case)
}

fn rules(report: &Value) -> Vec<String> {
    let mut v: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v.dedup();
    v
}

#[test]
fn a_patch_setting_replicas_two_is_located_at_the_patch_line() {
    let (code, report) = json("replicas-patch");
    assert_eq!(code, 1);
    let diags = report["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{report:#}");
    let d = &diags[0];
    assert_eq!(d["rule"], "SCH001");
    assert_eq!(d["target"], "web/prod");
    assert_eq!(
        d["location"]["file"],
        "apps/web/overlays/prod/replicas.yaml"
    );
    assert_eq!(d["location"]["line"], 6);
    assert_eq!(d["location"]["column"], 13);
    let msg = d["message"].as_str().unwrap();
    assert!(
        msg.contains("spec.replicas of Deployment/web in prod"),
        "{msg}"
    );
    let (code, human, _) = check("replicas-patch", "human");
    assert_eq!(code, 1);
    insta::assert_snapshot!("replicas-patch", human);
}

#[test]
fn each_rule_fires_on_its_fixture_and_the_clean_repo_is_clean() {
    let expect: [(&str, i32, &[&str]); 7] = [
        ("clean", 0, &[]),
        ("schema-violation", 1, &["SCH001"]),
        ("unknown-field", 1, &["SCH002"]),
        ("unknown-kind", 0, &["SCH003"]),
        ("malformed-resource", 1, &["SCH004"]),
        ("removed-api", 1, &["SCH005"]),
        ("deprecated-api", 1, &["SCH005", "SCH006"]),
    ];
    for (case, want_code, want_rules) in expect {
        let (code, report) = json(case);
        assert_eq!(code, want_code, "{case}: {report:#}");
        assert_eq!(rules(&report), want_rules, "{case}: {report:#}");
        let (_, human, stderr) = check(case, "human");
        assert!(stderr.is_empty(), "{case}: {stderr}");
        insta::assert_snapshot!(case, human);
    }
}

#[test]
fn violations_point_at_the_offending_line() {
    let (_, report) = json("schema-violation");
    let at: Vec<(String, u64, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["location"]["file"].as_str().unwrap().to_string(),
                d["location"]["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let find = |needle: &str| {
        at.iter()
            .find(|(_, _, m)| m.contains(needle))
            .unwrap_or_else(|| panic!("{needle}: {at:?}"))
    };
    assert_eq!(find("containerPort").1, 17);
    assert_eq!(find("missing required field \"name\"").1, 15);
    assert_eq!(find("algorithm").0, "apps/demo/certificate.yaml");
    assert_eq!(find("spec.size of Widget/tiny").1, 6);
}

#[test]
fn a_malformed_schema_folder_is_exit_2() {
    let (code, stdout, stderr) = check("bad-schema-folder", "human");
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("schemas/widget-example-v1.json is not valid JSON"),
        "{stderr}"
    );
}
