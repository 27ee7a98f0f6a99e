//! The YAML node tree every stage works on.
//!
//! Scalars keep their source text and resolved tag (as go-yaml v3 would
//! resolve them), so transformers can compare and rewrite them the way
//! kustomize does, while the emitter decides the output representation.
//! Every node carries the span of the source text that last set it: that is
//! the provenance diagnostics point at.

use std::fmt;
use std::sync::Arc;

/// Where a node came from: file, 1-based line and column, byte range.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: Arc<str>,
    pub line: u32,
    pub col: u32,
    pub start: usize,
    pub end: usize,
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

/// The resolved type of a scalar (the YAML core tags plus anything custom).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Tag {
    Null,
    Bool,
    Int,
    Float,
    Str,
    Timestamp,
    Binary,
    /// Any other explicit tag, written as in the source (`!foo`, `tag:...`).
    Custom(String),
}

/// How a scalar was written in the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Style {
    #[default]
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scalar {
    /// The scalar's content after unescaping (what go-yaml calls `Value`).
    pub text: String,
    pub tag: Tag,
    pub style: Style,
}

#[derive(Clone, Debug, Default)]
pub struct Entry {
    pub key: String,
    pub key_span: Option<Span>,
    pub value: Node,
}

/// A mapping that keeps insertion order (kustomize keeps source order
/// internally; the emitter sorts keys on output).
#[derive(Clone, Debug, Default)]
pub struct Map {
    pub entries: Vec<Entry>,
}

#[derive(Clone, Debug)]
pub enum Value {
    Map(Map),
    Seq(Vec<Node>),
    Scalar(Scalar),
}

impl Default for Value {
    fn default() -> Self {
        Value::Scalar(Scalar {
            text: String::new(),
            tag: Tag::Null,
            style: Style::Plain,
        })
    }
}

#[derive(Clone, Debug, Default)]
pub struct Node {
    pub value: Value,
    /// Provenance: the source text that last set this node.
    pub span: Option<Span>,
}

/// Equality ignores spans: two nodes are equal when their content is.
impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        match (&self.value, &other.value) {
            (Value::Scalar(a), Value::Scalar(b)) => a.text == b.text && same_tag(&a.tag, &b.tag),
            (Value::Seq(a), Value::Seq(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => {
                a.entries.len() == b.entries.len()
                    && a.entries
                        .iter()
                        .all(|e| b.get(&e.key).is_some_and(|v| *v == e.value))
            }
            _ => false,
        }
    }
}

fn same_tag(a: &Tag, b: &Tag) -> bool {
    a == b
}

impl Map {
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries.iter().find(|e| e.key == key).map(|e| &e.value)
    }
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.entries
            .iter_mut()
            .find(|e| e.key == key)
            .map(|e| &mut e.value)
    }
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }
    pub fn contains(&self, key: &str) -> bool {
        self.entries.iter().any(|e| e.key == key)
    }
    /// Sets `key` to `value`, keeping the key's position when it exists.
    pub fn insert(&mut self, key: impl Into<String>, value: Node) {
        let key = key.into();
        if let Some(e) = self.entries.iter_mut().find(|e| e.key == key) {
            e.value = value;
        } else {
            self.entries.push(Entry {
                key,
                key_span: None,
                value,
            });
        }
    }
    pub fn remove(&mut self, key: &str) -> Option<Node> {
        let i = self.entries.iter().position(|e| e.key == key)?;
        Some(self.entries.remove(i).value)
    }
    /// The value at `key`, created with `make` when absent.
    pub fn get_or_insert_with(&mut self, key: &str, make: impl FnOnce() -> Node) -> &mut Node {
        let i = match self.entries.iter().position(|e| e.key == key) {
            Some(i) => i,
            None => {
                self.entries.push(Entry {
                    key: key.to_string(),
                    key_span: None,
                    value: make(),
                });
                self.entries.len() - 1
            }
        };
        &mut self.entries[i].value
    }
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.key.as_str())
    }
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Node)> {
        self.entries.iter().map(|e| (e.key.as_str(), &e.value))
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Node {
    pub fn new(value: Value) -> Node {
        Node { value, span: None }
    }
    pub fn with_span(mut self, span: Option<Span>) -> Node {
        self.span = span;
        self
    }
    /// A string scalar (tag `!!str`).
    pub fn string(text: impl Into<String>) -> Node {
        Node::scalar(text, Tag::Str)
    }
    pub fn scalar(text: impl Into<String>, tag: Tag) -> Node {
        Node::new(Value::Scalar(Scalar {
            text: text.into(),
            tag,
            style: Style::Plain,
        }))
    }
    /// A plain scalar whose tag is resolved as go-yaml v3 resolves it.
    pub fn plain(text: impl Into<String>) -> Node {
        let text = text.into();
        let tag = super::resolve::resolve_plain(&text);
        Node::scalar(text, tag)
    }
    pub fn null() -> Node {
        Node::scalar("null", Tag::Null)
    }
    pub fn int(v: i64) -> Node {
        Node::scalar(v.to_string(), Tag::Int)
    }
    pub fn bool(v: bool) -> Node {
        Node::scalar(if v { "true" } else { "false" }, Tag::Bool)
    }
    pub fn map() -> Node {
        Node::new(Value::Map(Map::default()))
    }
    pub fn seq(items: Vec<Node>) -> Node {
        Node::new(Value::Seq(items))
    }

    pub fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }
    pub fn is_seq(&self) -> bool {
        matches!(self.value, Value::Seq(_))
    }
    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar(s) if s.tag == Tag::Null)
    }
    pub fn as_map(&self) -> Option<&Map> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }
    pub fn as_map_mut(&mut self) -> Option<&mut Map> {
        match &mut self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }
    pub fn as_seq(&self) -> Option<&Vec<Node>> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_seq_mut(&mut self) -> Option<&mut Vec<Node>> {
        match &mut self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }
    /// The text of a non-null scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) if s.tag != Tag::Null => Some(&s.text),
            _ => None,
        }
    }
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?.get(key)
    }
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.as_map_mut()?.get_mut(key)
    }
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key)?.as_str()
    }
    pub fn get_path(&self, path: &[&str]) -> Option<&Node> {
        let mut n = self;
        for p in path {
            n = n.get(p)?;
        }
        Some(n)
    }
    pub fn get_path_mut(&mut self, path: &[&str]) -> Option<&mut Node> {
        let mut n = self;
        for p in path {
            n = n.get_mut(p)?;
        }
        Some(n)
    }
    /// The mapping at `path`, creating empty mappings along the way (and
    /// replacing nulls, as kustomize does).
    pub fn ensure_map_path(&mut self, path: &[&str]) -> &mut Node {
        let mut n = self;
        for p in path {
            if !n.is_map() {
                *n = Node::map();
            }
            let m = n.as_map_mut().expect("just made a map");
            n = m.get_or_insert_with(p, Node::map);
            if n.is_null() {
                *n = Node::map();
            }
        }
        if !n.is_map() {
            *n = Node::map();
        }
        n
    }
    /// Sets the span of this node and everything below it.
    pub fn set_span_deep(&mut self, span: &Option<Span>) {
        self.span = span.clone();
        match &mut self.value {
            Value::Map(m) => m
                .entries
                .iter_mut()
                .for_each(|e| e.value.set_span_deep(span)),
            Value::Seq(s) => s.iter_mut().for_each(|n| n.set_span_deep(span)),
            Value::Scalar(_) => {}
        }
    }
}
