//! `gitopsc graph` on the example repositories: snapshots of what a
//! reviewer sees, identical bytes on every run.

use std::process::Command;

fn graph(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_gitopsc"))
        .arg("graph")
        .args(args)
        .output()
        .expect("run gitopsc");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn uyoop_mermaid() {
    insta::assert_snapshot!(graph(&["examples/uyoop-k3s"]));
}

#[test]
fn uyoop_dot() {
    insta::assert_snapshot!(graph(&["examples/uyoop-k3s", "--format", "dot"]));
}

#[test]
fn oneex_mermaid() {
    insta::assert_snapshot!(graph(&["examples/oneex-platform", "--format", "mermaid"]));
}

#[test]
fn one_app_in_one_environment() {
    insta::assert_snapshot!(graph(&[
        "examples/oneex-platform",
        "--env",
        "prod",
        "--app",
        "oneex-back",
        "--format",
        "dot"
    ]));
}

#[test]
fn same_bytes_every_run() {
    let a = graph(&["examples/oneex-platform", "--format", "dot"]);
    let b = graph(&["examples/oneex-platform", "--format", "dot"]);
    assert_eq!(a, b);
}
