//! Image rules (IMG001 to IMG007) over hydrated targets: every image field
//! of every rendered workload, parsed as an OCI reference and checked
//! against its environment's rules; the promotion chain across
//! environments. Each finding points at the line that set the image: the
//! overlay's `images:` entry when one rewrote it, else the manifest.
//!
//! - [`reference`]: the reference grammar, immutable tags.
//! - [`extract`]: which fields hold images.
//! - [`config`]: the `images` sections of gitopsc.yaml, environment tiers.
//! - [`promotion`]: the promotion-order rule.

pub mod config;
pub mod extract;
pub mod promotion;
pub mod reference;

use crate::check::policy::location::resource_key;
use crate::check::rules::{
    ImageRegistryNotAllowed, ImageTagLatest, ImageTagMissing, ImageTagMutable, ImageTagPattern,
    InvalidImageReference,
};
use crate::check::run::{location, severity};
use crate::check::{Diagnostic, Location, Rule};
use crate::hydrate::targets::Hydrated;
use crate::load::yaml::{Node, parse_single};
use crate::resolve::{Config, ConfigError};
use config::{EnvImages, ImageConfig, Tier, registry_allowed};
use extract::ImageField;
use reference::{Reference, is_immutable_tag};
use std::path::Path;

/// Checks the `images` configuration before a run: a bad value is a
/// configuration error (exit 2) at its line of gitopsc.yaml.
pub fn preflight(root: &Path, cfg: &Config) -> Result<(), ConfigError> {
    ImageConfig::load(root, cfg).map(|_| ())
}

/// One image as deployed: where, in what, and its parsed reference.
pub struct Deployed<'a> {
    pub field: ImageField,
    pub resource: &'a Node,
    pub reference: Result<Reference, reference::RefError>,
}

impl Deployed<'_> {
    /// `container api of Deployment/web in prod`.
    pub fn subject(&self, env: &str) -> String {
        let kind = self.resource.get_str("kind").unwrap_or("");
        let name = self
            .resource
            .get_path(&["metadata", "name"])
            .and_then(Node::as_str)
            .unwrap_or("");
        match &self.field.container {
            Some(c) => format!("container {c} of {kind}/{name} in {env}"),
            None => format!("{} of {kind}/{name} in {env}", self.field.path),
        }
    }
}

/// Every image of a hydrated target.
pub fn deployed(h: &Hydrated) -> Vec<Deployed<'_>> {
    let Ok(r) = &h.result else {
        return Vec::new();
    };
    r.resources
        .iter()
        .flat_map(|res| {
            extract::images(&res.node)
                .into_iter()
                .map(|field| Deployed {
                    reference: reference::parse(&field.value),
                    field,
                    resource: &res.node,
                })
        })
        .collect()
}

