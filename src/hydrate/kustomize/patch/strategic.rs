//! Strategic merge patches, with Kubernetes patch metadata.
//!
//! This follows kyaml's merge walk (what `kustomize build` runs), not the
//! apimachinery implementation, because the outputs differ:
//! - maps merge key by key; a `null` in the patch deletes the key; keys the
//!   patch adds come after existing ones, in sorted order;
//! - lists whose schema strategy includes `merge` merge element by element,
//!   matched on the merge keys (or on the value, for lists of scalars);
//!   elements only in the patch come first. All other lists are replaced;
//! - `$patch: delete|replace|merge` works on maps, lists (as a one-key
//!   element) and list elements; `$setElementOrder`, `$retainKeys` and
//!   `$deleteFromPrimitiveList` are not directives to kyaml and stay as
//!   ordinary fields;
//! - fields whose value is empty (`key:`) disappear from the whole object,
//!   while an explicit `null` or `~` is kept.
//!
//! kyaml mutates shared nodes in place; a few of its results depend on that
//! (for instance a list element's `$patch: replace` keeps the original
//! element). The walk below reproduces those results with owned values by
//! tracking when the patch and the object are the same node ([`Src::Same`])
//! and whether a merge result is the object's own node.

use super::super::error::{KustError, Result};
use super::super::openapi::{At, Definitions};
use crate::load::yaml::{Entry, Node, Scalar, Tag, Value};

/// Merges `patch` into `object`; None when the patch deletes the object.
pub fn merge(object: Node, patch: Node, defs: &Definitions) -> Result<Option<Node>> {
    let w = Walker { defs };
    Ok(w.walk(Some(object), Src::Other(Some(patch)), None)?
        .into_node())
}

/// The patch side of a walk.
enum Src {
    /// A patch node distinct from the object (None: absent).
    Other(Option<Node>),
    /// The patch is the object node itself (kyaml walks a node the patch
    /// added, or replaced, against itself).
    Same,
}

/// What a visit leaves in place of the object node.
enum Walked {
    /// The field or element goes away.
    Clear,
    Node {
        node: Node,
        /// An explicit null of the object that must stay.
        keep_null: bool,
        /// The result is the object's own node, merged in place (kyaml
        /// identity, which decides what list merging writes back).
        is_dest: bool,
    },
}

