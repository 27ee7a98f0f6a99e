//! Replicas: `replicas:` entries and the builtin `ReplicaCountTransformer`.

use super::decode::{Decoder, Spanned, field};
use super::setter::wrong_kind;
use crate::hydrate::kustomize::config::TransformerConfig;
use crate::hydrate::kustomize::context::{Ctx, Transformer, Transformers};
use crate::hydrate::kustomize::error::{KustError, Result};
use crate::hydrate::kustomize::fieldspec::{self, CreateKind, FieldSpec};
use crate::hydrate::kustomize::kustomization::Kustomization;
use crate::hydrate::kustomize::resid::Gvk;
use crate::hydrate::kustomize::resmap::ResMap;
use crate::load::yaml::{Node, Span, Value};

/// Sets the replica count of the resources named `name` (under any name
/// they had during the build) at the `replicas` field specs.
#[derive(Clone, Debug)]
pub struct ReplicaCountTransformer {
    pub name: Spanned,
    pub count: i64,
    /// The `count:` line, the provenance of the new value.
    pub count_span: Option<Span>,
    pub field_specs: Vec<FieldSpec>,
}

impl ReplicaCountTransformer {
    /// Reads a `{name, count}` entry (kustomize's `types.Replica`) found
    /// at `field_name`.
    pub fn from_replica(
        n: &Node,
        d: &Decoder,
        field_name: &str,
        field_specs: Vec<FieldSpec>,
    ) -> Result<ReplicaCountTransformer> {
        let d = d.nested("Replica", field_name);
        d.check_fields(n, &["name", "count"])?;
        let count_node = field(n, "count");
        Ok(ReplicaCountTransformer {
            name: d.string(field(n, "name"), "name")?,
            count: d.int64(count_node, "count")?,
            count_span: count_node
                .and_then(|c| c.span.clone())
                .or_else(|| n.span.clone()),
            field_specs,
        })
    }

    /// From a `ReplicaCountTransformer` plugin config (`replica`, `fieldSpecs`).
    pub fn from_config(config: &Node, d: &Decoder) -> Result<ReplicaCountTransformer> {
        let specs = FieldSpec::list_from_node(field(config, "fieldSpecs"))?;
        match d.object(field(config, "replica"), "replica")? {
            Some(n) => ReplicaCountTransformer::from_replica(n, d, "replica", specs),
            None => Ok(ReplicaCountTransformer {
                name: Spanned::default(),
                count: 0,
                count_span: config.span.clone(),
                field_specs: specs,
            }),
        }
    }
}

impl Transformer for ReplicaCountTransformer {
    fn transform(&self, m: &mut ResMap, _ctx: &Ctx) -> Result<()> {
        self.apply(m)
    }
}

impl ReplicaCountTransformer {
    pub fn apply(&self, m: &mut ResMap) -> Result<()> {
        let mut found = false;
        for spec in &self.field_specs {
            let targets: Vec<usize> = (0..m.len())
                .filter(|&i| {
                    m.get(i).has_had_name(&self.name.value)
                        && m.get(i).all_ids().iter().any(|id| {
                            id.name == self.name.value && id.gvk.is_selected_by(&spec.gvk)
                        })
                })
                .collect();
            found |= !targets.is_empty();
            for i in targets {
                let r = m.get_mut(i);
                let gvk = r.gvk();
                fieldspec::apply(
                    &mut r.node,
                    &gvk,
                    spec,
                    Some(CreateKind::Scalar),
                    self.count_span.as_ref(),
                    &mut |n| self.set(n),
                )?;
            }
        }
        if !found {
            let gvks: Vec<String> = self.field_specs.iter().map(|s| go_gvk(&s.gvk)).collect();
            return Err(KustError::not_found(format!(
                "resource with name {} does not match a config with the following GVK [{}]",
                self.name.value,
                gvks.join(" ")
            ))
            .at(self.name.span.as_ref()));
        }
        Ok(())
    }

    fn set(&self, n: &mut Node) -> Result<()> {
        let style = match &n.value {
            Value::Scalar(s) => s.style,
            _ if n.is_null() => Default::default(),
            _ => return Err(wrong_kind("ScalarNode", n)),
        };
        let mut new = Node::int(self.count).with_span(self.count_span.clone());
        if let Value::Scalar(s) = &mut new.value {
            s.style = style;
        }
        *n = new;
        Ok(())
    }
}

/// kyaml's `Gvk.String()`: `Kind.version.group` with placeholders.
fn go_gvk(g: &Gvk) -> String {
    let or = |s: &str, d: &str| {
        if s.is_empty() {
            d.to_string()
        } else {
            s.to_string()
        }
    };
    format!(
        "{}.{}.{}",
        or(&g.kind, "[noKind]"),
        or(&g.version, "[noVer]"),
        or(&g.group, "[noGrp]")
    )
}

/// One transformer per `replicas:` entry.
pub fn from_kustomization(k: &Kustomization, tc: &TransformerConfig) -> Result<Transformers> {
    let d = Decoder::kustomization();
    let mut out: Transformers = Vec::new();
    for entry in d.array(k.get("replicas"), "replicas", "types.Replica")? {
        if !entry.is_map() && !entry.is_null() {
            return Err(KustError::invalid(
                "invalid Kustomization: every item of replicas must be a mapping",
            )
            .at(entry.span.as_ref()));
        }
        out.push(Box::new(ReplicaCountTransformer::from_replica(
            entry,
            &d,
            "replicas",
            tc.replicas.clone(),
        )?));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hydrate::kustomize::resource::Resource;
    use crate::load::yaml::{Tag, parse_single};

    fn resmap(docs: &[&str]) -> ResMap {
        let mut m = ResMap::new();
        for d in docs {
            m.append(Resource::new(parse_single("r.yaml", d).unwrap()).unwrap())
                .unwrap();
        }
        m
    }

    fn transformer(name: &str, count: i64) -> ReplicaCountTransformer {
        ReplicaCountTransformer {
            name: Spanned {
                value: name.into(),
                span: None,
            },
            count,
            count_span: None,
            field_specs: vec![FieldSpec::for_kind(
                "",
                "",
                "Deployment",
                "spec/replicas",
                true,
            )],
        }
    }

    fn apply(t: &ReplicaCountTransformer, m: &mut ResMap) -> Result<()> {
        t.apply(m)
    }

    #[test]
    fn sets_and_creates_counts() {
        let mut m = resmap(&[
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: other\nspec:\n  replicas: 1\n",
        ]);
        apply(&transformer("web", 3), &mut m).unwrap();
        let v = m.get(0).node.get_path(&["spec", "replicas"]).unwrap();
        assert_eq!(
            (v.as_str(), &v.as_scalar().unwrap().tag),
            (Some("3"), &Tag::Int)
        );
        assert_eq!(
            m.get(1)
                .node
                .get_path(&["spec", "replicas"])
                .unwrap()
                .as_str(),
            Some("1")
        );
    }

    #[test]
    fn matches_previous_names_and_fails_when_nothing_matches() {
        let mut m = resmap(&["apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"]);
        m.get_mut(0).store_previous_id();
        m.get_mut(0).set_name("p-web");
        apply(&transformer("web", 2), &mut m).unwrap();
        assert!(m.get(0).node.get_path(&["spec", "replicas"]).is_some());
        let e = apply(&transformer("nope", 2), &mut m).unwrap_err();
        assert!(
            e.message.contains("[Deployment.[noVer].[noGrp]]"),
            "{}",
            e.message
        );
    }
}
