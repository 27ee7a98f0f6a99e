//! ARG002: an Application names an AppProject the repository does not define.

use crate::check::argocd::{ArgoApp, ArgoRepo, ArgoRule, Finding, span_at};
use crate::check::{Rule, Severity};

pub struct ProjectMissing;

impl Rule for ProjectMissing {
    fn id(&self) -> &'static str {
        "ARG002"
    }
    fn name(&self) -> &'static str {
        "argocd-project-missing"
    }
    fn domain(&self) -> &'static str {
        "argocd"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "an Argo CD Application's project is not defined in the repository"
    }
    fn docs(&self) -> &'static str {
        "Argo CD refuses an Application whose `spec.project` names an AppProject \
that does not exist (`application references project X which does not \
exist`); nothing of it is synced. With GitOps the AppProject must be in Git \
too, next to the Applications that use it.\n\n\
gitopsc looks for the project among the AppProjects rendered in the same \
environment (any target), the AppProjects of plain manifests, the project \
`gitopsc build` generates per environment (`argocd.project` of gitopsc.yaml, \
`{env}` by default) and Argo CD's built-in `default` project.\n\n\
Fix: correct `spec.project`, or add the AppProject, e.g.\n\n\
```yaml\napiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: platform\n  \
namespace: argocd\nspec:\n  sourceRepos: ['https://gitlab.example.com/platform/gitops.git']\n  \
destinations:\n  - server: https://kubernetes.default.svc\n    namespace: monitoring\n```"
    }
}

impl ArgoRule for ProjectMissing {
    fn check_app(&self, repo: &ArgoRepo, app: &ArgoApp) -> Vec<Finding> {
        let Some(project) = app
            .node
            .get_path(&["spec", "project"])
            .and_then(|n| n.as_str())
        else {
            return vec![
                Finding::new(
                    format!("Application '{}' has no spec.project", app.name),
                    span_at(app.node, &["spec"]),
                )
                .help("every Application belongs to an AppProject; set `spec.project` (Argo CD's built-in one is `default`)"),
            ];
        };
        if project == "default"
            || repo.project_for(app, project).is_some()
            || repo.is_generated_project(app, project)
        {
            return Vec::new();
        }
        let mut known: Vec<String> = repo
            .projects
            .iter()
            .filter(|p| p.env.is_none() || app.env.is_none() || p.env == app.env)
            .map(|p| p.name.clone())
            .chain(
                repo.generated_projects
                    .iter()
                    .filter(|(e, _)| app.env.as_ref().is_none_or(|a| a == e))
                    .map(|(_, p)| p.clone()),
            )
            .collect();
        known.sort();
        known.dedup();
        let where_ = match &app.env {
            Some(e) => format!(" in environment {e}"),
            None => String::new(),
        };
        let help = if known.is_empty() {
            "add an AppProject of that name to the repository".to_string()
        } else {
            format!("projects defined{where_}: {}", known.join(", "))
        };
        vec![
            Finding::new(
                format!("Application '{}' uses project '{project}', which no AppProject{where_} defines", app.name),
                span_at(app.node, &["spec", "project"]),
            )
            .help(help),
        ]
    }
}