impl Walked {
    fn node(node: Node, is_dest: bool) -> Walked {
        Walked::Node {
            node,
            keep_null: false,
            is_dest,
        }
    }
    fn from_option(n: Option<Node>, is_dest: bool) -> Walked {
        match n {
            Some(node) => Walked::node(node, is_dest),
            None => Walked::Clear,
        }
    }
    fn into_node(self) -> Option<Node> {
        match self {
            Walked::Clear => None,
            Walked::Node { node, .. } => Some(node),
        }
    }
    /// kyaml's FieldSetter drops nulls unless they are marked to stay.
    fn settable(self) -> Option<Node> {
        match self {
            Walked::Node {
                node, keep_null, ..
            } if keep_null || !node.is_null() => Some(node),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Map,
    Seq,
    Scalar,
}

fn kind_of(n: &Node) -> Kind {
    match n.value {
        Value::Map(_) => Kind::Map,
        Value::Seq(_) => Kind::Seq,
        Value::Scalar(_) => Kind::Scalar,
    }
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Map => "MappingNode",
        Kind::Seq => "SequenceNode",
        Kind::Scalar => "ScalarNode",
    }
}

fn missing_or_null(n: Option<&Node>) -> bool {
    n.is_none_or(Node::is_null)
}

fn is_empty_map(n: &Node) -> bool {
    n.as_map().is_some_and(|m| m.is_empty())
}

/// kyaml's `IsNilOrEmpty` on a field value.
fn nil_or_empty(n: &Node) -> bool {
    match &n.value {
        Value::Map(m) => m.is_empty(),
        Value::Seq(s) => s.is_empty(),
        Value::Scalar(s) => s.tag == Tag::Null,
    }
}

/// The text go-yaml keeps for a node (`Value`): a scalar's text, else "".
fn text_of(n: &Node) -> &str {
    match &n.value {
        Value::Scalar(s) => &s.text,
        _ => "",
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Directive {
    Merge,
    Replace,
    Delete,
}

const DIRECTIVE_KEY: &str = "$patch";

fn parse_directive(v: &str, at: &Node) -> Result<Directive> {
    match v {
        "merge" => Ok(Directive::Merge),
        "replace" => Ok(Directive::Replace),
        "delete" => Ok(Directive::Delete),
        _ => Err(KustError::invalid(format!("unknown patch strategy '{v}'")).at(at.span.as_ref())),
    }
}

/// Reads the `$patch` directive of a patch node and removes it from the
/// node, as kyaml does.
fn take_directive(patch: Option<&mut Node>) -> Result<Directive> {
    let Some(patch) = patch else {
        return Ok(Directive::Merge);
    };
    match &mut patch.value {
        Value::Map(m) => {
            let Some(v) = m.get(DIRECTIVE_KEY) else {
                return Ok(Directive::Merge);
            };
            let d = parse_directive(text_of(v), v)?;
            m.remove(DIRECTIVE_KEY);
            Ok(d)
        }
        Value::Seq(items) => {
            // A list directive is an element holding only `$patch`.
            let Some(el) = items
                .iter()
                .find(|e| e.as_map().is_some_and(|m| m.contains(DIRECTIVE_KEY)))
            else {
                return Ok(Directive::Merge);
            };
            if el.as_map().is_some_and(|m| m.len() > 1) {
                return Ok(Directive::Merge);
            }
            let v_node = el.get(DIRECTIVE_KEY).cloned().unwrap_or_default();
            let v = text_of(&v_node).to_string();
            let d = parse_directive(&v, &v_node)?;
            element_set(items, None, &[DIRECTIVE_KEY.to_string()], &[v]);
            Ok(d)
        }
        Value::Scalar(_) => Err(KustError::invalid(format!(
            "no implemented strategic merge patch strategy for '{}' ('{}')",
            short_tag(patch),
            text_of(patch)
        ))
        .at(patch.span.as_ref())),
    }
}

fn short_tag(n: &Node) -> String {
    match &n.value {
        Value::Map(_) => "!!map".into(),
        Value::Seq(_) => "!!seq".into(),
        Value::Scalar(Scalar { tag, .. }) => match tag {
            Tag::Null => "!!null".into(),
            Tag::Bool => "!!bool".into(),
            Tag::Int => "!!int".into(),
            Tag::Float => "!!float".into(),
            Tag::Str => "!!str".into(),
            Tag::Timestamp => "!!timestamp".into(),
            Tag::Binary => "!!binary".into(),
            Tag::Custom(t) => t.clone(),
        },
    }
}

struct Walker<'a> {
    defs: &'a Definitions,
}

impl<'a> Walker<'a> {
    /// The schema in force: the one inherited from the parent, else the
    /// one of an embedded object that names its apiVersion and kind.
    fn schema_for(
        &self,
        dest: Option<&Node>,
        patch: Option<&Node>,
        inherited: Option<At<'a>>,
    ) -> Option<At<'a>> {
        if inherited.is_some() {
            return inherited;
        }
        for n in [dest, patch].into_iter().flatten() {
            if n.is_null() {
                continue;
            }
            let (Some(api), Some(kind)) = (n.get_str("apiVersion"), n.get_str("kind")) else {
                continue;
            };
            if api.is_empty() || kind.is_empty() {
                continue;
            }
            if let Some(s) = self.defs.for_type(api, kind) {
                return Some(s);
            }
        }
        None
    }

    fn walk(&self, dest: Option<Node>, patch: Src, schema: Option<At<'a>>) -> Result<Walked> {
        let patch_ref = match &patch {
            Src::Other(p) => p.as_ref(),
            Src::Same => dest.as_ref(),
        };
        let schema = self.schema_for(dest.as_ref(), patch_ref, schema);
        let kind = [dest.as_ref(), patch_ref]
            .into_iter()
            .flatten()
            .find(|n| !n.is_null())
            .map(kind_of);
        if let Some(k) = kind {
            for n in [dest.as_ref(), patch_ref].into_iter().flatten() {
                if !n.is_null() && kind_of(n) != k {
                    return Err(wrong_kind(k, n));
                }
            }
        }
        match kind {
            None | Some(Kind::Map) => self.walk_map(dest, patch, schema),
            Some(Kind::Seq) if schema.is_some_and(At::merges_lists) => {
                self.walk_merged_list(dest, patch, schema)
            }
            Some(Kind::Seq) | Some(Kind::Scalar) => Ok(match patch {
                // kyaml's VisitScalar / non-associative VisitList: the
                // patch value, when there is one, replaces the object's.
                Src::Other(Some(mut p)) => {
                    // Provenance: a patch repeating a scalar (a merge key,
                    // an unchanged value) did not set it; keep its origin.
                    if let Some(d) = dest
                        .as_ref()
                        .filter(|d| d.as_scalar().is_some() && **d == p)
                    {
                        p.span = d.span.clone();
                    }
                    Walked::node(p, false)
                }
                Src::Other(None) | Src::Same => Walked::from_option(dest, true),
            }),
        }
    }

    /// kyaml's VisitMap: what stands in for the object node before its
    /// fields are merged, and whether the patch is now that same node.
    fn visit_map(&self, dest: Option<Node>, patch: Src) -> Result<(Walked, Option<Node>)> {
        let mut patch = match patch {
            Src::Same => {
                let mut d = dest;
                if missing_or_null(d.as_ref()) {
                    // An empty value walked against itself: cleared unless
                    // spelled out (`null`, `~`).
                    let _ = take_directive(d.as_mut());
                    return Ok((Walked::from_option(d, true), None));
                }
                return Ok(match take_directive(d.as_mut())? {
                    Directive::Delete => (Walked::Clear, None),
                    _ => (Walked::from_option(d, true), None),
                });
            }
            Src::Other(p) => p,
        };
        if missing_or_null(dest.as_ref()) {
            let d = take_directive(patch.as_mut()).unwrap_or(Directive::Merge);
            if d == Directive::Delete {
                return Ok((Walked::Clear, None));
            }
            if patch.is_none() {
                if let Some(dn) = dest.filter(|n| !text_of(n).is_empty()) {
                    return Ok((
                        Walked::Node {
                            node: dn,
                            keep_null: true,
                            is_dest: true,
                        },
                        None,
                    ));
                }
                return Ok((Walked::Clear, None));
            }
            return Ok((Walked::from_option(patch, false), None));
        }
        if patch.as_ref().is_some_and(Node::is_null) {
            return Ok((Walked::Clear, None));
        }
        match take_directive(patch.as_mut())? {
            Directive::Delete => Ok((Walked::Clear, None)),
            Directive::Replace => Ok((Walked::from_option(patch, false), None)),
            Directive::Merge => Ok((Walked::from_option(dest, true), patch)),
        }
    }

    fn walk_map(&self, dest: Option<Node>, patch: Src, schema: Option<At<'a>>) -> Result<Walked> {
        let (visited, patch) = self.visit_map(dest, patch)?;
        let Walked::Node {
            mut node,
            keep_null,
            is_dest,
        } = visited
        else {
            return Ok(Walked::Clear);
        };
        // From here the patch is either a separate node (`patch`) or, when
        // the visit returned the patch itself, the node being filled.
        let same = patch.is_none();
        let mut names: Vec<String> = Vec::new();
        if let Some(m) = node.as_map() {
            names.extend(m.keys().map(str::to_string));
        }
        if let Some(m) = patch.as_ref().and_then(Node::as_map) {
            names.extend(m.keys().map(str::to_string));
        }
        names.sort();
        names.dedup();
        for name in names {
            let field_schema = schema.and_then(|s| s.field(&name));
            let Some(m) = node.as_map_mut() else {
                break;
            };
            let pos = m.entries.iter().position(|e| e.key == name);
            let dest_value = pos.map(|i| std::mem::take(&mut m.entries[i].value));
            let patch_entry = patch
                .as_ref()
                .and_then(|p| p.as_map())
                .and_then(|pm| pm.entry(&name));
            let src = if same {
                Src::Same
            } else {
                Src::Other(patch_entry.map(|e| e.value.clone()))
            };
            let result = self.walk(dest_value, src, field_schema)?.settable();
            let m = node.as_map_mut().expect("checked to be a map above");
            set_field(m, pos, &name, result, patch_entry);
        }
        Ok(Walked::Node {
            node,
            keep_null,
            is_dest,
        })
    }

    /// A list merged element by element (kyaml's associative list).
    fn walk_merged_list(
        &self,
        dest: Option<Node>,
        patch: Src,
        schema: Option<At<'a>>,
    ) -> Result<Walked> {
        // kyaml's VisitList for associative lists: which list stands in for
        // the object's, and what its elements are merged with.
        let (mut list, patch, is_dest) = match patch {
            Src::Same => {
                let mut d = dest;
                match (take_directive(d.as_mut())?, d) {
                    (Directive::Delete, _) | (_, None) => return Ok(Walked::Clear),
                    (_, Some(n)) => (n, PatchList::Same, true),
                }
            }
            Src::Other(mut p) => {
                if missing_or_null(dest.as_ref()) {
                    // Taken as is, directives included.
                    match p {
                        Some(n) => (n, PatchList::Same, false),
                        None => return Ok(Walked::Clear),
                    }
                } else if p.as_ref().is_some_and(Node::is_null) {
                    return Ok(Walked::Clear);
                } else {
                    match (take_directive(p.as_mut())?, p, dest) {
                        (Directive::Delete, _, _) => return Ok(Walked::Clear),
                        (Directive::Replace, Some(n), _) => (n, PatchList::Same, false),
                        (Directive::Merge, p, Some(d)) => {
                            let items = match p.map(|n| n.value) {
                                Some(Value::Seq(items)) => PatchList::Items(items),
                                _ => PatchList::Absent,
                            };
                            (d, items, true)
                        }
                        _ => return Ok(Walked::Clear),
                    }
                }
            }
        };
        let span = list.span.clone();
        let Some(items) = list.as_seq_mut() else {
            return Ok(Walked::node(list, is_dest));
        };
        let items = std::mem::take(items);
        let keys: Vec<String> = schema
            .map(|s| s.strategy_and_keys().1.to_vec())
            .unwrap_or_default();
        let elem_schema = schema.and_then(At::elements);
        let patch_items = match &patch {
            PatchList::Items(p) => Some(p.as_slice()),
            PatchList::Absent | PatchList::Same => None,
        };
        let (values, keys) = if keys.is_empty() {
            (primitive_values(&items, patch_items), vec![String::new()])
        } else {
            (keyed_values(&items, patch_items, &keys), keys)
        };
        let merged = if values.is_empty() {
            // Nothing to match on: kyaml leaves the list as it is.
            items
        } else {
            self.merge_elements(items, &patch, values, &keys, elem_schema)?
        };
        Ok(Walked::node(Node::seq(merged).with_span(span), is_dest))
    }

    /// kyaml's setAssociativeSequenceElements followed by appendListNode
    /// in "prepend" mode (patch-only elements first).
    fn merge_elements(
        &self,
        mut dest: Vec<Node>,
        patch: &PatchList,
        mut values_list: Vec<Vec<String>>,
        keys: &[String],
        elem_schema: Option<At<'a>>,
    ) -> Result<Vec<Node>> {
        if keys.len() > 1 {
            merge_values(&mut values_list);
        }
        let mut added: Vec<Node> = Vec::new();
        let mut last_keys: Vec<String> = keys.to_vec();
        for values in &values_list {
            if values.is_empty() {
                continue;
            }
            let (valid_keys, valid_values) = validate_keys(&values_list, values, keys);
            let (ek, ev) = validate_keys(
                std::slice::from_ref(&valid_values),
                &valid_values,
                &valid_keys,
            );
            let dest_idx = element_match(&dest, &ek, &ev);
            let src = match patch {
                PatchList::Same => Src::Same,
                PatchList::Absent => Src::Other(None),
                PatchList::Items(p) => Src::Other(element_match(p, &ek, &ev).map(|i| p[i].clone())),
            };
            let walked = self.walk(dest_idx.map(|i| dest[i].clone()), src, elem_schema)?;
            last_keys = valid_keys.clone();
            let (mut val, is_dest) = match walked {
                Walked::Node { node, is_dest, .. } if !node.is_null() && !is_empty_map(&node) => {
                    (node, is_dest)
                }
                _ => {
                    // Deleted (or emptied): drop it from the object's list.
                    element_set(&mut dest, None, &valid_keys, &valid_values);
                    continue;
                }
            };
            for (k, v) in valid_keys.iter().zip(&valid_values) {
                if let Some(m) = val
                    .as_map_mut()
                    .filter(|m| !k.is_empty() && !v.is_empty() && !m.contains(k))
                {
                    m.insert(k.clone(), Node::plain(v.clone()));
                }
            }
            // kyaml merged the object's element in place, so the object
            // list now holds the merged element.
            if let (true, Some(i)) = (is_dest, dest_idx) {
                dest[i] = val.clone();
            }
            element_set(&mut added, Some(val), &valid_keys, &valid_values);
        }
        // The object's elements then take their place among (or after) the
        // patch's.
        append_list(&mut added, dest, &last_keys);
        Ok(added)
    }
}

/// What the elements of a merged list are merged with.
enum PatchList {
    /// The patch has no such list: elements merge with nothing.
    Absent,
    /// The list is the patch's own (added or replaced): elements merge with
    /// themselves, which applies their directives and drops their nulls.
    Same,
    Items(Vec<Node>),
}

/// kyaml's FieldSetter: replace in place, append a new key, or clear.
fn set_field(
    m: &mut crate::load::yaml::Map,
    pos: Option<usize>,
    name: &str,
    value: Option<Node>,
    patch_entry: Option<&Entry>,
) {
    match (pos, value) {
        (Some(i), Some(mut v)) => {
            // The object's scalar style wins over the patch's.
            if let (Value::Scalar(new), Value::Scalar(old)) =
                (&mut v.value, &m.entries[i].value.value)
            {
                new.style = old.style;
            }
            m.entries[i].value = v;
        }
        (Some(i), None) => {
            m.entries.remove(i);
        }
        (None, Some(v)) => m.entries.push(Entry {
            key: name.to_string(),
            key_span: patch_entry.and_then(|e| e.key_span.clone()),
            value: v,
        }),
        (None, None) => {}
    }
}

fn wrong_kind(expected: Kind, n: &Node) -> KustError {
    KustError::invalid(format!(
        "wrong node kind: expected {} but got {}",
        kind_name(expected),
        kind_name(kind_of(n))
    ))
    .at(n.span.as_ref())
}

/// Merge-key values of each element, patch first, without repeats.
fn keyed_values(dest: &[Node], patch: Option<&[Node]>, keys: &[String]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    for list in [patch, Some(dest)].into_iter().flatten() {
        for el in list {
            let v: Vec<String> = keys
                .iter()
                .map(|k| match el.get(k) {
                    Some(f) if !nil_or_empty(f) => text_of(f).to_string(),
                    _ => String::new(),
                })
                .collect();
            if !v.is_empty() && !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

/// Values of a list of scalars, patch first, without repeats.
fn primitive_values(dest: &[Node], patch: Option<&[Node]>) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    for list in [patch, Some(dest)].into_iter().flatten() {
        for el in list {
            let v = vec![text_of(el).to_string()];
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

/// Keys whose values are known somewhere in `all`, with this element's
/// values for them (all keys when none is known).
fn validate_keys(
    all: &[Vec<String>],
    values: &[String],
    keys: &[String],
) -> (Vec<String>, Vec<String>) {
    let known: Vec<&String> = keys
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            all.iter()
                .any(|vs| vs.get(*i).is_some_and(|v| !v.is_empty()))
        })
        .map(|(_, k)| k)
        .collect();
    if known.is_empty() {
        return (keys.to_vec(), values.to_vec());
    }
    let valid_keys = keys.iter().filter(|k| known.contains(k)).cloned().collect();
    let valid_values = values
        .iter()
        .enumerate()
        .filter(|(i, v)| !v.is_empty() || keys.get(*i).is_some_and(|k| known.contains(&k)))
        .map(|(_, v)| v.clone())
        .collect();
    (valid_keys, valid_values)
}

/// Unifies partial key tuples that agree where both are set (a port
/// given without its protocol matches the same port with one).
fn merge_values(list: &mut [Vec<String>]) {
    for i in 0..list.len() {
        let first = list[i].clone();
        for j in 0..list.len() {
            if let Some(m) = unify(&first, &list[j]) {
                list[i] = m.clone();
                list[j] = m;
            }
        }
    }
}

fn unify(a: &[String], b: &[String]) -> Option<Vec<String>> {
    if a.len() != b.len() {
        return None;
    }
    let mut common = false;
    let mut out = Vec::with_capacity(a.len());
    for (x, y) in a.iter().zip(b) {
        if x == y {
            common = true;
            out.push(x.clone());
        } else if !x.is_empty() && !y.is_empty() {
            return None;
        } else {
            out.push(if x.is_empty() { y.clone() } else { x.clone() });
        }
    }
    common.then_some(out)
}

/// The first element matching all key values exactly (kyaml's
/// ElementMatcher); an empty key matches scalars by value.
fn element_match(list: &[Node], keys: &[String], values: &[String]) -> Option<usize> {
    let first_value = values.first().map(String::as_str).unwrap_or("");
    if keys.first().is_none_or(|k| k.is_empty()) {
        return list.iter().position(|n| text_of(n) == first_value);
    }
    list.iter().position(|el| {
        el.is_map()
            && keys.len() == values.len()
            && keys
                .iter()
                .zip(values)
                .all(|(k, v)| el.get(k).is_some_and(|f| text_of(f) == v))
    })
}

/// Whether an element matches one key/value as kyaml's ElementSetter checks
/// it: an empty value matches any element that has the key.
fn setter_matches(el: &Node, key: &str, value: &str) -> bool {
    if key.is_empty() {
        let own = if el.is_null() { "" } else { text_of(el) };
        return el.as_scalar().is_some() && own == value;
    }
    match el.get(key) {
        Some(f) => value.is_empty() || text_of(f) == value,
        None => false,
    }
}

/// kyaml's ElementSetter: replaces (or with None, removes) the elements
/// matching the keys, appends when none matched, and drops empty elements.
fn element_set(list: &mut Vec<Node>, element: Option<Node>, keys: &[String], values: &[String]) {
    let default_keys = [String::new()];
    let keys = if keys.is_empty() {
        &default_keys[..]
    } else {
        keys
    };
    let mapping_setter = !keys[0].is_empty() && values.first().is_some_and(|v| !v.is_empty());
    let mut found_any = false;
    let old = std::mem::take(list);
    for el in old {
        if el.is_null() || is_empty_map(&el) {
            continue;
        }
        if !el.is_map() && mapping_setter {
            list.push(el);
            continue;
        }
        let mut matched = false;
        let mut found = true;
        for (j, k) in keys.iter().enumerate() {
            // kyaml keeps the last result when there are fewer values.
            if let Some(v) = values.get(j) {
                matched = setter_matches(&el, k, v);
            }
            if !matched {
                found = false;
                break;
            }
        }
        if !found {
            if !values.is_empty() {
                list.push(el);
            }
            continue;
        }
        found_any = true;
        if let Some(e) = &element {
            list.push(e.clone());
        }
    }
    match element {
        Some(e) if !e.is_null() && !found_any => list.push(e),
        _ => {}
    }
}

/// kyaml's appendListNode: sets each of `src`'s elements into `dst`.
fn append_list(dst: &mut Vec<Node>, src: Vec<Node>, keys: &[String]) {
    for el in src {
        if keys.first().is_none_or(|k| k.is_empty()) {
            let v = text_of(&el).to_string();
            element_set(dst, Some(el), &[String::new()], &[v]);
            continue;
        }
        let mut v: Vec<String> = Vec::new();
        for k in keys {
            match el.get(k) {
                Some(f) if !el.is_null() => v.push(text_of(f).to_string()),
                _ => dst.push(el.clone()),
            }
        }
        if keys.len() > 1 {
            element_set(dst, None, keys, &v);
        }
        element_set(dst, Some(el), keys, &v);
    }
}

#[cfg(test)]
mod tests;
