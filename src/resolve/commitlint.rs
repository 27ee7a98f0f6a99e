//! Which commit-message rules apply: commitlint configuration files
//! (`.commitlintrc*`, `commitlint.config.*`, `package.json#commitlint`)
//! and the `commits:` section of `gitopsc.yaml`, resolved to one rule
//! list. Without any configuration: `@commitlint/config-conventional`.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// `[level, when, value]` of one rule.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleSetting {
    /// 0 off, 1 warning, 2 error.
    pub level: u8,
    /// `true` for "always", `false` for "never".
    pub always: bool,
    pub value: Value,
}

#[derive(Clone, Debug)]
pub struct LintConfig {
    /// Rules in configuration order (the order problems are listed in).
    pub rules: Vec<(String, RuleSetting)>,
    /// commitlint's built-in ignores (merge, revert, fixup!, versions, ...).
    pub default_ignores: bool,
    /// Extra ignore patterns (regular expressions, from gitopsc.yaml).
    pub ignores: Vec<regex::Regex>,
    pub help_url: Option<String>,
    /// Where the configuration came from, for messages.
    pub source: String,
    /// Problems met while reading the configuration (reported, not fatal).
    pub notes: Vec<String>,
}

pub const DEFAULT_HELP_URL: &str =
    "https://github.com/conventional-changelog/commitlint/#what-is-commitlint";
pub const CONFIG_CONVENTIONAL: &str = "@commitlint/config-conventional";

/// The rules of `@commitlint/config-conventional` 20.5.3.
pub fn config_conventional_rules() -> Value {
    json!({
        "body-leading-blank": [1, "always"],
        "body-max-line-length": [2, "always", 100],
        "footer-leading-blank": [1, "always"],
        "footer-max-line-length": [2, "always", 100],
        "header-max-length": [2, "always", 100],
        "header-trim": [2, "always"],
        "subject-case": [2, "never", ["sentence-case", "start-case", "pascal-case", "upper-case"]],
        "subject-empty": [2, "never"],
        "subject-full-stop": [2, "never", "."],
        "type-case": [2, "always", "lower-case"],
        "type-empty": [2, "never"],
        "type-enum": [2, "always", ["build", "chore", "ci", "docs", "feat", "fix", "perf", "refactor", "revert", "style", "test"]]
    })
}

/// The rules of `@commitlint/config-angular` (type list and cases differ).
fn config_angular_rules() -> Value {
    json!({
        "body-leading-blank": [1, "always"],
        "footer-leading-blank": [1, "always"],
        "header-max-length": [2, "always", 72],
        "scope-case": [2, "always", "lower-case"],
        "subject-case": [2, "never", ["sentence-case", "start-case", "pascal-case", "upper-case"]],
        "subject-empty": [2, "never"],
        "subject-full-stop": [2, "never", "."],
        "subject-exclamation-mark": [2, "never"],
        "type-case": [2, "always", "lower-case"],
        "type-empty": [2, "never"],
        "type-enum": [2, "always", ["build", "ci", "docs", "feat", "fix", "perf", "refactor", "revert", "style", "test"]]
    })
}

impl Default for LintConfig {
    fn default() -> Self {
        let mut c = LintConfig {
            rules: Vec::new(),
            default_ignores: true,
            ignores: Vec::new(),
            help_url: Some(DEFAULT_HELP_URL.to_string()),
            source: CONFIG_CONVENTIONAL.to_string(),
            notes: Vec::new(),
        };
        c.apply_rules(&config_conventional_rules(), "config-conventional");
        c
    }
}

impl LintConfig {
    /// Merges a `rules` object: known keys keep their place, new ones are
    /// appended (JavaScript object-merge order).
    fn apply_rules(&mut self, rules: &Value, origin: &str) {
        let Some(map) = rules.as_object() else {
            self.notes
                .push(format!("{origin}: `rules` must be an object; ignored"));
            return;
        };
        for (name, v) in map {
            match parse_setting(v) {
                Ok(s) => match self.rules.iter_mut().find(|(n, _)| n == name) {
                    Some((_, old)) => *old = s,
                    None => self.rules.push((name.clone(), s)),
                },
                Err(e) => self.notes.push(format!("{origin}: rule {name}: {e}")),
            }
        }
    }

