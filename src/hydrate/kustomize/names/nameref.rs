//! Name reference fix-up: after prefixes, suffixes, hashes and renaming
//! patches, every field that names another resource (per the
//! `nameReference` field specs) is pointed at that resource's new name.
//!
//! Candidates for a reference are resources that once had the referenced
//! name; they are narrowed by kind, by `roleRef`, by namespace and finally
//! by the prefixes and suffixes they share with the referrer, exactly as
//! kustomize narrows them, with the same ambiguity error.

use super::{csv_items, set_scalar};
use crate::hydrate::kustomize::config::TransformerConfig;
use crate::hydrate::kustomize::error::{ErrorKind, KustError, Result};
use crate::hydrate::kustomize::fieldspec::{self, FieldSpec};
use crate::hydrate::kustomize::resid::{Gvk, ResId};
use crate::hydrate::kustomize::resmap::ResMap;
use crate::hydrate::kustomize::resource::Resource;
use crate::load::yaml::{Node, Span, Tag, Value};
use std::collections::HashMap;

/// What selection needs to know about a resource, read before the
/// referrer's fields change.
struct Facts {
    cur: ResId,
    /// Previous ids as kustomize reads them back from its annotations:
    /// the kind recorded, group and version of the current apiVersion.
    prev: Vec<ResId>,
    prefixes: Vec<String>,
    suffixes: Vec<String>,
    /// Provenance of the current name, for the rewritten references.
    name_span: Option<Span>,
    source: Option<Span>,
}

impl Facts {
    fn of(r: &Resource) -> Facts {
        let cur = r.cur_id();
        let prev = r
            .meta
            .prev_ids
            .iter()
            .map(|p| {
                let gvk = Gvk::new(&cur.gvk.group, &cur.gvk.version, &p.gvk.kind);
                ResId::new(gvk, &p.name, &p.namespace)
            })
            .collect();
        Facts {
            cur,
            prev,
            prefixes: csv_items(&r.meta.prefixes)
                .into_iter()
                .map(String::from)
                .collect(),
            suffixes: csv_items(&r.meta.suffixes)
                .into_iter()
                .map(String::from)
                .collect(),
            name_span: r
                .node
                .get_path(&["metadata", "name"])
                .and_then(|n| n.span.clone()),
            source: r.meta.source.clone(),
        }
    }

    fn org(&self) -> &ResId {
        self.prev.first().unwrap_or(&self.cur)
    }
}

/// One field of a referrer that may name a resource of kind `target`.
struct RefField<'a> {
    spec: &'a FieldSpec,
    target: &'a Gvk,
}

/// After renames, points every name reference at the new names.
pub fn fix_back_references(m: &mut ResMap, tc: &TransformerConfig) -> Result<()> {
    let mut facts: Vec<Facts> = m.iter().map(Facts::of).collect();
    // Renamed resources by each name they once had (resource order kept);
    // only those can be the target of a reference.
    let mut by_prev_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (j, f) in facts.iter().enumerate() {
        let mut names: Vec<&str> = f.prev.iter().map(|id| id.name.as_str()).collect();
        names.dedup();
        for name in names {
            let list = by_prev_name.entry(name.to_string()).or_default();
            if list.last() != Some(&j) {
                list.push(j);
            }
        }
    }
    let mut ref_by: Vec<(usize, ResId)> = Vec::new();
    for i in 0..m.len() {
        let org_gvk = facts[i].org().gvk.clone();
        let fields: Vec<RefField> = tc
            .name_reference
            .iter()
            .flat_map(|br| {
                br.referrers
                    .iter()
                    .filter(|s| org_gvk.is_selected_by(&s.gvk))
                    .map(move |spec| RefField {
                        spec,
                        target: &br.gvk,
                    })
            })
            .collect();
        if fields.is_empty() {
            continue;
        }
        let candidates = candidates_for(m.get(i), &facts, m)?;
        for field in &fields {
            let referrer = m.get(i);
            let sel = Selector {
                field,
                referrer: &facts[i],
                role_ref: role_ref_gvk(referrer, field.spec),
                all: &facts,
                by_prev_name: &by_prev_name,
                candidates: &candidates,
            };
            let gvk = referrer.gvk();
            // The field spec applies to the referrer whatever its kind now.
            let spec = FieldSpec {
                gvk: Gvk::default(),
                ..field.spec.clone()
            };
            let mut found = Vec::new();
            let r = m.get_mut(i);
            fieldspec::apply(&mut r.node, &gvk, &spec, None, None, &mut |n| {
                sel.set(n, &mut found)
            })
            .map_err(|e| {
                e.context(format!(
                    "updating name reference in '{}' field of '{}'",
                    field.spec.path, facts[i].cur
                ))
            })?;
            ref_by.extend(found.into_iter().map(|j| (j, facts[i].cur.clone())));
        }
        facts[i] = Facts::of(m.get(i));
    }
    for (j, id) in ref_by {
        m.get_mut(j).meta.ref_by.push(id);
    }
    Ok(())
}

