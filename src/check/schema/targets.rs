//! The schema rules over hydrated targets: SCH001 to SCH006, each finding
//! at the source line that set the offending value.

use super::apis::{Lifecycle, is_builtin_group, lifecycle, similar_kind};
use super::bundle::{DEFAULT_VERSION, bundle, minor};
use super::catalog::{Catalog, CrdSchemas, Location, Lookup, UserSchemas};
use super::violations::{self, Kind, dotted};
use super::{Gvk, Header, SchemaError, header, resource_name, span_at};
use crate::check::rules::{
    DeprecatedApi, MalformedResource, RemovedApi, SchemaViolation, UnknownField, UnknownKind,
};
use crate::check::run::{location, severity};
use crate::check::scan::{self, RepoFiles};
use crate::check::{Diagnostic, Rule, Severity};
use crate::hydrate::targets::Hydrated;
use crate::load::yaml::json::to_json;
use crate::load::yaml::{Node, Span, parse_documents};
use crate::resolve::Config;
use rayon::prelude::*;
use std::path::Path;

/// Checks what makes a run unusable before anything is built: every
/// environment's Kubernetes version is bundled, every schema folder loads.
pub fn preflight(root: &Path, cfg: &Config) -> Result<(), SchemaError> {
    for env in &cfg.env_order {
        let v = cfg
            .environment(env)
            .kubernetes_version
            .unwrap_or_else(|| DEFAULT_VERSION.to_string());
        if bundle().version(&v).is_none() {
            let all = bundle().versions();
            return Err(SchemaError::new(
                format!(
                    "environment {env}: no bundled schemas for Kubernetes {v} (bundled: {} to {})",
                    all.first().map(String::as_str).unwrap_or("?"),
                    all.last().map(String::as_str).unwrap_or("?")
                ),
                &root.join(crate::resolve::config::FILE_NAME),
            ));
        }
    }
    UserSchemas::load(root, &cfg.schemas).map(|_| ())
}

/// The bundled minor for an environment (the nearest bundled one when the
/// configured minor is not bundled; [`preflight`] reports that case).
pub fn env_minor(cfg: &Config, env: &str) -> String {
    let want = cfg
        .environment(env)
        .kubernetes_version
        .unwrap_or_else(|| DEFAULT_VERSION.to_string());
    if bundle().version(&want).is_some() {
        return want;
    }
    let m = minor(&want).unwrap_or(34);
    bundle()
        .versions()
        .into_iter()
        .min_by_key(|v| minor(v).unwrap_or(0).abs_diff(m))
        .unwrap_or_else(|| DEFAULT_VERSION.to_string())
}

/// Every schema finding over `hydrated`, unsorted.
pub fn check_targets(
    root: &Path,
    cfg: &Config,
    hydrated: &[Hydrated],
    report: &[bool],
    listed: Option<&RepoFiles>,
) -> Vec<Diagnostic> {
    let user = UserSchemas::load(root, &cfg.schemas).unwrap_or_default();
    let mut crds = scan_repo_crds(root, cfg, listed.map(|l| l.crds.as_slice()));
    for h in hydrated {
        if let Ok(r) = &h.result {
            for res in r.resources.iter() {
                let origin = res
                    .node
                    .span
                    .as_ref()
                    .map(|s| s.file.to_string())
                    .unwrap_or_else(|| h.target.source.clone());
                crds.add(&res.node, &origin);
            }
        }
    }
    crds.known();
    let catalog = Catalog::new(vec![
        Location::User(user),
        Location::Crds(crds),
        Location::Kubernetes,
        Location::BundledCrds,
    ]);
    hydrated
        .par_iter()
        .zip(report)
        .flat_map_iter(|(h, wanted)| {
            let mut out = Vec::new();
            if let (Ok(r), true) = (&h.result, *wanted) {
                let ctx = Ctx::new(root, cfg, h, &catalog);
                for res in r.resources.iter() {
                    ctx.check(&res.node, res.meta.source.as_ref(), &mut out);
                }
            }
            out
        })
        .collect()
}

