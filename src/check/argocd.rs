//! The Argo CD objects of a repository as the `ARG` rules see them:
//! Applications and AppProjects from every rendered target (their nodes
//! carry the source line that set each field) and from plain manifests
//! outside any kustomization, plus the projects `gitopsc build` generates.

use super::rules::ARGOCD_RULES;
use super::run::{location, severity};
use super::{Diagnostic, Rule};
use crate::hydrate::targets::Hydrated;
use crate::load::yaml::{Node, Span};
use crate::resolve::Config;
use crate::resolve::argocd::{is_argo, normalize_repo_url, repo_urls};
use std::collections::BTreeSet;
use std::path::Path;

/// An Application, with the target it was rendered in (none for a plain
/// manifest).
pub struct ArgoApp<'a> {
    pub node: &'a Node,
    pub name: String,
    pub env: Option<String>,
    pub target: Option<String>,
    /// Where to point when a node has no span.
    pub fallback_file: String,
}

pub struct ArgoProject<'a> {
    pub node: &'a Node,
    pub name: String,
    pub env: Option<String>,
}

/// What the rules read.
pub struct ArgoRepo<'a> {
    pub root: &'a Path,
    pub apps: Vec<ArgoApp<'a>>,
    pub projects: Vec<ArgoProject<'a>>,
    /// Environment → name of the AppProject `gitopsc build` generates for
    /// it (empty when generation is off).
    pub generated_projects: Vec<(String, String)>,
    /// This repository's URL(s), normalised; empty when unknown.
    pub repo_urls: Vec<String>,
    pub output_dir: String,
    pub environments: Vec<String>,
}

/// A rule over the repository's Argo CD Applications.
pub trait ArgoRule: Rule {
    fn check_app(&self, repo: &ArgoRepo, app: &ArgoApp) -> Vec<Finding>;
}

/// A problem a rule found, before severity and location are settled.
pub struct Finding {
    pub message: String,
    pub span: Option<Span>,
    pub help: Option<String>,
}

impl Finding {
    pub fn new(message: impl Into<String>, span: Option<Span>) -> Finding {
        Finding {
            message: message.into(),
            span,
            help: None,
        }
    }
    pub fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }
}

impl<'a> ArgoRepo<'a> {
    pub fn new(
        root: &'a Path,
        cfg: &Config,
        hydrated: &'a [Hydrated],
        plain: &'a [Node],
    ) -> ArgoRepo<'a> {
        let mut repo = ArgoRepo {
            root,
            apps: Vec::new(),
            projects: Vec::new(),
            generated_projects: Vec::new(),
            repo_urls: repo_urls(root, cfg),
            output_dir: cfg.output_dir().trim_end_matches('/').to_string(),
            environments: Vec::new(),
        };
        let mut envs = BTreeSet::new();
        for h in hydrated {
            envs.insert(h.target.env.clone());
            let Ok(r) = &h.result else { continue };
            for res in r.resources.iter() {
                if is_argo(&res.node) {
                    repo.add(
                        &res.node,
                        Some(h.target.env.clone()),
                        Some(h.target.id()),
                        format!("{}/kustomization.yaml", h.target.source),
                    );
                }
            }
        }
        for node in plain {
            let file = node
                .span
                .as_ref()
                .map(|s| s.file.to_string())
                .unwrap_or_default();
            let rel = Path::new(&file)
                .strip_prefix(root)
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or(file);
            repo.add(node, None, None, rel);
        }
        envs.extend(cfg.env_order.iter().cloned());
        if cfg.argocd.enabled != Some(false) {
            let pattern = cfg.argocd.project.clone().unwrap_or_else(|| "{env}".into());
            for env in &envs {
                repo.generated_projects
                    .push((env.clone(), pattern.replace("{env}", env)));
            }
        }
        repo.environments = envs.into_iter().collect();
        repo
    }

    fn add(
        &mut self,
        node: &'a Node,
        env: Option<String>,
        target: Option<String>,
        fallback_file: String,
    ) {
        let name = node
            .get_path(&["metadata", "name"])
            .and_then(Node::as_str)
            .unwrap_or("")
            .to_string();
        match node.get_str("kind") {
            Some("Application") => self.apps.push(ArgoApp {
                node,
                name,
                env,
                target,
                fallback_file,
            }),
            Some("AppProject") => self.projects.push(ArgoProject { node, name, env }),
            _ => {}
        }
    }

    /// The AppProject named `name` an Application can use: one in the same
    /// environment's targets, or in a plain manifest. A plain Application
    /// sees every project.
    pub fn project_for(&self, app: &ArgoApp, name: &str) -> Option<&ArgoProject<'a>> {
        self.projects
            .iter()
            .find(|p| p.name == name && (p.env.is_none() || app.env.is_none() || p.env == app.env))
    }

    /// Whether `gitopsc build` generates the project `name` where `app` runs.
    pub fn is_generated_project(&self, app: &ArgoApp, name: &str) -> bool {
        self.generated_projects
            .iter()
            .any(|(env, p)| p == name && app.env.as_ref().is_none_or(|e| e == env))
    }

    /// Whether a source's `repoURL` names this repository (unknown URL:
    /// nothing is assumed to be this repository).
    pub fn is_this_repo(&self, repo_url: &str) -> bool {
        self.repo_urls.contains(&normalize_repo_url(repo_url))
    }
}

