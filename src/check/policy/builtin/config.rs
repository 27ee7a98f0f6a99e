//! The `policy` section of gitopsc.yaml as far as the built-in pack and
//! waivers read it, and the parameters each environment resolves to.

use crate::resolve::Config;
use serde::Deserialize;
use serde_json::{Map, Value, json};

/// Top-level `policy:`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyConfig {
    /// The built-in pack (default on).
    pub builtin: Option<bool>,
    /// Parameters of the built-in pack for every environment.
    #[serde(default)]
    pub params: Map<String, Value>,
    /// Waivers for findings of any rule.
    #[serde(default)]
    pub waivers: Vec<WaiverEntry>,
}

/// `environments.<env>.policy:`, laid over the top level.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvPolicy {
    pub builtin: Option<bool>,
    #[serde(default)]
    pub params: Map<String, Value>,
}

/// One `policy.waivers` entry. The schema requires every field but
/// `target`; the waiver module still checks the values.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct WaiverEntry {
    #[serde(default)]
    pub rule: String,
    /// `Kind/namespace/name` (or `Kind/name`), globs allowed.
    #[serde(default)]
    pub resource: String,
    /// `app/env`, globs allowed; any target when absent.
    pub target: Option<String>,
    #[serde(default)]
    pub until: String,
    #[serde(default)]
    pub reason: String,
}

impl PolicyConfig {
    pub fn from_config(cfg: &Config) -> PolicyConfig {
        cfg.policy
            .as_ref()
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default()
    }
}

fn env_policy(cfg: &Config, env: &str) -> EnvPolicy {
    cfg.environment(env)
        .policy
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

/// Whether the built-in pack runs in `env`.
pub fn builtin_enabled(cfg: &Config, env: &str) -> bool {
    let top = PolicyConfig::from_config(cfg);
    env_policy(cfg, env).builtin.or(top.builtin).unwrap_or(true)
}

const PRODUCTION_NAMES: [&str; 4] = ["prod", "production", "prd", "live"];
const PRE_PRODUCTION_NAMES: [&str; 8] = [
    "staging",
    "stage",
    "recette",
    "preprod",
    "pre-prod",
    "uat",
    "qa",
    "acceptance",
];

/// The pack's parameters in `env`: defaults, then `policy.params`, then
/// `environments.<env>.policy.params` (key by key).
pub fn params(cfg: &Config, env: &str) -> Map<String, Value> {
    let lower = env.to_ascii_lowercase();
    let production = PRODUCTION_NAMES.contains(&lower.as_str());
    let mut out = match json!({
        "requiredLabels": ["app.kubernetes.io/name", "app.kubernetes.io/part-of"],
        "requiredResources": ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"],
        "devNamespaces": ["dev", "*-dev", "dev-*", "lab", "*-lab", "lab-*"],
        "devNamespaceLabels": [],
        "loadBalancerClasses": [],
    }) {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    let top = PolicyConfig::from_config(cfg);
    out.extend(top.params);
    out.extend(env_policy(cfg, env).params);
    let production = out
        .get("production")
        .and_then(Value::as_bool)
        .unwrap_or(production);
    out.insert("production".into(), Value::Bool(production));
    let probes = out
        .get("requireProbes")
        .and_then(Value::as_bool)
        .unwrap_or(production || PRE_PRODUCTION_NAMES.contains(&lower.as_str()));
    out.insert("requireProbes".into(), Value::Bool(probes));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_params_override_the_top_level() {
        let cfg = Config::parse(
            "gitopsc.yaml",
            "environments:\n  dev:\n  staging:\n  prod:\n    policy:\n      params:\n        requiredLabels: [team]\npolicy:\n  params:\n    requiredLabels: [a, b]\n    loadBalancerClasses: [x]\n",
        )
        .unwrap();
        let dev = params(&cfg, "dev");
        assert_eq!(dev["requiredLabels"], json!(["a", "b"]));
        assert_eq!(dev["production"], json!(false));
        assert_eq!(dev["requireProbes"], json!(false));
        let staging = params(&cfg, "staging");
        assert_eq!(staging["requireProbes"], json!(true));
        assert_eq!(staging["production"], json!(false));
        let prod = params(&cfg, "prod");
        assert_eq!(prod["requiredLabels"], json!(["team"]));
        assert_eq!(prod["loadBalancerClasses"], json!(["x"]));
        assert_eq!(prod["production"], json!(true));
        assert!(builtin_enabled(&cfg, "prod"));
    }
}
