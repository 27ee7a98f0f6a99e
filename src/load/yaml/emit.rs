//! Writes nodes the way `kustomize build` prints them (placeholder: being
//! implemented).

use super::node::Node;

/// Renders resources separated by `---`, as kustomize prints a build.
pub fn emit_documents(docs: &[Node]) -> String {
    let _ = docs;
    String::new()
}
