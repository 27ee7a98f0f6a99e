//! GK001 to GK003 over hydrated targets (`gitopsc check`).

use super::constraint::Action;
use super::eval::{engine_with_data, violations};
use super::library::{Library, Problem, ScopedConstraint, load};
use super::matching::labels_of;
use super::review::{inventory, review_of_object, subject};
use crate::check::policy::location::{locate, resource_key};
use crate::check::rules::{GatekeeperDeny, GatekeeperInvalid, GatekeeperWarn};
use crate::check::run::severity;
use crate::check::{Diagnostic, Rule};
use crate::hydrate::targets::Hydrated;
use crate::load::yaml::{Node, json::to_json};
use crate::resolve::Config;
use rayon::prelude::*;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// Every Gatekeeper finding over `hydrated`, unsorted.
pub fn check_targets(
    root: &Path,
    cfg: &Config,
    hydrated: &[Hydrated],
    report: &[bool],
    listed: Option<&crate::check::scan::RepoFiles>,
) -> Vec<Diagnostic> {
    let lib = load(root, cfg, hydrated, listed);
    let mut out: Vec<Diagnostic> = lib
        .problems
        .iter()
        .filter_map(|p| invalid(root, cfg, p))
        .collect();
    if lib.constraints.is_empty() || lib.templates.is_empty() {
        return out;
    }
    let clusters = clusters(hydrated);
    out.par_extend(
        hydrated
            .par_iter()
            .zip(report)
            .filter(|(_, wanted)| **wanted)
            .flat_map_iter(|(h, _)| check_target(root, cfg, &lib, &clusters, h)),
    );
    out
}

fn invalid(root: &Path, cfg: &Config, p: &Problem) -> Option<Diagnostic> {
    let sev = severity(cfg, &GatekeeperInvalid, p.env.as_deref().unwrap_or(""))?;
    let loc = locate(root, &p.node, p.path, &p.file);
    Some(Diagnostic::new(
        &GatekeeperInvalid,
        sev,
        p.message.clone(),
        loc,
    ))
}

/// A field path a violation's `details` names, if any.
fn detail_path(details: &Value) -> Option<&str> {
    ["path", "field", "fieldPath"]
        .iter()
        .find_map(|k| details.get(*k).and_then(Value::as_str))
}

/// What an environment's cluster would hold once every target of the
/// environment is synced: its Namespaces' labels and `data.inventory`.
struct Cluster {
    namespaces: BTreeMap<String, Map<String, Value>>,
    data: regorus::Value,
}

fn clusters(hydrated: &[Hydrated]) -> BTreeMap<&str, Cluster> {
    let mut docs: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for h in hydrated {
        if let Ok(r) = &h.result {
            let list = docs.entry(h.target.env.as_str()).or_default();
            list.extend(r.resources.iter().map(|r| to_json(&r.node)));
        }
    }
    docs.into_iter()
        .map(|(env, docs)| {
            let namespaces = docs
                .iter()
                .filter(|d| d["kind"] == "Namespace" && d["apiVersion"] == "v1")
                .filter_map(|d| {
                    Some((
                        d.pointer("/metadata/name")?.as_str()?.to_string(),
                        labels_of(d),
                    ))
                })
                .collect();
            let data = regorus::Value::from(inventory(docs.iter()));
            (env, Cluster { namespaces, data })
        })
        .collect()
}

fn check_target(
    root: &Path,
    cfg: &Config,
    lib: &Library,
    clusters: &BTreeMap<&str, Cluster>,
    h: &Hydrated,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Ok(rendered) = &h.result else {
        return out;
    };
    let env = &h.target.env;
    let constraints = lib.for_env(env);
    // Constraints by template kind, for the templates that exist.
    let mut by_kind: BTreeMap<&str, Vec<&ScopedConstraint>> = BTreeMap::new();
    for c in constraints {
        if lib.templates.contains_key(&c.constraint.kind) && c.constraint.action != Action::Dryrun {
            by_kind
                .entry(c.constraint.kind.as_str())
                .or_default()
                .push(c);
        }
    }
    if by_kind.is_empty() {
        return out;
    }
    let resources: Vec<(&Node, Value)> = rendered
        .resources
        .iter()
        .map(|r| (&r.node, to_json(&r.node)))
        .collect();
    let Some(cluster) = clusters.get(env.as_str()) else {
        return out;
    };
    let ns_labels = |name: &str| cluster.namespaces.get(name).cloned();
    let data = &cluster.data;
    let fallback = format!("{}/kustomization.yaml", h.target.source);
    let target = h.target.id();
    let mut failed = HashSet::new();
    for (kind, cs) in by_kind {
        // Present: `by_kind` only holds kinds with a template.
        let Some(template) = lib.templates.get(kind) else {
            continue;
        };
        let mut engine = match engine_with_data(template, data) {
            Ok(e) => e,
            Err(e) => {
                out.extend(eval_error(
                    cfg,
                    &cs[0].found.node,
                    root,
                    env,
                    &fallback,
                    &target,
                    kind,
                    &e,
                ));
                continue;
            }
        };
        for (node, doc) in &resources {
            let review = review_of_object(doc);
            let s = subject(&review);
            for c in &cs {
                if !c.constraint.matcher.matches(&s, &ns_labels) {
                    continue;
                }
                let found = match violations(&mut engine, template, &c.constraint, &review) {
                    Ok(v) => v,
                    Err(e) => {
                        if failed.insert((kind, c.constraint.name.as_str())) {
                            let what = format!("{kind}/{}", c.constraint.name);
                            out.extend(eval_error(
                                cfg,
                                &c.found.node,
                                root,
                                env,
                                &fallback,
                                &target,
                                &what,
                                &e,
                            ));
                        }
                        continue;
                    }
                };
                let rule: &dyn Rule = match c.constraint.action {
                    Action::Deny => &GatekeeperDeny,
                    _ => &GatekeeperWarn,
                };
                let Some(sev) = severity(cfg, rule, env) else {
                    continue;
                };
                for v in found {
                    let loc = locate(root, node, detail_path(&v.details), &fallback);
                    out.push(
                        Diagnostic::new(
                            rule,
                            sev,
                            format!("[{}] {}", c.constraint.name, v.msg),
                            loc,
                        )
                        .with_help(format!(
                            "constraint {}/{} (template {})",
                            c.constraint.kind, c.constraint.name, template.name
                        ))
                        .with_target(target.clone())
                        .with_resource(resource_key(node)),
                    );
                }
            }
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn eval_error(
    cfg: &Config,
    node: &Node,
    root: &Path,
    env: &str,
    fallback: &str,
    target: &str,
    what: &str,
    message: &str,
) -> Option<Diagnostic> {
    let sev = severity(cfg, &GatekeeperInvalid, env)?;
    Some(
        Diagnostic::new(
            &GatekeeperInvalid,
            sev,
            format!("{what}: evaluation failed: {message}"),
            locate(root, node, None, fallback),
        )
        .with_target(target.to_string()),
    )
}