    /// Applies one configuration object (`extends`, `rules`,
    /// `defaultIgnores`, `helpUrl`, `ignores`).
    /// `replace`: the object is a whole configuration (a commitlint
    /// file), whose `rules`/`extends` replace the defaults; otherwise only
    /// an `extends` replaces them and `rules` are laid on top.
    pub fn apply(&mut self, cfg: &Value, origin: &str, replace: bool) {
        let extends: Vec<String> = match cfg.get("extends") {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
            _ => Vec::new(),
        };
        if cfg.get("extends").is_some() || (replace && cfg.get("rules").is_some()) {
            // A configuration that says what it extends replaces the
            // built-in default.
            self.rules.clear();
        }
        for e in &extends {
            match e.as_str() {
                "@commitlint/config-conventional" | "conventional" | "config-conventional" => {
                    self.apply_rules(&config_conventional_rules(), e)
                }
                "@commitlint/config-angular" | "angular" | "config-angular" => self.apply_rules(&config_angular_rules(), e),
                other => self.notes.push(format!(
                    "{origin}: cannot resolve `extends: {other}` (only @commitlint/config-conventional and \
                     @commitlint/config-angular are built in); its rules are not applied"
                )),
            }
        }
        if let Some(r) = cfg.get("rules") {
            self.apply_rules(r, origin);
        }
        if let Some(b) = cfg.get("defaultIgnores").and_then(Value::as_bool) {
            self.default_ignores = b;
        }
        if let Some(u) = cfg.get("helpUrl").and_then(Value::as_str) {
            self.help_url = Some(u.to_string());
        }
        if let Some(list) = cfg.get("ignores").and_then(Value::as_array) {
            for p in list {
                match p.as_str().map(regex::Regex::new) {
                    Some(Ok(r)) => self.ignores.push(r),
                    Some(Err(e)) => self.notes.push(format!("{origin}: bad ignore pattern: {e}")),
                    None => self.notes.push(format!(
                        "{origin}: `ignores` entries must be regular expressions as strings (JavaScript functions cannot be read)"
                    )),
                }
            }
        }
    }
}

fn parse_setting(v: &Value) -> Result<RuleSetting, String> {
    let a = v
        .as_array()
        .ok_or_else(|| format!("must be an array, got {v}"))?;
    let level = a
        .first()
        .and_then(Value::as_u64)
        .filter(|l| *l <= 2)
        .ok_or_else(|| "level must be 0, 1 or 2".to_string())? as u8;
    if level == 0 && a.len() == 1 {
        return Ok(RuleSetting {
            level,
            always: true,
            value: Value::Null,
        });
    }
    let always = match a.get(1).and_then(Value::as_str) {
        Some("always") => true,
        Some("never") => false,
        _ => return Err("condition must be \"always\" or \"never\"".into()),
    };
    if a.len() > 3 {
        return Err("must be 2 or 3 items long".into());
    }
    Ok(RuleSetting {
        level,
        always,
        value: a.get(2).cloned().unwrap_or(Value::Null),
    })
}

/// Files commitlint (cosmiconfig) looks for, in its search order.
const FILES: &[&str] = &[
    "package.json",
    ".commitlintrc",
    ".commitlintrc.json",
    ".commitlintrc.yaml",
    ".commitlintrc.yml",
    ".commitlintrc.js",
    ".commitlintrc.cjs",
    ".commitlintrc.mjs",
    ".commitlintrc.ts",
    ".commitlintrc.cts",
    "commitlint.config.js",
    "commitlint.config.cjs",
    "commitlint.config.mjs",
    "commitlint.config.ts",
    "commitlint.config.cts",
];

/// Finds and reads the commitlint configuration of the repository at
/// `root`, then applies `commits` (the `commits:` section of
/// gitopsc.yaml) on top.
pub fn load(root: &Path, commits: Option<&Value>) -> LintConfig {
    let mut cfg = LintConfig::default();
    if let Some((path, value)) = find(root, &mut cfg.notes) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        cfg.source = name.clone();
        cfg.apply(&value, &name, true);
    }
    if let Some(c) = commits {
        cfg.apply(c, "gitopsc.yaml commits", false);
        if cfg.source == CONFIG_CONVENTIONAL || c.get("extends").is_some() {
            cfg.source = "gitopsc.yaml".into();
        }
    }
    if cfg.rules.is_empty() {
        cfg.notes
            .push("no commit rules configured; using @commitlint/config-conventional".into());
        cfg.apply_rules(&config_conventional_rules(), "config-conventional");
    }
    cfg
}

fn find(root: &Path, notes: &mut Vec<String>) -> Option<(PathBuf, Value)> {
    for f in FILES {
        let path = root.join(f);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let value = match *f {
            "package.json" => match serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|v| v.get("commitlint").cloned())
            {
                Some(v) => Ok(v),
                None => continue,
            },
            ".commitlintrc.json" => serde_json::from_str(&text).map_err(|e| e.to_string()),
            ".commitlintrc" | ".commitlintrc.yaml" | ".commitlintrc.yml" => parse_yaml(f, &text),
            _ => js_config(&text),
        };
        match value {
            Ok(v) => return Some((path, v)),
            Err(e) => {
                notes.push(format!(
                    "{f}: cannot be read ({e}); falling back to @commitlint/config-conventional"
                ));
                return None;
            }
        }
    }
    None
}

