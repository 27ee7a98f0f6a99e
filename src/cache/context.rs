//! What a target tells the checks of the other targets of its
//! environment, kept in the cache so a changed-only run need not render
//! the whole environment to check one target.
//!
//! Rules that look across an environment read a few kinds only: the
//! built-in pack reads Namespaces, NetworkPolicies and
//! PodDisruptionBudgets; schema validation reads rendered
//! CustomResourceDefinitions; Gatekeeper reads templates and constraints
//! (and, when both exist, the whole inventory: then the environment is
//! rendered as before). A target's *context* is those resources as YAML,
//! stored under a key covering the tool, the repository-wide inputs and
//! the blob ids the build read, like its findings.

use crate::check::policy::builtin::INDEXED_KINDS;
use crate::check::policy::gatekeeper::constraint::CONSTRAINT_GROUP;
use crate::hydrate::kustomize::{ResMap, Resource};
use crate::hydrate::targets::{Hydrated, Rendered};
use crate::load::yaml::{Node, emit::emit_documents, parse_documents};
use crate::resolve::Target;

/// Kinds a target's context keeps besides what the built-in pack indexes.
const KINDS: &[&str] = &[
    "Namespace",
    "CustomResourceDefinition",
    "ConstraintTemplate",
];

/// Whether other targets' checks may read `node`.
fn is_context(node: &Node) -> bool {
    let field = |k: &str| node.get(k).and_then(Node::as_str).unwrap_or("");
    let kind = field("kind");
    KINDS.contains(&kind)
        || INDEXED_KINDS.contains(&kind)
        || field("apiVersion").starts_with(&format!("{CONSTRAINT_GROUP}/"))
}

/// The context of a rendered target, as YAML.
pub fn extract(r: &Rendered) -> String {
    let nodes: Vec<Node> = r
        .resources
        .iter()
        .filter(|res| is_context(&res.node))
        .map(|res| res.node.clone())
        .collect();
    emit_documents(&nodes)
}

/// A stand-in for a build of `target` holding only its context; `inputs`
/// are the files its build read (from its trace). `None` when `yaml` does
/// not read back (a damaged entry: the target is rendered instead).
pub fn hydrated(target: &Target, yaml: &str, inputs: Vec<(String, String)>) -> Option<Hydrated> {
    let name = format!("{}/<cached context>", target.source);
    let mut resources = ResMap::new();
    for node in parse_documents(&name, yaml).ok()? {
        if node.is_null() {
            continue;
        }
        if !is_context(&node) {
            return None;
        }
        resources.append(Resource::new(node).ok()?).ok()?;
    }
    Some(Hydrated {
        target: target.clone(),
        result: Ok(Rendered {
            resources,
            yaml: String::new(),
            warnings: Vec::new(),
        }),
        inputs,
    })
}
