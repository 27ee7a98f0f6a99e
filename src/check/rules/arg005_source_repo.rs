//! ARG005: an Application's source repository is not allowed by its AppProject.

use crate::check::argocd::{
    ArgoApp, ArgoRepo, ArgoRule, Finding, glob_match, is_deny_pattern, sources, span_at,
};
use crate::check::{Rule, Severity};
use crate::load::yaml::Node;
use crate::resolve::argocd::normalize_repo_url;

pub struct SourceRepoNotAllowed;

impl Rule for SourceRepoNotAllowed {
    fn id(&self) -> &'static str {
        "ARG005"
    }
    fn name(&self) -> &'static str {
        "argocd-source-repo-not-allowed"
    }
    fn domain(&self) -> &'static str {
        "argocd"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "an Argo CD Application reads from a repository its AppProject does not allow"
    }
    fn docs(&self) -> &'static str {
        "An AppProject's `sourceRepos` lists the Git and Helm repositories its \
Applications may deploy from. A source outside the list is refused by Argo \
CD (`application repo ... is not permitted in project`). Keeping the list \
tight is what stops a compromised or mistyped chart repository from \
reaching a cluster.\n\n\
gitopsc compares each source's `repoURL` with the project's `sourceRepos` \
as Argo CD does: URLs normalised (case, trailing `.git`), glob patterns, \
`!` entries deny.\n\n\
Fix: use an allowed repository, or add it to the project's `sourceRepos`."
    }
}

fn permitted(allowed: &[&str], url: &str) -> bool {
    let url = normalize_repo_url(url);
    let mut any = false;
    for pattern in allowed {
        let normalized = match pattern.strip_prefix('!') {
            Some(p) => format!("!{}", normalize_repo_url(p)),
            None => normalize_repo_url(pattern),
        };
        if glob_match(&normalized, &url, true) {
            any = true;
        } else if is_deny_pattern(&normalized) {
            return false;
        }
    }
    any
}

impl ArgoRule for SourceRepoNotAllowed {
    fn check_app(&self, repo: &ArgoRepo, app: &ArgoApp) -> Vec<Finding> {
        let Some(project_name) = app
            .node
            .get_path(&["spec", "project"])
            .and_then(Node::as_str)
        else {
            return Vec::new();
        };
        let Some(project) = repo.project_for(app, project_name) else {
            return Vec::new();
        };
        let allowed: Vec<&str> = project
            .node
            .get_path(&["spec", "sourceRepos"])
            .and_then(Node::as_seq)
            .map(|l| l.iter().filter_map(Node::as_str).collect())
            .unwrap_or_default();
        let mut out = Vec::new();
        for src in sources(app.node) {
            let Some(url) = src.get_str("repoURL") else {
                continue;
            };
            if permitted(&allowed, url) {
                continue;
            }
            let help = if allowed.is_empty() {
                format!("AppProject '{project_name}' allows no source repository")
            } else {
                format!("AppProject '{project_name}' allows: {}", allowed.join(", "))
            };
            out.push(
                Finding::new(
                    format!("Application '{}' reads from '{url}', which AppProject '{project_name}' does not allow", app.name),
                    span_at(src, &["repoURL"]),
                )
                .help(help),
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_argo_cd_matching() {
        assert!(permitted(
            &["https://gitlab.example/a/b.git"],
            "https://GitLab.example/a/b"
        ));
        assert!(permitted(
            &["https://charts.example/*"],
            "https://charts.example/stable"
        ));
        assert!(!permitted(
            &["*", "!https://evil.example/*"],
            "https://evil.example/x"
        ));
        assert!(permitted(&["*"], "https://any.example/x"));
        assert!(!permitted(&[], "https://any.example/x"));
    }
}
