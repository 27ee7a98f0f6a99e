//! User policy folders in `gitopsc check`: every rendered resource of every
//! target is one `input`; `data.gitopsc` carries the target. Failures are
//! REGO001, warnings REGO002.

use super::eval::{self, Finding, Index};
use super::load::{self, LoadError, LoadOptions, Policies};
use super::{Options, combined_input};
use crate::check::policy::location::{locate, resource_key};
use crate::check::rules::{PolicyDeny, PolicyWarn};
use crate::check::run::{location, severity};
use crate::check::{Diagnostic, Rule};
use crate::hydrate::targets::Hydrated;
use crate::load::yaml::json::to_json;
use crate::resolve::Config;
use rayon::prelude::*;
use regorus::Value;
use std::path::{Path, PathBuf};

/// The compiled user policies of a run.
pub struct UserPolicies {
    policies: Policies,
    index: Index,
    namespaces: Vec<String>,
    combine: bool,
}

/// Loads the folders of `policies:` in gitopsc.yaml (relative to `root`)
/// and those of `opts` (as given). `None` when there are none.
pub fn load(root: &Path, cfg: &Config, opts: &Options) -> Result<Option<UserPolicies>, LoadError> {
    let mut paths: Vec<PathBuf> = cfg.policies.iter().map(|p| root.join(p)).collect();
    paths.extend(opts.policies.iter().cloned());
    if paths.is_empty() {
        return Ok(None);
    }
    let data: Vec<PathBuf> = opts.data.clone();
    let loaded = load::load(
        root,
        &paths,
        &data,
        &LoadOptions {
            rego_version: opts.rego_version,
            include_tests: false,
        },
    );
    let policies = match loaded {
        // `policies:` folders may hold only Gatekeeper templates and
        // constraints; a folder given with --policy must hold Rego.
        Err(LoadError::NoPolicies(_)) if opts.policies.is_empty() => return Ok(None),
        other => other?,
    };
    let index = Index::new(&policies.defs);
    let namespaces = index.select(&opts.namespaces, opts.all_namespaces);
    Ok(Some(UserPolicies {
        policies,
        index,
        namespaces,
        combine: opts.combine,
    }))
}

/// Every user-policy finding over `hydrated`, unsorted. An evaluation
/// error (a conflict between rule values, a failing builtin in a strict
/// path) is reported as a REGO001 finding on the resource, naming the rule.
pub fn check(
    root: &Path,
    cfg: &Config,
    hydrated: &[&Hydrated],
    user: &UserPolicies,
) -> Vec<Diagnostic> {
    hydrated
        .par_iter()
        .flat_map_iter(|h| check_target(root, cfg, h, user))
        .collect()
}

fn check_target(root: &Path, cfg: &Config, h: &Hydrated, user: &UserPolicies) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Ok(rendered) = &h.result else {
        return out;
    };
    let env = &h.target.env;
    let deny = severity(cfg, &PolicyDeny, env);
    let warn = severity(cfg, &PolicyWarn, env);
    if deny.is_none() && warn.is_none() {
        return out;
    }
    let resources: Vec<_> = rendered.resources.iter().map(|r| &r.node).collect();
    let docs: Vec<serde_json::Value> = resources.iter().map(|n| to_json(n)).collect();
    let mut engine = user.policies.set.evaluator();
    let context = serde_json::json!({"gitopsc": {
        "environment": env,
        "app": h.target.app,
        "target": h.target.id(),
        "resources": docs,
    }});
    let fallback = format!("{}/kustomization.yaml", h.target.source);
    let target_loc = location(None, root, &fallback);
    if let Err(e) = engine.add_data(Value::from(context)) {
        if let Some(sev) = deny {
            out.push(
                Diagnostic::new(
                    &PolicyDeny,
                    sev,
                    format!("cannot set data.gitopsc: {e}"),
                    target_loc,
                )
                .with_target(h.target.id()),
            );
        }
        return out;
    }
    let inputs: Vec<(Option<usize>, serde_json::Value)> = if user.combine {
        let named = resources
            .iter()
            .zip(&docs)
            .map(|(n, d)| (origin(root, n, &fallback), d.clone()))
            .collect();
        vec![(None, combined_input(named))]
    } else {
        docs.iter()
            .cloned()
            .enumerate()
            .map(|(i, d)| (Some(i), d))
            .collect()
    };
    for (idx, input) in inputs {
        engine.set_input(Value::from(input));
        for ns in &user.namespaces {
            let outcome = match eval::eval_namespace(&mut engine, &user.index, ns) {
                Ok(o) => o,
                Err(e) => {
                    if let Some(sev) = deny {
                        let d =
                            Diagnostic::new(&PolicyDeny, sev, e.to_string(), target_loc.clone());
                        out.push(attach(d, h, idx.map(|i| resources[i])));
                    }
                    continue;
                }
            };
            let groups: [(&dyn Rule, _, &[Finding]); 2] = [
                (&PolicyDeny, deny, &outcome.failures),
                (&PolicyWarn, warn, &outcome.warnings),
            ];
            for (rule, sev, findings) in groups {
                let Some(sev) = sev else { continue };
                for f in findings {
                    let res = match idx {
                        Some(i) => Some(resources[i]),
                        None => named_resource(&resources, f),
                    };
                    let path = f.metadata.get("path").and_then(|p| p.as_str());
                    let loc = match res {
                        Some(n) => locate(root, n, path, &fallback),
                        None => target_loc.clone(),
                    };
                    let d = Diagnostic::new(rule, sev, message(ns, f), loc);
                    out.push(attach(d, h, res));
                }
            }
        }
    }
    out
}

fn attach(d: Diagnostic, h: &Hydrated, res: Option<&crate::load::yaml::Node>) -> Diagnostic {
    let d = d.with_target(h.target.id());
    match res {
        Some(n) => d.with_resource(resource_key(n)),
        None => d,
    }
}

/// `main: msg`, or `main/ACME-1: msg` when the result carries an `id`.
fn message(ns: &str, f: &Finding) -> String {
    match f.metadata.get("id") {
        Some(serde_json::Value::String(id)) => format!("{ns}/{id}: {}", f.message),
        Some(id) if !id.is_null() => format!("{ns}/{id}: {}", f.message),
        _ => format!("{ns}: {}", f.message),
    }
}

/// In combined mode, the resource a result names with
/// `"resource": "Kind/namespace/name"`.
fn named_resource<'a>(
    resources: &[&'a crate::load::yaml::Node],
    f: &Finding,
) -> Option<&'a crate::load::yaml::Node> {
    let key = f.metadata.get("resource")?.as_str()?;
    resources.iter().copied().find(|n| resource_key(n) == key)
}

/// The repository file a rendered resource came from.
fn origin(root: &Path, n: &crate::load::yaml::Node, fallback: &str) -> String {
    location(n.span.as_ref(), root, fallback).file
}
