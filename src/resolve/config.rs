//! `gitopsc.yaml`: validated against the published JSON Schema
//! (`schemas/gitopsc.schema.json`), errors located at the offending line.

use crate::check::Severity;
use crate::load::yaml::json::{node_at, to_json};
use crate::load::yaml::{Node, Span, parse_single};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

pub const FILE_NAME: &str = "gitopsc.yaml";
pub const SCHEMA: &str = include_str!("../../schemas/gitopsc.schema.json");

#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct ConfigError {
    pub message: String,
    pub span: Option<Span>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Environment {
    pub kubernetes_version: Option<String>,
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    pub namespace: Option<String>,
    /// Image rules for this environment (`check::image` parses it).
    pub images: Option<serde_json::Value>,
    /// Built-in policy parameters for this environment (`check::policy`).
    pub policy: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AppSource {
    pub path: String,
    pub environments: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Output {
    pub dir: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArgoCd {
    pub enabled: Option<bool>,
    #[serde(rename = "repoURL")]
    pub repo_url: Option<String>,
    pub target_revision: Option<String>,
    pub namespace: Option<String>,
    pub destination_server: Option<String>,
    pub project: Option<String>,
    pub templates: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Config {
    /// Environments in file order (BTreeMap would sort; order is kept
    /// separately in `env_order`).
    #[serde(default)]
    pub environments: BTreeMap<String, Option<Environment>>,
    #[serde(default)]
    pub apps: Vec<AppSource>,
    #[serde(default)]
    pub policies: Vec<String>,
    /// Folders of extra JSON schemas and CRD manifests, relative to the
    /// repository root.
    #[serde(default)]
    pub schemas: Vec<String>,
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    #[serde(default)]
    pub output: Output,
    #[serde(default)]
    pub argocd: ArgoCd,
    /// Commit-message rules (commitlint's `extends`/`rules`/`ignores`
    /// shape), laid over any commitlint configuration file.
    #[serde(default)]
    pub commits: Option<serde_json::Value>,
    /// Policy settings: built-in pack, parameters, waivers (`check::policy`).
    #[serde(default)]
    pub policy: Option<serde_json::Value>,
    /// Image rules for every environment (`check::image`).
    #[serde(default)]
    pub images: Option<serde_json::Value>,
    /// Rendered-diff settings: ignored fields, secret patterns (`diff`).
    #[serde(default)]
    pub diff: Option<serde_json::Value>,
    /// Cache settings for changed-only runs (`cache`).
    #[serde(default)]
    pub cache: Option<serde_json::Value>,
    #[serde(skip)]
    pub env_order: Vec<String>,
    /// Whether the config came from a file (false: discovery defaults).
    #[serde(skip)]
    pub from_file: bool,
}

impl Config {
    /// Reads `gitopsc.yaml` at the repository root, or the defaults when
    /// there is none.
    pub fn load(root: &Path) -> Result<Config, ConfigError> {
        let path = root.join(FILE_NAME);
        let Ok(text) = std::fs::read_to_string(&path) else {
            return Ok(Config::default());
        };
        Config::parse(FILE_NAME, &text)
    }

    pub fn parse(file: &str, text: &str) -> Result<Config, ConfigError> {
        let node = parse_single(file, text).map_err(|e| ConfigError {
            message: e.message,
            span: Some(e.span),
        })?;
        let value = if node.is_null() {
            serde_json::json!({})
        } else {
            to_json(&node)
        };
        validate(&node, &value)?;
        let mut cfg: Config = serde_json::from_value(value).map_err(|e| ConfigError {
            message: format!("invalid {file}: {e}"),
            span: node.span.clone(),
        })?;
        cfg.env_order = node
            .get("environments")
            .and_then(Node::as_map)
            .map(|m| m.keys().map(String::from).collect())
            .unwrap_or_default();
        cfg.from_file = true;
        Ok(cfg)
    }

    pub fn environment(&self, name: &str) -> Environment {
        self.environments
            .get(name)
            .cloned()
            .flatten()
            .unwrap_or_default()
    }

    /// The severity of `rule` in `env`: environment override, then global
    /// override, then the rule's default. `None` when turned off.
    pub fn severity_for(
        &self,
        rule: &dyn crate::check::Rule,
        env: &str,
        default: Severity,
    ) -> Option<Severity> {
        let pick = |m: &BTreeMap<String, String>| {
            m.iter()
                .find(|(k, _)| {
                    k.eq_ignore_ascii_case(rule.id()) || k.eq_ignore_ascii_case(rule.name())
                })
                .map(|(_, v)| v.clone())
        };
        let level = pick(&self.environment(env).severity).or_else(|| pick(&self.severity));
        match level.as_deref() {
            Some("off") => None,
            Some(l) => Severity::parse(l).or(Some(default)),
            None => Some(default),
        }
    }

    pub fn output_dir(&self) -> &str {
        self.output.dir.as_deref().unwrap_or("rendered")
    }
}

fn validate(node: &Node, value: &serde_json::Value) -> Result<(), ConfigError> {
    // The schema is embedded and checked by a unit test; it always compiles.
    let schema: serde_json::Value = serde_json::from_str(SCHEMA).expect("embedded schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("embedded schema compiles");
    let mut errors: Vec<_> = validator.iter_errors(value).collect();
    errors.sort_by_key(|e| e.instance_path().to_string());
    if let Some(e) = errors.first() {
        let pointer = e.instance_path().to_string();
        let at = node_at(node, &pointer).unwrap_or(node);
        // Unknown keys are reported on the parent; point at the key itself.
        let span = unknown_key_span(at, &e.to_string()).or_else(|| at.span.clone());
        let place = if pointer.is_empty() {
            "the top level".to_string()
        } else {
            pointer
                .replace('/', ".")
                .trim_start_matches('.')
                .to_string()
        };
        return Err(ConfigError {
            message: format!("invalid {FILE_NAME} at {place}: {e}"),
            span,
        });
    }
    Ok(())
}

fn unknown_key_span(map: &Node, message: &str) -> Option<Span> {
    let m = map.as_map()?;
    m.entries
        .iter()
        .find(|e| message.contains(&format!("'{}'", e.key)))
        .and_then(|e| e.key_span.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_full_config() {
        let c = Config::parse(
            "gitopsc.yaml",
            "environments:\n  dev:\n  prod:\n    kubernetesVersion: \"1.33\"\n    severity: {KUS001: warning}\napps:\n- path: apps/*/overlays/{env}\n",
        )
        .unwrap();
        assert_eq!(c.env_order, ["dev", "prod"]);
        assert_eq!(
            c.environment("prod").kubernetes_version.as_deref(),
            Some("1.33")
        );
        assert_eq!(c.apps[0].path, "apps/*/overlays/{env}");
    }

    #[test]
    fn bad_config_points_at_the_line() {
        let e = Config::parse(
            "gitopsc.yaml",
            "environments:\n  dev: {}\napps:\n- path: x\n  color: blue\n",
        )
        .unwrap_err();
        assert!(e.message.contains("color"), "{}", e.message);
        assert_eq!(e.span.unwrap().line, 5);
        let e = Config::parse(
            "gitopsc.yaml",
            "environments:\n  prod:\n    kubernetesVersion: 134\n",
        )
        .unwrap_err();
        assert_eq!(e.span.unwrap().line, 3, "{}", e.message);
    }
}