/// kustomize's `SubsetThatCouldBeReferencedByResource`: what a referrer
/// may name. Cluster-scoped referrers see everything; namespaced ones see
/// cluster-scoped resources, their own namespace, and for a RoleBinding the
/// namespaces of its ServiceAccount subjects.
/// The result is a mask over the resources.
fn candidates_for(referrer: &Resource, facts: &[Facts], m: &ResMap) -> Result<Vec<bool>> {
    let me = referrer.cur_id();
    if me.gvk.is_cluster_scoped() {
        return Ok(vec![true; m.len()]);
    }
    let binding_namespaces = role_binding_namespaces(referrer)?;
    Ok(facts
        .iter()
        .map(|f| {
            let id = &f.cur;
            id.gvk.is_cluster_scoped()
                || id.effective_namespace() == me.effective_namespace()
                || binding_namespaces.contains(&id.namespace)
        })
        .collect())
}

/// Namespaces of a RoleBinding's ServiceAccount subjects.
fn role_binding_namespaces(r: &Resource) -> Result<Vec<String>> {
    if r.kind() != "RoleBinding" {
        return Ok(Vec::new());
    }
    let Some(subjects) = r.node.get("subjects").and_then(Node::as_seq) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for s in subjects {
        let (Some(ns), Some(kind)) = (s.get("namespace"), s.get("kind")) else {
            continue;
        };
        if kind.as_str() != Some("ServiceAccount") {
            continue;
        }
        match ns.as_scalar() {
            Some(sc) if sc.tag != Tag::Null => out.push(sc.text.clone()),
            _ => {
                return Err(KustError::invalid(format!(
                    "Invalid Input: namespace is blank for resource \"{}\"\n",
                    r.cur_id()
                ))
                .at(ns.span.as_ref().or(s.span.as_ref())));
            }
        }
    }
    Ok(out)
}

/// The kind named by a `roleRef` (apiGroup and kind), when the field being
/// updated is its name and both are given.
fn role_ref_gvk(r: &Resource, spec: &FieldSpec) -> Option<Gvk> {
    if !spec.path.ends_with("roleRef/name") {
        return None;
    }
    let role_ref = r.node.get("roleRef")?;
    let text = |k: &str| {
        role_ref
            .as_map()
            .and_then(|m| m.get(k))
            .map(|n| n.as_scalar().map(|s| s.text.clone()).unwrap_or_default())
    };
    Some(Gvk::new(&text("apiGroup")?, "", &text("kind")?))
}

/// How two remaining candidates count as the same referral.
#[derive(Clone, Copy)]
enum Sameness {
    /// Only the name is copied (a scalar reference).
    Name,
    /// Name and namespace are copied (a `{name, namespace}` map).
    NameAndNamespace,
}

struct Selector<'a> {
    field: &'a RefField<'a>,
    referrer: &'a Facts,
    role_ref: Option<Gvk>,
    all: &'a [Facts],
    by_prev_name: &'a HashMap<String, Vec<usize>>,
    /// Which resources the referrer may name at all.
    candidates: &'a [bool],
}

