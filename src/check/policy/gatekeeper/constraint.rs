//! Constraints (`constraints.gatekeeper.sh`, kind = a template's kind):
//! their match block, parameters and enforcement action.

use super::matching::Match;
use serde_json::{Map, Value};

pub const CONSTRAINT_GROUP: &str = "constraints.gatekeeper.sh";

/// What a violation of a constraint does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    /// Audit only: not reported by `gitopsc check`.
    Dryrun,
    /// Admitted with a warning: a warning finding.
    Warn,
    /// Rejected at admission: an error finding.
    Deny,
}

impl Action {
    fn parse(s: &str) -> Option<Action> {
        match s.to_ascii_lowercase().as_str() {
            "deny" => Some(Action::Deny),
            "warn" => Some(Action::Warn),
            "dryrun" => Some(Action::Dryrun),
            _ => None,
        }
    }
}

/// Enforcement points whose scoped action applies to a pre-merge check:
/// admission (what a sync would meet), gator, and every point (`*`).
const POINTS: &[&str] = &["*", "validation.gatekeeper.sh", "gator.gatekeeper.sh"];

#[derive(Debug, Clone)]
pub struct Constraint {
    pub kind: String,
    pub name: String,
    pub matcher: Match,
    /// `spec.parameters`, `{}` when absent.
    pub parameters: Value,
    pub action: Action,
}

/// Whether `doc` is a constraint (any kind in the constraints group).
pub fn is_constraint(doc: &Value) -> bool {
    doc.get("apiVersion")
        .and_then(Value::as_str)
        .is_some_and(|a| a.starts_with(&format!("{CONSTRAINT_GROUP}/")))
}

impl Constraint {
    /// Reads a constraint document; `Err` names what is malformed.
    pub fn parse(doc: &Value) -> Result<Constraint, String> {
        let kind = doc
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let name = doc
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let spec = doc.get("spec");
        let matcher = match spec.and_then(|s| s.get("match")) {
            Some(m) if !m.is_null() => {
                Match::parse(m).map_err(|e| format!("{kind} {name:?}: spec.match: {e}"))?
            }
            _ => Match::default(),
        };
        let parameters = match spec.and_then(|s| s.get("parameters")) {
            Some(p) if !p.is_null() => p.clone(),
            _ => Value::Object(Map::new()),
        };
        let action = match spec
            .and_then(|s| s.get("enforcementAction"))
            .and_then(Value::as_str)
        {
            None | Some("") => Action::Deny,
            Some(a) if a.eq_ignore_ascii_case("scoped") => scoped_action(spec),
            Some(a) => Action::parse(a)
                .ok_or_else(|| format!("{kind} {name:?}: unknown enforcementAction {a:?}"))?,
        };
        Ok(Constraint {
            kind,
            name,
            matcher,
            parameters,
            action,
        })
    }
}

/// The strictest of `scopedEnforcementActions` whose enforcement points
/// include admission, gator or `*`; dryrun when none does.
fn scoped_action(spec: Option<&Value>) -> Action {
    spec.and_then(|s| s.get("scopedEnforcementActions"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|entry| {
            entry
                .get("enforcementPoints")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|p| p.get("name").and_then(Value::as_str))
                .any(|p| POINTS.contains(&p))
        })
        .filter_map(|entry| entry.get("action").and_then(Value::as_str))
        .filter_map(Action::parse)
        .max()
        .unwrap_or(Action::Dryrun)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_and_actions() {
        let c = Constraint::parse(&json!({"kind": "K", "metadata": {"name": "n"}})).unwrap();
        assert_eq!(c.action, Action::Deny);
        assert_eq!(c.parameters, json!({}));
        let w = Constraint::parse(&json!({"kind": "K", "spec": {"enforcementAction": "warn"}}));
        assert_eq!(w.unwrap().action, Action::Warn);
        let s = Constraint::parse(&json!({"kind": "K", "spec": {
            "enforcementAction": "scoped",
            "scopedEnforcementActions": [
                {"action": "deny", "enforcementPoints": [{"name": "audit.gatekeeper.sh"}]},
                {"action": "warn", "enforcementPoints": [{"name": "validation.gatekeeper.sh"}]}]}}));
        assert_eq!(s.unwrap().action, Action::Warn);
        assert!(
            Constraint::parse(&json!({"kind": "K", "spec": {"enforcementAction": "x"}})).is_err()
        );
    }
}