fn parse_yaml(file: &str, text: &str) -> Result<Value, String> {
    let node = crate::load::yaml::parse_single(file, text).map_err(|e| e.message)?;
    Ok(crate::load::yaml::json::to_json(&node))
}

/// The configuration object of a simple JavaScript/TypeScript config:
/// `module.exports = {…}`, `export default {…}`, or a `const X = {…}`
/// exported by name, where the object is a literal (strings, numbers,
/// arrays, nested objects, `RuleConfigSeverity.*`, `RuleConfigCondition`
/// strings). Anything computed (functions, spreads, imports used as
/// values) makes it unreadable.
pub fn js_config(text: &str) -> Result<Value, String> {
    let src = strip_js_comments(text);
    let start = object_start(&src)
        .ok_or("no `module.exports = {…}` or `export default {…}` object literal found")?;
    let mut p = JsParser {
        s: src.as_bytes(),
        i: start,
        text: &src,
    };
    let v = p.value()?;
    Ok(v)
}

fn strip_js_comments(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut quote: Option<u8> = None;
    let mut last = 0;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == b'\\' {
                i += 2;
                continue;
            }
            if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        match c {
            b'"' | b'\'' | b'`' => {
                quote = Some(c);
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                out.push_str(&text[last..i]);
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                last = i;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                out.push_str(&text[last..i]);
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i = (i + 2).min(b.len());
                last = i;
                out.push(' ');
            }
            _ => i += 1,
        }
    }
    out.push_str(&text[last.min(text.len())..]);
    out
}

/// Byte offset of the exported object literal's `{`.
fn object_start(src: &str) -> Option<usize> {
    let find_brace = |at: usize| -> Option<usize> {
        let rest = src[at..].trim_start();
        let off = src.len() - rest.len();
        rest.starts_with('{').then_some(off)
    };
    for marker in ["module.exports", "export default"] {
        if let Some(i) = src.find(marker) {
            let rest = src[i + marker.len()..].trim_start();
            let rest = rest.strip_prefix('=').unwrap_or(rest);
            let at = src.len() - rest.len();
            if let Some(b) = find_brace(at) {
                return Some(b);
            }
            // `export default Configuration;` / `module.exports = config;`
            let rest = src[at..].trim_start();
            let ident: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
                .collect();
            if !ident.is_empty() {
                for decl in ["const ", "let ", "var "] {
                    let pat = format!("{decl}{ident}");
                    if let Some(j) = src.find(&pat) {
                        let after = &src[j + pat.len()..];
                        // optional `: UserConfig` type annotation
                        let eq = after.find('=')?;
                        return find_brace(j + pat.len() + eq + 1);
                    }
                }
            }
        }
    }
    None
}

struct JsParser<'a> {
    s: &'a [u8],
    i: usize,
    text: &'a str,
}

