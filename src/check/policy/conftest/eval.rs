//! conftest's `test` semantics for one input and one namespace: which
//! rules are evaluated, what counts as a failure, a warning, an exception
//! or a success.

use super::load::{is_failure, is_warning};
use crate::check::policy::engine::{RuleDef, to_json};
use regorus::{Engine, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The check rules of every package: package → rule name → number of
/// definitions (conftest's `ruleCount`).
#[derive(Clone, Debug, Default)]
pub struct Index {
    pub packages: BTreeMap<String, BTreeMap<String, usize>>,
}

impl Index {
    pub fn new(defs: &[RuleDef]) -> Index {
        let mut packages: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for d in defs {
            let rules = packages.entry(d.package.clone()).or_default();
            if !d.is_default && !d.is_function && (is_failure(&d.name) || is_warning(&d.name)) {
                *rules.entry(d.name.clone()).or_default() += 1;
            }
        }
        Index { packages }
    }

    /// The namespaces selected: every package with `all`, else the names
    /// given (`main` when none), `*` matching any run of characters.
    pub fn select(&self, names: &[String], all: bool) -> Vec<String> {
        if all {
            return self.packages.keys().cloned().collect();
        }
        let default = ["main".to_string()];
        let names = if names.is_empty() {
            &default[..]
        } else {
            names
        };
        let mut out = BTreeSet::new();
        for n in names {
            if n.contains('*') {
                out.extend(self.packages.keys().filter(|p| glob(n, p)).cloned());
            } else {
                out.insert(n.clone());
            }
        }
        out.into_iter().collect()
    }
}

/// `*` matches any run of characters (dots included), the rest literally.
pub fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, rest) = parts.split_first().unwrap_or((&"", &[]));
    let Some(mut t) = text.strip_prefix(first) else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        return t.is_empty();
    };
    for m in middle {
        match t.find(m) {
            Some(i) => t = &t[i + m.len()..],
            None => return false,
        }
    }
    t.len() >= last.len() && t.ends_with(last)
}

/// One message of a failure or warning rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// The rule that produced it, e.g. `deny_run_as_root`.
    pub rule: String,
    pub message: String,
    /// The other keys of a structured result (`{"msg": ..., "path": ...}`).
    pub metadata: serde_json::Map<String, serde_json::Value>,
}

/// The results of one input in one namespace, counted like conftest.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    pub successes: usize,
    pub failures: Vec<Finding>,
    pub warnings: Vec<Finding>,
    /// The exception queries that held, one per match.
    pub exceptions: Vec<String>,
}

impl Outcome {
    pub fn tests(&self) -> usize {
        self.successes + self.failures.len() + self.warnings.len() + self.exceptions.len()
    }

    pub fn add(&mut self, o: Outcome) {
        self.successes += o.successes;
        self.failures.extend(o.failures);
        self.warnings.extend(o.warnings);
        self.exceptions.extend(o.exceptions);
    }
}

#[derive(Debug, thiserror::Error)]
#[error("evaluating data.{namespace}.{rule}: {message}")]
pub struct EvalError {
    pub namespace: String,
    pub rule: String,
    pub message: String,
}

/// The rule name an `exception` entry names: without its `deny_`,
/// `violation_` or `warn_` prefix.
pub fn exception_name(rule: &str) -> &str {
    ["deny_", "violation_", "warn_"]
        .iter()
        .find_map(|p| rule.strip_prefix(p))
        .unwrap_or(rule)
}

/// Evaluates the check rules of `namespace` against the engine's input.
pub fn eval_namespace(
    engine: &mut Engine,
    index: &Index,
    namespace: &str,
) -> Result<Outcome, EvalError> {
    let mut out = Outcome::default();
    let Some(rules) = index.packages.get(namespace) else {
        return Ok(out);
    };
    for (rule, &count) in rules {
        let err = |e: String| EvalError {
            namespace: namespace.to_string(),
            rule: rule.clone(),
            message: e,
        };
        let query = format!(
            "data.{namespace}.exception[_][_] == {}",
            serde_json::Value::String(exception_name(rule).to_string())
        );
        let exceptions = count_true(engine, &query).map_err(err)?;
        let mut o = Outcome {
            exceptions: vec![query; exceptions],
            ..Outcome::default()
        };
        let value = engine
            .eval_rule(format!("data.{namespace}.{rule}"))
            .map_err(|e| err(e.to_string()))?;
        let items: Vec<Value> = match &value {
            Value::Set(s) => s.iter().cloned().collect(),
            Value::Array(a) => a.iter().cloned().collect(),
            Value::Undefined => Vec::new(),
            // `deny := true`, `deny if {...}`: one success.
            _ => {
                o.successes += 1;
                Vec::new()
            }
        };
        if matches!(value, Value::Set(_) | Value::Array(_)) && items.is_empty() {
            o.successes += 1;
        }
        for item in items {
            let Some(f) = finding(rule, &item) else {
                continue;
            };
            if f.message.is_empty() {
                o.successes += 1;
            } else if !o.exceptions.is_empty() {
                continue;
            } else if is_failure(rule) {
                o.failures.push(f);
            } else {
                o.warnings.push(f);
            }
        }
        if o.tests() < count {
            o.successes += count - o.tests();
        }
        out.add(o);
    }
    Ok(out)
}

/// A string result is its message; an object takes it from `msg` (the
/// object as JSON when it has none); other values are not results.
fn finding(rule: &str, item: &Value) -> Option<Finding> {
    match to_json(item) {
        serde_json::Value::String(s) => Some(Finding {
            rule: rule.to_string(),
            message: s,
            metadata: serde_json::Map::new(),
        }),
        serde_json::Value::Object(mut m) => {
            let message = match m.remove("msg") {
                Some(serde_json::Value::String(s)) => s,
                Some(other) => other.to_string(),
                None => serde_json::Value::Object(m.clone()).to_string(),
            };
            Some(Finding {
                rule: rule.to_string(),
                message,
                metadata: m,
            })
        }
        _ => None,
    }
}

/// How many results of `query` hold.
fn count_true(engine: &mut Engine, query: &str) -> Result<usize, String> {
    let results = engine
        .eval_query(query.to_string(), false)
        .map_err(|e| e.to_string())?;
    Ok(results
        .result
        .iter()
        .filter(|r| r.expressions.iter().all(|e| e.value == Value::Bool(true)))
        .count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_like_conftest_namespaces() {
        assert!(glob("ma*", "main"));
        assert!(glob("*", "a.b"));
        assert!(glob("a*c", "abc"));
        assert!(!glob("a*c", "abd"));
        assert!(glob("main", "main"));
        assert!(!glob("main", "main2"));
    }

    #[test]
    fn exception_names_drop_the_prefix() {
        assert_eq!(exception_name("deny_run_as_root"), "run_as_root");
        assert_eq!(exception_name("warn_x"), "x");
        assert_eq!(exception_name("deny"), "deny");
    }
}