impl Selector<'_> {
    /// Called on each node the field spec finds in the referrer; `found`
    /// collects the referrals chosen.
    fn set(&self, node: &mut Node, found: &mut Vec<usize>) -> Result<()> {
        match &node.value {
            Value::Scalar(s) if s.tag == Tag::Null => Ok(()),
            Value::Scalar(_) => self.set_scalar(node, found),
            Value::Map(_) => self.set_mapping(node, found),
            Value::Seq(_) => {
                let Value::Seq(items) = &mut node.value else {
                    return Ok(());
                };
                for item in items.iter_mut() {
                    match &item.value {
                        Value::Scalar(s) if s.tag == Tag::Null => {}
                        Value::Scalar(_) => self.set_scalar(item, found)?,
                        Value::Map(_) => self.set_mapping(item, found)?,
                        Value::Seq(_) => {
                            return Err(KustError::invalid(
                                "a name reference list item is expected to be either a string or a map of string",
                            )
                            .at(item.span.as_ref()));
                        }
                    }
                }
                Ok(())
            }
        }
    }

    fn set_scalar(&self, node: &mut Node, found: &mut Vec<usize>) -> Result<()> {
        let old = node.as_scalar().map(|s| s.text.clone()).unwrap_or_default();
        let Some(j) = self.select(&old, self.candidates, Sameness::Name, node.span.as_ref())?
        else {
            return Ok(());
        };
        found.push(j);
        let referral = &self.all[j].cur;
        if referral.name == old {
            return Ok(());
        }
        set_scalar(node, &referral.name, None, self.all[j].name_span.as_ref())
    }

    /// A `{name, namespace}` map (webhook services, binding subjects): the
    /// namespace, when given, narrows the candidates and is rewritten too.
    fn set_mapping(&self, node: &mut Node, found: &mut Vec<usize>) -> Result<()> {
        let span = node.span.clone();
        let Some(map) = node.as_map_mut() else {
            return Ok(());
        };
        let Some(name_node) = map.get("name") else {
            return Err(
                KustError::invalid("path config error; no 'name' field in node").at(span.as_ref()),
            );
        };
        let old = name_node
            .as_scalar()
            .map(|s| s.text.clone())
            .unwrap_or_default();
        let candidates = match map.get("namespace") {
            None => self.candidates.to_vec(),
            Some(ns) => self.in_namespace(ns.as_scalar().map(|s| s.text.as_str()).unwrap_or("")),
        };
        let Some(j) = self.select(&old, &candidates, Sameness::NameAndNamespace, span.as_ref())?
        else {
            return Ok(());
        };
        found.push(j);
        let referral = &self.all[j].cur;
        if referral.name == old && referral.namespace.is_empty() {
            return Ok(());
        }
        let why = self.all[j].name_span.as_ref();
        let name_node = map.get_or_insert_with("name", || Node::string(""));
        set_scalar(name_node, &referral.name, None, why)?;
        // An empty namespace is a wildcard here, not "default": leave the
        // reference's namespace alone.
        if referral.namespace.is_empty() {
            return Ok(());
        }
        let ns_node = map.get_or_insert_with("namespace", || Node::string(""));
        set_scalar(ns_node, &referral.namespace, None, why)
    }

    /// Candidates whose original namespace is `ns`, or failing that whose
    /// current namespace is (cluster-scoped resources never match).
    fn in_namespace(&self, ns: &str) -> Vec<bool> {
        let in_ns = |id: &ResId| !id.gvk.is_cluster_scoped() && id.effective_namespace() == ns;
        let mask = |pick: &dyn Fn(&Facts) -> &ResId| -> Vec<bool> {
            self.all
                .iter()
                .zip(self.candidates)
                .map(|(f, &ok)| ok && in_ns(pick(f)))
                .collect()
        };
        let by_org = mask(&|f| f.org());
        if by_org.contains(&true) {
            return by_org;
        }
        mask(&|f| &f.cur)
    }

    /// Picks the one resource `old_name` refers to, if any.
    fn select(
        &self,
        old_name: &str,
        allowed: &[bool],
        same: Sameness,
        at: Option<&Span>,
    ) -> Result<Option<usize>> {
        let all = self.all;
        let mut c: Vec<usize> = match self.by_prev_name.get(old_name) {
            Some(once_named) => once_named.iter().copied().filter(|&j| allowed[j]).collect(),
            None => return Ok(None),
        };
        c.retain(|&j| {
            all[j]
                .prev
                .iter()
                .any(|id| id.gvk.is_selected_by(self.field.target))
        });
        if let Some(role_kind) = &self.role_ref {
            c.retain(|&j| {
                all[j]
                    .prev
                    .iter()
                    .any(|id| id.gvk.is_selected_by(role_kind))
            });
        }
        c.retain(|&j| self.same_namespace_as_referrer(&all[j]));
        if c.len() == 1 {
            return Ok(c.pop());
        }
        c.retain(|&j| affixes_match(&all[j], self.referrer, true));
        if c.len() > 1 {
            c.retain(|&j| affixes_match(&all[j], self.referrer, false));
        }
        match c.len() {
            0 => return Ok(None),
            1 => return Ok(c.pop()),
            _ => {}
        }
        let first = &all[c[0]].cur;
        let identical = c.iter().all(|&j| {
            let id = &all[j].cur;
            id.name == first.name
                && (matches!(same, Sameness::Name) || id.namespace == first.namespace)
        });
        if identical {
            return Ok(Some(c[0]));
        }
        let ids: Vec<String> = c.iter().map(|&j| all[j].cur.to_string()).collect();
        let sources: Vec<String> = c
            .iter()
            .map(|&j| match &all[j].source {
                Some(s) => format!("  {} (from {s})", all[j].cur),
                None => format!("  {}", all[j].cur),
            })
            .collect();
        Err(KustError::new(
            ErrorKind::Conflict,
            format!("found multiple possible referrals: {}", ids.join(", ")),
        )
        .at(at)
        .with_help(format!(
            "'{old_name}' in {} could mean any of:\n{}\ngive them distinct names, or namespaces or name prefixes/suffixes matching the referrer's",
            self.referrer.cur,
            sources.join("\n")
        )))
    }

    /// Namespaced resources are referred to from their own namespace only,
    /// except ServiceAccounts (bindings name accounts anywhere).
    fn same_namespace_as_referrer(&self, candidate: &Facts) -> bool {
        let me = &self.referrer.cur;
        me.gvk.is_cluster_scoped()
            || candidate.cur.gvk.is_cluster_scoped()
            || candidate.cur.gvk.kind == "ServiceAccount"
            || me.effective_namespace() == candidate.cur.effective_namespace()
    }
}

