//! Argo CD objects the repository already holds, outside any kustomization
//! (plain directories Argo CD syncs as they are), and the URLs under which
//! Argo CD knows this repository.

use super::config::Config;
use super::discover::SKIP_DIRS;
use crate::load::yaml::{Node, parse_documents};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Files bigger than this are not manifests anyone edits by hand.
const MAX_MANIFEST_BYTES: u64 = 4 * 1024 * 1024;

/// Whether a document is an Argo CD object (`argoproj.io/*`).
pub fn is_argo(node: &Node) -> bool {
    node.get_str("apiVersion")
        .is_some_and(|v| v.starts_with("argoproj.io/"))
        && matches!(
            node.get_str("kind"),
            Some("Application" | "AppProject" | "ApplicationSet")
        )
}

/// Argo CD documents in YAML files below `root` that are not in `skip`
/// (repo-relative paths of files a kustomization already reads: those are
/// checked as rendered, with their provenance). The output folder is not
/// searched. Files that do not parse are not manifests (Helm templates,
/// fragments) and are passed over.
pub fn scan_manifests(root: &Path, cfg: &Config, skip: &BTreeSet<String>) -> Vec<Node> {
    let mut out = Vec::new();
    let output = root.join(cfg.output_dir());
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        entries.sort();
        for p in entries.into_iter().rev() {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let Ok(meta) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            if meta.is_dir() {
                if !name.starts_with('.') && !SKIP_DIRS.contains(&name.as_str()) && p != output {
                    stack.push(p);
                }
                continue;
            }
            if !meta.is_file()
                || meta.len() > MAX_MANIFEST_BYTES
                || !(name.ends_with(".yaml") || name.ends_with(".yml"))
            {
                continue;
            }
            let rel = p
                .strip_prefix(root)
                .unwrap_or(&p)
                .to_string_lossy()
                .into_owned();
            if skip.contains(&rel) || rel == super::config::FILE_NAME {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            if !text.contains("argoproj.io") {
                continue;
            }
            let Ok(docs) = parse_documents(&p.to_string_lossy(), &text) else {
                continue;
            };
            out.extend(docs.into_iter().filter(is_argo));
        }
    }
    out
}

/// This repository as Argo CD names it: `argocd.repoURL` of gitopsc.yaml,
/// else the `origin` remote of the git checkout. Normalised (see
/// [`normalize_repo_url`]). Empty when unknown.
pub fn repo_urls(root: &Path, cfg: &Config) -> Vec<String> {
    let mut urls = Vec::new();
    if let Some(u) = &cfg.argocd.repo_url {
        urls.push(normalize_repo_url(u));
    }
    if let Some(u) = origin_url(root) {
        urls.push(normalize_repo_url(&u));
    }
    urls.sort();
    urls.dedup();
    urls
}

/// The `url` of `[remote "origin"]` in `.git/config`, if any.
fn origin_url(root: &Path) -> Option<String> {
    let text = std::fs::read_to_string(root.join(".git").join("config")).ok()?;
    let mut in_origin = false;
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with('[') {
            in_origin = l == "[remote \"origin\"]";
        } else if in_origin
            && let Some((k, v)) = l.split_once('=')
            && k.trim() == "url"
        {
            return Some(v.trim().to_string());
        }
    }
    None
}

/// Lower case, no trailing `/` or `.git`, `git@host:path` as
/// `ssh://git@host/path`: the same repository compares equal however it is
/// written (as Argo CD normalises repository URLs).
pub fn normalize_repo_url(url: &str) -> String {
    let mut u = url.trim().to_ascii_lowercase();
    if !u.contains("://")
        && let Some((user_host, path)) = u.split_once(':')
        && user_host.contains('@')
    {
        u = format!("ssh://{user_host}/{path}");
    }
    while u.ends_with('/') {
        u.pop();
    }
    if let Some(s) = u.strip_suffix(".git") {
        u = s.to_string();
    }
    u
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_urls_compare_however_written() {
        assert_eq!(
            normalize_repo_url("https://GitLab.example/a/b.git/"),
            "https://gitlab.example/a/b"
        );
        assert_eq!(
            normalize_repo_url("git@gitlab.example:a/b.git"),
            "ssh://git@gitlab.example/a/b"
        );
    }

    #[test]
    fn scans_argo_documents_outside_kustomizations() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        std::fs::create_dir_all(r.join("apps")).unwrap();
        std::fs::create_dir_all(r.join("rendered/argocd")).unwrap();
        let app = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\n";
        std::fs::write(
            r.join("apps/a.yaml"),
            format!("{app}---\napiVersion: v1\nkind: ConfigMap\n"),
        )
        .unwrap();
        std::fs::write(r.join("apps/b.yaml"), app.replace("name: a", "name: b")).unwrap();
        std::fs::write(r.join("apps/tpl.yaml"), "argoproj.io {{ .Values }}: [\n").unwrap();
        std::fs::write(r.join("rendered/argocd/c.yaml"), app).unwrap();
        let skip: BTreeSet<String> = ["apps/b.yaml".to_string()].into();
        let found = scan_manifests(r, &Config::default(), &skip);
        let names: Vec<_> = found
            .iter()
            .filter_map(|n| n.get_path(&["metadata", "name"])?.as_str())
            .collect();
        assert_eq!(names, ["a"]);
    }
}
