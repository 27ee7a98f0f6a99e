//! One compiled policy set per run. Modules are parsed once into a base
//! engine; each rayon worker clones it (regorus engines are cheap to clone:
//! modules are shared) and sets its own input, so evaluation runs in
//! parallel without locks.

use regorus::{Engine, Value};

#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}: {message}")]
pub struct PolicyError {
    /// The policy file (as given to [`PolicySet::add_module`]).
    pub file: String,
    pub message: String,
}

#[derive(Clone)]
pub struct PolicySet {
    base: Engine,
}

/// The Rego dialect a module is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// `deny[msg] { ... }` (conftest before v0.60, Gatekeeper templates).
    V0,
    /// `deny contains msg if { ... }` (OPA 1.0).
    V1,
}

impl PolicySet {
    pub fn new() -> PolicySet {
        let mut base = Engine::new();
        // A builtin error (a bad regex, a type mismatch) makes the
        // expression undefined, as in OPA's default mode that conftest and
        // Gatekeeper use.
        base.set_strict_builtin_errors(false);
        PolicySet { base }
    }

    /// Parses one module; `file` names it in errors.
    pub fn add_module(
        &mut self,
        file: &str,
        text: &str,
        dialect: Dialect,
    ) -> Result<String, PolicyError> {
        self.base.set_rego_v0(dialect == Dialect::V0);
        self.base
            .add_policy(file.to_string(), text.to_string())
            .map_err(|e| PolicyError {
                file: file.to_string(),
                message: e.to_string(),
            })
    }

    /// Merges a JSON document into `data`.
    pub fn add_data(&mut self, file: &str, data: &serde_json::Value) -> Result<(), PolicyError> {
        self.base
            .add_data(Value::from(data.clone()))
            .map_err(|e| PolicyError {
                file: file.to_string(),
                message: e.to_string(),
            })
    }

    /// Packages of the loaded modules, e.g. `data.main`.
    pub fn packages(&self) -> Vec<String> {
        self.base.get_packages().unwrap_or_default()
    }

    /// An engine for one worker: shares the parsed modules.
    pub fn evaluator(&self) -> Engine {
        self.base.clone()
    }
}

impl Default for PolicySet {
    fn default() -> Self {
        PolicySet::new()
    }
}

/// A regorus value as JSON (regorus sets become arrays, sorted).
pub fn to_json(v: &Value) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v0_and_v1_modules_evaluate_per_worker() {
        let mut set = PolicySet::new();
        set.add_module(
            "a.rego",
            "package a\ndeny[msg] { input.x == 1; msg := \"x is one\" }",
            Dialect::V0,
        )
        .unwrap();
        set.add_module(
            "b.rego",
            "package b\ndeny contains \"y\" if input.y",
            Dialect::V1,
        )
        .unwrap();
        let mut e = set.evaluator();
        e.set_input(Value::from(serde_json::json!({"x": 1, "y": true})));
        let a = to_json(&e.eval_rule("data.a.deny".into()).unwrap());
        let b = to_json(&e.eval_rule("data.b.deny".into()).unwrap());
        assert_eq!(a, serde_json::json!(["x is one"]));
        assert_eq!(b, serde_json::json!(["y"]));
    }

    #[test]
    fn a_syntax_error_names_the_file() {
        let mut set = PolicySet::new();
        let err = set
            .add_module("bad.rego", "package x\ndeny[ {", Dialect::V0)
            .unwrap_err();
        assert_eq!(err.file, "bad.rego");
    }
}
