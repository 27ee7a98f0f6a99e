//! A custom schema named by `openapi: {path: ...}`: swagger 2 JSON or YAML
//! with a `definitions` map, read for its patch metadata only.

use super::{Definitions, Shape};
use crate::hydrate::kustomize::error::{KustError, Result};
use crate::load::yaml::{Node, parse_single};

/// Parses a schema file's text.
pub fn parse(file: &str, text: &str) -> Result<Definitions> {
    let doc =
        parse_single(file, text).map_err(|e| KustError::from(e).context("invalid schema file"))?;
    let mut defs = Definitions::default();
    let Some(definitions) = doc.get("definitions") else {
        return Ok(defs);
    };
    let Some(map) = definitions.as_map() else {
        return Err(
            KustError::invalid("invalid schema file: definitions must be a map")
                .at(definitions.span.as_ref()),
        );
    };
    for (name, def) in map.iter() {
        for (api_version, kind) in group_version_kinds(def) {
            defs.resources
                .insert((api_version, kind), Some(name.to_string()));
        }
        defs.types.insert(name.to_string(), shape(def));
    }
    Ok(defs)
}

/// The `x-kubernetes-group-version-kind` entries of a definition.
fn group_version_kinds(def: &Node) -> Vec<(String, String)> {
    let Some(list) = def
        .get("x-kubernetes-group-version-kind")
        .and_then(Node::as_seq)
    else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|g| {
            let kind = g.get_str("kind")?;
            let version = g.get_str("version")?;
            let api_version = match g.get_str("group") {
                Some(group) if !group.is_empty() => format!("{group}/{version}"),
                _ => version.to_string(),
            };
            Some((api_version, kind.to_string()))
        })
        .collect()
}

/// `type: array` exactly (kyaml ignores lists spelled with several types).
fn is_array(n: &Node) -> bool {
    match n.get("type") {
        Some(t) if t.as_str() == Some("array") => true,
        Some(t) => t
            .as_seq()
            .is_some_and(|s| s.len() == 1 && s[0].as_str() == Some("array")),
        None => false,
    }
}

fn shape(n: &Node) -> Shape {
    let mut s = Shape::default();
    if let Some(r) = n.get_str("$ref") {
        s.reference = Some(r.strip_prefix("#/definitions/").unwrap_or(r).to_string());
    }
    if let Some(props) = n.get("properties").and_then(Node::as_map) {
        for (k, v) in props.iter() {
            s.properties.insert(k.to_string(), shape(v));
        }
    }
    if let Some(extra) = n.get("additionalProperties").filter(|e| e.is_map()) {
        s.additional = Some(Box::new(shape(extra)));
    }
    s.is_array = is_array(n);
    if let Some(items) = n.get("items").filter(|i| i.is_map()) {
        s.items = Some(Box::new(shape(items)));
    }
    // Merge keys as kyaml picks them: the list-map keys when present, else
    // the patch merge key, and none without a patch strategy.
    if let Some(strategy) = n.get_str("x-kubernetes-patch-strategy") {
        s.strategy = Some(strategy.to_string());
        if let Some(keys) = n.get("x-kubernetes-list-map-keys").and_then(Node::as_seq) {
            s.keys = keys
                .iter()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect();
        } else if let Some(k) = n.get_str("x-kubernetes-patch-merge-key") {
            s.keys = vec![k.to_string()];
        }
    }
    s
}