impl JsParser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn err<T>(&self, what: &str) -> Result<T, String> {
        let line = self.text[..self.i.min(self.text.len())]
            .matches('\n')
            .count()
            + 1;
        Err(format!("{what} at line {line}"))
    }

    fn value(&mut self) -> Result<Value, String> {
        self.ws();
        match self.s.get(self.i) {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"' | b'\'' | b'`') => self.string().map(Value::String),
            Some(c) if c.is_ascii_digit() || *c == b'-' => {
                let st = self.i;
                self.i += 1;
                while self.i < self.s.len()
                    && (self.s[self.i].is_ascii_digit() || self.s[self.i] == b'.')
                {
                    self.i += 1;
                }
                let n: f64 = self.text[st..self.i]
                    .parse()
                    .map_err(|_| "bad number".to_string())?;
                Ok(json!(n as i64))
            }
            Some(_) => {
                let word = self.ident();
                match word.as_str() {
                    "true" => Ok(Value::Bool(true)),
                    "false" => Ok(Value::Bool(false)),
                    "null" | "undefined" => Ok(Value::Null),
                    "RuleConfigSeverity" | "RuleConfigCondition" => {
                        if self.s.get(self.i) != Some(&b'.') {
                            return self.err("expected `.`");
                        }
                        self.i += 1;
                        match self.ident().as_str() {
                            "Disabled" => Ok(json!(0)),
                            "Warning" => Ok(json!(1)),
                            "Error" => Ok(json!(2)),
                            "Always" => Ok(json!("always")),
                            "Never" => Ok(json!("never")),
                            other => self.err(&format!("unknown {word}.{other}")),
                        }
                    }
                    "" => self.err("unexpected character"),
                    other => self.err(&format!("computed value `{other}`")),
                }
            }
            None => self.err("unexpected end"),
        }
    }

    fn ident(&mut self) -> String {
        let st = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric() || matches!(self.s[self.i], b'_' | b'$'))
        {
            self.i += 1;
        }
        self.text[st..self.i].to_string()
    }

    fn string(&mut self) -> Result<String, String> {
        let q = self.s[self.i];
        self.i += 1;
        let mut out = String::new();
        let st = self.i;
        let mut chunk = st;
        while self.i < self.s.len() {
            let c = self.s[self.i];
            if c == b'\\' {
                out.push_str(&self.text[chunk..self.i]);
                let e = self.s.get(self.i + 1).copied().unwrap_or(b'\\');
                out.push(match e {
                    b'n' => '\n',
                    b't' => '\t',
                    other => other as char,
                });
                self.i += 2;
                chunk = self.i;
                continue;
            }
            if q == b'`' && c == b'$' && self.s.get(self.i + 1) == Some(&b'{') {
                return self.err("template literal with `${}`");
            }
            if c == q {
                out.push_str(&self.text[chunk..self.i]);
                self.i += 1;
                return Ok(out);
            }
            self.i += 1;
        }
        self.err("unterminated string")
    }

    fn array(&mut self) -> Result<Value, String> {
        self.i += 1;
        let mut out = Vec::new();
        loop {
            self.ws();
            match self.s.get(self.i) {
                Some(b']') => {
                    self.i += 1;
                    return Ok(Value::Array(out));
                }
                Some(b'.') => return self.err("spread `...`"),
                _ => {}
            }
            out.push(self.value()?);
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => {}
                _ => return self.err("expected `,` or `]`"),
            }
        }
    }

    fn object(&mut self) -> Result<Value, String> {
        self.i += 1;
        let mut out = serde_json::Map::new();
        loop {
            self.ws();
            let key = match self.s.get(self.i) {
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Value::Object(out));
                }
                Some(b'"' | b'\'') => self.string()?,
                Some(b'.') => return self.err("spread `...`"),
                Some(b'[') => return self.err("computed key"),
                _ => {
                    let k = self.ident();
                    if k.is_empty() {
                        return self.err("expected a key");
                    }
                    k
                }
            };
            self.ws();
            if self.s.get(self.i) != Some(&b':') {
                return self.err(&format!("`{key}` is not a `key: value` entry"));
            }
            self.i += 1;
            let v = self.value()?;
            // `as const` / `as RuleConfigSeverity` casts (TypeScript)
            self.ws();
            if self.text[self.i..].starts_with("as ") {
                self.i += 3;
                self.ws();
                let _ = self.ident();
            }
            out.insert(key, v);
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => {}
                _ => return self.err("expected `,` or `}`"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_config_conventional() {
        let c = LintConfig::default();
        assert_eq!(c.rules.len(), 12);
        assert_eq!(c.rules[0].0, "body-leading-blank");
    }

    #[test]
    fn reads_simple_js_configs() {
        let v = js_config(
            "// commitlint\nmodule.exports = {\n  extends: ['@commitlint/config-conventional'],\n  rules: {\n    'scope-enum': [2, 'always', ['api', 'ui']], // ok\n    'header-max-length': [RuleConfigSeverity.Warning, 'always', 72],\n  },\n};\n",
        )
        .unwrap();
        assert_eq!(v["rules"]["scope-enum"][2][1], "ui");
        assert_eq!(v["rules"]["header-max-length"][0], 1);
        let v = js_config("import type { UserConfig } from '@commitlint/types';\nconst Configuration: UserConfig = { extends: ['@commitlint/config-conventional'] };\nexport default Configuration;\n").unwrap();
        assert_eq!(v["extends"][0], "@commitlint/config-conventional");
        let e = js_config("module.exports = { rules: { ...base.rules } }").unwrap_err();
        assert!(e.contains("spread"), "{e}");
    }

    #[test]
    fn merges_in_order() {
        let mut c = LintConfig::default();
        c.apply(&json!({"extends": ["@commitlint/config-conventional"], "rules": {"type-enum": [2, "always", ["x"]], "scope-empty": [2, "never"]}}), "t", true);
        assert_eq!(c.rules.len(), 13);
        assert_eq!(c.rules[11].1.value, json!(["x"]));
        assert_eq!(c.rules[12].0, "scope-empty");
    }
}
