//! Replacement targets inside structured text: when a target path runs into
//! a string field before it ends (`data.config\.json.server.port`), the
//! string is read as JSON or YAML, the rest of the path is set in it, and
//! the text is written back (JSON keeps compact or indented form, YAML is
//! re-printed). kustomize tries this before the ordinary walk and falls back
//! to it on any failure; so does this module.

use super::fieldpath::{self, Leaf, Matcher, PathError};
use super::render::{scalar_as_yaml, to_go_json};
use super::replacements::set_scalar_text;
use crate::load::yaml::{Node, Span, Value, parse_documents};

/// Tries to write `value` at `field_path` through a string field holding
/// structured text. Returns false when that does not apply or fails, and
/// then leaves `obj` unchanged.
pub fn set_in_scalar(
    obj: &mut Node,
    value: &Node,
    field_path: &str,
    create: Option<Leaf>,
    span: Option<&Span>,
) -> bool {
    let parts = fieldpath::split(field_path);
    if parts.len() < 2 {
        return false;
    }
    // The first prefix of the path that ends at a string field.
    let mut split_at = None;
    for i in 1..parts.len() {
        let found = fieldpath::lookup(obj, &parts[..i]);
        if let Ok(Some(Node {
            value: Value::Scalar(s),
            ..
        })) = found
            && parse_documents("", &s.text).is_ok()
        {
            split_at = Some(i);
            break;
        }
    }
    let Some(i) = split_at else { return false };
    let Ok(Some(field)) = fieldpath::lookup(obj, &parts[..i]) else {
        return false;
    };
    let original = field
        .as_scalar()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    let Some(mut doc) = parse_documents("", &original)
        .ok()
        .and_then(|d| d.into_iter().next())
    else {
        // Empty text has no document to walk into.
        return false;
    };
    let matcher = Matcher { create, span };
    let walked = matcher.run(&mut doc, &parts[i..], &mut |found| {
        if found.node.as_scalar().is_some() {
            let text = value
                .as_scalar()
                .map(|s| s.text.clone())
                .unwrap_or_default();
            set_scalar_text(found.node, text, found.created, value);
        } else {
            *found.node = value.clone();
        }
        Ok::<(), PathError>(())
    });
    if !matches!(walked, Ok(n) if n > 0) {
        return false;
    }
    let Some(text) = serialize(&doc, &original) else {
        return false;
    };
    let Ok(Some(field)) = fieldpath::lookup_mut(obj, &parts[..i]) else {
        return false;
    };
    if let Value::Scalar(s) = &mut field.value {
        s.text = text;
    }
    field.span = value.span.clone();
    true
}

/// JSON when the original text was JSON (indented when it was), else YAML.
fn serialize(doc: &Node, original: &str) -> Option<String> {
    let trimmed = original.trim();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let pretty = original.contains('\n') && original.contains("  ");
        return to_go_json(doc, pretty).ok();
    }
    Some(scalar_as_yaml(doc).trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse_single;

    #[test]
    fn writes_into_json_text() {
        let mut n = parse_single("x", "data:\n  cfg.json: '{\"b\": 1, \"port\": 80}'\n").unwrap();
        let v = Node::plain("9090");
        assert!(set_in_scalar(
            &mut n,
            &v,
            r"data.cfg\.json.port",
            None,
            None
        ));
        assert_eq!(
            n.get_path(&["data", "cfg.json"]).unwrap().as_str(),
            Some(r#"{"b":1,"port":9090}"#)
        );
    }

    #[test]
    fn writes_into_yaml_text() {
        let mut n =
            parse_single("x", "data:\n  app.yaml: |\n    server:\n      port: 80\n").unwrap();
        let v = Node::plain("81");
        assert!(set_in_scalar(
            &mut n,
            &v,
            r"data.app\.yaml.server.port",
            None,
            None
        ));
        assert_eq!(
            n.get_path(&["data", "app.yaml"]).unwrap().as_str(),
            Some("server:\n  port: 81")
        );
    }

    #[test]
    fn ordinary_paths_are_left_alone() {
        let mut n = parse_single("x", "metadata:\n  name: a\n").unwrap();
        assert!(!set_in_scalar(
            &mut n,
            &Node::plain("b"),
            "metadata.name",
            None,
            None
        ));
        assert!(!set_in_scalar(
            &mut n,
            &Node::plain("b"),
            "metadata.labels.x",
            None,
            None
        ));
    }
}
