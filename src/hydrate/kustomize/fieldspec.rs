//! Field specs: which fields of which kinds a transformer touches, and the
//! walk that finds (or creates) them, with kustomize's exact semantics.

use super::error::{KustError, Result};
use super::kustomization::{get_ci, get_ci_str};
use super::resid::Gvk;
use crate::load::yaml::{Node, Span, Tag, Value};

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FieldSpec {
    pub gvk: Gvk,
    pub path: String,
    /// `create: true`: make the field when the resource lacks it.
    pub create: bool,
}

/// What to make when a missing field is created at the end of the path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreateKind {
    Map,
    Seq,
    Scalar,
}

impl FieldSpec {
    pub fn new(path: &str, create: bool) -> FieldSpec {
        FieldSpec {
            gvk: Gvk::default(),
            path: path.into(),
            create,
        }
    }

    pub fn for_kind(group: &str, version: &str, kind: &str, path: &str, create: bool) -> FieldSpec {
        FieldSpec {
            gvk: Gvk::new(group, version, kind),
            path: path.into(),
            create,
        }
    }

    /// Reads `{group, version, kind, path, create}` (keys in any case).
    pub fn from_node(n: &Node) -> Result<FieldSpec> {
        if !n.is_map() {
            return Err(KustError::invalid("a field spec must be a mapping").at(n.span.as_ref()));
        }
        let s = |k: &str| get_ci_str(n, k).unwrap_or("").to_string();
        let create = match get_ci(n, "create") {
            None => false,
            // kustomize reads field specs through YAML 1.1, where yes/on are true.
            Some(c) => c.as_str().is_some_and(|t| {
                matches!(
                    t,
                    "true"
                        | "True"
                        | "TRUE"
                        | "yes"
                        | "Yes"
                        | "YES"
                        | "y"
                        | "Y"
                        | "on"
                        | "On"
                        | "ON"
                )
            }),
        };
        Ok(FieldSpec {
            gvk: Gvk {
                group: s("group"),
                version: s("version"),
                kind: s("kind"),
            },
            path: s("path"),
            create,
        })
    }

    pub fn list_from_node(n: Option<&Node>) -> Result<Vec<FieldSpec>> {
        match n {
            None => Ok(Vec::new()),
            Some(n) => match n.as_seq() {
                Some(items) => items.iter().map(FieldSpec::from_node).collect(),
                None if n.is_null() => Ok(Vec::new()),
                None => Err(KustError::invalid("field specs must be a list").at(n.span.as_ref())),
            },
        }
    }

    /// The path split on `/` (a `\/` stays in the element).
    pub fn path_parts(&self) -> Vec<String> {
        split_path(&self.path)
    }

    /// Whether this spec applies to a resource of kind `gvk`.
    pub fn applies_to(&self, gvk: &Gvk) -> bool {
        gvk.is_selected_by(&self.gvk)
    }
}

/// kyaml's `PathSplitter`: split on `/`, a leading `/` ignored, `\/` escapes.
pub fn split_path(path: &str) -> Vec<String> {
    let mut parts: Vec<&str> = path.split('/').collect();
    if parts.len() > 1 && parts[0].is_empty() {
        parts.remove(0);
    }
    let mut out: Vec<String> = Vec::new();
    for p in parts {
        match out.last_mut() {
            Some(last) if last.ends_with('\\') => {
                last.pop();
                last.push('/');
                last.push_str(p);
            }
            _ => out.push(p.to_string()),
        }
    }
    out
}

