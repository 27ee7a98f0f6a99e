//! Turning the schemas we meet into what the validator runs.
//!
//! - CRD schemas (`openAPIV3Schema`, the CRDs catalog, kubeconform-style
//!   files without `$schema`) follow OpenAPI 3.0, i.e. Draft 4 plus a few
//!   extensions: `nullable: true` admits null, `x-kubernetes-int-or-string`
//!   admits an integer or a string, boolean `exclusiveMaximum`. They are
//!   compiled as Draft 4 after [`openapi_to_draft4`].
//! - Strict mode ([`strictify`]) rejects fields a schema does not declare,
//!   as the API server's strict field validation does: every object schema
//!   with `properties` and no `additionalProperties` gets
//!   `additionalProperties: false`, unless it preserves unknown fields.

use serde_json::{Map, Value};

/// Keywords whose value is a map of name to schema.
const SCHEMA_MAPS: [&str; 4] = ["properties", "patternProperties", "$defs", "definitions"];
/// Keywords whose value is a schema or a list of schemas.
const SCHEMA_VALUES: [&str; 8] = [
    "items",
    "additionalProperties",
    "additionalItems",
    "not",
    "allOf",
    "anyOf",
    "oneOf",
    "prefixItems",
];

/// Applies `f` to every schema object below `v` (including `v`). With
/// `structural_only`, logical junctors (allOf/anyOf/oneOf/not) are not
/// entered: properties named there only restrict those declared outside.
fn walk(
    v: &mut Value,
    structural_only: bool,
    depth: usize,
    f: &mut dyn FnMut(&mut Map<String, Value>),
) {
    if depth > 200 {
        return;
    }
    match v {
        Value::Array(items) => items
            .iter_mut()
            .for_each(|i| walk(i, structural_only, depth + 1, f)),
        Value::Object(m) => {
            f(m);
            for key in SCHEMA_MAPS {
                if let Some(Value::Object(children)) = m.get_mut(key) {
                    for child in children.values_mut() {
                        walk(child, structural_only, depth + 1, f);
                    }
                }
            }
            for key in SCHEMA_VALUES {
                if structural_only && matches!(key, "not" | "allOf" | "anyOf" | "oneOf") {
                    continue;
                }
                if let Some(child) = m.get_mut(key) {
                    walk(child, structural_only, depth + 1, f);
                }
            }
        }
        _ => {}
    }
}

fn is_true(m: &Map<String, Value>, key: &str) -> bool {
    m.get(key).and_then(Value::as_bool) == Some(true)
}

/// Rejects undeclared fields (see the module docs).
pub fn strictify(schema: &mut Value) {
    walk(schema, true, 0, &mut |m| {
        if m.contains_key("additionalProperties")
            || is_true(m, "x-kubernetes-preserve-unknown-fields")
        {
            return;
        }
        if !m.get("properties").is_some_and(Value::is_object) {
            return;
        }
        m.insert("additionalProperties".into(), Value::Bool(false));
    });
    // Embedded resources always admit their type meta and metadata.
    walk(schema, true, 0, &mut |m| {
        if !is_true(m, "x-kubernetes-embedded-resource") {
            return;
        }
        if let Some(Value::Object(props)) = m.get_mut("properties") {
            for key in ["apiVersion", "kind", "metadata"] {
                props
                    .entry(key)
                    .or_insert_with(|| Value::Object(Map::new()));
            }
        }
    });
}

/// OpenAPI 3.0 extensions as Draft 4 (see the module docs).
pub fn openapi_to_draft4(schema: &mut Value) {
    walk(schema, false, 0, &mut |m| {
        if is_true(m, "nullable") {
            match m.get_mut("type") {
                Some(Value::String(t)) => {
                    let t = std::mem::take(t);
                    m.insert(
                        "type".into(),
                        Value::Array(vec![Value::String(t), Value::String("null".into())]),
                    );
                }
                Some(Value::Array(ts)) if !ts.iter().any(|t| t == "null") => {
                    ts.push(Value::String("null".into()))
                }
                _ => {}
            }
            if let Some(Value::Array(options)) = m.get_mut("enum")
                && !options.iter().any(Value::is_null)
            {
                options.push(Value::Null);
            }
        }
        // Kubernetes checks CRD patterns with Go's RE2, whose inline
        // `(?i)` ECMA 262 lacks: spell case-insensitivity out.
        if let Some(Value::String(p)) = m.get_mut("pattern")
            && p.contains("(?i)")
        {
            *p = case_insensitive(&p.replace("(?i)", ""));
        }
        if is_true(m, "x-kubernetes-int-or-string")
            && !m.contains_key("type")
            && !m.contains_key("anyOf")
            && !m.contains_key("oneOf")
        {
            m.insert(
                "anyOf".into(),
                serde_json::json!([{"type": "integer"}, {"type": "string"}]),
            );
        }
    });
}

