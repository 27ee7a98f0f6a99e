//! kustomize's output is a fixed point of its printing chain: reading an
//! `expected.yaml` of the kustomize corpus and writing it again must give
//! the same bytes. The corpus comes from `GITOPSC_KUSTOMIZE_CORPUS`
//! (default `../shared/conformance/kustomize`); the test is skipped when
//! it is absent.

use gitopsc::load::yaml::emit::emit_documents;
use gitopsc::load::yaml::parse_documents;
use std::path::{Path, PathBuf};

fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("GITOPSC_KUSTOMIZE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/kustomize")
        });
    dir.join("cases").is_dir().then_some(dir)
}

/// The first differing line, for a readable failure message.
fn first_difference(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let line = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    format!(
        "line {}: expected {:?}, got {:?}",
        line + 1,
        e.get(line).copied().unwrap_or("<end>"),
        a.get(line).copied().unwrap_or("<end>")
    )
}

#[test]
fn expected_outputs_are_fixed_points() {
    let Some(dir) = corpus_dir() else {
        println!(
            "emit round trip: skipped (kustomize corpus not found; set GITOPSC_KUSTOMIZE_CORPUS)"
        );
        return;
    };
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir.join("cases"))
        .expect("corpus cases directory is readable")
        .filter_map(|e| e.ok().map(|e| e.path().join("expected.yaml")))
        .filter(|p| p.is_file())
        .collect();
    cases.sort();
    let mut failures = Vec::new();
    for path in &cases {
        let text = std::fs::read_to_string(path).expect("expected.yaml is UTF-8");
        let name = path
            .parent()
            .and_then(|p| p.file_name())
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        match parse_documents(&path.to_string_lossy(), &text) {
            Ok(docs) => {
                let out = emit_documents(&docs);
                if out != text {
                    failures.push(format!("{name}: {}", first_difference(&text, &out)));
                }
            }
            Err(e) => failures.push(format!("{name}: does not parse: {e}")),
        }
    }
    println!(
        "emit round trip: {} of {} expected outputs reproduced",
        cases.len() - failures.len(),
        cases.len()
    );
    for f in &failures {
        println!("  {f}");
    }
    assert!(
        failures.is_empty(),
        "{} expected outputs not reproduced",
        failures.len()
    );
}
