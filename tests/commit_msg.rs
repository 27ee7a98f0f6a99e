//! `gitopsc commit-msg`, `commits` and `next-version` as users run them:
//! commitlint's output for a bad and a good message, `--edit` comment
//! stripping, configuration files, and semantic-release's next version on
//! a scratch repository. Snapshots hold what users see.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs gitopsc in `dir` with `stdin`; exit code and stdout + stderr.
fn run(dir: &Path, args: &[&str], stdin: &str) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gitopsc"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("HOME", dir)
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("CI_MERGE_REQUEST_DIFF_BASE_SHA")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run gitopsc");
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

fn repo() -> tempfile::TempDir {
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(d.path().join(".git")).expect("mkdir .git");
    d
}

fn edit(dir: &Path, message: &str, extra: &[&str]) -> (i32, String) {
    std::fs::write(dir.join("MSG"), message).expect("write message");
    let mut args = vec!["commit-msg", "--edit", "MSG"];
    args.extend_from_slice(extra);
    run(dir, &args, "")
}

#[test]
fn bad_message_fails_with_commitlint_output() {
    let d = repo();
    let (code, out) = edit(
        d.path(),
        "Add login page.\n# Please enter the commit message for your changes.\n",
        &[],
    );
    assert_eq!(code, 1);
    insta::assert_snapshot!("commit-msg-bad", out);
}

#[test]
fn good_message_passes_silently_or_verbosely() {
    let d = repo();
    let msg = "feat(auth): add login page\n\nThe page posts to /login.\n\n# Please enter the commit message\n# ------------------------ >8 ------------------------\ndiff --git a/x b/x\n";
    let (code, out) = edit(d.path(), msg, &[]);
    assert_eq!((code, out.as_str()), (0, ""));
    let (code, out) = edit(d.path(), msg, &["--verbose"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("commit-msg-good-verbose", out);
}

#[test]
fn warnings_do_not_fail_unless_strict() {
    let d = repo();
    let msg = "feat: add login page\nbody without a blank line\n";
    let (code, out) = edit(d.path(), msg, &[]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("commit-msg-warning", out);
    assert_eq!(edit(d.path(), msg, &["--strict"]).0, 2);
}

#[test]
fn stdin_mode_keeps_comment_lines() {
    let d = repo();
    // Without --edit, `#` lines are text: here the comment becomes the body.
    let (code, out) = run(d.path(), &["commit-msg"], "feat: add login page\n# note\n");
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("body must have leading blank line [body-leading-blank]"),
        "{out}"
    );
    let (code, out) = run(d.path(), &["commit-msg"], "  \n");
    assert_eq!(code, 1);
    assert!(out.contains("[input] is required"), "{out}");
}

#[test]
fn json_report_carries_rule_ids() {
    let d = repo();
    std::fs::write(d.path().join("MSG"), "Feat: Add X\n").expect("write");
    let (code, out) = run(
        d.path(),
        &["commit-msg", "--edit", "MSG", "--format", "json"],
        "",
    );
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json report");
    let names: Vec<&str> = v["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|d| d["name"].as_str())
        .collect();
    assert_eq!(names, ["subject-case", "type-case", "type-enum"]);
    assert_eq!(v["diagnostics"][0]["rule"], "CMT027");
}

#[test]
fn commitlintrc_rules_apply() {
    let d = repo();
    std::fs::write(
        d.path().join(".commitlintrc.yml"),
        "extends: ['@commitlint/config-conventional']\nrules:\n  scope-enum: [2, always, [api, ui]]\n  subject-case: [0]\n",
    )
    .expect("write rc");
    let (code, out) = edit(d.path(), "feat(db): Add index\n", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("commit-msg-scope-enum", out);
    assert_eq!(edit(d.path(), "feat(api): Add index\n", &[]).0, 0);
}

#[test]
fn unreadable_js_config_says_so_and_falls_back() {
    let d = repo();
    std::fs::write(
        d.path().join("commitlint.config.js"),
        "const base = require('./base');\nmodule.exports = { ...base, rules: {} };\n",
    )
    .expect("write config");
    let (code, out) = edit(d.path(), "feat: Add index\n", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("commit-msg-js-config-unreadable", out);
}

#[test]
fn js_config_literal_is_read() {
    let d = repo();
    std::fs::write(
        d.path().join("commitlint.config.mjs"),
        "export default {\n  extends: ['@commitlint/config-conventional'],\n  rules: { 'type-enum': [2, 'always', ['feat', 'fix', 'ops']] },\n};\n",
    )
    .expect("write config");
    assert_eq!(edit(d.path(), "ops: rotate keys\n", &[]).0, 0);
    assert_eq!(edit(d.path(), "chore: rotate keys\n", &[]).0, 1);
}

#[test]
fn gitopsc_yaml_commits_section_applies() {
    let d = repo();
    std::fs::write(
        d.path().join("gitopsc.yaml"),
        "commits:\n  rules:\n    header-max-length: [2, always, 20]\n",
    )
    .expect("write");
    let (code, out) = edit(d.path(), "feat: a header of thirty chars\n", &[]);
    assert_eq!(code, 1);
    assert!(
        out.contains(
            "header must not be longer than 20 characters, current length is 30 [header-max-length]"
        ),
        "{out}"
    );
}

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run git")
        .success();
    assert!(ok, "git {args:?}");
}

#[test]
fn commits_and_next_version_on_a_repository() {
    let d = tempfile::tempdir().expect("tempdir");
    let p = d.path();
    git(p, &["init", "-q", "-b", "main"]);
    git(p, &["commit", "-q", "--allow-empty", "-m", "feat: initial"]);
    git(p, &["tag", "v1.2.3"]);
    git(
        p,
        &[
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "fix: handle empty token",
        ],
    );
    git(
        p,
        &["commit", "-q", "--allow-empty", "-m", "feat!: drop node 14"],
    );
    git(
        p,
        &["commit", "-q", "--allow-empty", "-m", "Update README.md"],
    );
    let (code, out) = run(p, &["next-version"], "");
    assert_eq!(code, 0, "{out}");
    insta::assert_snapshot!("next-version-angular", out);
    let (_, out) = run(
        p,
        &[
            "next-version",
            "--preset",
            "conventionalcommits",
            "--format",
            "json",
        ],
        "",
    );
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(
        (v["release_type"].as_str(), v["next_version"].as_str()),
        (Some("major"), Some("2.0.0"))
    );
    let (code, out) = run(p, &["commits", "v1.2.3..HEAD"], "");
    assert_eq!(code, 1);
    assert!(
        out.contains("v1.2.3..HEAD: 3 commits, 1 with errors, 0 with warnings"),
        "{out}"
    );
    assert!(
        out.contains("✖   type may not be empty [type-empty]"),
        "{out}"
    );
}
