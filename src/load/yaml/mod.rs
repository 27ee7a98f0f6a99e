//! YAML: a node tree with spans, a go-yaml v3 compatible reader and a
//! writer that reproduces kustomize's output byte for byte.

pub mod emit;
pub mod json;
pub mod node;
pub mod parse;
pub mod resolve;
pub mod shared;

pub use node::{Entry, Map, Node, Scalar, Span, Style, Tag, Value};
pub use parse::{YamlError, parse_documents, parse_single, parse_single_last_key_wins};
