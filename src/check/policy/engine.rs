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

/// One rule definition as written (see [`PolicySet::rule_defs`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleDef {
    /// The package without `data.`, e.g. `main` or `kubernetes.admission`.
    pub package: String,
    /// The rule name: the first segment of its head (`deny` for
    /// `deny[msg]`, `deny contains msg` and `deny := true`).
    pub name: String,
    /// The module's file as given to [`PolicySet::add_module`].
    pub file: String,
    pub line: u32,
    /// A v1 `deny[msg] if { ... }` head: a partial object, not a set.
    pub partial_object: bool,
    /// A `default` rule.
    pub is_default: bool,
    /// A function (`f(x) := ...`), never a test or a check rule.
    pub is_function: bool,
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

    /// Resolves every module (functions, imports, rule conflicts) now,
    /// so a policy that cannot run fails at load time, not per resource.
    /// Workers cloned afterwards start prepared.
    pub fn prepare(&mut self) -> Result<(), PolicyError> {
        self.base.set_gather_prints(true);
        self.base
            .eval_query("true".to_string(), false)
            .map(|_| ())
            .map_err(|e| PolicyError {
                file: String::new(),
                message: e.to_string(),
            })
    }

    /// Every rule definition of the loaded modules, in load order: one
    /// entry per definition (two `deny` bodies written as two rules give
    /// two entries).
    pub fn rule_defs(&mut self) -> Vec<RuleDef> {
        use regorus::unstable::{Rule, RuleHead};
        let mut out = Vec::new();
        for m in self.base.get_modules().iter() {
            let package = m.package.refr.span().text().to_string();
            let package = package
                .strip_prefix("data.")
                .map(str::to_string)
                .unwrap_or(package);
            for r in &m.policy {
                let (refr, partial_object, is_function) = match r.as_ref() {
                    Rule::Spec { head, .. } => match head {
                        RuleHead::Compr { refr, .. } => {
                            (refr, m.rego_v1 && refr.span().text().contains('['), false)
                        }
                        RuleHead::Set { refr, .. } => (refr, false, false),
                        RuleHead::Func { refr, .. } => (refr, false, true),
                    },
                    Rule::Default { refr, args, .. } => (refr, false, !args.is_empty()),
                };
                let span = refr.span();
                let text = span.text();
                let name = text.split(['[', '.']).next().unwrap_or(text).trim();
                out.push(RuleDef {
                    package: package.clone(),
                    name: name.to_string(),
                    file: span.source.file().clone(),
                    line: span.line,
                    partial_object,
                    is_default: matches!(r.as_ref(), Rule::Default { .. }),
                    is_function,
                });
            }
        }
        out
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
