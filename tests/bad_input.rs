//! Bad input gets a clear diagnostic at the line to fix and exit code 2,
//! never a panic and never YAML on stdout. Snapshots hold what users see.

use std::path::Path;
use std::process::Command;

const CASES: [(&str, &str); 13] = [
    ("broken-yaml", "."),
    ("missing-file", "."),
    ("remote-resource", "."),
    ("escaping-root", "app"),
    ("cycle", "a"),
    ("duplicate-ids", "."),
    ("yaml-bomb", "."),
    ("deep-nesting", "."),
    ("binary-file", "."),
    ("unknown-field", "."),
    ("helm-charts", "."),
    ("not-a-mapping", "."),
    ("no-kustomization", "."),
];

fn run(dir: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gitopsc"))
        .args(["kustomize", "build"])
        .arg(dir)
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

#[test]
fn every_bad_input_exits_2_with_a_located_diagnostic() {
    for (case, build_dir) in CASES {
        let dir = Path::new("fixtures/bad-input").join(case).join(build_dir);
        let (code, stdout, stderr) = run(&dir);
        assert_eq!(code, 2, "{case}: exit code {code}, stderr:\n{stderr}");
        assert!(stdout.is_empty(), "{case}: printed to stdout:\n{stdout}");
        assert!(!stderr.contains("panicked"), "{case}: {stderr}");
        insta::assert_snapshot!(case, stderr);
    }
}

#[test]
fn symlink_leaving_the_root_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
    )
    .unwrap();
    let repo = tempfile::tempdir().unwrap();
    std::fs::write(
        repo.path().join("kustomization.yaml"),
        "resources:\n- cm.yaml\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path().join("cm.yaml"), repo.path().join("cm.yaml"))
        .unwrap();
    let (code, stdout, stderr) = run(repo.path());
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("is not in or below"), "{stderr}");
}

#[test]
fn output_file_is_not_written_when_the_build_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.yaml");
    std::fs::write(&out, "previous: output\n").unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_gitopsc"))
        .args(["kustomize", "build", "fixtures/bad-input/broken-yaml", "-o"])
        .arg(&out)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous: output\n");
}