/// Whether two resources were prefixed and suffixed alike: the shorter
/// list of prefixes (suffixes) must end the longer one. With `allow_empty`,
/// a resource with none matches anything.
fn affixes_match(a: &Facts, b: &Facts, allow_empty: bool) -> bool {
    let ok = |x: &[String], y: &[String]| {
        (allow_empty && (x.is_empty() || y.is_empty())) || same_ending(x, y)
    };
    ok(&a.prefixes, &b.prefixes) && ok(&a.suffixes, &b.suffixes)
}

fn same_ending(a: &[String], b: &[String]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return long.is_empty();
    }
    long.ends_with(short)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse_single;

    fn map_of(docs: &[&str]) -> ResMap {
        let mut m = ResMap::new();
        for d in docs {
            m.append(Resource::new(parse_single("t.yaml", d).unwrap()).unwrap())
                .unwrap();
        }
        m
    }

    fn rename(m: &mut ResMap, i: usize, prefix: &str) {
        let r = m.get_mut(i);
        r.meta.prefixes.push(prefix.into());
        r.store_previous_id();
        let name = format!("{prefix}{}", r.name());
        r.set_name(&name);
    }

    const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n";
    const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      volumes:\n      - configMap:\n          name: cm\n      containers:\n      - envFrom:\n        - configMapRef:\n            name: cm\n";

    fn volume_ref(m: &ResMap, i: usize) -> String {
        let v = m
            .get(i)
            .node
            .get_path(&["spec", "template", "spec", "volumes"])
            .unwrap();
        v.as_seq().unwrap()[0]
            .get_path(&["configMap", "name"])
            .unwrap()
            .as_str()
            .unwrap()
            .into()
    }

    #[test]
    fn follows_renames_and_records_referrers() {
        let mut m = map_of(&[CM, DEPLOY]);
        rename(&mut m, 0, "p-");
        rename(&mut m, 1, "p-");
        fix_back_references(&mut m, &TransformerConfig::defaults()).unwrap();
        assert_eq!(volume_ref(&m, 1), "p-cm");
        let env = m
            .get(1)
            .node
            .get_path(&["spec", "template", "spec", "containers"])
            .unwrap();
        let env_ref = env.as_seq().unwrap()[0]
            .get("envFrom")
            .unwrap()
            .as_seq()
            .unwrap()[0]
            .get_path(&["configMapRef", "name"])
            .unwrap();
        assert_eq!(env_ref.as_str(), Some("p-cm"));
        assert_eq!(m.get(0).meta.ref_by.len(), 2);
        assert_eq!(m.get(0).meta.ref_by[0].name, "p-d");
    }

    #[test]
    fn never_renamed_resources_are_not_candidates() {
        let mut m = map_of(&[CM, DEPLOY]);
        fix_back_references(&mut m, &TransformerConfig::defaults()).unwrap();
        assert_eq!(volume_ref(&m, 1), "cm");
        assert!(m.get(0).meta.ref_by.is_empty());
    }

    #[test]
    fn prefixes_pick_between_same_named_targets() {
        let mut m = map_of(&[
            CM,
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: other\n",
            DEPLOY,
        ]);
        // Both ConfigMaps end up in the deployment's namespace view only if
        // they share it; put the second in the same namespace after a rename.
        rename(&mut m, 0, "a-");
        rename(&mut m, 1, "b-");
        m.get_mut(1).set_namespace("default", None);
        rename(&mut m, 2, "b-");
        fix_back_references(&mut m, &TransformerConfig::defaults()).unwrap();
        assert_eq!(volume_ref(&m, 2), "b-cm");
    }

    #[test]
    fn ambiguity_is_an_error() {
        let mut m = map_of(&[
            CM,
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: other\n",
            DEPLOY,
        ]);
        rename(&mut m, 0, "p-");
        rename(&mut m, 1, "p-");
        m.get_mut(1).set_namespace("default", None);
        m.get_mut(1).set_name("p-cm-2");
        rename(&mut m, 2, "p-");
        let err = fix_back_references(&mut m, &TransformerConfig::defaults()).unwrap_err();
        assert!(
            err.message.contains("found multiple possible referrals"),
            "{}",
            err.message
        );
        assert!(
            err.message.starts_with(
                "updating name reference in 'spec/template/spec/volumes/configMap/name'"
            )
        );
    }

    #[test]
    fn role_ref_kind_decides_between_role_and_cluster_role() {
        let mut m = map_of(&[
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\n",
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\n",
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: b\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: r\n",
        ]);
        rename(&mut m, 0, "role-");
        rename(&mut m, 1, "cluster-");
        fix_back_references(&mut m, &TransformerConfig::defaults()).unwrap();
        let name = m
            .get(2)
            .node
            .get_path(&["roleRef", "name"])
            .unwrap()
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(name, "cluster-r");
    }

    #[test]
    fn subjects_get_name_and_namespace() {
        let mut m = map_of(&[
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n  namespace: a\n",
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: b\nsubjects:\n- kind: ServiceAccount\n  name: sa\n  namespace: a\n",
        ]);
        let r = m.get_mut(0);
        r.store_previous_id();
        r.set_namespace("z", None);
        r.set_name("x-sa");
        fix_back_references(&mut m, &TransformerConfig::defaults()).unwrap();
        let s = &m.get(1).node.get("subjects").unwrap().as_seq().unwrap()[0];
        assert_eq!(
            (s.get_str("name"), s.get_str("namespace")),
            (Some("x-sa"), Some("z"))
        );
    }

    #[test]
    fn blank_subject_namespace_is_rejected() {
        let mut m = map_of(&[
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: b\nsubjects:\n- kind: ServiceAccount\n  name: sa\n  namespace:\n",
        ]);
        let err = fix_back_references(&mut m, &TransformerConfig::defaults()).unwrap_err();
        assert!(
            err.message
                .starts_with("Invalid Input: namespace is blank for resource")
        );
    }

    #[test]
    fn same_ending_lists() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(same_ending(&s(&["b"]), &s(&["a", "b"])));
        assert!(!same_ending(&s(&["a"]), &s(&["a", "b"])));
        assert!(same_ending(&s(&[]), &s(&[])));
        assert!(!same_ending(&s(&[]), &s(&["a"])));
    }
}
