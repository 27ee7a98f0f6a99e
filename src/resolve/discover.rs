//! Finding targets: from the `apps` globs of `gitopsc.yaml`, or without a
//! config, every kustomization root that no other kustomization uses.

use super::config::Config;
use super::target::Target;
use crate::hydrate::kustomize::kustomization::{FILE_NAMES, Kustomization};
use crate::load::yaml::parse_single_last_key_wins;
use crate::source::{DiskFs, Fs, normalize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Folders never searched: VCS data, build output, dependencies.
pub(crate) const SKIP_DIRS: [&str; 5] = [".git", "target", "node_modules", ".gitopsc", "vendor"];

/// The plain disk: every path readable, symlinks followed (what the
/// discovery walk did before it went through [`Fs`]).
fn plain_disk() -> Option<DiskFs> {
    DiskFs::new(Path::new("/")).ok()
}

/// All targets of the repository at `root`, sorted by environment and app.
pub fn targets(root: &Path, cfg: &Config) -> Vec<Target> {
    match plain_disk() {
        Some(fs) => targets_in(&fs, root, cfg),
        None => Vec::new(),
    }
}

/// [`targets`] in any file tree (e.g. a git revision); `root` is the
/// repository's root inside `fs`.
pub fn targets_in(fs: &dyn Fs, root: &Path, cfg: &Config) -> Vec<Target> {
    let mut out = if cfg.apps.is_empty() {
        discover_roots(fs, root, cfg)
    } else {
        from_globs(fs, root, cfg)
    };
    if !cfg.env_order.is_empty() {
        out.retain(|t| cfg.env_order.contains(&t.env));
    }
    disambiguate(&mut out);
    out.sort();
    out.dedup_by(|a, b| a.dir == b.dir);
    out
}

fn from_globs(fs: &dyn Fs, root: &Path, cfg: &Config) -> Vec<Target> {
    let envs: Vec<String> = if cfg.env_order.is_empty() {
        vec!["default".to_string()]
    } else {
        cfg.env_order.clone()
    };
    let mut out = Vec::new();
    for src in &cfg.apps {
        for env in &envs {
            if src.environments.as_ref().is_some_and(|l| !l.contains(env)) {
                continue;
            }
            let pattern = src.path.replace("{env}", env);
            let segments: Vec<&str> = pattern
                .split('/')
                .filter(|s| !s.is_empty() && *s != ".")
                .collect();
            for (dir, captured) in glob_dirs(fs, root, &segments) {
                if !has_kustomization(fs, &dir) {
                    continue;
                }
                let source = rel(root, &dir);
                let app = captured.unwrap_or_else(|| app_from_path(&source));
                out.push(Target {
                    env: env.clone(),
                    app,
                    source,
                    dir,
                });
            }
        }
    }
    out
}

/// Directories matching `segments` (`*` = one segment); the first `*`
/// match is returned as the app name.
fn glob_dirs(fs: &dyn Fs, root: &Path, segments: &[&str]) -> Vec<(PathBuf, Option<String>)> {
    let mut current: Vec<(PathBuf, Option<String>)> = vec![(root.to_path_buf(), None)];
    for seg in segments {
        let mut next = Vec::new();
        for (dir, cap) in current {
            if seg.contains('*') {
                for entry in sorted_subdirs(fs, &dir) {
                    let name = entry
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    if wildcard_match(seg, &name) {
                        let cap = cap.clone().or_else(|| Some(name.clone()));
                        next.push((entry, cap));
                    }
                }
            } else {
                let p = dir.join(seg);
                if fs.is_dir(&p) {
                    next.push((p, cap));
                }
            }
        }
        current = next;
    }
    current
}

fn wildcard_match(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((pre, post)) => {
            name.len() >= pre.len() + post.len() && name.starts_with(pre) && name.ends_with(post)
        }
    }
}

fn sorted_subdirs(fs: &dyn Fs, dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs
        .list(dir)
        .map(|l| l.into_iter().filter(|p| fs.is_dir(p)).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn is_file(fs: &dyn Fs, p: &Path) -> bool {
    fs.exists(p) && !fs.is_dir(p)
}

fn has_kustomization(fs: &dyn Fs, dir: &Path) -> bool {
    FILE_NAMES.iter().any(|f| is_file(fs, &dir.join(f)))
}

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .into_owned()
}

/// `apps/web/overlays/prod` → `web`; otherwise the folder's name.
fn app_from_path(source: &str) -> String {
    let parts: Vec<&str> = source.split('/').collect();
    match parts.iter().position(|p| *p == "overlays") {
        Some(i) if i > 0 => parts[i - 1].to_string(),
        _ => parts.last().copied().unwrap_or("root").to_string(),
    }
}

fn env_from_path(source: &str) -> String {
    let parts: Vec<&str> = source.split('/').collect();
    match parts.iter().position(|p| *p == "overlays") {
        Some(i) if i + 1 < parts.len() => parts[i + 1].to_string(),
        _ => "default".to_string(),
    }
}

/// Every kustomization directory below `root`.
fn kustomization_dirs(fs: &dyn Fs, root: &Path, skip: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if has_kustomization(fs, &dir) {
            out.push(dir.clone());
        }
        for sub in sorted_subdirs(fs, &dir) {
            let name = sub
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.starts_with('.')
                || SKIP_DIRS.contains(&name.as_str())
                || rel(root, &sub) == skip
            {
                continue;
            }
            stack.push(sub);
        }
    }
    out.sort();
    out
}

