//! Adding generated resources to the accumulated ones, honouring each
//! generator's `behavior` (kustomize's `AbsorbAll`).

use super::object::data_value;
use crate::hydrate::kustomize::error::{ErrorKind, KustError, Result};
use crate::hydrate::kustomize::resid::ResId;
use crate::hydrate::kustomize::resmap::ResMap;
use crate::hydrate::kustomize::resource::{Behavior, Resource};
use crate::load::yaml::{Entry, Map, Node, Span, Tag, Value};

/// Adds every resource of `generated` to `into`. A resource matches an
/// existing one when its id equals any id the existing one has had (so an
/// overlay names a base's ConfigMap before prefixes and hashes). Without a
/// match it is added, unless it wants to merge or replace; with a match it
/// must merge or replace, and takes over the existing one's place, name,
/// namespace and build history.
pub fn absorb(into: &mut ResMap, generated: ResMap) -> Result<()> {
    for r in generated {
        absorb_one(into, r)?;
    }
    Ok(())
}

fn absorb_one(into: &mut ResMap, r: Resource) -> Result<()> {
    let id = r.cur_id();
    let at = r.meta.source.clone();
    let matches = into.matching_any_id(&id);
    match matches.as_slice() {
        [] => match r.meta.behavior {
            Behavior::Merge | Behavior::Replace => Err(KustError::not_found(format!(
                "id {} does not exist; cannot merge or replace",
                go_syntax(&id)
            ))
            .at(at.as_ref())
            .with_help("the base must generate or list this object under the same name and namespace; use behavior: create to add a new one")),
            Behavior::Create | Behavior::Unspecified => into.append(r),
        },
        [i] => {
            let old = into.get(*i);
            let merged = match r.meta.behavior {
                Behavior::Replace => replace(old, r),
                Behavior::Merge => merge(old, r),
                b @ (Behavior::Create | Behavior::Unspecified) => {
                    let name = if b == Behavior::Create { "create" } else { "unspecified" };
                    return Err(KustError::conflict(format!(
                        "id {} exists; can not use behavior: '{name}', behavior must be merge or replace",
                        go_syntax(&id)
                    ))
                    .at(at.as_ref())
                    .with_help("add `behavior: merge` or `behavior: replace` to change the existing object, or give this one another name or namespace"));
                }
            };
            into.replace(*i, merged);
            Ok(())
        }
        many => {
            let ids: Vec<String> = many.iter().map(|i| into.get(*i).cur_id().to_string()).collect();
            Err(KustError::new(
                ErrorKind::Conflict,
                format!("found multiple objects [{}] that could accept merge of {id}", ids.join(" ")),
            )
            .at(at.as_ref()))
        }
    }
}

/// Go's `%#v` of a resource id, as kustomize prints it in these errors.
fn go_syntax(id: &ResId) -> String {
    format!(
        "resid.ResId{{Gvk:resid.Gvk{{Group:{:?}, Version:{:?}, Kind:{:?}, isClusterScoped:{}}}, Name:{:?}, Namespace:{:?}}}",
        id.gvk.group,
        id.gvk.version,
        id.gvk.kind,
        id.gvk.is_cluster_scoped(),
        id.name,
        id.namespace
    )
}

/// `behavior: replace`: the new content with the old one's identity.
fn replace(old: &Resource, new: Resource) -> Resource {
    let origin = new.meta.origin.clone().or_else(|| old.meta.origin.clone());
    let mut r = take_identity(old, new);
    r.meta.origin = origin;
    r
}

/// `behavior: merge`: like replace, and the old `data`/`binaryData`
/// entries the new object does not set are kept. The old origin stays.
fn merge(old: &Resource, new: Resource) -> Resource {
    let origin = old.meta.origin.clone().or_else(|| new.meta.origin.clone());
    let mut r = take_identity(old, new);
    r.meta.origin = origin;
    for field in ["data", "binaryData"] {
        let merged = merge_string_maps(old.node.get(field), r.node.get(field));
        set_data_map(&mut r.node, field, merged);
    }
    r
}

