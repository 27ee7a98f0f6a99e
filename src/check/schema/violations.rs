//! Validating one resource against its compiled schema, and wording each
//! problem twice: for gitopsc's diagnostics and the way kubeconform does.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, ValidationError, Validator};
use serde_json::Value;

/// Most problems reported per resource; the rest are counted.
pub const MAX_PER_RESOURCE: usize = 20;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A field the schema does not declare (strict mode).
    UnknownField,
    /// Any other violation: type, enum, required, pattern, range, ...
    Invalid,
}

#[derive(Clone, Debug)]
pub struct Violation {
    pub kind: Kind,
    /// JSON pointer of the offending value (or of the unknown key).
    pub pointer: String,
    /// For a missing required field: its name (the location is the parent).
    pub missing: Option<String>,
    /// gitopsc's wording, without the path.
    pub message: String,
    /// kubeconform's wording, e.g. `at '/spec/replicas': got string, want null or integer`.
    pub kubeconform: String,
}

/// Every violation of `instance` (none when it is valid), sorted by path.
/// With `redact`, no instance value is quoted (Secrets).
pub fn check(validator: &Validator, instance: &Value, redact: bool) -> Vec<Violation> {
    if validator.is_valid(instance) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for e in validator.iter_errors(instance) {
        describe(&e, redact, &mut out);
        if out.len() >= MAX_PER_RESOURCE {
            break;
        }
    }
    out.sort_by(|a, b| a.pointer.cmp(&b.pointer).then(a.message.cmp(&b.message)));
    out.dedup_by(|a, b| a.pointer == b.pointer && a.message == b.message);
    out
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn type_name(t: JsonType) -> &'static str {
    match t {
        JsonType::Null => "null",
        JsonType::Boolean => "boolean",
        JsonType::Number => "number",
        JsonType::Integer => "integer",
        JsonType::String => "string",
        JsonType::Array => "array",
        JsonType::Object => "object",
    }
}

/// kubeconform's order of type names.
const ORDER: [&str; 7] = [
    "null", "boolean", "number", "integer", "string", "array", "object",
];

fn wanted(kind: &TypeKind) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = match kind {
        TypeKind::Single(t) => vec![type_name(*t)],
        TypeKind::Multiple(set) => set.iter().map(type_name).collect(),
    };
    v.sort_by_key(|t| ORDER.iter().position(|o| o == t));
    v.dedup();
    v
}

/// A short, safe rendering of a value: scalars quoted, long ones cut.
pub fn show(v: &Value, redact: bool) -> String {
    if redact {
        return format!("a {}", json_type(v));
    }
    match v {
        Value::Object(_) => "an object".into(),
        Value::Array(_) => "an array".into(),
        other => {
            let s = other.to_string();
            if s.chars().count() > 40 {
                format!("{}…", s.chars().take(40).collect::<String>())
            } else {
                s
            }
        }
    }
}

