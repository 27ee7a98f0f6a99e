//! kustomize's own build tests (`../shared/conformance/kustomize`).

use crate::common::{corpus_dir, filter, report, verbose};
use gitopsc::hydrate::kustomize::{self, BuildOptions, LoadRestrictor, Reorder};
use gitopsc::source::DiskFs;
use std::path::{Path, PathBuf};

struct Case {
    name: String,
    dir: PathBuf,
    build_dir: String,
    expect_error: bool,
    flags: Vec<String>,
}

fn read_case(dir: &Path) -> Option<Case> {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("case.json")).ok()?).ok()?;
    Some(Case {
        name: dir.file_name()?.to_string_lossy().into_owned(),
        dir: dir.to_path_buf(),
        build_dir: json["build_dir"].as_str().unwrap_or(".").to_string(),
        expect_error: json["expect"].as_str() == Some("error"),
        flags: json["flags"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|f| f.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// Runs one kustomize case; Err carries the reason it failed.
fn run_kustomize_case(case: &Case) -> Result<(), String> {
    let mut options = BuildOptions::default();
    for f in &case.flags {
        match f.as_str() {
            "--reorder=none" => options.reorder = Some(Reorder::None),
            "--reorder=legacy" => options.reorder = Some(Reorder::Legacy),
            "--load-restrictor=LoadRestrictionsNone" => options.restrictor = LoadRestrictor::None,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    let input = case.dir.join("input");
    let fs = DiskFs::new(&input).map_err(|e| e.to_string())?;
    let dir = input.join(&case.build_dir);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        kustomize::build(&fs, &dir, &options).map(|b| kustomize::render(&b.resources))
    }))
    .map_err(|_| "panicked".to_string())?;
    match (result, case.expect_error) {
        (Err(_), true) => Ok(()),
        (Ok(_), true) => Err("expected an error, build succeeded".into()),
        (Err(e), false) => Err(format!("build failed: {}", e.message)),
        (Ok(out), false) => {
            let expected =
                std::fs::read_to_string(case.dir.join("expected.yaml")).unwrap_or_default();
            if out == expected {
                Ok(())
            } else {
                Err(format!("output differs:\n{}", short_diff(&expected, &out)))
            }
        }
    }
}

fn short_diff(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let first = e
        .iter()
        .zip(a.iter())
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    let from = first.saturating_sub(2);
    let mut s = String::new();
    for i in from..(first + 4) {
        if let Some(l) = e.get(i) {
            s.push_str(&format!("  -{i:>4} {l}\n"));
        }
        if let Some(l) = a.get(i) {
            s.push_str(&format!("  +{i:>4} {l}\n"));
        }
    }
    s.push_str(&format!("  (expected {} lines, got {})", e.len(), a.len()));
    s
}

#[test]
fn kustomize() {
    let Some(dir) = corpus_dir("kustomize") else {
        return;
    };
    let filter = filter();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir.join("cases"))
        .expect("cases folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    cases.sort();
    let (mut passed, mut failed) = (0, 0);
    for path in cases {
        let Some(case) = read_case(&path) else {
            continue;
        };
        if filter.as_ref().is_some_and(|f| !f.is_match(&case.name)) {
            continue;
        }
        match run_kustomize_case(&case) {
            Ok(()) => passed += 1,
            Err(why) => {
                failed += 1;
                if verbose() {
                    println!("FAIL {}: {why}", case.name);
                } else {
                    println!("FAIL {}: {}", case.name, why.lines().next().unwrap_or(""));
                }
            }
        }
    }
    report("kustomize", passed, failed);
}
