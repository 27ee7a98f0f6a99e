//! commitlint and semantic-release verdicts (`../shared/conformance/commits`):
//! `lint.jsonl` (config-conventional verdicts, plain and `--edit`) and
//! `release-type.jsonl` (default commit analyzer, both presets).

use crate::common::{corpus_dir, filter, report, verbose};
use gitopsc::check::commits::{self, release};
use gitopsc::load::commit::Preset;
use gitopsc::resolve::commitlint::LintConfig;
use serde_json::Value;
use std::collections::BTreeSet;

fn names(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["name"].as_str().map(String::from))
        .collect()
}

fn records(file: &std::path::Path) -> Vec<Value> {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    text.lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// One verdict compared; `Err` describes the difference.
fn compare(expected: &Value, got: &commits::LintOutcome) -> Result<(), String> {
    let want = names(&expected["errors"]);
    let have: BTreeSet<String> = got.errors.iter().map(|p| p.name.clone()).collect();
    if expected["valid"].as_bool() != Some(got.valid) || want != have {
        return Err(format!(
            "expected valid={} {want:?}, got valid={} {have:?}",
            expected["valid"], got.valid
        ));
    }
    Ok(())
}

fn warnings_match(expected: &Value, got: &commits::LintOutcome) -> bool {
    names(&expected["warnings"]) == got.warnings.iter().map(|p| p.name.clone()).collect()
}

#[test]
fn commits() {
    let Some(dir) = corpus_dir("commits") else {
        return;
    };
    let cfg = LintConfig::default();
    let f = filter();
    let (mut passed, mut failed) = (0, 0);
    let (mut plain_ok, mut edit_ok, mut warn_ok, mut total) = (0, 0, 0, 0);
    for r in records(&dir.join("lint.jsonl")) {
        let id = r["id"].as_str().unwrap_or("?");
        if f.as_ref().is_some_and(|f| !f.is_match(id)) {
            continue;
        }
        total += 1;
        let msg = r["message"].as_str().unwrap_or("");
        let plain = commits::lint(msg, &cfg, None);
        // `--edit FILE`: the file's text plus a newline, `#` comments off;
        // whitespace-only input is never linted.
        let edit_input = format!("{msg}\n");
        let edit = if edit_input.trim().is_empty() {
            commits::lint("", &cfg, Some("#"))
        } else {
            commits::lint(&edit_input, &cfg, Some("#"))
        };
        let p = compare(&r, &plain);
        let e = compare(&r["edit"], &edit);
        plain_ok += p.is_ok() as usize;
        edit_ok += e.is_ok() as usize;
        warn_ok += (warnings_match(&r, &plain) && warnings_match(&r["edit"], &edit)) as usize;
        if p.is_ok() && e.is_ok() {
            passed += 1;
        } else {
            failed += 1;
            if verbose() {
                println!("FAIL {id} {msg:?}");
                if let Err(e) = p {
                    println!("  plain: {e}");
                }
                if let Err(e) = e {
                    println!("  edit:  {e}");
                }
            }
        }
    }
    println!(
        "commits detail: plain verdicts {plain_ok}/{total}, --edit verdicts {edit_ok}/{total}, warning sets {warn_ok}/{total}"
    );
    report("commits", passed, failed);
}

#[test]
fn releases() {
    let Some(dir) = corpus_dir("commits") else {
        return;
    };
    let f = filter();
    let (mut passed, mut failed) = (0, 0);
    for r in records(&dir.join("release-type.jsonl")) {
        let id = r["id"].as_str().unwrap_or("?");
        if f.as_ref().is_some_and(|f| !f.is_match(id)) {
            continue;
        }
        let msgs: Vec<&str> = r["commits"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let hashes: Vec<Option<&str>> =
            r["hashes"].as_array().map_or(vec![None; msgs.len()], |a| {
                a.iter().map(Value::as_str).collect()
            });
        let raw: Vec<release::RawCommit> = msgs
            .iter()
            .zip(hashes.iter().chain(std::iter::repeat(&None)))
            .map(|(m, h)| release::RawCommit {
                message: m,
                hash: *h,
            })
            .collect();
        let last = r["last_version"].as_str();
        let mut errs = Vec::new();
        for (preset, expected) in [
            (Preset::Angular, &r),
            (
                Preset::ConventionalCommits,
                &r["conventionalcommits_preset"],
            ),
        ] {
            if expected.is_null() {
                continue;
            }
            let rt = release::analyze(&raw, preset);
            let next = release::next_version(last, rt);
            let want_rt = expected["release_type"].as_str().unwrap_or("none");
            let got_rt = rt.map_or("none", |t| t.as_str());
            if want_rt != got_rt || expected["next_version"].as_str() != next.as_deref() {
                errs.push(format!(
                    "{preset:?}: expected {want_rt} {}, got {got_rt} {next:?}",
                    expected["next_version"]
                ));
            }
        }
        if errs.is_empty() {
            passed += 1;
        } else {
            failed += 1;
            if verbose() {
                println!("FAIL {id}: {}", errs.join("; "));
            }
        }
    }
    report("releases", passed, failed);
}