fn describe(e: &ValidationError<'_>, redact: bool, out: &mut Vec<Violation>) {
    let pointer = e.instance_path().as_str().to_string();
    let at = |msg: String| format!("at '{pointer}': {msg}");
    let instance = e.instance();
    let mut push = |message: String, kubeconform: String| {
        out.push(Violation {
            kind: Kind::Invalid,
            pointer: pointer.clone(),
            missing: None,
            message,
            kubeconform,
        })
    };
    match e.kind() {
        ValidationErrorKind::Type { kind } => {
            let want = wanted(kind);
            let got = json_type(instance);
            let shown: Vec<&str> = want.iter().copied().filter(|t| *t != "null").collect();
            let shown = if shown.is_empty() {
                want.clone()
            } else {
                shown
            };
            push(
                format!(
                    "expected {}, got {} {}",
                    shown.join(" or "),
                    got,
                    show(instance, redact)
                ),
                at(format!("got {got}, want {}", want.join(" or "))),
            );
        }
        ValidationErrorKind::Enum { options } => {
            let opts: Vec<String> = options
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter(|o| !o.is_null())
                        .take(12)
                        .map(|o| o.to_string())
                        .collect()
                })
                .unwrap_or_default();
            push(
                format!(
                    "{} is not one of {}",
                    show(instance, redact),
                    opts.join(", ")
                ),
                at(format!("value must be one of {}", opts.join(", "))),
            );
        }
        ValidationErrorKind::Constant { expected_value } => push(
            format!("{} must be {}", show(instance, redact), expected_value),
            at(format!("value must be {expected_value}")),
        ),
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default().to_string();
            out.push(Violation {
                kind: Kind::Invalid,
                pointer: pointer.clone(),
                missing: Some(name.clone()),
                message: format!("missing required field \"{name}\""),
                kubeconform: at(format!("missing property '{name}'")),
            });
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            for key in unexpected {
                let p = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                out.push(Violation {
                    kind: Kind::UnknownField,
                    pointer: p,
                    missing: None,
                    message: format!("unknown field \"{key}\""),
                    kubeconform: at(format!("additional properties '{key}' not allowed")),
                });
            }
        }
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            // int-or-string, quantities: every branch a type mismatch here.
            let mut types: Vec<&'static str> = Vec::new();
            let all_types = context.iter().all(|branch| {
                branch.iter().all(|b| match b.kind() {
                    ValidationErrorKind::Type { kind }
                        if b.instance_path() == e.instance_path() =>
                    {
                        types.extend(wanted(kind));
                        true
                    }
                    _ => false,
                })
            });
            types.sort_by_key(|t| ORDER.iter().position(|o| o == t));
            types.dedup();
            if all_types && !types.is_empty() {
                let got = json_type(instance);
                let shown: Vec<&str> = types.iter().copied().filter(|t| *t != "null").collect();
                push(
                    format!(
                        "expected {}, got {} {}",
                        shown.join(" or "),
                        got,
                        show(instance, redact)
                    ),
                    at(format!("got {got}, want {}", types.join(" or "))),
                );
            } else {
                let msg = if redact {
                    "does not match any allowed form".to_string()
                } else {
                    format!("{} does not match any allowed form", show(instance, redact))
                };
                push(msg.clone(), at(msg));
            }
        }
        _ => {
            let msg = if redact {
                format!("fails the schema's \"{}\" constraint", e.kind().keyword())
            } else {
                e.to_string()
            };
            push(msg.clone(), at(msg));
        }
    }
}

/// `/spec/template/spec/containers/0/image` as `spec.template.spec.containers[0].image`;
/// keys that are not plain identifiers are bracketed and quoted.
pub fn dotted(pointer: &str) -> String {
    let mut out = String::new();
    for raw in pointer.split('/').skip(1) {
        let seg = raw.replace("~1", "/").replace("~0", "~");
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{seg}]"));
        } else if !seg.is_empty()
            && seg
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        } else {
            out.push_str(&format!("[{seg:?}]"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_paths() {
        assert_eq!(dotted("/spec/replicas"), "spec.replicas");
        assert_eq!(
            dotted("/spec/containers/0/image"),
            "spec.containers[0].image"
        );
        assert_eq!(
            dotted("/metadata/labels/app.kubernetes.io~1name"),
            "metadata.labels[\"app.kubernetes.io/name\"]"
        );
        assert_eq!(dotted(""), "");
    }

    #[test]
    fn type_errors_read_like_both_tools() {
        let v = jsonschema::validator_for(
            &serde_json::json!({"properties": {"r": {"type": ["integer", "null"]}}}),
        )
        .unwrap();
        let found = check(&v, &serde_json::json!({"r": "two"}), false);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].message, "expected integer, got string \"two\"");
        assert_eq!(
            found[0].kubeconform,
            "at '/r': got string, want null or integer"
        );
        let redacted = check(&v, &serde_json::json!({"r": "two"}), true);
        assert!(!redacted[0].message.contains("two"));
    }
}