/// Every image finding over `hydrated`, unsorted.
pub fn check_targets(root: &Path, cfg: &Config, hydrated: &[Hydrated]) -> Vec<Diagnostic> {
    let Some(ic) = ImageConfig::parse(cfg) else {
        // Reported as a configuration error by `preflight`.
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut kust = KustomizationCache::default();
    let images: Vec<Vec<Deployed>> = hydrated.iter().map(deployed).collect();
    for (h, imgs) in hydrated.iter().zip(&images) {
        let env = h.target.env.as_str();
        let rules = ic.env(env);
        for d in imgs {
            check_one(root, cfg, h, &rules, d, &mut kust, &mut out);
        }
    }
    out.extend(promotion::check(root, cfg, &ic, hydrated, &images));
    out
}

/// A finding about image `d` of target `h`.
pub fn finding(
    rule: &dyn Rule,
    sev: crate::check::Severity,
    h: &Hydrated,
    d: &Deployed,
    message: String,
    at: Location,
) -> Diagnostic {
    Diagnostic::new(rule, sev, message, at)
        .with_target(h.target.id())
        .with_resource(resource_key(d.resource))
}

/// Where image `d` was set: the image scalar's provenance, else the
/// resource's origin.
pub fn image_location(root: &Path, h: &Hydrated, d: &Deployed) -> Location {
    let fallback = format!("{}/kustomization.yaml", h.target.source);
    location(
        d.field.span.as_ref().or(d.resource.span.as_ref()),
        root,
        &fallback,
    )
}

fn check_one(
    root: &Path,
    cfg: &Config,
    h: &Hydrated,
    rules: &EnvImages,
    d: &Deployed,
    kust: &mut KustomizationCache,
    out: &mut Vec<Diagnostic>,
) {
    let env = h.target.env.as_str();
    let at = image_location(root, h, d);
    let written = &d.field.value;
    let subject = d.subject(env);
    let mut emit = |rule: &dyn Rule, message: String, at: Location, help: Option<String>| {
        if let Some(sev) = severity(cfg, rule, env) {
            let mut f = finding(rule, sev, h, d, message, at);
            if let Some(help) = help {
                f = f.with_help(help);
            }
            out.push(f);
        }
    };
    let r = match &d.reference {
        Ok(r) => r,
        Err(e) => {
            emit(
                &InvalidImageReference,
                format!("`{written}` is not a valid image reference ({e}): {subject}"),
                at,
                Some(
                    "write [registry[:port]/]path[:tag][@sha256:digest] with a lowercase path"
                        .into(),
                ),
            );
            return;
        }
    };
    let guarded = rules.tier >= Tier::Staging;
    let pinned = r.digest.is_some();
    match r.tag.as_deref() {
        None if guarded && !pinned => emit(
            &ImageTagMissing,
            format!("`{written}` has no tag or digest, so it runs whatever `latest` is: {subject}"),
            kust.refine(root, &at, &["newTag", "digest", "newName", "name"]),
            Some(format!(
                "set the tag in the overlay: images: - name: {} newTag: <commit SHA or vX.Y.Z-branch>",
                r.repository().trim_start_matches("docker.io/library/")
            )),
        ),
        Some(t) if guarded && !pinned && t.eq_ignore_ascii_case("latest") => emit(
            &ImageTagLatest,
            format!("`{written}` uses the moving tag `{t}`: {subject}"),
            kust.refine(root, &at, &["newTag"]),
            Some(
                "pin the commit SHA or release tag the CI built (newTag: 3f9c2e1a or v1.4.2-main)"
                    .into(),
            ),
        ),
        Some(t) if rules.tier == Tier::Prod && !pinned && !is_immutable_tag(t) => emit(
            &ImageTagMutable,
            format!(
                "`{written}` has the tag `{t}`, which can move; production needs a commit SHA, a release version or a digest: {subject}"
            ),
            kust.refine(root, &at, &["newTag"]),
            Some(
                "use the commit SHA (7 to 40 hex digits), vX.Y.Z[-branch], or add @sha256:<digest>"
                    .into(),
            ),
        ),
        _ => {}
    }
    if let Some(allowed) = &rules.registries {
        let repo = r.repository();
        if !registry_allowed(&repo, allowed) {
            emit(
                &ImageRegistryNotAllowed,
                format!(
                    "`{written}` comes from {} ({repo}), which is not an allowed registry ({}): {subject}",
                    r.domain,
                    allowed.join(", ")
                ),
                kust.refine(root, &at, &["newName", "name"]),
                Some("mirror the image into an allowed registry and point newName at it".into()),
            );
        }
    }
    if let Some(re) = &rules.tag_pattern
        && !(r.tag.is_none() && pinned)
    {
        let tag = r.tag.as_deref().unwrap_or("");
        if !re.is_match(tag) {
            emit(
                &ImageTagPattern,
                format!(
                    "the tag `{tag}` of `{written}` does not match the tagPattern `{}` of {env}: {subject}",
                    re.as_str()
                ),
                kust.refine(root, &at, &["newTag"]),
                None,
            );
        }
    }
}

/// Kustomization files read to move a location from an `images:` entry's
/// line to the field a rule is about (`newName` for a registry, `newTag`
/// for a tag).
#[derive(Default)]
pub struct KustomizationCache {
    files: std::collections::HashMap<String, Option<Node>>,
}

const KUSTOMIZATION_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

impl KustomizationCache {
    /// `at` moved to the first of `keys` set in the `images:` entry that
    /// holds line `at.line`, when `at` is in a kustomization file.
    pub fn refine(&mut self, root: &Path, at: &Location, keys: &[&str]) -> Location {
        let is_kust = Path::new(&at.file)
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| KUSTOMIZATION_NAMES.contains(&n));
        if !is_kust {
            return at.clone();
        }
        let node = self.files.entry(at.file.clone()).or_insert_with(|| {
            let text = std::fs::read_to_string(root.join(&at.file)).ok()?;
            parse_single(&at.file, &text).ok()
        });
        let Some(k) = node.as_ref() else {
            return at.clone();
        };
        for list in ["images", "imageTags"] {
            let Some(entries) = k.get(list).and_then(Node::as_seq) else {
                continue;
            };
            for e in entries {
                let Some(m) = e.as_map() else { continue };
                let holds = m
                    .entries
                    .iter()
                    .any(|f| f.value.span.as_ref().is_some_and(|s| s.line == at.line));
                if !holds {
                    continue;
                }
                for key in keys {
                    if let Some(s) = e.get(key).and_then(|v| v.span.as_ref()) {
                        return Location {
                            file: at.file.clone(),
                            line: s.line,
                            column: s.col,
                        };
                    }
                }
            }
        }
        at.clone()
    }
}