/// `spec.source` and every `spec.sources[]` entry.
pub fn sources(app: &Node) -> Vec<&Node> {
    let mut out = Vec::new();
    if let Some(s) = app.get_path(&["spec", "source"]).filter(|n| n.is_map()) {
        out.push(s);
    }
    if let Some(list) = app.get_path(&["spec", "sources"]).and_then(Node::as_seq) {
        out.extend(list.iter().filter(|n| n.is_map()));
    }
    out
}

/// The span of the value at `path` below `node`, else of the deepest node
/// on the way that has one, else of the map key naming it.
pub fn span_at(node: &Node, path: &[&str]) -> Option<Span> {
    let mut best = node.span.clone();
    let mut cur = node;
    for key in path {
        let Some(entry) = cur.as_map().and_then(|m| m.entry(key)) else {
            break;
        };
        if entry.value.span.is_some() {
            best = entry.value.span.clone();
        } else if entry.key_span.is_some() {
            best = entry.key_span.clone();
        }
        cur = &entry.value;
    }
    best
}

/// Argo CD's glob (`*`, `?`, `[...]`, `{a,b}`), where a leading `!` negates
/// the pattern when `negation` is allowed.
pub fn glob_match(pattern: &str, text: &str, negation: bool) -> bool {
    if negation && let Some(p) = pattern.strip_prefix('!') {
        return !glob(p.as_bytes(), text.as_bytes());
    }
    glob(pattern.as_bytes(), text.as_bytes())
}

pub fn is_deny_pattern(pattern: &str) -> bool {
    pattern.starts_with('!')
}

fn glob(p: &[u8], t: &[u8]) -> bool {
    match p.first() {
        None => t.is_empty(),
        Some(b'*') => (0..=t.len()).any(|i| glob(&p[1..], &t[i..])),
        Some(b'?') => !t.is_empty() && glob(&p[1..], &t[1..]),
        Some(b'[') => {
            let Some(end) = p.iter().position(|&c| c == b']') else {
                return t.first() == Some(&b'[') && glob(&p[1..], &t[1..]);
            };
            let Some(&c) = t.first() else { return false };
            let class = &p[1..end];
            let (negated, class) = match class.first() {
                Some(b'!' | b'^') => (true, &class[1..]),
                _ => (false, class),
            };
            let mut hit = false;
            let mut i = 0;
            while i < class.len() {
                if i + 2 < class.len() && class[i + 1] == b'-' {
                    hit |= class[i] <= c && c <= class[i + 2];
                    i += 3;
                } else {
                    hit |= class[i] == c;
                    i += 1;
                }
            }
            hit != negated && glob(&p[end + 1..], &t[1..])
        }
        Some(b'{') => {
            let Some(end) = p.iter().position(|&c| c == b'}') else {
                return t.first() == Some(&b'{') && glob(&p[1..], &t[1..]);
            };
            p[1..end].split(|&c| c == b',').any(|alt| {
                let mut joined = alt.to_vec();
                joined.extend_from_slice(&p[end + 1..]);
                glob(&joined, t)
            })
        }
        Some(b'\\') if p.len() > 1 => t.first() == Some(&p[1]) && glob(&p[2..], &t[1..]),
        Some(&c) => t.first() == Some(&c) && glob(&p[1..], &t[1..]),
    }
}

/// Runs every Argo CD rule; the same finding made in several targets (an
/// Application in a base every environment renders) is reported once.
pub fn check(root: &Path, cfg: &Config, hydrated: &[Hydrated], plain: &[Node]) -> Vec<Diagnostic> {
    let repo = ArgoRepo::new(root, cfg, hydrated, plain);
    let mut out: Vec<Diagnostic> = Vec::new();
    let mut seen = BTreeSet::new();
    for &rule in ARGOCD_RULES {
        let rule_ref: &dyn Rule = rule;
        for app in &repo.apps {
            let env = app.env.as_deref().unwrap_or("");
            let Some(sev) = severity(cfg, rule_ref, env) else {
                continue;
            };
            for f in rule.check_app(&repo, app) {
                let loc = location(f.span.as_ref(), root, &app.fallback_file);
                if !seen.insert((rule_ref.id(), loc.clone(), f.message.clone())) {
                    continue;
                }
                let mut d = Diagnostic::new(rule_ref, sev, f.message, loc);
                if let Some(t) = &app.target {
                    d = d.with_target(t.clone());
                }
                if let Some(h) = f.help {
                    d = d.with_help(h);
                }
                out.push(d);
            }
        }
    }
    super::diagnostic::sort(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_like_argo_cd() {
        assert!(glob_match("*", "anything", true));
        assert!(glob_match("oneex-*", "oneex-prod", true));
        assert!(!glob_match("oneex-*", "tools", true));
        assert!(glob_match("!kube-system", "default", true));
        assert!(!glob_match("!kube-system", "kube-system", true));
        assert!(glob_match("{dev,prod}-lab", "prod-lab", false));
        assert!(glob_match("team-[a-c]", "team-b", false));
        assert!(!glob_match("team-[!a-c]", "team-b", false));
        assert!(glob_match(
            "https://*.svc",
            "https://kubernetes.default.svc",
            false
        ));
    }
}
