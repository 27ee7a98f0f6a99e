//! A resource in a build: its object plus the bookkeeping kustomize keeps in
//! build annotations (previous ids, applied prefixes, generator options).

use super::error::{KustError, Result};
use super::resid::{Gvk, ResId};
use crate::load::yaml::{Node, Span};

/// How a generated resource combines with one of the same id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Behavior {
    #[default]
    Unspecified,
    Create,
    Merge,
    Replace,
}

impl Behavior {
    pub fn parse(s: &str) -> Option<Behavior> {
        match s {
            "" => Some(Behavior::Unspecified),
            "create" => Some(Behavior::Create),
            "merge" => Some(Behavior::Merge),
            "replace" => Some(Behavior::Replace),
            _ => None,
        }
    }
}

/// `config.kubernetes.io/origin` data (buildMetadata: [originAnnotations]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    pub path: String,
    pub repo: String,
    pub git_ref: String,
    pub configured_in: String,
    pub configured_by: Option<(String, String, String, String)>, // apiVersion, kind, name, namespace
}

/// What kustomize tracks in `internal.config.kubernetes.io/*` annotations.
#[derive(Clone, Debug, Default)]
pub struct BuildMeta {
    /// Ids before each rename, oldest first (name, namespace, kind changes).
    pub prev_ids: Vec<ResId>,
    /// Prefixes and suffixes applied, in application order.
    pub prefixes: Vec<String>,
    pub suffixes: Vec<String>,
    /// Resources whose fields refer to this one (filled by name references).
    pub ref_by: Vec<ResId>,
    pub ref_var_names: Vec<String>,
    pub behavior: Behavior,
    pub needs_hash: bool,
    pub allow_name_change: bool,
    pub allow_kind_change: bool,
    pub origin: Option<Origin>,
    pub transformations: Vec<Origin>,
    /// Where the resource was read or generated (a file, a generator line).
    pub source: Option<Span>,
}

#[derive(Clone, Debug)]
pub struct Resource {
    /// The object; always a mapping.
    pub node: Node,
    pub meta: BuildMeta,
}

impl Resource {
    /// Wraps an object read from `source`; it must be a mapping.
    pub fn new(node: Node) -> Result<Resource> {
        if !node.is_map() {
            return Err(
                KustError::invalid("a resource must be a YAML mapping").at(node.span.as_ref())
            );
        }
        let source = node.span.clone();
        Ok(Resource {
            node,
            meta: BuildMeta {
                source,
                ..BuildMeta::default()
            },
        })
    }

    pub fn api_version(&self) -> &str {
        self.node.get_str("apiVersion").unwrap_or("")
    }
    pub fn kind(&self) -> &str {
        self.node.get_str("kind").unwrap_or("")
    }
    pub fn gvk(&self) -> Gvk {
        Gvk::from_api_version(self.api_version(), self.kind())
    }
    pub fn name(&self) -> &str {
        self.node
            .get_path(&["metadata", "name"])
            .and_then(Node::as_str)
            .unwrap_or("")
    }
    pub fn namespace(&self) -> &str {
        self.node
            .get_path(&["metadata", "namespace"])
            .and_then(Node::as_str)
            .unwrap_or("")
    }
    pub fn cur_id(&self) -> ResId {
        ResId::new(self.gvk(), self.name(), self.namespace())
    }
    /// The id the resource had when it entered the build.
    pub fn org_id(&self) -> ResId {
        self.meta
            .prev_ids
            .first()
            .cloned()
            .unwrap_or_else(|| self.cur_id())
    }
    /// Every id the resource has had, oldest first, current last.
    pub fn all_ids(&self) -> Vec<ResId> {
        let mut v = self.meta.prev_ids.clone();
        v.push(self.cur_id());
        v
    }
    /// Whether the resource is or was called `name` (cheap pre-filter
    /// before comparing whole ids).
    pub fn has_had_name(&self, name: &str) -> bool {
        self.name() == name || self.meta.prev_ids.iter().any(|id| id.name == name)
    }

    /// Records the current id before a transformer changes it.
    pub fn store_previous_id(&mut self) {
        let id = self.cur_id();
        let ns = id.effective_namespace().to_string();
        self.meta.prev_ids.push(ResId::new(id.gvk, &id.name, &ns));
    }

    pub fn set_name(&mut self, name: &str) {
        let span = self
            .node
            .get_path(&["metadata", "name"])
            .and_then(|n| n.span.clone());
        let meta = self.node.ensure_map_path(&["metadata"]);
        meta.as_map_mut()
            .expect("ensure_map_path returns a map")
            .insert("name", Node::string(name).with_span(span));
    }
    pub fn set_namespace(&mut self, ns: &str, span: Option<Span>) {
        let meta = self.node.ensure_map_path(&["metadata"]);
        meta.as_map_mut()
            .expect("ensure_map_path returns a map")
            .insert("namespace", Node::string(ns).with_span(span));
    }

    /// `metadata.labels` (or annotations) as pairs; absent gives empty.
    pub fn string_map(&self, field: &str) -> Vec<(String, String)> {
        self.node
            .get_path(&["metadata", field])
            .and_then(Node::as_map)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| {
                        (
                            k.to_string(),
                            v.as_scalar().map(|s| s.text.clone()).unwrap_or_default(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
    pub fn labels(&self) -> Vec<(String, String)> {
        self.string_map("labels")
    }
    pub fn annotations(&self) -> Vec<(String, String)> {
        self.string_map("annotations")
    }
}
