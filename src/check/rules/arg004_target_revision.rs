//! ARG004: an Application source has no `targetRevision`.

use crate::check::argocd::{ArgoApp, ArgoRepo, ArgoRule, Finding, sources, span_at};
use crate::check::{Rule, Severity};

pub struct TargetRevision;

impl Rule for TargetRevision {
    fn id(&self) -> &'static str {
        "ARG004"
    }
    fn name(&self) -> &'static str {
        "argocd-target-revision"
    }
    fn domain(&self) -> &'static str {
        "argocd"
    }
    fn default_severity(&self) -> Severity {
        Severity::Warning
    }
    fn summary(&self) -> &'static str {
        "an Argo CD Application source does not pin targetRevision"
    }
    fn docs(&self) -> &'static str {
        "Without `targetRevision`, Argo CD follows `HEAD` of the repository's \
default branch, or the newest version of a Helm chart: what runs changes \
with every push or chart release, nobody reviewed it for this environment, \
and a rollback has nothing to roll back to.\n\n\
Set `targetRevision` on every source: a branch per environment, a tag, a \
commit, or for charts an exact version. Make it an error in production \
with a per-environment severity in gitopsc.yaml:\n\n\
```yaml\nenvironments:\n  prod:\n    severity:\n      ARG004: error\n```"
    }
}

impl ArgoRule for TargetRevision {
    fn check_app(&self, _repo: &ArgoRepo, app: &ArgoApp) -> Vec<Finding> {
        let mut out = Vec::new();
        for src in sources(app.node) {
            let rev = src
                .get("targetRevision")
                .and_then(|n| n.as_str())
                .unwrap_or("");
            if !rev.trim().is_empty() {
                continue;
            }
            let (what, then) = match (src.get_str("chart"), src.get_str("repoURL")) {
                (Some(chart), _) => (format!("chart '{chart}'"), "the newest chart version"),
                (None, Some(url)) => (format!("'{url}'"), "HEAD"),
                (None, None) => ("its source".to_string(), "HEAD"),
            };
            let help = if src.get("chart").is_some() {
                "pin the chart version, e.g. `targetRevision: 1.16.2`"
            } else {
                "set a branch, tag or commit, e.g. `targetRevision: main`"
            };
            let span = if src.get("targetRevision").is_some() {
                span_at(src, &["targetRevision"])
            } else {
                span_at(src, &["repoURL"])
            };
            out.push(
                Finding::new(
                    format!("Application '{}' follows {what} without a targetRevision (Argo CD then deploys {then})", app.name),
                    span,
                )
                .help(help),
            );
        }
        out
    }
}
