//! The `diff:` section of `gitopsc.yaml`: fields to ignore and key
//! patterns whose values are secret.
//!
//! ```yaml
//! diff:
//!   ignoreFields:                       # added to the defaults
//!   - metadata.annotations["example.com/build-id"]
//!   - spec.template.metadata.annotations["checksum/*"]
//!   secretKeys: ["(?i)connection[_-]?string$"]   # added to the defaults
//!   defaults: true                      # false: only the lists above
//! ```

use regex::Regex;
use serde::Deserialize;

/// Fields that change on every render without changing what runs.
pub const DEFAULT_IGNORED: [&str; 3] = [
    r#"metadata.labels["helm.sh/chart"]"#,
    r#"metadata.annotations["checksum/*"]"#,
    r#"spec.template.metadata.annotations["checksum/*"]"#,
];

/// Keys whose values are secret (case-insensitive, matched against the
/// end of the key so `secretName` or `secretKeyRef` stay readable).
pub const DEFAULT_SECRET_KEYS: [&str; 1] =
    [r"(?i)(password|passwd|passphrase|secret|token|api[_-]?key|private[_-]?key|credentials?)$"];

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    ignore_fields: Vec<String>,
    #[serde(default)]
    secret_keys: Vec<String>,
    defaults: Option<bool>,
}

/// One segment of an ignored-field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A map key; `*` in it matches any run of characters.
    Key(String),
    /// Every item of a list (`[]` or `[*]`).
    AnyItem,
}

#[derive(Debug, Clone)]
pub struct DiffConfig {
    pub ignore: Vec<Vec<Segment>>,
    pub ignore_text: Vec<String>,
    pub secret_keys: Vec<Regex>,
}

#[derive(Debug, thiserror::Error)]
#[error("invalid diff settings in gitopsc.yaml: {0}")]
pub struct DiffConfigError(pub String);

impl Default for DiffConfig {
    fn default() -> Self {
        // The defaults are constants checked by a unit test.
        DiffConfig::from_value(None).expect("default diff settings are valid")
    }
}

impl DiffConfig {
    /// Settings from the raw `diff:` value (already schema-checked).
    pub fn from_value(v: Option<&serde_json::Value>) -> Result<DiffConfig, DiffConfigError> {
        let raw: Raw = match v {
            Some(v) if !v.is_null() => {
                serde_json::from_value(v.clone()).map_err(|e| DiffConfigError(e.to_string()))?
            }
            _ => Raw::default(),
        };
        let defaults = raw.defaults.unwrap_or(true);
        let mut ignore_text: Vec<String> = Vec::new();
        if defaults {
            ignore_text.extend(DEFAULT_IGNORED.iter().map(|s| s.to_string()));
        }
        ignore_text.extend(raw.ignore_fields);
        let ignore = ignore_text
            .iter()
            .map(|p| parse_path(p))
            .collect::<Result<_, _>>()?;
        let mut keys: Vec<String> = Vec::new();
        if defaults {
            keys.extend(DEFAULT_SECRET_KEYS.iter().map(|s| s.to_string()));
        }
        keys.extend(raw.secret_keys);
        let secret_keys = keys
            .iter()
            .map(|k| Regex::new(k).map_err(|e| DiffConfigError(format!("secretKeys: {k:?}: {e}"))))
            .collect::<Result<_, _>>()?;
        Ok(DiffConfig {
            ignore,
            ignore_text,
            secret_keys,
        })
    }

    /// Adds the secret patterns of `other`: redaction follows both
    /// revisions' settings, so a change cannot weaken it for its own diff.
    pub fn merge_secret_keys(&mut self, other: &DiffConfig) {
        for r in &other.secret_keys {
            if !self.secret_keys.iter().any(|k| k.as_str() == r.as_str()) {
                self.secret_keys.push(r.clone());
            }
        }
    }

    pub fn is_secret_key(&self, key: &str) -> bool {
        self.secret_keys.iter().any(|r| r.is_match(key))
    }
}

/// `a.b["c.d"][].e` → segments.
pub fn parse_path(text: &str) -> Result<Vec<Segment>, DiffConfigError> {
    let bad = |why: &str| DiffConfigError(format!("ignoreFields: {text:?}: {why}"));
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let mut cur = String::new();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !cur.is_empty() {
                    out.push(Segment::Key(std::mem::take(&mut cur)));
                }
            }
            '[' => {
                if !cur.is_empty() {
                    out.push(Segment::Key(std::mem::take(&mut cur)));
                }
                let mut inner = String::new();
                let mut closed = false;
                for c in chars.by_ref() {
                    if c == ']' {
                        closed = true;
                        break;
                    }
                    inner.push(c);
                }
                if !closed {
                    return Err(bad("missing ']'"));
                }
                let inner = inner.trim();
                if inner.is_empty() || inner == "*" {
                    out.push(Segment::AnyItem);
                } else if let Some(q) = inner
                    .strip_prefix('"')
                    .and_then(|s| s.strip_suffix('"'))
                    .or_else(|| inner.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
                {
                    out.push(Segment::Key(q.to_string()));
                } else {
                    return Err(bad("use [\"key\"] for keys and [] for every list item"));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(Segment::Key(cur));
    }
    if out.is_empty() {
        return Err(bad("empty path"));
    }
    Ok(out)
}

/// `*` matches any run of characters.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let Some((first, rest)) = pattern.split_once('*') else {
        return pattern == text;
    };
    let Some(mut remaining) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = rest.split('*').collect();
    for (i, part) in parts.iter().enumerate() {
        if i == parts.len() - 1 {
            return remaining.ends_with(part) && remaining.len() >= part.len();
        }
        match remaining.find(part) {
            Some(at) => remaining = &remaining[at + part.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        let c = DiffConfig::default();
        assert_eq!(c.ignore.len(), DEFAULT_IGNORED.len());
        assert!(c.is_secret_key("password"));
        assert!(c.is_secret_key("DB_PASSWORD"));
        assert!(c.is_secret_key("clientSecret"));
        assert!(c.is_secret_key("api-key"));
        assert!(!c.is_secret_key("secretName"));
        assert!(!c.is_secret_key("secretKeyRef"));
        assert!(!c.is_secret_key("image"));
    }

    #[test]
    fn parses_paths() {
        assert_eq!(
            parse_path(r#"metadata.labels["helm.sh/chart"]"#).unwrap(),
            vec![
                Segment::Key("metadata".into()),
                Segment::Key("labels".into()),
                Segment::Key("helm.sh/chart".into())
            ]
        );
        assert_eq!(
            parse_path("spec.containers[].image").unwrap()[2],
            Segment::AnyItem
        );
        assert!(parse_path("a[b").is_err());
        assert!(parse_path("a[b]").is_err());
    }

    #[test]
    fn globs() {
        assert!(glob_match("checksum/*", "checksum/config"));
        assert!(!glob_match("checksum/*", "x/checksum/config"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a*b*c", "a-b-c"));
        assert!(!glob_match("a*b*c", "a-c"));
    }

    #[test]
    fn reads_user_settings() {
        let v = serde_json::json!({"ignoreFields": ["spec.replicas"], "secretKeys": ["(?i)dsn$"], "defaults": false});
        let c = DiffConfig::from_value(Some(&v)).unwrap();
        assert_eq!(c.ignore_text, ["spec.replicas"]);
        assert!(c.is_secret_key("DATABASE_DSN"));
        assert!(!c.is_secret_key("password"));
        let v = serde_json::json!({"secretKeys": ["("]});
        assert!(DiffConfig::from_value(Some(&v)).is_err());
    }
}
