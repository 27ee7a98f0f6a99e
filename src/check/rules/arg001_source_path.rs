//! ARG001: an Application's source path does not exist in the repository.

use crate::check::argocd::{ArgoApp, ArgoRepo, ArgoRule, Finding, sources, span_at};
use crate::check::{Rule, Severity};
use std::path::Path;

pub struct SourcePath;

impl Rule for SourcePath {
    fn id(&self) -> &'static str {
        "ARG001"
    }
    fn name(&self) -> &'static str {
        "argocd-source-path"
    }
    fn domain(&self) -> &'static str {
        "argocd"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "an Argo CD Application's source path does not exist in this repository"
    }
    fn docs(&self) -> &'static str {
        "An Application whose `spec.source.path` (or a `spec.sources[].path`) \
names a folder that is not in the repository never syncs: Argo CD reports \
`app path does not exist` and the application stays in ComparisonError. It \
usually follows a rename or a move of an overlay.\n\n\
gitopsc checks the sources that point at this repository: their `repoURL` \
is `argocd.repoURL` of gitopsc.yaml or the `origin` remote of the checkout \
(sources of other repositories and Helm charts are not checked). A path \
below the output folder (`rendered/` by default) is produced by \
`gitopsc build`; it is accepted when it names an environment or the \
generated `argocd` folder.\n\n\
Fix: correct `path`, relative to the repository root, e.g.\n\n\
```yaml\nspec:\n  source:\n    repoURL: https://gitlab.example.com/platform/gitops.git\n    \
path: apps/web/overlays/prod\n```"
    }
}

impl ArgoRule for SourcePath {
    fn check_app(&self, repo: &ArgoRepo, app: &ArgoApp) -> Vec<Finding> {
        let mut out = Vec::new();
        for src in sources(app.node) {
            let Some(path) = src.get_str("path") else {
                continue;
            };
            let Some(url) = src.get_str("repoURL") else {
                continue;
            };
            if src.get("chart").is_some() || !repo.is_this_repo(url) || exists(repo, path) {
                continue;
            }
            let mut f = Finding::new(
                format!(
                    "Application '{}': source path '{path}' does not exist in the repository",
                    app.name
                ),
                span_at(src, &["path"]),
            );
            if let Some(s) = suggestion(repo.root, path) {
                f = f.help(format!("did you mean '{s}'?"));
            } else {
                f = f.help("the path is relative to the repository root");
            }
            out.push(f);
        }
        out
    }
}

fn clean(path: &str) -> String {
    path.trim_start_matches("./").trim_matches('/').to_string()
}

fn exists(repo: &ArgoRepo, path: &str) -> bool {
    let p = clean(path);
    if p.is_empty() || p == "." {
        return true;
    }
    if Path::new(&p)
        .components()
        .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return false;
    }
    if let Some(rest) = p.strip_prefix(&format!("{}/", repo.output_dir)) {
        let first = rest.split('/').next().unwrap_or("");
        return first == "argocd" || repo.environments.iter().any(|e| e == first);
    }
    if p == repo.output_dir {
        return true;
    }
    repo.root.join(&p).is_dir()
}

/// The closest existing path: the longest existing prefix, then the most
/// similar entry at the first missing level.
fn suggestion(root: &Path, path: &str) -> Option<String> {
    let p = clean(path);
    let parts: Vec<&str> = p.split('/').collect();
    let mut good = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let dir = root.join(good.join("/"));
        if dir.join(part).is_dir() {
            good.push(part.to_string());
            continue;
        }
        let mut best: Option<(usize, String)> = None;
        for e in std::fs::read_dir(&dir).ok()?.filter_map(|e| e.ok()) {
            if !e.path().is_dir() {
                continue;
            }
            let name = e.file_name().to_string_lossy().into_owned();
            let d = distance(part, &name);
            if d <= part.len().max(2) / 3 + 1
                && best.as_ref().is_none_or(|(bd, bn)| (d, &name) < (*bd, bn))
            {
                best = Some((d, name));
            }
        }
        let (_, name) = best?;
        good.push(name);
        let candidate: Vec<String> = good
            .iter()
            .cloned()
            .chain(parts[i + 1..].iter().map(|s| s.to_string()))
            .collect();
        let candidate = candidate.join("/");
        return root.join(&candidate).is_dir().then_some(candidate);
    }
    None
}

/// Levenshtein distance over bytes.
fn distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j] + usize::from(ca != cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_existing_folder() {
        let t = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(t.path().join("platform/dashboards")).unwrap();
        assert_eq!(
            suggestion(t.path(), "platform/dashbords").as_deref(),
            Some("platform/dashboards")
        );
        assert_eq!(suggestion(t.path(), "elsewhere/x"), None);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
