//! IMG007: promotion order. For each consecutive pair of the promotion
//! chain (`staging → prod` by default), every image an app runs in the
//! later environment must be one the same app runs in the earlier one, be
//! a release behind it, or be listed in `images.promoted`.

use super::config::ImageConfig;
use super::reference::{Reference, release_version};
use super::{Deployed, KustomizationCache, finding, image_location};
use crate::check::Diagnostic;
use crate::check::rules::ImageNotPromoted;
use crate::check::run::severity;
use crate::hydrate::targets::Hydrated;
use crate::resolve::Config;
use std::path::Path;

/// Findings of the promotion rule; `images[i]` are the images of
/// `hydrated[i]`.
pub fn check(
    root: &Path,
    cfg: &Config,
    ic: &ImageConfig,
    hydrated: &[Hydrated],
    images: &[Vec<Deployed>],
) -> Vec<Diagnostic> {
    let mut envs = cfg.env_order.clone();
    if envs.is_empty() {
        envs = hydrated.iter().map(|h| h.target.env.clone()).collect();
        envs.sort();
        envs.dedup();
    }
    let chain = ic.chain(&envs);
    let mut kust = KustomizationCache::default();
    let mut out = Vec::new();
    for pair in chain.windows(2) {
        let (from, to) = (&pair[0], &pair[1]);
        for (i, h) in hydrated.iter().enumerate() {
            if &h.target.env != to || h.result.is_err() {
                continue;
            }
            let Some(sev) = severity(cfg, &ImageNotPromoted, to) else {
                continue;
            };
            let Some(j) = hydrated
                .iter()
                .position(|p| &p.target.env == from && p.target.app == h.target.app)
            else {
                continue;
            };
            if hydrated[j].result.is_err() {
                continue;
            }
            let before: Vec<&Reference> = images[j]
                .iter()
                .filter_map(|d| d.reference.as_ref().ok())
                .collect();
            for d in &images[i] {
                let Ok(r) = &d.reference else { continue };
                if ic.is_promoted(r) {
                    continue;
                }
                let Some(why) = verdict(r, &before, from) else {
                    continue;
                };
                let at = kust.refine(
                    root,
                    &image_location(root, h, d),
                    &["newTag", "digest", "newName", "name"],
                );
                let message = format!(
                    "`{}` runs in {to} but {why}: {}",
                    d.field.value,
                    d.subject(to)
                );
                out.push(
                    finding(&ImageNotPromoted, sev, h, d, message, at).with_help(format!(
                        "promote the image {from} runs, or list it under images.promoted in gitopsc.yaml"
                    )),
                );
            }
        }
    }
    out
}

/// Why `r` was not seen in environment `from` (whose images are
/// `before`), or None when it was (or is a release behind it).
fn verdict(r: &Reference, before: &[&Reference], from: &str) -> Option<String> {
    let same_repo: Vec<&&Reference> = before
        .iter()
        .filter(|b| b.repository() == r.repository())
        .collect();
    if same_repo.is_empty() {
        return Some(format!("{from} does not run {}", r.repository()));
    }
    if same_repo.iter().any(|b| same_build(r, b)) {
        return None;
    }
    let ours = r.tag.as_deref().and_then(release_version);
    let behind = same_repo.iter().any(|b| {
        let theirs = b.tag.as_deref().and_then(release_version);
        matches!((ours, theirs), (Some((a, _)), Some((b, _))) if a < b)
    });
    if behind {
        return None;
    }
    let seen: Vec<String> = same_repo.iter().map(|b| shown_version(b)).collect();
    Some(format!("{from} runs {}", seen.join(", ")))
}

/// The same build: equal digests, or equal tags where at most one side
/// pins a digest.
fn same_build(a: &Reference, b: &Reference) -> bool {
    match (&a.digest, &b.digest) {
        (Some(x), Some(y)) => x == y,
        _ => a.tag == b.tag,
    }
}

fn shown_version(r: &Reference) -> String {
    match (&r.tag, &r.digest) {
        (Some(t), _) => format!("{}:{t}", r.repository()),
        (None, Some(d)) => format!("{}@{d}", r.repository()),
        (None, None) => r.repository(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::image::reference::parse;

    fn v(r: &str, before: &[&str]) -> Option<String> {
        let b: Vec<Reference> = before.iter().map(|s| parse(s).unwrap()).collect();
        let refs: Vec<&Reference> = b.iter().collect();
        verdict(&parse(r).unwrap(), &refs, "staging")
    }

    #[test]
    fn verdicts() {
        assert_eq!(v("h.io/a:v1.0.0-main", &["h.io/a:v1.0.0-main"]), None);
        assert_eq!(v("h.io/a:v1.0.0-main", &["h.io/a:v1.1.0-main"]), None);
        assert_eq!(
            v("h.io/a:v1.2.0-main", &["h.io/a:v1.1.0-main"]).unwrap(),
            "staging runs h.io/a:v1.1.0-main"
        );
        assert_eq!(
            v("h.io/a:3f9c2e1a", &["h.io/a:4f9c2e1a"]).unwrap(),
            "staging runs h.io/a:4f9c2e1a"
        );
        assert_eq!(
            v("h.io/b:1.0.0", &["h.io/a:1.0.0"]).unwrap(),
            "staging does not run h.io/b"
        );
        let d = format!("sha256:{}", "a".repeat(64));
        assert_eq!(v(&format!("h.io/a@{d}"), &[&format!("h.io/a:x@{d}")]), None);
        assert!(
            v(
                &format!("h.io/a:x@{d}"),
                &[&format!("h.io/a:x@sha256:{}", "b".repeat(64))]
            )
            .is_some()
        );
        assert_eq!(v("nginx:1.27.0", &["docker.io/library/nginx:1.27.0"]), None);
    }
}
