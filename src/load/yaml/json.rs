//! Node → JSON value, the bridge to JSON Schema validation and typed config.

use super::node::{Node, Tag, Value};
use super::resolve::{parse_go_float, parse_go_int, parse_go_uint};

/// The JSON value of a node, typed by its resolved tags.
pub fn to_json(n: &Node) -> serde_json::Value {
    match &n.value {
        Value::Map(m) => {
            serde_json::Value::Object(m.iter().map(|(k, v)| (k.to_string(), to_json(v))).collect())
        }
        Value::Seq(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Scalar(s) => match s.tag {
            Tag::Null => serde_json::Value::Null,
            Tag::Bool => {
                serde_json::Value::Bool(matches!(s.text.as_str(), "true" | "True" | "TRUE"))
            }
            Tag::Int => {
                let plain = s.text.replace('_', "");
                if let Some(i) = parse_go_int(&plain) {
                    i.into()
                } else if let Some(u) = parse_go_uint(&plain) {
                    u.into()
                } else {
                    serde_json::Value::String(s.text.clone())
                }
            }
            Tag::Float => parse_go_float(&s.text)
                .and_then(serde_json::Number::from_f64)
                .map(serde_json::Value::Number)
                .unwrap_or_else(|| serde_json::Value::String(s.text.clone())),
            _ => serde_json::Value::String(s.text.clone()),
        },
    }
}

/// The node at a JSON pointer-like path (`/apps/0/path`), for locating
/// schema errors.
pub fn node_at<'a>(root: &'a Node, pointer: &str) -> Option<&'a Node> {
    let mut n = root;
    for raw in pointer.split('/').filter(|p| !p.is_empty()) {
        let part = raw.replace("~1", "/").replace("~0", "~");
        n = match &n.value {
            Value::Map(m) => m.get(&part)?,
            Value::Seq(items) => items.get(part.parse::<usize>().ok()?)?,
            Value::Scalar(_) => return None,
        };
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse_single;

    #[test]
    fn types_follow_tags() {
        let n = parse_single("x", "a: 1\nb: \"1\"\nc: true\nd: ~\ne: 1.5\nf: [x]\n").unwrap();
        assert_eq!(
            to_json(&n),
            serde_json::json!({"a": 1, "b": "1", "c": true, "d": null, "e": 1.5, "f": ["x"]})
        );
        assert_eq!(node_at(&n, "/f/0").and_then(Node::as_str), Some("x"));
    }
}
