//! Argo CD objects for the rendered tree: an Application per target, an
//! AppProject per environment and an app-of-apps root per environment.
//! Built-in Handlebars templates, each overridable by a file of the same
//! name in the folder `argocd.templates` of gitopsc.yaml names.

use crate::load::yaml::{emit::emit_documents, parse_documents};
use crate::resolve::{Config, Target};
use handlebars::Handlebars;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const TEMPLATES: [(&str, &str); 3] = [
    (
        "application",
        include_str!("templates/application.yaml.hbs"),
    ),
    ("project", include_str!("templates/project.yaml.hbs")),
    ("root", include_str!("templates/root.yaml.hbs")),
];

#[derive(Debug, thiserror::Error)]
pub enum ArgoError {
    #[error("template {name}: {message}")]
    Template { name: String, message: String },
    #[error("template {name} does not render valid YAML: {message}")]
    Yaml { name: String, message: String },
}

/// One rendered target as Argo CD needs it: where and which namespaces.
pub struct RenderedTarget<'a> {
    pub target: &'a Target,
    /// Namespaces the target's resources go to (sorted, unique).
    pub namespaces: Vec<String>,
    /// `(group, kind)` of the resources it renders without a namespace:
    /// the cluster-scoped kinds its AppProject must allow (sorted, unique).
    pub cluster_kinds: Vec<(String, String)>,
}

/// `argocd/<env>/<app>.yaml`, `argocd/<env>/project.yaml` and
/// `argocd/root-<env>.yaml`, relative to the output directory.
pub fn generate(
    root: &Path,
    cfg: &Config,
    targets: &[RenderedTarget],
) -> Result<BTreeMap<String, String>, ArgoError> {
    let hb = registry(root, cfg)?;
    let a = &cfg.argocd;
    let base = json!({
        "repo_url": a.repo_url.clone().unwrap_or_else(|| "https://gitlab.example.com/platform/gitops.git".into()),
        "target_revision": a.target_revision.clone().unwrap_or_else(|| "main".into()),
        "argocd_namespace": a.namespace.clone().unwrap_or_else(|| "argocd".into()),
        "destination_server": a.destination_server.clone().unwrap_or_else(|| "https://kubernetes.default.svc".into()),
        "rendered_dir": cfg.output_dir(),
    });
    let project_of = |env: &str| {
        a.project
            .clone()
            .unwrap_or_else(|| "{env}".into())
            .replace("{env}", env)
    };
    let mut out = BTreeMap::new();
    let mut envs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut kinds: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for rt in targets {
        let t = rt.target;
        let env_ns = cfg
            .environment(&t.env)
            .namespace
            .map(|n| n.replace("{env}", &t.env));
        let namespace = match rt.namespaces.as_slice() {
            [one] => Some(one.clone()),
            _ => env_ns,
        };
        envs.entry(t.env.clone())
            .or_default()
            .extend(rt.namespaces.iter().cloned().chain(namespace.clone()));
        let env_kinds = kinds.entry(t.env.clone()).or_default();
        // CreateNamespace=true needs Namespaces allowed.
        env_kinds.insert((String::new(), "Namespace".into()));
        env_kinds.extend(rt.cluster_kinds.iter().cloned());
        let mut data = base.clone();
        data["app"] = json!(t.app);
        data["env"] = json!(t.env);
        data["project"] = json!(project_of(&t.env));
        data["namespace"] = json!(namespace);
        out.insert(
            format!("argocd/{}/{}.yaml", t.env, t.app),
            render(&hb, "application", &data)?,
        );
    }
    for (env, mut namespaces) in envs {
        namespaces.sort();
        namespaces.dedup();
        if namespaces.is_empty() {
            namespaces.push("*".into());
        }
        let mut data = base.clone();
        data["env"] = json!(env);
        data["project"] = json!(project_of(&env));
        data["namespaces"] = json!(namespaces);
        let cluster: Vec<_> = kinds
            .get(&env)
            .into_iter()
            .flatten()
            .map(|(group, kind)| json!({ "group": group, "kind": kind }))
            .collect();
        data["cluster_resources"] = json!(cluster);
        out.insert(
            format!("argocd/{env}/project.yaml"),
            render(&hb, "project", &data)?,
        );
        out.insert(
            format!("argocd/root-{env}.yaml"),
            render(&hb, "root", &data)?,
        );
    }
    Ok(out)
}

fn registry(root: &Path, cfg: &Config) -> Result<Handlebars<'static>, ArgoError> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    // Output is YAML, not HTML.
    hb.register_escape_fn(handlebars::no_escape);
    for (name, builtin) in TEMPLATES {
        let custom = cfg.argocd.templates.as_ref().and_then(|dir| {
            std::fs::read_to_string(root.join(dir).join(format!("{name}.yaml.hbs"))).ok()
        });
        let text = custom.unwrap_or_else(|| builtin.to_string());
        hb.register_template_string(name, text)
            .map_err(|e| ArgoError::Template {
                name: name.into(),
                message: e.to_string(),
            })?;
    }
    Ok(hb)
}

/// Renders a template and normalises it through the YAML writer, so output
/// is valid and formatted like every other manifest.
fn render(hb: &Handlebars, name: &str, data: &serde_json::Value) -> Result<String, ArgoError> {
    let text = hb.render(name, data).map_err(|e| ArgoError::Template {
        name: name.into(),
        message: e.to_string(),
    })?;
    let docs =
        parse_documents(&format!("{name}.yaml.hbs"), &text).map_err(|e| ArgoError::Yaml {
            name: name.into(),
            message: format!("{} at line {}", e.message, e.span.line),
        })?;
    let docs: Vec<_> = docs.into_iter().filter(|d| !d.is_null()).collect();
    Ok(emit_documents(&docs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn generates_application_project_and_root() {
        let t = Target {
            env: "prod".into(),
            app: "web".into(),
            source: "apps/web/overlays/prod".into(),
            dir: PathBuf::from("/x"),
        };
        let cfg = Config::parse(
            "gitopsc.yaml",
            "environments:\n  prod:\nargocd:\n  repoURL: https://git.example/gitops.git\n",
        )
        .unwrap();
        let files = generate(
            Path::new("/nonexistent"),
            &cfg,
            &[RenderedTarget {
                target: &t,
                namespaces: vec!["web-prod".into()],
                cluster_kinds: vec![("rbac.authorization.k8s.io".into(), "ClusterRole".into())],
            }],
        )
        .unwrap();
        let keys: Vec<_> = files.keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "argocd/prod/project.yaml",
                "argocd/prod/web.yaml",
                "argocd/root-prod.yaml"
            ]
        );
        let app = &files["argocd/prod/web.yaml"];
        assert!(app.contains("path: rendered/prod"), "{app}");
        assert!(app.contains("namespace: web-prod"), "{app}");
        assert!(app.contains("include: web.yaml"), "{app}");
        let project = &files["argocd/prod/project.yaml"];
        assert!(project.contains("kind: ClusterRole"), "{project}");
        assert!(project.contains("kind: Namespace"), "{project}");
    }
}
