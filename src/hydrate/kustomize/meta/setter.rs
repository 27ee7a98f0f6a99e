//! Setting string entries (labels, annotations) in the mappings that field
//! specs select, with kyaml's field-setter behaviour.

use super::decode::Spanned;
use crate::hydrate::kustomize::error::{KustError, Result};
use crate::hydrate::kustomize::fieldspec::{self, CreateKind, FieldSpec};
use crate::hydrate::kustomize::resmap::ResMap;
use crate::load::yaml::{Node, Value};

/// Sets every `(key, value)` pair in the mappings `specs` select in every
/// resource, creating the mappings where a spec says `create`. Keys are
/// applied in sorted order, as kustomize does.
pub fn set_entries(m: &mut ResMap, pairs: &[(String, Spanned)], specs: &[FieldSpec]) -> Result<()> {
    if pairs.is_empty() {
        return Ok(());
    }
    for r in m.iter_mut() {
        let gvk = r.gvk();
        for (key, value) in pairs {
            for spec in specs {
                fieldspec::apply(
                    &mut r.node,
                    &gvk,
                    spec,
                    Some(CreateKind::Map),
                    value.span.as_ref(),
                    &mut |target| set_entry(target, key, value),
                )?;
            }
        }
    }
    Ok(())
}

/// Sets `key` to the string `value` in the mapping `target`. A null target
/// stays null (kyaml silently does nothing); a scalar or list is an error.
pub fn set_entry(target: &mut Node, key: &str, value: &Spanned) -> Result<()> {
    if target.is_null() {
        return Ok(());
    }
    let Value::Map(map) = &mut target.value else {
        return Err(wrong_kind("MappingNode", target));
    };
    let mut new = Node::string(value.value.clone()).with_span(value.span.clone());
    match map.get_mut(key) {
        Some(old) => {
            // kyaml keeps the quoting style of the value it replaces.
            if let (Value::Scalar(n), Some(o)) = (&mut new.value, old.as_scalar()) {
                n.style = o.style;
            }
            *old = new;
        }
        None => map.insert(key, new),
    }
    Ok(())
}

/// kyaml's error for a node of the wrong kind.
pub fn wrong_kind(expected: &str, node: &Node) -> KustError {
    let got = match node.value {
        Value::Map(_) => "MappingNode",
        Value::Seq(_) => "SequenceNode",
        Value::Scalar(_) => "ScalarNode",
    };
    KustError::invalid(format!(
        "wrong node kind: expected {expected} but got {got}"
    ))
    .at(node.span.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hydrate::kustomize::resource::Resource;
    use crate::load::yaml::{Tag, parse_single};

    #[test]
    fn creates_maps_and_keeps_non_maps() {
        let node = parse_single(
            "r.yaml",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  labels: {a: b}\nspec:\n  selector: null\n",
        )
        .unwrap();
        let mut m = ResMap::new();
        m.append(Resource::new(node).unwrap()).unwrap();
        let specs = [
            FieldSpec::new("metadata/labels", true),
            FieldSpec::for_kind("", "v1", "Service", "spec/selector", true),
            FieldSpec::new("spec/other", false),
        ];
        let pairs = vec![(
            "version".to_string(),
            Spanned {
                value: "1".into(),
                span: None,
            },
        )];
        set_entries(&mut m, &pairs, &specs).unwrap();
        let r = m.get(0);
        let v = r.node.get_path(&["metadata", "labels", "version"]).unwrap();
        assert_eq!(v.as_scalar().unwrap().tag, Tag::Str);
        assert_eq!(
            r.node
                .get_path(&["metadata", "labels", "a"])
                .unwrap()
                .as_str(),
            Some("b")
        );
        assert_eq!(
            r.node
                .get_path(&["spec", "selector", "version"])
                .unwrap()
                .as_str(),
            Some("1")
        );
        assert!(r.node.get_path(&["spec", "other"]).is_none());
    }
}