/// CRDs committed anywhere in the repository (vendored ones included),
/// found by a cheap text test before parsing.
fn scan_repo_crds(root: &Path, cfg: &Config, listed: Option<&[String]>) -> CrdSchemas {
    let files = scan::files(root, cfg.output_dir(), listed);
    let mut crds = CrdSchemas::default();
    for f in files {
        let Ok(bytes) = std::fs::read(&f) else {
            continue;
        };
        if !scan::contains(&bytes, b"CustomResourceDefinition")
            && !scan::contains(&bytes, b"ConstraintTemplate")
        {
            continue;
        }
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        let shown = f
            .strip_prefix(root)
            .unwrap_or(&f)
            .to_string_lossy()
            .into_owned();
        let Ok(docs) = parse_documents(&shown, &text) else {
            continue;
        };
        for d in docs {
            crds.add(&d, &shown);
        }
    }
    crds
}

struct Ctx<'a> {
    root: &'a Path,
    env: &'a str,
    target: String,
    fallback: String,
    minor: String,
    catalog: &'a Catalog,
    sev: [Option<Severity>; 6],
}

const RULES: [&dyn Rule; 6] = [
    &SchemaViolation,
    &UnknownField,
    &UnknownKind,
    &MalformedResource,
    &RemovedApi,
    &DeprecatedApi,
];

