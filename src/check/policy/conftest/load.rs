//! Loading conftest-style policy folders: `.rego` files (folders searched
//! recursively), the Rego dialect of each, and extra data files merged
//! into `data`.

use crate::check::policy::engine::{Dialect, PolicyError, PolicySet, RuleDef};
use std::path::{Path, PathBuf};

/// Which Rego syntax the policies are parsed with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum RegoVersion {
    /// Each file as v1 (`deny contains msg if`) when it parses so, else as
    /// v0 (`deny[msg] { ... }`): folders may mix both.
    #[default]
    Auto,
    /// Every file as v0 (`conftest --rego-version v0`).
    V0,
    /// Every file as v1 (conftest's default since v0.60).
    V1,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    #[error("{0}")]
    Policy(#[from] PolicyError),
    #[error("no policies found in {0}")]
    NoPolicies(String),
    #[error(
        "{file}:{line}: `{rule}[...] if` uses the 'if' keyword without 'contains' keyword: \
         in Rego v1 it defines an object, not a set of messages; write `{rule} contains msg if`"
    )]
    IfWithoutContains {
        file: String,
        line: u32,
        rule: String,
    },
    #[error("{file}: {message}")]
    Data { file: String, message: String },
}

/// Loaded policies: the compiled set and every rule definition.
pub struct Policies {
    pub set: PolicySet,
    pub defs: Vec<RuleDef>,
    /// The `.rego` files, as shown in messages, in load order.
    pub files: Vec<String>,
}

pub struct LoadOptions {
    pub rego_version: RegoVersion,
    /// Load `*_test.rego` files too (for `policy test`, and like
    /// `conftest test`, which loads them as well).
    pub include_tests: bool,
}

/// Every `.rego` file under `paths` (files are taken as given), sorted per
/// folder. `base` is stripped from the names shown.
pub fn rego_files(paths: &[PathBuf], include_tests: bool) -> Result<Vec<PathBuf>, LoadError> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| LoadError::Io {
            path: p.display().to_string(),
            message: e.to_string(),
        })?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found, &|f| {
                let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
                name.ends_with(".rego") && (include_tests || !name.ends_with("_test.rego"))
            })?;
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    out.dedup();
    Ok(out)
}

/// Files under `dir` (recursively, hidden entries skipped) that `keep`.
pub fn walk(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    keep: &dyn Fn(&Path) -> bool,
) -> Result<(), LoadError> {
    let rd = std::fs::read_dir(dir).map_err(|e| LoadError::Io {
        path: dir.display().to_string(),
        message: e.to_string(),
    })?;
    for entry in rd.flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(&path, out, keep)?;
        } else if keep(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// A path as shown in messages: relative to `base` when under it.
pub fn shown(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// Loads and compiles the policies under `paths` and merges the data files
/// under `data` into `data`. Every error names its file.
pub fn load(
    base: &Path,
    paths: &[PathBuf],
    data: &[PathBuf],
    opts: &LoadOptions,
) -> Result<Policies, LoadError> {
    let files = rego_files(paths, opts.include_tests)?;
    if files.is_empty() {
        let names: Vec<String> = paths.iter().map(|p| shown(p, base)).collect();
        return Err(LoadError::NoPolicies(names.join(", ")));
    }
    let mut set = PolicySet::new();
    let mut names = Vec::new();
    for f in &files {
        let name = shown(f, base);
        let text = std::fs::read_to_string(f).map_err(|e| LoadError::Io {
            path: name.clone(),
            message: e.to_string(),
        })?;
        add(&mut set, &name, &text, opts.rego_version)?;
        names.push(name);
    }
    for doc in data_documents(base, data)? {
        set.add_data(&doc.0, &doc.1)?;
    }
    let defs = set.rule_defs();
    if let Some(d) = defs
        .iter()
        .find(|d| d.partial_object && (is_failure(&d.name) || is_warning(&d.name)))
    {
        return Err(LoadError::IfWithoutContains {
            file: d.file.clone(),
            line: d.line,
            rule: d.name.clone(),
        });
    }
    set.prepare()?;
    Ok(Policies {
        set,
        defs,
        files: names,
    })
}

/// Adds one module in the requested dialect; `Auto` tries v1 then v0 and
/// reports the error of the dialect the text looks written in.
fn add(set: &mut PolicySet, name: &str, text: &str, v: RegoVersion) -> Result<(), PolicyError> {
    match v {
        RegoVersion::V0 => set.add_module(name, text, Dialect::V0).map(drop),
        RegoVersion::V1 => set.add_module(name, text, Dialect::V1).map(drop),
        RegoVersion::Auto => match set.add_module(name, text, Dialect::V1) {
            Ok(_) => Ok(()),
            Err(e1) => match set.add_module(name, text, Dialect::V0) {
                Ok(_) => Ok(()),
                Err(e0) => Err(if looks_v1(text) { e1 } else { e0 }),
            },
        },
    }
}

/// A v1 keyword used as one: ` contains ` or ` if ` / `if {` in a head.
fn looks_v1(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_start();
        !l.starts_with('#')
            && (l.contains(" contains ") || l.contains(" if ") || l.contains(" if{"))
    }) || text.contains("import rego.v1")
}

