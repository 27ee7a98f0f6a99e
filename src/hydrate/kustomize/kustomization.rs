//! The kustomization file: located, parsed and normalised (field names are
//! matched without regard to case, as kustomize's JSON decoding does).

use super::error::{ErrorKind, KustError, Result};
use crate::load::yaml::{Map, Node, Span};

/// File names kustomize recognises, in its lookup order.
pub const FILE_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

pub const KUSTOMIZATION_VERSION: &str = "kustomize.config.k8s.io/v1beta1";
pub const COMPONENT_VERSION: &str = "kustomize.config.k8s.io/v1alpha1";

/// Every top-level field kustomize accepts.
pub const FIELDS: [&str; 36] = [
    "apiVersion",
    "kind",
    "metadata",
    "openapi",
    "namePrefix",
    "nameSuffix",
    "namespace",
    "commonLabels",
    "labels",
    "commonAnnotations",
    "patchesStrategicMerge",
    "patchesJson6902",
    "patches",
    "images",
    "imageTags",
    "replacements",
    "replicas",
    "vars",
    "sortOptions",
    "resources",
    "components",
    "crds",
    "bases",
    "configMapGenerator",
    "secretGenerator",
    "helmGlobals",
    "helmCharts",
    "helmChartInflationGenerator",
    "generatorOptions",
    "configurations",
    "generators",
    "transformers",
    "validators",
    "buildMetadata",
    // Accepted by older kustomize versions and ignored.
    "inventory",
    "status",
];

/// Fields kustomize v5 still reads but warns about.
const DEPRECATED: [(&str, &str); 6] = [
    (
        "bases",
        "# Warning: 'bases' is deprecated. Please use 'resources' instead. Run 'kustomize edit fix' to update your Kustomization automatically.",
    ),
    (
        "commonLabels",
        "# Warning: 'commonLabels' is deprecated. Please use 'labels' instead. Run 'kustomize edit fix' to update your Kustomization automatically.",
    ),
    (
        "imageTags",
        "# Warning: 'imageTags' is deprecated. Please use 'images' instead. Run 'kustomize edit fix' to update your Kustomization automatically.",
    ),
    (
        "patchesJson6902",
        "# Warning: 'patchesJson6902' is deprecated. Please use 'patches' instead. Run 'kustomize edit fix' to update your Kustomization automatically.",
    ),
    (
        "patchesStrategicMerge",
        "# Warning: 'patchesStrategicMerge' is deprecated. Please use 'patches' instead. Run 'kustomize edit fix' to update your Kustomization automatically.",
    ),
    (
        "vars",
        "# Warning: 'vars' is deprecated. Please use 'replacements' instead. [EXPERIMENTAL] Run 'kustomize edit fix' to update your Kustomization automatically.",
    ),
];

#[derive(Clone, Debug)]
pub struct Kustomization {
    /// The file it was read from.
    pub file: String,
    /// The whole document, keys renamed to their canonical spelling.
    pub doc: Node,
    pub is_component: bool,
}

impl Kustomization {
    /// Parses and normalises a kustomization document.
    pub fn from_node(file: &str, node: Node) -> Result<Kustomization> {
        let span = node.span.clone();
        let mut map = match node.value {
            crate::load::yaml::Value::Map(m) => m,
            _ if node.is_null() => Map::default(),
            _ => {
                return Err(KustError::invalid(format!(
                    "invalid Kustomization: {file} is not a YAML mapping"
                ))
                .at(span.as_ref()));
            }
        };
        for e in &mut map.entries {
            match canonical_field(&e.key) {
                Some(c) => e.key = c.to_string(),
                None => {
                    return Err(KustError::invalid(format!(
                        "invalid Kustomization: json: unknown field \"{}\"",
                        e.key
                    ))
                    .at(e.key_span.as_ref()));
                }
            }
        }
        let kind = map
            .get("kind")
            .and_then(Node::as_str)
            .unwrap_or("Kustomization")
            .to_string();
        let kind_span = map.get("kind").and_then(|n| n.span.clone());
        if kind != "Kustomization" && kind != "Component" {
            return Err(KustError::invalid(format!(
                "Failed to read kustomization file {file}: kind should be Kustomization or Component"
            ))
            .at(kind_span.as_ref()));
        }
        let required = if kind == "Component" {
            COMPONENT_VERSION
        } else {
            KUSTOMIZATION_VERSION
        };
        if map
            .get("apiVersion")
            .and_then(Node::as_str)
            .is_some_and(|api| !api.is_empty() && api != required)
        {
            return Err(KustError::invalid(format!(
                "Failed to read kustomization file {file}: apiVersion for {kind} should be {required}"
            ))
            .at(map.get("apiVersion").and_then(|n| n.span.as_ref())));
        }
        let meaningful = map
            .entries
            .iter()
            .any(|e| !matches!(e.key.as_str(), "apiVersion" | "kind") && !e.value.is_null());
        if !meaningful {
            return Err(KustError::invalid("kustomization.yaml is empty").at(span.as_ref()));
        }
        Ok(Kustomization {
            file: file.to_string(),
            doc: Node {
                value: crate::load::yaml::Value::Map(map),
                span,
            },
            is_component: kind == "Component",
        })
    }

