//! The build graph a reviewer reads: environments hold targets, a target
//! builds one kustomization (its overlay), which uses bases and components.
//! Read statically from the kustomization files (no build), so it shows
//! what a folder feeds even when a build fails.

use super::discover::kustomization_refs;
use super::target::Target;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What a kustomization folder is to the repository.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DirKind {
    /// The root of at least one target.
    Overlay,
    /// Used by another kustomization as a resource.
    Base,
    /// A `kind: Component`.
    Component,
}

impl DirKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DirKind::Overlay => "overlay",
            DirKind::Base => "base",
            DirKind::Component => "component",
        }
    }
}

/// How one kustomization uses another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Use {
    Resource,
    Component,
}

#[derive(Debug, Default)]
pub struct Graph {
    /// Environment → target ids (`app/env`) in it, sorted.
    pub environments: BTreeMap<String, Vec<String>>,
    /// Target id → its kustomization folder (repo-relative).
    pub targets: BTreeMap<String, String>,
    /// Kustomization folders (repo-relative) and what they are.
    pub dirs: BTreeMap<String, DirKind>,
    /// `(from, to, how)` between folders, sorted.
    pub uses: BTreeSet<(String, String, Use)>,
}

/// The graph of `targets`, following every kustomization they use.
pub fn build(root: &Path, targets: &[Target]) -> Graph {
    let mut g = Graph::default();
    let mut seen: BTreeSet<PathBuf> = BTreeSet::new();
    let mut stack: Vec<PathBuf> = Vec::new();
    let mut components: BTreeSet<String> = BTreeSet::new();
    let mut roots: BTreeSet<String> = BTreeSet::new();
    for t in targets {
        g.environments
            .entry(t.env.clone())
            .or_default()
            .push(t.id());
        g.targets.insert(t.id(), t.source.clone());
        roots.insert(t.source.clone());
        stack.push(t.dir.clone());
    }
    for ids in g.environments.values_mut() {
        ids.sort();
    }
    while let Some(dir) = stack.pop() {
        if !seen.insert(dir.clone()) {
            continue;
        }
        let from = rel(root, &dir);
        let refs = kustomization_refs(&dir);
        if refs.is_component {
            components.insert(from.clone());
        }
        let used = refs.resources.into_iter().map(|r| (r, Use::Resource));
        for (r, how) in used.chain(refs.components.into_iter().map(|r| (r, Use::Component))) {
            g.uses.insert((from.clone(), rel(root, &r), how));
            stack.push(r);
        }
    }
    for dir in seen {
        let name = rel(root, &dir);
        let kind = if components.contains(&name) {
            DirKind::Component
        } else if roots.contains(&name) {
            DirKind::Overlay
        } else {
            DirKind::Base
        };
        g.dirs.insert(name, kind);
    }
    g
}

fn rel(root: &Path, p: &Path) -> String {
    let r = p
        .strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .into_owned();
    if r.is_empty() { ".".to_string() } else { r }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::{Config, discover};

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn overlays_bases_components_and_environments() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        write(r, "apps/web/base/kustomization.yaml", "resources: []\n");
        write(
            r,
            "apps/web/overlays/dev/kustomization.yaml",
            "resources:\n- ../../base\n",
        );
        write(
            r,
            "apps/web/overlays/prod/kustomization.yaml",
            "resources:\n- ../../base\ncomponents:\n- ../../../../components/x\n",
        );
        write(
            r,
            "components/x/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nnamePrefix: x-\n",
        );
        let root = std::fs::canonicalize(r).unwrap();
        let targets = discover::targets(&root, &Config::default());
        let g = build(&root, &targets);
        assert_eq!(g.environments["prod"], ["web/prod"]);
        assert_eq!(g.dirs["apps/web/base"], DirKind::Base);
        assert_eq!(g.dirs["apps/web/overlays/dev"], DirKind::Overlay);
        assert_eq!(g.dirs["components/x"], DirKind::Component);
        assert!(g.uses.contains(&(
            "apps/web/overlays/prod".into(),
            "components/x".into(),
            Use::Component
        )));
        assert!(g.uses.contains(&(
            "apps/web/overlays/dev".into(),
            "apps/web/base".into(),
            Use::Resource
        )));
    }
}