/// The documents of every JSON / YAML file under `data` (folders searched
/// recursively), each to be merged at the root of `data`.
pub fn data_documents(
    base: &Path,
    data: &[PathBuf],
) -> Result<Vec<(String, serde_json::Value)>, LoadError> {
    let mut files = Vec::new();
    for p in data {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found, &|f| {
                matches!(
                    f.extension().and_then(|e| e.to_str()),
                    Some("json" | "yaml" | "yml")
                )
            })?;
            found.sort();
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    let mut out = Vec::new();
    for f in files {
        let name = shown(&f, base);
        for doc in read_documents(&f, &name)? {
            if !doc.is_null() {
                out.push((name.clone(), doc));
            }
        }
    }
    Ok(out)
}

/// The documents of a JSON or YAML file (a YAML stream gives several; an
/// empty file gives none).
pub fn read_documents(path: &Path, name: &str) -> Result<Vec<serde_json::Value>, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|e| LoadError::Io {
        path: name.to_string(),
        message: e.to_string(),
    })?;
    parse_documents(name, &text)
}

/// The documents of JSON or YAML text named `name`.
pub fn parse_documents(name: &str, text: &str) -> Result<Vec<serde_json::Value>, LoadError> {
    if name.ends_with(".json") {
        return serde_json::from_str(text)
            .map(|v| vec![v])
            .map_err(|e| LoadError::Data {
                file: name.to_string(),
                message: e.to_string(),
            });
    }
    let docs = crate::load::yaml::parse_documents(name, text).map_err(|e| LoadError::Data {
        file: name.to_string(),
        message: e.to_string(),
    })?;
    Ok(docs.iter().map(crate::load::yaml::json::to_json).collect())
}

/// conftest's failure rules: `deny`, `violation`, `deny_<suffix>`...
pub fn is_failure(rule: &str) -> bool {
    ["deny", "violation"]
        .iter()
        .any(|p| rule.strip_prefix(p).is_some_and(suffixes))
}

/// conftest's warning rules: `warn`, `warn_<suffix>`...
pub fn is_warning(rule: &str) -> bool {
    rule.strip_prefix("warn").is_some_and(suffixes)
}

/// `(_[a-zA-Z0-9]+)*`
fn suffixes(rest: &str) -> bool {
    rest.is_empty()
        || rest.strip_prefix('_').is_some_and(|r| {
            r.split('_')
                .all(|seg| !seg.is_empty() && seg.chars().all(|c| c.is_ascii_alphanumeric()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_follow_conftest_patterns() {
        assert!(is_failure("deny"));
        assert!(is_failure("violation_run_as_root"));
        assert!(is_failure("deny_a1_b2"));
        assert!(!is_failure("deny_"));
        assert!(!is_failure("denyx"));
        assert!(!is_failure("deny__x"));
        assert!(is_warning("warn"));
        assert!(is_warning("warn_svc"));
        assert!(!is_warning("warning"));
    }
}