fn swap_case(c: char) -> Option<char> {
    if c.is_ascii_lowercase() {
        Some(c.to_ascii_uppercase())
    } else if c.is_ascii_uppercase() {
        Some(c.to_ascii_lowercase())
    } else {
        None
    }
}

/// A regular expression matching what `re` matches, ignoring ASCII case:
/// letters become `[aA]`, character classes gain the other case.
pub fn case_insensitive(re: &str) -> String {
    let chars: Vec<char> = re.chars().collect();
    let mut out = String::with_capacity(re.len() * 2);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            out.push(c);
            if let Some(n) = chars.get(i + 1) {
                out.push(*n);
            }
            i += 2;
            continue;
        }
        if c == '[' {
            let mut body = String::new();
            let mut extra = String::new();
            let mut j = i + 1;
            if chars.get(j) == Some(&'^') {
                body.push('^');
                j += 1;
            }
            while j < chars.len() && chars[j] != ']' {
                if chars[j] == '\\' {
                    body.push(chars[j]);
                    if let Some(n) = chars.get(j + 1) {
                        body.push(*n);
                    }
                    j += 2;
                    continue;
                }
                body.push(chars[j]);
                extra.push(swap_case(chars[j]).unwrap_or(chars[j]));
                j += 1;
            }
            out.push('[');
            out.push_str(&body);
            if extra.chars().any(|c| c.is_ascii_alphabetic()) {
                out.push_str(&extra);
            }
            out.push(']');
            i = j + 1;
            continue;
        }
        match swap_case(c) {
            Some(o) => {
                out.push('[');
                out.push(c);
                out.push(o);
                out.push(']');
            }
            None => out.push(c),
        }
        i += 1;
    }
    out
}

/// `$ref` targets (`#/$defs/NAME`) named anywhere below `v`.
pub fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                if k == "$ref" {
                    if let Some(name) = child.as_str().and_then(|r| r.strip_prefix("#/$defs/")) {
                        out.push(name.to_string());
                    }
                } else {
                    refs(child, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| refs(i, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strict_adds_false_where_properties_are_declared() {
        let mut s = json!({
            "type": "object",
            "properties": {
                "spec": {"type": "object", "properties": {"a": {"type": "string"}}},
                "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": true, "properties": {"a": {}}},
                "map": {"type": "object", "additionalProperties": {"type": "string"}},
                "one": {"anyOf": [{"properties": {"x": {}}}]},
                "list": {"type": "array", "items": {"properties": {"b": {}}}}
            }
        });
        strictify(&mut s);
        assert_eq!(s["additionalProperties"], json!(false));
        assert_eq!(
            s["properties"]["spec"]["additionalProperties"],
            json!(false)
        );
        assert!(
            s["properties"]["free"]
                .get("additionalProperties")
                .is_none()
        );
        assert_eq!(
            s["properties"]["map"]["additionalProperties"],
            json!({"type": "string"})
        );
        assert!(
            s["properties"]["one"]["anyOf"][0]
                .get("additionalProperties")
                .is_none()
        );
        assert_eq!(
            s["properties"]["list"]["items"]["additionalProperties"],
            json!(false)
        );
    }

    #[test]
    fn embedded_resources_keep_type_meta() {
        let mut s = json!({"type": "object", "x-kubernetes-embedded-resource": true, "properties": {"spec": {}}});
        strictify(&mut s);
        assert!(s["properties"].get("kind").is_some());
        assert!(s["properties"].get("metadata").is_some());
    }

    #[test]
    fn go_case_insensitive_patterns() {
        assert_eq!(
            case_insensitive("^(abort|warn)?$"),
            "^([aA][bB][oO][rR][tT]|[wW][aA][rR][nN])?$"
        );
        assert_eq!(case_insensitive("[a-f0-9]+\\d"), "[a-f0-9A-F0-9]+\\d");
        let mut s =
            json!({"properties": {"p": {"type": "string", "pattern": "^(?i)(abort|warn)?$"}}});
        openapi_to_draft4(&mut s);
        let v = jsonschema::draft4::new(&s).unwrap();
        assert!(v.is_valid(&json!({"p": "ABORT"})));
        assert!(!v.is_valid(&json!({"p": "stop"})));
    }

    #[test]
    fn openapi_nullable_and_int_or_string() {
        let mut s = json!({"properties": {
            "a": {"type": "string", "nullable": true, "enum": ["x"]},
            "b": {"x-kubernetes-int-or-string": true}
        }});
        openapi_to_draft4(&mut s);
        assert_eq!(s["properties"]["a"]["type"], json!(["string", "null"]));
        assert_eq!(s["properties"]["a"]["enum"], json!(["x", null]));
        assert!(s["properties"]["b"]["anyOf"].is_array());
    }
}