/// kustomize's `CopyMergeMetaDataFieldsFrom`: labels and annotations are
/// the union (new values win), name and namespace are the old ones, and
/// the build history is the old one's. The name hash stays wanted only if
/// both want it.
fn take_identity(old: &Resource, mut new: Resource) -> Resource {
    for field in ["labels", "annotations"] {
        let merged = merge_string_maps(
            old.node.get_path(&["metadata", field]),
            new.node.get_path(&["metadata", field]),
        );
        let meta = new.node.ensure_map_path(&["metadata"]);
        set_string_map(meta, field, merged);
    }
    new.set_name(old.name());
    match old
        .node
        .get_path(&["metadata", "namespace"])
        .filter(|n| !n.is_null())
    {
        Some(ns) if !old.namespace().is_empty() => {
            let span = ns.span.clone();
            new.set_namespace(old.namespace(), span);
        }
        _ => {
            if let Some(m) = new.node.get_mut("metadata").and_then(Node::as_map_mut) {
                m.remove("namespace");
            }
        }
    }
    let needs_hash = old.meta.needs_hash && new.meta.needs_hash;
    let source = new.meta.source.clone();
    let transformations = if new.meta.transformations.is_empty() {
        old.meta.transformations.clone()
    } else {
        new.meta.transformations.clone()
    };
    new.meta = old.meta.clone();
    new.meta.needs_hash = needs_hash;
    new.meta.source = source;
    new.meta.transformations = transformations;
    new
}

/// A merged string map entry: the value as text with the span and key
/// span of whichever side set it.
struct Item {
    key: String,
    key_span: Option<Span>,
    value: String,
    span: Option<Span>,
}

/// `base` then `over`, as string values (kustomize reads both maps as
/// strings, so `1` and `"1"` become the same string), sorted by key.
fn merge_string_maps(base: Option<&Node>, over: Option<&Node>) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    for m in [base, over].into_iter().flatten().filter_map(Node::as_map) {
        for e in &m.entries {
            let item = Item {
                key: e.key.clone(),
                key_span: e.key_span.clone(),
                value: scalar_text(&e.value),
                span: e.value.span.clone(),
            };
            match out.iter_mut().find(|x| x.key == item.key) {
                Some(x) => *x = item,
                None => out.push(item),
            }
        }
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out
}

fn scalar_text(n: &Node) -> String {
    match n.as_scalar() {
        Some(s) if s.tag != Tag::Null => s.text.clone(),
        _ => String::new(),
    }
}

/// Sets `metadata.<field>` to string values, dropping it when empty.
fn set_string_map(meta: &mut Node, field: &str, items: Vec<Item>) {
    let Some(m) = meta.as_map_mut() else { return };
    let span = m.get(field).and_then(|n| n.span.clone());
    m.remove(field);
    if items.is_empty() {
        return;
    }
    let entries = items
        .into_iter()
        .map(|i| Entry {
            key: i.key,
            key_span: i.key_span,
            value: Node::string(i.value).with_span(i.span),
        })
        .collect();
    m.insert(
        field,
        Node::new(Value::Map(Map { entries })).with_span(span),
    );
}

