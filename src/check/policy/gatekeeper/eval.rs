//! Evaluating one constraint on one review: `data.<package>.violation`
//! with `input = {"review": ..., "parameters": ...}`.

use super::constraint::Constraint;
use super::template::Template;
use crate::check::policy::engine::to_json;
use regorus::{Engine, Value as RegoValue};
use serde_json::{Value, json};

/// One element of the violation set.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub msg: String,
    /// `details`, `null` when absent.
    pub details: Value,
}

/// An engine for `template` with `data` (e.g. `data.inventory`) loaded:
/// clone it per worker.
pub fn engine_with_data(template: &Template, data: &RegoValue) -> Result<Engine, String> {
    let mut e = template.policies.evaluator();
    e.add_data(data.clone()).map_err(|e| e.to_string())?;
    Ok(e)
}

/// The violations `constraint` finds in `review` (a set: equal elements
/// count once). `Err` carries the engine's message (a policy error at
/// evaluation time, e.g. conflicting values).
pub fn violations(
    engine: &mut Engine,
    template: &Template,
    constraint: &Constraint,
    review: &Value,
) -> Result<Vec<Violation>, String> {
    let input = json!({"review": review, "parameters": constraint.parameters});
    engine.set_input(RegoValue::from(input));
    let set = engine
        .eval_rule(template.rule.clone())
        .map_err(|e| e.to_string())?;
    let set = to_json(&set);
    let items = match set {
        Value::Array(items) => items,
        // Undefined (no violation rule at all) or not a set.
        _ => Vec::new(),
    };
    Ok(items
        .into_iter()
        .map(|item| {
            let msg = match item.get("msg") {
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => item.to_string(),
            };
            Violation {
                msg,
                details: item.get("details").cloned().unwrap_or(Value::Null),
            }
        })
        .collect())
}