impl<'a> Ctx<'a> {
    fn new(root: &'a Path, cfg: &'a Config, h: &'a Hydrated, catalog: &'a Catalog) -> Ctx<'a> {
        let env = h.target.env.as_str();
        Ctx {
            root,
            env,
            target: h.target.id(),
            fallback: format!("{}/kustomization.yaml", h.target.source),
            minor: env_minor(cfg, env),
            catalog,
            sev: RULES.map(|r| severity(cfg, r, env)),
        }
    }

    fn emit(
        &self,
        out: &mut Vec<Diagnostic>,
        rule: usize,
        span: Option<&Span>,
        message: String,
        help: Option<String>,
    ) {
        let Some(sev) = self.sev[rule] else { return };
        let mut d = Diagnostic::new(
            RULES[rule],
            sev,
            message,
            location(span, self.root, &self.fallback),
        )
        .with_target(self.target.clone());
        if let Some(h) = help {
            d = d.with_help(h);
        }
        out.push(d);
    }

    fn check(&self, node: &Node, source: Option<&Span>, out: &mut Vec<Diagnostic>) {
        let span = node.span.as_ref().or(source);
        let gvk = match header(node) {
            Header::Typed(g) => g,
            Header::NotMapping => {
                return self.emit(
                    out,
                    3,
                    span,
                    format!("a resource in {} is not a mapping", self.env),
                    None,
                );
            }
            Header::MissingKind | Header::MissingApiVersion => {
                let field = if header(node) == Header::MissingKind {
                    "kind"
                } else {
                    "apiVersion"
                };
                let what = node.get_str("kind").unwrap_or("resource");
                let name = resource_name(node);
                let at = node.get(field).and_then(|n| n.span.as_ref()).or(span);
                return self.emit(
                    out,
                    3,
                    at,
                    format!("{what}/{name} in {} has no {field}", self.env),
                    Some(format!(
                        "add `{field}:`; every Kubernetes object needs apiVersion and kind"
                    )),
                );
            }
        };
        let name = resource_name(node);
        let api = gvk.api_version();
        let what = format!("{}/{name}", gvk.kind);
        let api_span = node
            .get("apiVersion")
            .and_then(|n| n.span.as_ref())
            .or(span);
        match lifecycle(&self.minor, &gvk) {
            Lifecycle::Removed {
                removed_in,
                replacement,
            } => {
                return self.emit(
                    out,
                    4,
                    api_span,
                    format!(
                        "{api} {} is not served by Kubernetes {} (removed in 1.{removed_in}): {what} in {}",
                        gvk.kind, self.minor, self.env
                    ),
                    Some(replacement_help(&gvk, replacement.as_deref())),
                );
            }
            Lifecycle::NotYet { introduced_in } => {
                return self.emit(
                    out,
                    4,
                    api_span,
                    format!(
                        "{api} {} is not served by Kubernetes {} (added in 1.{introduced_in}): {what} in {}",
                        gvk.kind, self.minor, self.env
                    ),
                    Some(format!(
                        "raise kubernetesVersion of {} in gitopsc.yaml if the cluster runs 1.{introduced_in} or later, or use an API version it serves",
                        self.env
                    )),
                );
            }
            Lifecycle::Deprecated {
                removed_in,
                replacement,
            } => self.emit(
                out,
                5,
                api_span,
                format!(
                    "{api} {} is deprecated and removed in Kubernetes 1.{removed_in}: {what} in {}",
                    gvk.kind, self.env
                ),
                Some(replacement_help(&gvk, replacement.as_deref())),
            ),
            Lifecycle::Served | Lifecycle::Unknown => {}
        }
        let compiled = match self.catalog.lookup(&self.minor, &gvk, true) {
            Lookup::Found(c) => c,
            Lookup::Missing => {
                let hint = if is_builtin_group(&gvk.group) {
                    match similar_kind(&self.minor, &gvk) {
                        Some(k) => format!(
                            "Kubernetes {} serves no {api} {}; did you mean {k}?",
                            self.minor, gvk.kind
                        ),
                        None => format!(
                            "Kubernetes {} serves no {api} {}; check the kind's spelling",
                            self.minor, gvk.kind
                        ),
                    }
                } else {
                    "commit the CRD, or add its JSON schema to a `schemas:` folder in gitopsc.yaml; \
severity SCH003 off ignores unknown kinds"
                        .to_string()
                };
                let kind_span = node.get("kind").and_then(|n| n.span.as_ref()).or(span);
                return self.emit(
                    out,
                    2,
                    kind_span,
                    format!(
                        "no schema for {api} {}: {what} in {} is not validated",
                        gvk.kind, self.env
                    ),
                    Some(hint),
                );
            }
            Lookup::Broken(e) => {
                return self.emit(
                    out,
                    2,
                    span,
                    format!("{what} in {} is not validated: {e}", self.env),
                    None,
                );
            }
        };
        let value = to_json(node);
        let redact = gvk.kind == "Secret";
        for v in violations::check(&compiled.validator, &value, redact) {
            let unknown = v.kind == Kind::UnknownField;
            let at = span_at(node, &v.pointer, unknown).or_else(|| span.cloned());
            let path = dotted(&v.pointer);
            let place = if path.is_empty() {
                what.clone()
            } else {
                format!("{path} of {what}")
            };
            let message = format!("{place} in {}: {}", self.env, v.message);
            let help = if unknown {
                Some(format!(
                    "{api} {} declares no such field; check its spelling and indentation",
                    gvk.kind
                ))
            } else {
                Some(format!(
                    "checked against the schema of {api} {} from {}",
                    gvk.kind, compiled.origin
                ))
            };
            self.emit(out, if unknown { 1 } else { 0 }, at.as_ref(), message, help);
        }
    }
}

fn replacement_help(gvk: &Gvk, replacement: Option<&str>) -> String {
    match replacement {
        Some(r) => format!(
            "use apiVersion: {r} for {} (fields may differ: see the Kubernetes deprecated API migration guide)",
            gvk.kind
        ),
        None if gvk.kind == "PodSecurityPolicy" => {
            "PodSecurityPolicy has no replacement API: use Pod Security Admission (namespace labels \
pod-security.kubernetes.io/enforce) or a policy engine"
                .to_string()
        }
        None => format!(
            "no other API version serves {}; remove the resource or its dependency",
            gvk.kind
        ),
    }
}
