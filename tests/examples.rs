//! The example monorepos against the reference tool: for every golden in
//! `fixtures/examples-golden/` (the output of `kubectl kustomize` stored by
//! `scripts/refresh-example-goldens.sh`), `gitopsc kustomize build` on the
//! same directory must print the same bytes. Every target of the examples'
//! `gitopsc.yaml` must have a golden, so a new overlay cannot go untested.

use std::path::{Path, PathBuf};
use std::process::Command;

const GOLDEN: &str = "fixtures/examples-golden";

/// Golden files, relative to `GOLDEN`, sorted.
fn goldens() -> Vec<PathBuf> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("read golden dir")
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, base, out);
            } else if p.extension().is_some_and(|e| e == "yaml") {
                out.push(p.strip_prefix(base).unwrap().to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(Path::new(GOLDEN), Path::new(GOLDEN), &mut out);
    out
}

/// `oneex-platform/apps/x/overlays/dev.yaml` → `examples/oneex-platform/apps/x/overlays/dev`.
fn source_dir(golden: &Path) -> PathBuf {
    Path::new("examples").join(golden.with_extension(""))
}

fn first_difference(want: &str, got: &str) -> String {
    let (mut w, mut g) = (want.lines(), got.lines());
    let mut n = 1;
    loop {
        match (w.next(), g.next()) {
            (Some(a), Some(b)) if a == b => n += 1,
            (None, None) => return "identical lines, different line endings".into(),
            (a, b) => {
                return format!(
                    "line {n}:\n      kubectl: {}\n      gitopsc: {}",
                    a.unwrap_or("<end of output>"),
                    b.unwrap_or("<end of output>")
                );
            }
        }
    }
}

#[test]
fn gitopsc_renders_every_example_like_kubectl_kustomize() {
    let goldens = goldens();
    assert!(
        goldens.len() > 40,
        "goldens missing: run scripts/refresh-example-goldens.sh"
    );
    let mut failures = Vec::new();
    for g in &goldens {
        let want = std::fs::read_to_string(Path::new(GOLDEN).join(g)).unwrap();
        let dir = source_dir(g);
        let out = Command::new(env!("CARGO_BIN_EXE_gitopsc"))
            .args(["kustomize", "build"])
            .arg(&dir)
            .env("NO_COLOR", "1")
            .output()
            .expect("run gitopsc");
        let got = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            let first = err.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            failures.push(format!("{}: build failed: {first}", dir.display()));
        } else if got != want {
            failures.push(format!(
                "{}: differs at {}",
                dir.display(),
                first_difference(&want, &got)
            ));
        }
    }
    println!(
        "examples: {} passed, {} failed",
        goldens.len() - failures.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} examples differ from kubectl kustomize:\n  {}",
        failures.len(),
        goldens.len(),
        failures.join("\n  ")
    );
}

#[test]
fn every_example_target_has_a_golden() {
    for example in ["oneex-platform", "uyoop-k3s"] {
        let root = std::fs::canonicalize(Path::new("examples").join(example)).unwrap();
        let cfg = gitopsc::resolve::Config::load(&root).expect("example config is valid");
        assert!(cfg.from_file, "{example} has a gitopsc.yaml");
        let targets = gitopsc::resolve::discover::targets(&root, &cfg);
        assert!(!targets.is_empty(), "{example} has targets");
        for t in targets {
            let golden = Path::new(GOLDEN)
                .join(example)
                .join(format!("{}.yaml", t.source));
            assert!(
                golden.is_file(),
                "{} has no golden {}: run scripts/refresh-example-goldens.sh",
                t.id(),
                golden.display()
            );
        }
    }
}

/// Both example monorepos check clean: no finding of any severity, so a
/// new rule that flags them fails here until the example or rule is fixed.
#[test]
fn every_example_checks_clean() {
    for repo in ["examples/oneex-platform", "examples/uyoop-k3s"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_gitopsc"))
            .args(["check", repo, "--format", "json"])
            .output()
            .expect("run gitopsc");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
        let findings = report["diagnostics"]
            .as_array()
            .expect("the report lists diagnostics");
        assert!(
            findings.is_empty() && out.status.success(),
            "{repo} has findings: {}",
            serde_json::to_string_pretty(findings).unwrap_or_default()
        );
    }
}
