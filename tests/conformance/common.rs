//! Shared plumbing of the conformance target.

use std::path::{Path, PathBuf};

pub fn corpus_dir(name: &str) -> Option<PathBuf> {
    let var = format!("GITOPSC_{}_CORPUS", name.to_uppercase());
    let dir = std::env::var_os(&var)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/conformance")
                .join(name)
        });
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("{name}: skipped ({} not found; set {var})", dir.display());
        None
    }
}

pub fn floor(name: &str) -> usize {
    let text = include_str!("floors.txt");
    text.lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim() == name)
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0)
}

pub fn report(name: &str, passed: usize, failed: usize) {
    println!("{name}: {passed} passed, {failed} failed");
    let min = floor(name);
    assert!(
        passed >= min,
        "{name}: {passed} passed is below the floor of {min}"
    );
}

/// The case filter from `GITOPSC_CONFORMANCE_FILTER`, if set.
pub fn filter() -> Option<regex::Regex> {
    std::env::var("GITOPSC_CONFORMANCE_FILTER")
        .ok()
        .map(|f| regex::Regex::new(&f).expect("GITOPSC_CONFORMANCE_FILTER is a regex"))
}

/// Whether to print every failure in full.
pub fn verbose() -> bool {
    std::env::var_os("GITOPSC_CONFORMANCE_VERBOSE").is_some() || filter().is_some()
}
