//! The `images` sections of gitopsc.yaml: top-level `images` and
//! `environments.<env>.images`, typed and checked (regular expressions
//! compile, promotion environments exist, promoted references parse).
//!
//! ```yaml
//! images:
//!   registries: [harbor.oneex.internal]   # allow-list (opt-in)
//!   tagPattern: '^(v\d+\.\d+\.\d+-main|[0-9a-f]{8})$'
//!   promotion: [staging, prod]            # default: staging tier → prod tier
//!   promoted: [harbor.oneex.internal/oneex/back:v1.4.3-main]
//! environments:
//!   prod:
//!     images:
//!       tier: prod                        # dev | staging | prod
//!       registries: [harbor.oneex.internal]
//!       tagPattern: '^v\d+\.\d+\.\d+-main$'
//! ```

use super::reference::{self, Reference};
use crate::load::yaml::{Span, json::node_at, parse_single};
use crate::resolve::{Config, ConfigError, config::FILE_NAME};
use regex::Regex;
use serde::Deserialize;
use std::path::Path;

/// What an environment is for; decides which image rules hold by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Dev,
    Staging,
    Prod,
}

impl Tier {
    /// The tier an environment's name suggests: `prod`, `production`,
    /// `prd`, `live` (and names starting with `prod`) are production;
    /// `staging`, `stage`, `stg`, `recette`, `preprod`, `pre-prod`,
    /// `uat`, `acceptance`, `qa` (and names containing `staging`) are
    /// staging; anything else is development.
    pub fn by_name(env: &str) -> Tier {
        let n = env.to_ascii_lowercase();
        if n.starts_with("prod") || matches!(n.as_str(), "prd" | "live") {
            Tier::Prod
        } else if n.contains("stag")
            || matches!(
                n.as_str(),
                "stg"
                    | "recette"
                    | "preprod"
                    | "pre-prod"
                    | "preproduction"
                    | "uat"
                    | "acceptance"
                    | "qa"
            )
        {
            Tier::Staging
        } else {
            Tier::Dev
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawImages {
    registries: Option<Vec<String>>,
    tag_pattern: Option<String>,
    promotion: Option<Vec<String>>,
    #[serde(default)]
    promoted: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawEnvImages {
    tier: Option<Tier>,
    registries: Option<Vec<String>>,
    tag_pattern: Option<String>,
}

/// The image rules of one environment.
#[derive(Clone, Debug)]
pub struct EnvImages {
    pub tier: Tier,
    /// Allowed registries or repository prefixes; None: any.
    pub registries: Option<Vec<String>>,
    pub tag_pattern: Option<Regex>,
}

/// The whole `images` configuration.
#[derive(Clone, Debug, Default)]
pub struct ImageConfig {
    /// An explicit promotion chain; None: the default one.
    pub promotion: Option<Vec<String>>,
    pub promoted: Vec<Reference>,
    registries: Option<Vec<String>>,
    tag_pattern: Option<Regex>,
    envs: Vec<(String, RawEnv)>,
}

#[derive(Clone, Debug)]
struct RawEnv {
    tier: Option<Tier>,
    registries: Option<Vec<String>>,
    tag_pattern: Option<Regex>,
}

struct Bad {
    pointer: String,
    message: String,
}

fn bad(pointer: impl Into<String>, message: impl Into<String>) -> Bad {
    Bad {
        pointer: pointer.into(),
        message: message.into(),
    }
}

impl ImageConfig {
    /// Reads the sections of `cfg`; an error names the offending line of
    /// `root/gitopsc.yaml`.
    pub fn load(root: &Path, cfg: &Config) -> Result<ImageConfig, ConfigError> {
        ImageConfig::from_config(cfg).map_err(|b| ConfigError {
            message: format!(
                "invalid {FILE_NAME} at {}: {}",
                dotted(&b.pointer),
                b.message
            ),
            span: span_of(root, &b.pointer),
        })
    }

    /// Reads the sections of `cfg` without locating errors.
    pub fn parse(cfg: &Config) -> Option<ImageConfig> {
        ImageConfig::from_config(cfg).ok()
    }

    fn from_config(cfg: &Config) -> Result<ImageConfig, Bad> {
        let top: RawImages = decode(cfg.images.as_ref(), "/images")?;
        let mut out = ImageConfig {
            promotion: top.promotion.clone(),
            registries: top.registries.map(normalize_registries),
            tag_pattern: compile(top.tag_pattern.as_deref(), "/images/tagPattern")?,
            ..ImageConfig::default()
        };
        if let Some(chain) = &top.promotion {
            for (i, env) in chain.iter().enumerate() {
                if !cfg.env_order.iter().any(|e| e == env) {
                    return Err(bad(
                        format!("/images/promotion/{i}"),
                        format!("{env} is not an environment of this file"),
                    ));
                }
            }
        }
        for (i, p) in top.promoted.iter().enumerate() {
            let r = reference::parse(p)
                .map_err(|e| bad(format!("/images/promoted/{i}"), format!("{p}: {e}")))?;
            out.promoted.push(r);
        }
        for env in &cfg.env_order {
            let e = cfg.environment(env);
            let at = format!("/environments/{env}/images");
            let raw: RawEnvImages = decode(e.images.as_ref(), &at)?;
            out.envs.push((
                env.clone(),
                RawEnv {
                    tier: raw.tier,
                    registries: raw.registries.map(normalize_registries),
                    tag_pattern: compile(raw.tag_pattern.as_deref(), &format!("{at}/tagPattern"))?,
                },
            ));
        }
        Ok(out)
    }

    /// The rules of `env`: its own settings over the top-level ones.
    pub fn env(&self, env: &str) -> EnvImages {
        let own = self.envs.iter().find(|(n, _)| n == env).map(|(_, r)| r);
        EnvImages {
            tier: own
                .and_then(|r| r.tier)
                .unwrap_or_else(|| Tier::by_name(env)),
            registries: own
                .and_then(|r| r.registries.clone())
                .or_else(|| self.registries.clone()),
            tag_pattern: own
                .and_then(|r| r.tag_pattern.clone())
                .or_else(|| self.tag_pattern.clone()),
        }
    }

    /// The environments a release passes through, in order: the explicit
    /// `promotion`, else the staging-tier then prod-tier environments of
    /// `envs` (in their configured order).
    pub fn chain(&self, envs: &[String]) -> Vec<String> {
        if let Some(c) = &self.promotion {
            return c.clone();
        }
        let tiered = |t: Tier| {
            envs.iter()
                .filter(|e| self.env(e).tier == t)
                .cloned()
                .collect::<Vec<_>>()
        };
        let mut out = tiered(Tier::Staging);
        out.extend(tiered(Tier::Prod));
        out
    }

    /// Whether `r` is listed in `promoted` (a listed repository without a
    /// tag or digest promotes every tag of it).
    pub fn is_promoted(&self, r: &Reference) -> bool {
        self.promoted.iter().any(|p| {
            p.repository() == r.repository()
                && (p.tag.is_none() || p.tag == r.tag)
                && (p.digest.is_none() || p.digest == r.digest)
        })
    }
}

/// Whether `repository` (normalised, `docker.io/library/nginx`) is under
/// one of `allowed` (a registry such as `harbor.oneex.internal`, or a
/// repository prefix such as `ghcr.io/authelia`).
pub fn registry_allowed(repository: &str, allowed: &[String]) -> bool {
    allowed.iter().any(|a| {
        repository == a
            || repository
                .strip_prefix(a.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

fn normalize_registries(v: Vec<String>) -> Vec<String> {
    v.into_iter()
        .map(|r| {
            let r = r.trim_end_matches('/');
            match r.split_once('/') {
                Some(("index.docker.io", rest)) => format!("docker.io/{rest}"),
                None if r == "index.docker.io" => "docker.io".to_string(),
                _ => r.to_string(),
            }
        })
        .collect()
}

fn decode<T: for<'de> Deserialize<'de> + Default>(
    v: Option<&serde_json::Value>,
    at: &str,
) -> Result<T, Bad> {
    match v {
        None | Some(serde_json::Value::Null) => Ok(T::default()),
        Some(v) => serde_json::from_value(v.clone()).map_err(|e| bad(at, e.to_string())),
    }
}

fn compile(pattern: Option<&str>, at: &str) -> Result<Option<Regex>, Bad> {
    pattern
        .map(|p| {
            Regex::new(p).map_err(|e| {
                let first = e.to_string();
                let first = first.lines().last().unwrap_or("").trim().to_string();
                bad(at, format!("{p:?} is not a regular expression ({first})"))
            })
        })
        .transpose()
}

fn dotted(pointer: &str) -> String {
    pointer.trim_start_matches('/').replace('/', ".")
}

fn span_of(root: &Path, pointer: &str) -> Option<Span> {
    let text = std::fs::read_to_string(root.join(FILE_NAME)).ok()?;
    let node = parse_single(FILE_NAME, &text).ok()?;
    node_at(&node, pointer).and_then(|n| n.span.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(text: &str) -> Config {
        Config::parse("gitopsc.yaml", text).unwrap()
    }

    #[test]
    fn tiers_by_name() {
        for (n, t) in [
            ("prod", Tier::Prod),
            ("production", Tier::Prod),
            ("prod-eu", Tier::Prod),
            ("staging", Tier::Staging),
            ("recette", Tier::Staging),
            ("preprod", Tier::Staging),
            ("dev", Tier::Dev),
            ("lab", Tier::Dev),
        ] {
            assert_eq!(Tier::by_name(n), t, "{n}");
        }
    }

    #[test]
    fn environment_settings_override_the_top_level() {
        let c = cfg(
            "environments:\n  dev:\n  qa2:\n    images:\n      tier: staging\n  prod:\n    images:\n      registries: [ghcr.io/acme/]\nimages:\n  registries: [harbor.x]\n  tagPattern: '^v'\n",
        );
        let ic = ImageConfig::from_config(&c).ok().unwrap();
        assert_eq!(ic.env("dev").tier, Tier::Dev);
        assert_eq!(ic.env("qa2").tier, Tier::Staging);
        assert_eq!(ic.env("dev").registries.unwrap(), ["harbor.x"]);
        assert_eq!(ic.env("prod").registries.unwrap(), ["ghcr.io/acme"]);
        assert!(ic.env("prod").tag_pattern.is_some());
        assert_eq!(ic.chain(&c.env_order), ["qa2", "prod"]);
    }

    #[test]
    fn registry_prefixes_stop_at_components() {
        let a = ["ghcr.io/acme".to_string(), "docker.io".to_string()];
        assert!(registry_allowed("ghcr.io/acme/app", &a));
        assert!(!registry_allowed("ghcr.io/acme2/app", &a));
        assert!(registry_allowed("docker.io/library/nginx", &a));
        assert!(!registry_allowed("quay.io/x", &a));
    }

    #[test]
    fn bad_values_are_located() {
        let c = cfg("environments:\n  prod:\n    images:\n      tagPattern: '(('\n");
        let e = ImageConfig::from_config(&c).err().unwrap();
        assert_eq!(e.pointer, "/environments/prod/images/tagPattern");
        let c = cfg("environments:\n  prod:\nimages:\n  promotion: [staging, prod]\n");
        assert_eq!(
            ImageConfig::from_config(&c).err().unwrap().pointer,
            "/images/promotion/0"
        );
        let c = cfg("environments:\n  prod:\nimages:\n  promoted: ['Bad']\n");
        assert_eq!(
            ImageConfig::from_config(&c).err().unwrap().pointer,
            "/images/promoted/0"
        );
        let c = cfg("images:\n  promoted: [nginx]\n");
        let ic = ImageConfig::from_config(&c).ok().unwrap();
        assert!(ic.is_promoted(&reference::parse("docker.io/library/nginx:1.2.3").unwrap()));
    }
}