/// Directories a kustomization refers to (resources, bases, components),
/// and whether it is a Component.
pub(crate) fn references(fs: &dyn Fs, dir: &Path) -> (Vec<PathBuf>, bool) {
    let r = kustomization_refs_in(fs, dir);
    let mut all = r.resources;
    all.extend(r.components);
    (all, r.is_component)
}

/// The folders one kustomization uses, by field.
#[derive(Default)]
pub(crate) struct Refs {
    /// `resources` and `bases` entries that are folders.
    pub resources: Vec<PathBuf>,
    /// `components` entries.
    pub components: Vec<PathBuf>,
    /// Whether the kustomization itself is a `kind: Component`.
    pub is_component: bool,
}

pub(crate) fn kustomization_refs(dir: &Path) -> Refs {
    match plain_disk() {
        Some(fs) => kustomization_refs_in(&fs, dir),
        None => Refs::default(),
    }
}

pub(crate) fn kustomization_refs_in(fs: &dyn Fs, dir: &Path) -> Refs {
    let Some(file) = FILE_NAMES
        .iter()
        .map(|f| dir.join(f))
        .find(|p| is_file(fs, p))
    else {
        return Refs::default();
    };
    let Ok(text) = fs.read(&file).map(String::from_utf8) else {
        return Refs::default();
    };
    let Ok(text) = text else {
        return Refs::default();
    };
    let name = file.to_string_lossy().into_owned();
    let Ok(node) = parse_single_last_key_wins(&name, &text) else {
        return Refs::default();
    };
    let Ok(k) = Kustomization::from_node(&name, node) else {
        return Refs::default();
    };
    let dirs = |fields: &[&str]| {
        let mut out = Vec::new();
        for field in fields {
            for (entry, _) in k.string_list(field).unwrap_or_default() {
                let p = normalize(&dir.join(entry));
                if fs.is_dir(&p) {
                    out.push(p);
                }
            }
        }
        out
    };
    Refs {
        resources: dirs(&["resources", "bases"]),
        components: dirs(&["components"]),
        is_component: k.is_component,
    }
}

fn discover_roots(fs: &dyn Fs, root: &Path, cfg: &Config) -> Vec<Target> {
    let dirs = kustomization_dirs(fs, root, cfg.output_dir());
    let mut referenced = BTreeSet::new();
    let mut components = BTreeSet::new();
    for d in &dirs {
        let (refs, is_component) = references(fs, d);
        referenced.extend(refs);
        if is_component {
            components.insert(d.clone());
        }
    }
    dirs.into_iter()
        .filter(|d| !referenced.contains(d) && !components.contains(d))
        .map(|dir| {
            let source = rel(root, &dir);
            Target {
                env: env_from_path(&source),
                app: app_from_path(&source),
                source,
                dir,
            }
        })
        .collect()
}

/// Two targets with the same app and env get their path as app name.
fn disambiguate(targets: &mut [Target]) {
    let mut seen: std::collections::HashMap<(String, String), usize> =
        std::collections::HashMap::new();
    for t in targets.iter() {
        *seen.entry((t.app.clone(), t.env.clone())).or_default() += 1;
    }
    for t in targets.iter_mut() {
        if seen[&(t.app.clone(), t.env.clone())] > 1 {
            t.app = t.source.replace('/', "-");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn repo() -> tempfile::TempDir {
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
        write(r, "platform/kustomization.yaml", "resources: []\n");
        t
    }

    #[test]
    fn discovers_roots_without_config() {
        let t = repo();
        let found: Vec<String> = targets(t.path(), &Config::default())
            .iter()
            .map(|t| format!("{} {} {}", t.env, t.app, t.source))
            .collect();
        assert_eq!(
            found,
            [
                "default platform platform",
                "dev web apps/web/overlays/dev",
                "prod web apps/web/overlays/prod"
            ]
        );
    }

    #[test]
    fn follows_config_globs() {
        let t = repo();
        let cfg = Config::parse(
            "gitopsc.yaml",
            "environments:\n  dev:\n  prod:\napps:\n- path: apps/*/overlays/{env}\n",
        )
        .unwrap();
        let found: Vec<String> = targets(t.path(), &cfg).iter().map(Target::id).collect();
        assert_eq!(found, ["web/dev", "web/prod"]);
    }
}