    pub fn get(&self, field: &str) -> Option<&Node> {
        self.doc.get(field).filter(|n| !n.is_null())
    }

    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    /// The span of a field's key line, for errors about the field itself.
    pub fn field_span(&self, field: &str) -> Option<&Span> {
        self.doc.as_map()?.entry(field)?.key_span.as_ref()
    }

    /// A string field (`namespace`, `namePrefix`).
    pub fn string(&self, field: &str) -> Result<Option<(String, Option<Span>)>> {
        match self.get(field) {
            None => Ok(None),
            Some(n) => match n.as_scalar() {
                Some(s) => Ok(Some((s.text.clone(), n.span.clone()))),
                None => Err(KustError::invalid(format!(
                    "invalid Kustomization: {field} must be a string"
                ))
                .at(n.span.as_ref())),
            },
        }
    }

    /// A list of strings (`resources`, `components`, `crds`), with spans.
    pub fn string_list(&self, field: &str) -> Result<Vec<(String, Option<Span>)>> {
        let Some(n) = self.get(field) else {
            return Ok(Vec::new());
        };
        let Some(items) = n.as_seq() else {
            return Err(KustError::invalid(format!(
                "invalid Kustomization: {field} must be a list"
            ))
            .at(n.span.as_ref()));
        };
        items
            .iter()
            .map(|i| match i.as_scalar() {
                Some(s) => Ok((s.text.clone(), i.span.clone())),
                None => Err(KustError::invalid(format!(
                    "invalid Kustomization: every item of {field} must be a string"
                ))
                .at(i.span.as_ref())),
            })
            .collect()
    }

    /// Deprecation warnings kustomize prints to stderr for this file.
    pub fn deprecation_warnings(&self) -> Vec<&'static str> {
        DEPRECATED
            .iter()
            .filter(|(f, _)| self.doc.as_map().is_some_and(|m| m.contains(f)))
            .map(|(_, w)| *w)
            .collect()
    }
}

/// The canonical spelling of a top-level field (case-insensitive, as Go's
/// JSON decoder matches struct fields).
pub fn canonical_field(key: &str) -> Option<&'static str> {
    FIELDS
        .iter()
        .find(|f| **f == key)
        .or_else(|| FIELDS.iter().find(|f| f.eq_ignore_ascii_case(key)))
        .copied()
}

/// Looks a key up in a config mapping as Go's JSON decoder does: the exact
/// spelling first, then ignoring case.
pub fn get_ci<'a>(map: &'a Node, key: &str) -> Option<&'a Node> {
    let m = map.as_map()?;
    m.get(key)
        .or_else(|| {
            m.entries
                .iter()
                .find(|e| e.key.eq_ignore_ascii_case(key))
                .map(|e| &e.value)
        })
        .filter(|n| !n.is_null())
}

/// A string value of a config mapping, looked up as [`get_ci`] does.
pub fn get_ci_str<'a>(map: &'a Node, key: &str) -> Option<&'a str> {
    get_ci(map, key)?.as_scalar().map(|s| s.text.as_str())
}

/// The error for a kustomization that cannot be found in `dir`.
pub fn missing_kustomization(dir: &str) -> KustError {
    KustError::new(
        ErrorKind::NotFound,
        format!(
            "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{dir}'"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse_single;

    #[test]
    fn field_names_ignore_case() {
        let n = parse_single("k.yaml", "nameprefix: a-\nRESOURCES: [x.yaml]\n").unwrap();
        let k = Kustomization::from_node("k.yaml", n).unwrap();
        assert_eq!(k.string("namePrefix").unwrap().unwrap().0, "a-");
        assert_eq!(k.string_list("resources").unwrap().len(), 1);
    }

    #[test]
    fn unknown_fields_are_errors_at_their_line() {
        let n = parse_single("k.yaml", "resources: []\nresourcez: []\n").unwrap();
        let e = Kustomization::from_node("k.yaml", n).unwrap_err();
        assert!(e.message.contains("unknown field \"resourcez\""));
        assert_eq!(e.span.unwrap().line, 2);
    }
}
