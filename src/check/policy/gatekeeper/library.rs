//! Finding ConstraintTemplates and constraints: in the repository's YAML
//! files (policy folders included) and among the rendered resources of
//! every target.

use super::constraint::{Constraint, is_constraint};
use super::template::{Template, is_template, template_source};
use super::yaml::parse_manifests;
use crate::check::scan::RepoFiles;
use crate::check::scan::{contains, walk};
use crate::hydrate::targets::Hydrated;
use crate::load::yaml::{Node, json::to_json};
use crate::resolve::Config;
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// A template or constraint document and where it was found.
#[derive(Clone)]
pub struct Found {
    pub node: Node,
    pub doc: Value,
    /// The repository file (relative), for locations without a span.
    pub file: String,
    /// The environment whose rendered resources hold it; `None` for a file
    /// committed in the repository (applies to every environment).
    pub env: Option<String>,
}

/// A problem with a template or constraint (GK003).
pub struct Problem {
    pub message: String,
    /// The field the problem is about (`spec.targets[0].rego`).
    pub path: Option<&'static str>,
    pub node: Node,
    pub file: String,
    pub env: Option<String>,
}

pub struct ScopedConstraint {
    pub constraint: Constraint,
    pub env: Option<String>,
    pub found: Found,
}

/// Every compiled template (by constraint kind) and constraint of a run.
#[derive(Default)]
pub struct Library {
    pub templates: BTreeMap<String, Template>,
    pub constraints: Vec<ScopedConstraint>,
    pub problems: Vec<Problem>,
}

impl Library {
    /// The constraints that apply to the targets of `env`: the ones its
    /// rendered resources deploy, and the committed ones those do not
    /// redefine.
    pub fn for_env<'a>(&'a self, env: &str) -> Vec<&'a ScopedConstraint> {
        let deployed: HashSet<(&str, &str)> = self
            .constraints
            .iter()
            .filter(|c| c.env.as_deref() == Some(env))
            .map(|c| (c.constraint.kind.as_str(), c.constraint.name.as_str()))
            .collect();
        self.constraints
            .iter()
            .filter(|c| match c.env.as_deref() {
                Some(e) => e == env,
                None => {
                    !deployed.contains(&(c.constraint.kind.as_str(), c.constraint.name.as_str()))
                }
            })
            .collect()
    }
}

fn is_relevant(doc: &Value) -> bool {
    is_template(doc) || is_constraint(doc)
}

/// Template and constraint documents of the repository's YAML files, except
/// files a target's build read (their resources are seen rendered) and the
/// output folder.
fn scan_repo(
    root: &Path,
    cfg: &Config,
    hydrated: &[Hydrated],
    listed: Option<&[String]>,
) -> Vec<Found> {
    let skip_out = root.join(cfg.output_dir());
    let mut files = crate::check::scan::files(root, cfg.output_dir(), listed);
    for p in &cfg.policies {
        let dir = root.join(p);
        if !dir.starts_with(root) || !dir.is_dir() {
            walk(&dir, &skip_out, &mut files, 0);
        }
    }
    let read: HashSet<&str> = hydrated
        .iter()
        .flat_map(|h| h.inputs.iter().map(|(f, _)| f.as_str()))
        .collect();
    let files: BTreeSet<PathBuf> = files.into_iter().collect();
    files
        .into_par_iter()
        .flat_map_iter(|f| {
            let shown = f
                .strip_prefix(root)
                .unwrap_or(&f)
                .to_string_lossy()
                .into_owned();
            let mut out = Vec::new();
            if read.contains(shown.as_str()) {
                return out;
            }
            let Ok(bytes) = std::fs::read(&f) else {
                return out;
            };
            if !contains(&bytes, b"ConstraintTemplate")
                && !contains(&bytes, b"constraints.gatekeeper.sh")
            {
                return out;
            }
            let Ok(text) = String::from_utf8(bytes) else {
                return out;
            };
            // Spans name the file by its full path, as a build's do.
            let Ok(docs) = parse_manifests(&f.to_string_lossy(), &text) else {
                return out;
            };
            for node in docs {
                let doc = to_json(&node);
                if is_relevant(&doc) {
                    out.push(Found {
                        node,
                        doc,
                        file: shown.clone(),
                        env: None,
                    });
                }
            }
            out
        })
        .collect()
}

/// Templates and constraints among the rendered resources, one per
/// environment, kind and name.
fn scan_rendered(hydrated: &[Hydrated]) -> Vec<Found> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for h in hydrated {
        let Ok(r) = &h.result else { continue };
        for res in r.resources.iter() {
            let doc = to_json(&res.node);
            if !is_relevant(&doc) {
                continue;
            }
            let key = (
                h.target.env.clone(),
                doc["kind"].as_str().unwrap_or("").to_string(),
                doc.pointer("/metadata/name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            );
            if seen.insert(key) {
                out.push(Found {
                    node: res.node.clone(),
                    doc,
                    file: format!("{}/kustomization.yaml", h.target.source),
                    env: Some(h.target.env.clone()),
                });
            }
        }
    }
    out
}

/// Loads and compiles everything a run uses.
pub fn load(
    root: &Path,
    cfg: &Config,
    hydrated: &[Hydrated],
    listed: Option<&RepoFiles>,
) -> Library {
    let mut found = scan_repo(root, cfg, hydrated, listed.map(|l| l.gatekeeper.as_slice()));
    found.extend(scan_rendered(hydrated));
    let mut lib = Library::default();
    // One template per kind: committed files first, then rendered ones.
    let mut sources = BTreeMap::new();
    for f in found.iter().filter(|f| is_template(&f.doc)) {
        match template_source(&f.doc) {
            Ok(Some(src)) => {
                sources.entry(src.kind.clone()).or_insert((src, f));
            }
            Ok(None) => {}
            Err(message) => lib.problems.push(problem(f, message)),
        }
    }
    let compiled: Vec<_> = sources
        .into_par_iter()
        .map(|(kind, (src, f))| (kind, src.compile(&f.file), f))
        .collect();
    for (kind, result, f) in compiled {
        match result {
            Ok(t) => {
                lib.templates.insert(kind, t);
            }
            Err(e) => {
                let name = f.doc["metadata"]["name"].as_str().unwrap_or("");
                let mut p = problem(
                    f,
                    format!("ConstraintTemplate {name:?} does not compile: {e}"),
                );
                p.path = Some(if f.doc.pointer("/spec/targets/0/rego").is_some() {
                    "spec.targets[0].rego"
                } else {
                    "spec.targets[0].code"
                });
                lib.problems.push(p);
            }
        }
    }
    for f in found.into_iter().filter(|f| is_constraint(&f.doc)) {
        match Constraint::parse(&f.doc) {
            Ok(constraint) => lib.constraints.push(ScopedConstraint {
                constraint,
                env: f.env.clone(),
                found: f,
            }),
            Err(message) => lib.problems.push(problem(&f, message)),
        }
    }
    lib
}

fn problem(f: &Found, message: String) -> Problem {
    Problem {
        message,
        path: None,
        node: f.node.clone(),
        file: f.file.clone(),
        env: f.env.clone(),
    }
}
