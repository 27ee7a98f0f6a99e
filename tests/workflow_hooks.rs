//! The hooks for real: Husky v9 (from npm) and the pre-commit framework
//! (from PyPI) installed in a temporary folder, a temp repository, a bad
//! commit refused and a good one passing. Skipped, with the reason
//! printed, when npm, python or the registries are not available.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_gitopsc"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn path_env(extra: &[&Path]) -> String {
    let mut parts: Vec<String> = extra.iter().map(|p| p.display().to_string()).collect();
    parts.push(bin_dir().display().to_string());
    parts.push(std::env::var("PATH").unwrap_or_default());
    parts.join(":")
}

fn run(dir: &Path, path: &str, prog: &str, args: &[&str]) -> Option<Output> {
    Command::new(prog)
        .current_dir(dir)
        .args(args)
        .env("PATH", path)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GITOPSC_NO_PROGRESS", "1")
        .output()
        .ok()
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: registry.example.com/web:v1.0.0\n";

/// The app is a minimal deployment: the built-in pack is tested elsewhere.
const CONFIG: &str = "environments:\n  dev:\n  prod:\napps:\n- path: apps/*/overlays/{env}\npolicy:\n  builtin: false\n";

/// A repository with one clean app, committed.
fn init_repo(dir: &Path, path: &str) {
    write(dir, "gitopsc.yaml", CONFIG);
    write(
        dir,
        "apps/web/base/kustomization.yaml",
        "resources:\n- deployment.yaml\n",
    );
    write(dir, "apps/web/base/deployment.yaml", DEPLOY);
    for env in ["dev", "prod"] {
        write(
            dir,
            &format!("apps/web/overlays/{env}/kustomization.yaml"),
            "resources:\n- ../../base\n",
        );
    }
    write(dir, ".gitignore", "node_modules/\n.venv/\n.gitopsc/\n");
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "-A"],
        &["commit", "-qm", "chore: init", "--no-verify"],
    ] {
        let o = run(dir, path, "git", args).unwrap();
        assert!(o.status.success(), "{o:?}");
    }
}

/// A good commit passes, a bad message and a broken staged overlay are
/// refused.
fn good_and_bad_commits(dir: &Path, path: &str, tool: &str) {
    write(
        dir,
        "apps/web/overlays/prod/kustomization.yaml",
        "resources:\n- ../../base\nnamePrefix: prod-\n",
    );
    run(dir, path, "git", &["add", "-A"]).unwrap();
    let bad_msg = run(dir, path, "git", &["commit", "-qm", "Added things."]).unwrap();
    assert!(
        !bad_msg.status.success(),
        "{tool}: a bad message is refused: {bad_msg:?}"
    );
    let good = run(
        dir,
        path,
        "git",
        &["commit", "-qm", "feat(web): prefix prod"],
    )
    .unwrap();
    assert!(
        good.status.success(),
        "{tool}: a good commit passes: {good:?}"
    );
    write(
        dir,
        "apps/web/overlays/dev/kustomization.yaml",
        "resources:\n- ../../base\npatches:\n- patch: |-\n    - op: replace\n      path: /spec/replicas\n      value: many\n  target:\n    kind: Deployment\n",
    );
    run(dir, path, "git", &["add", "-A"]).unwrap();
    let broken = run(dir, path, "git", &["commit", "-qm", "fix(web): replicas"]).unwrap();
    assert!(
        !broken.status.success(),
        "{tool}: a broken overlay is refused: {broken:?}"
    );
    let stderr = String::from_utf8_lossy(&broken.stderr).into_owned()
        + &String::from_utf8_lossy(&broken.stdout);
    assert!(stderr.contains("SCH001"), "{tool}: {stderr}");
}

#[test]
fn husky_hooks_refuse_bad_commits() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let path = path_env(&[&dir.join("node_modules/.bin")]);
    if run(dir, &path, "npm", &["--version"]).is_none_or(|o| !o.status.success()) {
        eprintln!("skipped: npm is not installed");
        return;
    }
    init_repo(dir, &path);
    let npm = run(
        dir,
        &path,
        "npm",
        &[
            "install",
            "--no-audit",
            "--no-fund",
            "--save-dev",
            "husky@9",
        ],
    );
    if npm.as_ref().is_none_or(|o| !o.status.success()) {
        eprintln!("skipped: `npm install husky` failed (offline?): {npm:?}");
        return;
    }
    let init = run(
        dir,
        &path,
        "gitopsc",
        &["init", ".", "--hooks", "husky", "--force"],
    )
    .unwrap();
    assert!(init.status.success(), "{init:?}");
    // `--force` also rewrote gitopsc.yaml from discovery: put back the one
    // this test's repository needs (the built-in pack off).
    write(dir, "gitopsc.yaml", CONFIG);
    assert_eq!(
        std::fs::read_to_string(dir.join(".husky/commit-msg")).unwrap(),
        "gitopsc commit-msg --edit \"$1\"\n"
    );
    let husky = run(dir, &path, "npx", &["husky"]).unwrap();
    assert!(husky.status.success(), "{husky:?}");
    good_and_bad_commits(dir, &path, "husky");
}

#[test]
fn pre_commit_framework_hooks_refuse_bad_commits() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let venv = dir.join(".venv");
    let path = path_env(&[&venv.join("bin")]);
    let Some(o) = run(dir, &path, "python3", &["-m", "venv", ".venv"]) else {
        eprintln!("skipped: python3 is not installed");
        return;
    };
    if !o.status.success() {
        eprintln!("skipped: python3 -m venv failed: {o:?}");
        return;
    }
    let pip = run(
        dir,
        &path,
        ".venv/bin/pip",
        &["install", "-q", "pre-commit"],
    );
    if pip.as_ref().is_none_or(|o| !o.status.success()) {
        eprintln!("skipped: `pip install pre-commit` failed (offline?): {pip:?}");
        return;
    }
    init_repo(dir, &path);
    // This repository's hooks, run from the binary under test (the real
    // `language: rust` would build gitopsc from its repository).
    let hooks = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.pre-commit-hooks.yaml"
    ))
    .unwrap()
    .replace("language: rust", "language: system");
    let body: String = hooks
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("      {l}\n"))
        .collect();
    write(
        dir,
        ".pre-commit-config.yaml",
        &format!(
            "default_install_hook_types: [pre-commit, commit-msg]\nrepos:\n  - repo: local\n    hooks:\n{body}"
        ),
    );
    let install = run(dir, &path, ".venv/bin/pre-commit", &["install"]).unwrap();
    assert!(install.status.success(), "{install:?}");
    run(dir, &path, "git", &["add", ".pre-commit-config.yaml"]).unwrap();
    good_and_bad_commits(dir, &path, "pre-commit");
}
