//! Rendered diff between two revisions, for reviewers (`gitopsc diff`).
//!
//! [`pipeline::run`] finds the targets whose inputs may differ, renders
//! only those at both revisions, and [`compare`] matches resources by
//! group, kind, namespace and name. Every resource goes through
//! [`normalize::canonical`] first (ignored fields, set order, secrets
//! redacted), so the report never holds a secret and never shows noise.
//! The formats (`text`, `markdown`, `json`, `html`) only present a
//! [`Report`].

pub mod config;
pub mod html;
pub mod json;
pub mod markdown;
pub mod normalize;
pub mod pipeline;
pub mod select;
pub mod text;

pub use config::DiffConfig;
pub use pipeline::{DiffError, Options, run};

use crate::hydrate::kustomize::ResMap;
use crate::load::yaml::{Node, Value};
use serde::Serialize;
use std::collections::BTreeMap;

/// Lines of context around each change.
pub const CONTEXT_LINES: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Added,
    Removed,
    Changed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Added => "added",
            Status::Removed => "removed",
            Status::Changed => "changed",
        }
    }
}

/// One side of the diff.
#[derive(Debug, Clone, Serialize)]
pub struct Revision {
    /// What the user asked for (`origin/main`, `working tree`).
    pub name: String,
    /// The commit id, when it is one.
    pub commit: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResourceDiff {
    pub group: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub status: Status,
    /// Canonical, redacted YAML at base (empty when added).
    pub before: String,
    /// Canonical, redacted YAML at head (empty when removed).
    pub after: String,
    /// Unified diff of `before` → `after`, 3 lines of context.
    pub diff: String,
    pub lines_added: usize,
    pub lines_removed: usize,
}

impl ResourceDiff {
    /// `Kind/namespace/name` (`Kind/name` when cluster-scoped), with the
    /// group when there is one: `Deployment.apps/web/api`.
    pub fn id(&self) -> String {
        let kind = if self.group.is_empty() {
            self.kind.clone()
        } else {
            format!("{}.{}", self.kind, self.group)
        };
        if self.namespace.is_empty() {
            format!("{kind}/{}", self.name)
        } else {
            format!("{kind}/{}/{}", self.namespace, self.name)
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetDiff {
    pub env: String,
    pub app: String,
    /// The kustomization folder (head's, or base's when removed).
    pub source: String,
    /// `Added`: the target is new at head; `Removed`: gone at head.
    pub status: Status,
    /// A build that failed (`head: ...` / `base: ...`).
    pub errors: Vec<String>,
    pub resources: Vec<ResourceDiff>,
}

impl TargetDiff {
    pub fn count(&self, s: Status) -> usize {
        self.resources.iter().filter(|r| r.status == s).count()
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    /// Targets at head and base (after --env/--app filters); 0 when no
    /// file differs (nothing is discovered then).
    pub targets: usize,
    /// Targets whose inputs may have changed (rendered).
    pub rendered: usize,
    /// Of those, targets whose inputs turned out identical (rendered once).
    pub identical_inputs: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub base: Revision,
    pub head: Revision,
    /// Only targets with a change or an error, sorted by env then app.
    pub targets: Vec<TargetDiff>,
    pub stats: Stats,
}

impl Report {
    pub fn has_changes(&self) -> bool {
        self.targets
            .iter()
            .any(|t| !t.resources.is_empty() || t.status != Status::Changed)
    }

    pub fn has_errors(&self) -> bool {
        self.targets.iter().any(|t| !t.errors.is_empty())
    }

    /// (added, removed, changed) resources over all targets.
    pub fn totals(&self) -> (usize, usize, usize) {
        let mut t = (0, 0, 0);
        for d in &self.targets {
            t.0 += d.count(Status::Added);
            t.1 += d.count(Status::Removed);
            t.2 += d.count(Status::Changed);
        }
        t
    }

    /// Environments in report order, each with its targets.
    pub fn by_env(&self) -> Vec<(&str, Vec<&TargetDiff>)> {
        let mut out: Vec<(&str, Vec<&TargetDiff>)> = Vec::new();
        for t in &self.targets {
            match out.last_mut() {
                Some((env, list)) if *env == t.env => list.push(t),
                _ => out.push((&t.env, vec![t])),
            }
        }
        out
    }

    /// A one-line summary: `3 targets changed: 1 added, 0 removed, 4 changed resources`.
    pub fn headline(&self) -> String {
        let (a, r, c) = self.totals();
        if !self.has_changes() {
            return "no rendered changes".to_string();
        }
        let n = self.targets.len();
        format!(
            "{n} target{} with changes: {a} resource{} added, {r} removed, {c} changed",
            if n == 1 { "" } else { "s" },
            if a == 1 { "" } else { "s" },
        )
    }
}

/// Identity used to match resources across revisions.
type Key = (String, String, String, String);

fn key_of(node: &Node) -> Key {
    let api = node.get_str("apiVersion").unwrap_or("");
    let group = api.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
    let meta = |f: &str| {
        node.get_path(&["metadata", f])
            .and_then(Node::as_str)
            .unwrap_or("")
            .to_string()
    };
    (
        group.to_string(),
        node.get_str("kind").unwrap_or("").to_string(),
        meta("namespace"),
        meta("name"),
    )
}

/// Resources by identity; of two with the same identity, the last.
fn by_key(m: Option<&ResMap>) -> BTreeMap<Key, &Node> {
    let mut out = BTreeMap::new();
    for r in m.map(ResMap::resources).unwrap_or_default() {
        out.insert(key_of(&r.node), &r.node);
    }
    out
}

/// Whether `a` and `b` hold the same content in the same order (spans
/// and scalar styles aside): then their canonical texts are equal, and
/// neither needs to be written out. (Equal texts do not imply this: key
/// order, for one, differs; those pairs are compared as text.)
fn same_content(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Scalar(x), Value::Scalar(y)) => x.text == y.text && x.tag == y.tag,
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(i, j)| same_content(i, j))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.entries.len() == y.entries.len()
                && x.entries
                    .iter()
                    .zip(&y.entries)
                    .all(|(i, j)| i.key == j.key && same_content(&i.value, &j.value))
        }
        _ => false,
    }
}

/// Resource changes between two renders of one target.
pub fn compare(
    base: Option<&ResMap>,
    head: Option<&ResMap>,
    cfg: &DiffConfig,
) -> Vec<ResourceDiff> {
    let before = by_key(base);
    let mut after = by_key(head);
    let mut out = Vec::new();
    for (key, old) in before {
        match after.remove(&key) {
            Some(new) if same_content(old, new) => {}
            Some(new) => {
                let (old, new) = (
                    normalize::canonical(old, cfg),
                    normalize::canonical(new, cfg),
                );
                if old != new {
                    out.push(resource_diff(key, Status::Changed, old, new));
                }
            }
            None => out.push(resource_diff(
                key,
                Status::Removed,
                normalize::canonical(old, cfg),
                String::new(),
            )),
        }
    }
    for (key, new) in after {
        out.push(resource_diff(
            key,
            Status::Added,
            String::new(),
            normalize::canonical(new, cfg),
        ));
    }
    out.sort_by(|a, b| {
        (&a.kind, &a.namespace, &a.name, &a.group).cmp(&(&b.kind, &b.namespace, &b.name, &b.group))
    });
    out
}

fn resource_diff(key: Key, status: Status, before: String, after: String) -> ResourceDiff {
    let (group, kind, namespace, name) = key;
    let mut r = ResourceDiff {
        group,
        kind,
        namespace,
        name,
        status,
        before,
        after,
        diff: String::new(),
        lines_added: 0,
        lines_removed: 0,
    };
    let id = r.id();
    let td = similar::TextDiff::from_lines(&r.before, &r.after);
    for op in td.ops() {
        for change in td.iter_changes(op) {
            match change.tag() {
                similar::ChangeTag::Insert => r.lines_added += 1,
                similar::ChangeTag::Delete => r.lines_removed += 1,
                similar::ChangeTag::Equal => {}
            }
        }
    }
    r.diff = td
        .unified_diff()
        .context_radius(CONTEXT_LINES)
        .header(&format!("base/{id}"), &format!("head/{id}"))
        .to_string();
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hydrate::kustomize::Resource;
    use crate::load::yaml::parse_single;

    fn resmap(docs: &[&str]) -> ResMap {
        let mut m = ResMap::new();
        for d in docs {
            m.push_unchecked(Resource::new(parse_single("t.yaml", d).unwrap()).unwrap());
        }
        m
    }

    #[test]
    fn matches_by_group_kind_namespace_and_name() {
        let base = resmap(&[
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: a}\nspec: {replicas: 1}\n",
            "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: a}\n",
        ]);
        let head = resmap(&[
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {namespace: a, name: web}\nspec: {replicas: 2}\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, namespace: a}\n",
        ]);
        let d = compare(Some(&base), Some(&head), &DiffConfig::default());
        let got: Vec<(String, Status)> = d.iter().map(|r| (r.id(), r.status)).collect();
        assert_eq!(
            got,
            [
                ("ConfigMap/a/web".to_string(), Status::Added),
                ("Deployment.apps/a/web".to_string(), Status::Changed),
                ("Service/a/web".to_string(), Status::Removed),
            ]
        );
        let dep = &d[1];
        assert!(
            dep.diff.contains("-  replicas: 1\n+  replicas: 2\n"),
            "{}",
            dep.diff
        );
        assert_eq!((dep.lines_added, dep.lines_removed), (1, 1));
    }
}
