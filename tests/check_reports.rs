//! `gitopsc check` on a repository with findings (a broken build and every
//! Argo CD rule), in every report format: snapshots of what people and CI
//! tools read, exit codes, and one run writing all formats at once.

use std::path::Path;
use std::process::Command;

const FINDINGS: &str = "fixtures/repo-findings";
const CLEAN: &str = "fixtures/repo-clean";

fn check(repo: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gitopsc"))
        .arg("check")
        .arg(repo)
        .args(args)
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

/// The SARIF rule table lists every rule of the registry; it changes with
/// each new rule, so the snapshot keeps only the results.
fn sarif_without_rule_table(text: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(text).expect("SARIF is JSON");
    let rules = &mut v["runs"][0]["tool"]["driver"]["rules"];
    assert!(
        rules.as_array().is_some_and(|r| r.len() >= 6),
        "every rule is described"
    );
    *rules = serde_json::json!("<every rule>");
    v["runs"][0]["tool"]["driver"]["version"] = serde_json::json!("<version>");
    serde_json::to_string_pretty(&v).unwrap()
}

#[test]
fn human() {
    let (code, out, err) = check(FINDINGS, &[]);
    assert_eq!(code, 1, "{err}");
    insta::assert_snapshot!(out);
}

#[test]
fn json() {
    let (code, out, _) = check(FINDINGS, &["--format", "json"]);
    assert_eq!(code, 1);
    let mut v: serde_json::Value = serde_json::from_str(&out).expect("json report");
    v["version"] = serde_json::json!("<version>");
    insta::assert_snapshot!(serde_json::to_string_pretty(&v).unwrap());
}

#[test]
fn junit() {
    let (code, out, _) = check(FINDINGS, &["--format", "junit"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn codequality() {
    let (code, out, _) = check(FINDINGS, &["--format", "codequality"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn sarif() {
    let (code, out, _) = check(FINDINGS, &["--format", "sarif"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(sarif_without_rule_table(&out));
}

#[test]
fn clean_repository_exits_0() {
    let (code, out, err) = check(CLEAN, &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out, "checked 3 targets: 0 errors, 0 warnings, 0 notes\n");
}

#[test]
fn examples_check_clean() {
    for example in ["examples/oneex-platform", "examples/uyoop-k3s"] {
        let (code, out, err) = check(example, &[]);
        assert_eq!(code, 0, "{example}:\n{out}{err}");
        assert!(out.contains(" 0 errors,"), "{example}:\n{out}");
    }
}

#[test]
fn fail_on_controls_the_exit_code() {
    // The clean repository with one warning: the bootstrap Application
    // loses its targetRevision (ARG004, a warning by default).
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(Path::new(CLEAN), tmp.path());
    let app = tmp.path().join("argocd/bootstrap.yaml");
    let text = std::fs::read_to_string(&app)
        .unwrap()
        .replace("    targetRevision: rendered\n", "");
    std::fs::write(&app, text).unwrap();
    let root = tmp.path().display().to_string();
    let (code, out, _) = check(&root, &["--fail-on", "error"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("ARG004"), "{out}");
    let (code, _, _) = check(&root, &["--fail-on", "warning"]);
    assert_eq!(code, 1);
}

#[test]
fn one_run_writes_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    let p = |name: &str| tmp.path().join(name).display().to_string();
    let args = [
        "--format".to_string(),
        format!("json={}", p("r.json")),
        "--format".to_string(),
        format!("junit={}", p("r.xml")),
        "--format".to_string(),
        format!("codequality={}", p("cq.json")),
        "--format".to_string(),
        format!("sarif={}", p("r.sarif")),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, _) = check(FINDINGS, &args);
    assert_eq!(code, 1);
    assert!(
        out.is_empty(),
        "nothing on stdout when every format goes to a file: {out}"
    );
    for f in ["r.json", "r.xml", "cq.json", "r.sarif"] {
        assert!(Path::new(&p(f)).is_file(), "{f} written");
    }
    let (_, junit, _) = check(FINDINGS, &["--format", "junit"]);
    assert_eq!(std::fs::read_to_string(p("r.xml")).unwrap(), junit);
}

#[test]
fn codequality_fingerprints_survive_moved_lines() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(Path::new(FINDINGS), tmp.path());
    let root = tmp.path().display().to_string();
    let (_, before, _) = check(&root, &["--format", "codequality"]);
    let apps = tmp.path().join("platform/applications.yaml");
    let text = std::fs::read_to_string(&apps).unwrap();
    std::fs::write(&apps, format!("# moved down by two lines\n#\n{text}")).unwrap();
    let (_, after, _) = check(&root, &["--format", "codequality"]);
    let fingerprints = |s: &str| {
        let v: serde_json::Value = serde_json::from_str(s).unwrap();
        let mut f: Vec<(String, u64)> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["fingerprint"].as_str().unwrap().to_string(),
                    i["location"]["lines"]["begin"].as_u64().unwrap(),
                )
            })
            .collect();
        f.sort();
        f
    };
    let (b, a) = (fingerprints(&before), fingerprints(&after));
    assert_eq!(
        b.iter().map(|x| &x.0).collect::<Vec<_>>(),
        a.iter().map(|x| &x.0).collect::<Vec<_>>()
    );
    assert_ne!(b, a, "lines did move");
}

fn copy_dir(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.path().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// Findings name files from the repository root: the report is the same
/// whether gitopsc runs at the root, above it or elsewhere.
#[test]
fn findings_do_not_depend_on_the_working_directory() {
    let abs = std::fs::canonicalize(FINDINGS).expect("fixture exists");
    let run = |cwd: &Path, repo: &Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_gitopsc"))
            .current_dir(cwd)
            .arg("check")
            .arg(repo)
            .args(["--format", "json"])
            .output()
            .expect("run gitopsc");
        let mut v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
        v["version"] = serde_json::json!("<version>");
        v
    };
    let at_root = run(&abs, Path::new("."));
    let above = run(Path::new("."), Path::new(FINDINGS));
    let elsewhere = run(&std::env::temp_dir(), &abs);
    assert!(
        at_root
            .to_string()
            .contains("'apps/web/overlays/dev/service.yaml'")
    );
    assert_eq!(at_root, above);
    assert_eq!(at_root, elsewhere);
}