/// Rewrites a `data`-like map as a generator writes it, dropping it when
/// empty.
fn set_data_map(obj: &mut Node, field: &str, items: Vec<Item>) {
    let Some(m) = obj.as_map_mut() else { return };
    let span = m.get(field).and_then(|n| n.span.clone());
    m.remove(field);
    if items.is_empty() {
        return;
    }
    let entries = items
        .into_iter()
        .map(|i| Entry {
            key: i.key,
            key_span: i.key_span,
            value: data_value(i.value, i.span),
        })
        .collect();
    m.insert(
        field,
        Node::new(Value::Map(Map { entries })).with_span(span),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hydrate::kustomize::resid::Gvk;
    use crate::load::yaml::parse_single;

    fn res(yaml: &str, behavior: Behavior, needs_hash: bool) -> Resource {
        let mut r = Resource::new(parse_single("r.yaml", yaml).unwrap()).unwrap();
        r.meta.behavior = behavior;
        r.meta.needs_hash = needs_hash;
        r
    }

    fn map_of(rs: Vec<Resource>) -> ResMap {
        let mut m = ResMap::new();
        for r in rs {
            m.append(r).unwrap();
        }
        m
    }

    const BASE: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p-cm\n  labels: {app: a, team: t}\ndata:\n  a: 1\n  b: base\n";

    fn base() -> Resource {
        let mut r = res(BASE, Behavior::Create, true);
        r.meta
            .prev_ids
            .push(ResId::new(Gvk::new("", "v1", "ConfigMap"), "cm", "default"));
        r.meta.prefixes.push("p-".into());
        r
    }

    #[test]
    fn merge_keeps_old_identity_and_unset_data() {
        let mut into = map_of(vec![base()]);
        let over = res(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  labels: {team: u}\ndata:\n  b: over\n  c: new\n",
            Behavior::Merge,
            true,
        );
        absorb(&mut into, map_of(vec![over])).unwrap();
        assert_eq!(into.len(), 1);
        let r = into.get(0);
        assert_eq!(r.name(), "p-cm");
        assert_eq!(r.meta.prefixes, ["p-"]);
        assert!(r.meta.needs_hash);
        assert_eq!(
            r.labels(),
            [("app".into(), "a".into()), ("team".into(), "u".into())]
        );
        let a = r
            .node
            .get_path(&["data", "a"])
            .unwrap()
            .as_scalar()
            .unwrap();
        assert_eq!((a.text.as_str(), &a.tag), ("1", &Tag::Str));
        assert_eq!(
            r.node.get_path(&["data", "b"]).unwrap().as_str(),
            Some("over")
        );
        assert_eq!(
            r.node.get_path(&["data", "c"]).unwrap().as_str(),
            Some("new")
        );
    }

    #[test]
    fn replace_drops_old_data_and_hash_needs_both() {
        let mut into = map_of(vec![base()]);
        let over = res(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  z: z\n",
            Behavior::Replace,
            false,
        );
        absorb(&mut into, map_of(vec![over])).unwrap();
        let r = into.get(0);
        assert!(r.node.get_path(&["data", "a"]).is_none());
        assert!(!r.meta.needs_hash);
        assert_eq!(r.labels().len(), 2);
    }

    #[test]
    fn create_on_existing_id_is_an_error() {
        let mut into = map_of(vec![base()]);
        let dup = res(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: default\n",
            Behavior::Unspecified,
            true,
        );
        let e = absorb(&mut into, map_of(vec![dup])).unwrap_err();
        assert!(
            e.message.contains("behavior must be merge or replace"),
            "{}",
            e.message
        );
        assert!(e.message.starts_with(
            "id resid.ResId{Gvk:resid.Gvk{Group:\"\", Version:\"v1\", Kind:\"ConfigMap\""
        ));
    }

    #[test]
    fn merge_without_target_is_an_error() {
        let mut into = ResMap::new();
        let m = res(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
            Behavior::Merge,
            true,
        );
        let e = absorb(&mut into, map_of(vec![m])).unwrap_err();
        assert!(
            e.message
                .ends_with("does not exist; cannot merge or replace")
        );
    }

    #[test]
    fn namespace_comes_from_the_old_object() {
        let old = res(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
            Behavior::Create,
            true,
        );
        let mut into = map_of(vec![old]);
        let new = res(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: default\n",
            Behavior::Replace,
            true,
        );
        absorb(&mut into, map_of(vec![new])).unwrap();
        assert!(
            into.get(0)
                .node
                .get_path(&["metadata", "namespace"])
                .is_none()
        );
    }
}
