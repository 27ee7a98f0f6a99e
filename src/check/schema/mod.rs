//! Offline schema validation: bundled Kubernetes and CRD schemas, CRDs
//! found in the repository, user schema folders; API lifecycle per
//! Kubernetes minor; diagnostics located at the line that set the value.
//!
//! - [`bundle`]: the embedded, lazily read schema bundle.
//! - [`catalog`]: where a kind's schema comes from; compiled validators.
//! - [`normalize`]: OpenAPI 3.0 (CRD) schemas as Draft 4; strict mode.
//! - [`violations`]: one resource against its schema, worded for people.
//! - [`apis`]: removed and deprecated APIs.
//! - [`targets`]: the rules over hydrated targets (`gitopsc check`).
//! - [`kubeconform`]: kubeconform's semantics over plain files
//!   (`gitopsc validate`, the conformance corpus).

pub mod apis;
pub mod bundle;
pub mod catalog;
pub mod gatekeeper;
pub mod kubeconform;
pub mod normalize;
pub mod targets;
pub mod violations;

pub use targets::{check_targets, preflight};

use crate::load::yaml::{Node, Span};
use std::path::{Path, PathBuf};

/// Group, version and kind of a resource (`group` is empty for the core
/// group).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Gvk {
    pub group: String,
    pub version: String,
    pub kind: String,
}

impl Gvk {
    pub fn parse(api_version: &str, kind: &str) -> Gvk {
        let (group, version) = match api_version.rsplit_once('/') {
            Some((g, v)) => (g.to_string(), v.to_string()),
            None => (String::new(), api_version.to_string()),
        };
        Gvk {
            group,
            version,
            kind: kind.to_string(),
        }
    }
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }
}

/// Unusable schema input (a bad schema folder or file, an unsupported
/// Kubernetes version): exit status 2.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct SchemaError {
    pub message: String,
    pub path: PathBuf,
}

impl SchemaError {
    pub fn new(message: impl Into<String>, path: &Path) -> SchemaError {
        SchemaError {
            message: message.into(),
            path: path.to_path_buf(),
        }
    }
}

/// What a resource says it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Header {
    NotMapping,
    MissingKind,
    MissingApiVersion,
    Typed(Gvk),
}

/// The non-empty scalar text at `key`.
fn text<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    node.get(key)?.as_str().filter(|s| !s.is_empty())
}

pub fn header(node: &Node) -> Header {
    if !node.is_map() {
        return Header::NotMapping;
    }
    let Some(kind) = text(node, "kind") else {
        return Header::MissingKind;
    };
    let Some(api) = text(node, "apiVersion") else {
        return Header::MissingApiVersion;
    };
    Header::Typed(Gvk::parse(api, kind))
}

/// `metadata.name`, or kubeconform's rendering of `generateName`.
pub fn resource_name(node: &Node) -> String {
    if let Some(n) = node.get_path(&["metadata", "name"]).and_then(Node::as_str) {
        return n.to_string();
    }
    if let Some(g) = node
        .get_path(&["metadata", "generateName"])
        .and_then(Node::as_str)
    {
        return format!("{g}{{{{ generateName }}}}");
    }
    String::new()
}

/// The span of the node a violation points at: the value at `pointer`,
/// or for an unknown field its key; the deepest existing ancestor
/// otherwise.
pub fn span_at(root: &Node, pointer: &str, key_of_last: bool) -> Option<Span> {
    let parts: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|p| p.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut n = root;
    let mut best = root.span.clone();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let next = match &n.value {
            crate::load::yaml::Value::Map(m) => {
                let e = m.entry(part);
                if last && key_of_last {
                    return e
                        .and_then(|e| e.key_span.clone().or_else(|| e.value.span.clone()))
                        .or(best);
                }
                e.map(|e| &e.value)
            }
            crate::load::yaml::Value::Seq(items) => {
                part.parse::<usize>().ok().and_then(|i| items.get(i))
            }
            crate::load::yaml::Value::Scalar(_) => None,
        };
        let Some(next) = next else { break };
        n = next;
        if n.span.is_some() {
            best = n.span.clone();
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse_single;

    #[test]
    fn headers() {
        let h = |s: &str| header(&parse_single("x", s).unwrap());
        assert_eq!(
            h("kind: Service\napiVersion: v1\n"),
            Header::Typed(Gvk::parse("v1", "Service"))
        );
        assert_eq!(h("kind:\n"), Header::MissingKind);
        assert_eq!(h("kind: ''\napiVersion: v1\n"), Header::MissingKind);
        assert_eq!(h("kind: Service\n"), Header::MissingApiVersion);
        assert_eq!(h("- a\n"), Header::NotMapping);
        assert_eq!(Gvk::parse("apps/v1", "Deployment").group, "apps");
        assert_eq!(Gvk::parse("v1", "Pod").api_version(), "v1");
    }

    #[test]
    fn spans_point_at_values_and_keys() {
        let n = parse_single("x", "spec:\n  replicas: two\n  extra: 1\n").unwrap();
        assert_eq!(span_at(&n, "/spec/replicas", false).unwrap().line, 2);
        assert_eq!(span_at(&n, "/spec/extra", true).unwrap().line, 3);
        assert_eq!(span_at(&n, "/spec/missing/deeper", false).unwrap().line, 2);
    }
}