/// Calls `set` on every field `spec` selects in `obj` (the whole resource),
/// creating missing fields when the spec says so and `create` is given.
/// `span` is the provenance given to created nodes.
pub fn apply(
    obj: &mut Node,
    gvk: &Gvk,
    spec: &FieldSpec,
    create: Option<CreateKind>,
    span: Option<&Span>,
    set: &mut dyn FnMut(&mut Node) -> Result<()>,
) -> Result<()> {
    if !spec.applies_to(gvk) {
        return Ok(());
    }
    // Most paths have no escapes: borrow their parts instead of allocating.
    let owned;
    let parts: Vec<&str> = if spec.path.contains('\\') {
        owned = spec.path_parts();
        owned.iter().map(String::as_str).collect()
    } else {
        let mut v: Vec<&str> = spec.path.split('/').collect();
        if v.len() > 1 && v[0].is_empty() {
            v.remove(0);
        }
        v
    };
    walk(obj, &parts, spec.create, create, span, set)
        .map_err(|e| e.context(format!("considering field '{}' of object {gvk}", spec.path)))
}

fn walk(
    node: &mut Node,
    path: &[&str],
    create_if_missing: bool,
    create: Option<CreateKind>,
    span: Option<&Span>,
    set: &mut dyn FnMut(&mut Node) -> Result<()>,
) -> Result<()> {
    let Some((head, rest)) = path.split_first() else {
        return set(node);
    };
    if node.is_null() {
        return Ok(());
    }
    match &mut node.value {
        Value::Seq(items) => {
            for item in items.iter_mut() {
                walk(item, path, create_if_missing, create, span, set)?;
            }
            Ok(())
        }
        Value::Map(map) => {
            let (name, is_seq) = match head.strip_suffix("[]") {
                Some(n) => (n, true),
                None => (*head, false),
            };
            if name.is_empty() {
                return Err(KustError::invalid(
                    "cannot set or create an empty field name",
                ));
            }
            let make = if !create_if_missing || create.is_none() || is_seq {
                None
            } else if rest.is_empty() {
                create
            } else {
                Some(CreateKind::Map)
            };
            let hint = if is_seq { Some(CreateKind::Seq) } else { make };
            let field = match (map.get_mut(name).is_some(), make) {
                (true, _) => map.get_mut(name).expect("checked above"),
                (false, Some(kind)) => {
                    map.insert(name, empty(kind, span));
                    map.get_mut(name).expect("just inserted")
                }
                (false, None) => return Ok(()),
            };
            if field.is_null()
                && let Some(kind) = hint.filter(|_| make.is_some() || is_seq)
            {
                *field = empty(kind, span);
            }
            walk(field, rest, create_if_missing, create, span, set)
        }
        Value::Scalar(_) => Err(KustError::invalid("expected sequence or mapping node")),
    }
}

fn empty(kind: CreateKind, span: Option<&Span>) -> Node {
    let n = match kind {
        CreateKind::Map => Node::map(),
        CreateKind::Seq => Node::seq(Vec::new()),
        CreateKind::Scalar => Node::scalar("", Tag::Str),
    };
    n.with_span(span.cloned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse_single;

    #[test]
    fn splits_paths_with_escapes() {
        assert_eq!(split_path("/a/b"), vec!["a", "b"]);
        assert_eq!(
            split_path(r"metadata/annotations/a.b\/c"),
            vec!["metadata", "annotations", "a.b/c"]
        );
    }

    #[test]
    fn walks_sequences_and_creates_maps() {
        let mut n = parse_single(
            "x",
            "kind: Deployment\nspec:\n  containers:\n  - image: a\n  - image: b\n",
        )
        .unwrap();
        let gvk = Gvk::new("", "", "Deployment");
        let mut seen = Vec::new();
        apply(
            &mut n,
            &gvk,
            &FieldSpec::new("spec/containers[]/image", false),
            None,
            None,
            &mut |v| {
                seen.push(v.as_str().unwrap().to_string());
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(seen, ["a", "b"]);
        apply(
            &mut n,
            &gvk,
            &FieldSpec::new("metadata/labels", true),
            Some(CreateKind::Map),
            None,
            &mut |v| {
                assert!(v.is_map());
                Ok(())
            },
        )
        .unwrap();
        assert!(n.get_path(&["metadata", "labels"]).is_some());
    }
}
