//! Field specs from `crds:` files: kustomize reads OpenAPI definitions
//! (`{"<pkg>.<Kind>": {"Schema": {...}}}`) and turns properties annotated
//! with `x-kubernetes-object-ref-*` into name references, and a few other
//! `x-kubernetes-*` markers into label, annotation and prefix field specs.

use crate::hydrate::kustomize::config::{NameBackRef, TransformerConfig};
use crate::hydrate::kustomize::error::{KustError, Result};
use crate::hydrate::kustomize::fieldspec::FieldSpec;
use crate::hydrate::kustomize::kustomization::get_ci;
use crate::hydrate::kustomize::loader::Loader;
use crate::hydrate::kustomize::resid::Gvk;
use crate::load::yaml::{Node, Span, parse_single};

/// Field specs from the `crds:` files (name references in custom kinds).
pub fn config_from_crds(
    loader: &Loader,
    crds: &[(String, Option<Span>)],
) -> Result<TransformerConfig> {
    let mut tc = TransformerConfig::default();
    for (path, span) in crds {
        let (abs, text) = loader.read_text(path, span.as_ref())?;
        let file = crate::hydrate::kustomize::loader::display_path(&abs);
        let doc = parse_single(&file, &text).map_err(|e| {
            KustError::from(e).context(format!("unable to parse open API definition from '{path}'"))
        })?;
        let defs = Definitions::new(&doc).map_err(|e| {
            e.context(format!("unable to parse open API definition from '{path}'"))
                .at(span.as_ref())
        })?;
        let found = defs.config()?;
        tc.merge(&found).map_err(|e| e.at(span.as_ref()))?;
    }
    Ok(tc)
}

/// The type definitions of one file, by type name.
struct Definitions<'a> {
    types: Vec<(&'a str, &'a Node)>,
}

impl<'a> Definitions<'a> {
    fn new(doc: &'a Node) -> Result<Definitions<'a>> {
        if doc.is_null() {
            return Ok(Definitions { types: Vec::new() });
        }
        let Some(map) = doc.as_map() else {
            return Err(
                KustError::invalid("expected a mapping of type names to definitions")
                    .at(doc.span.as_ref()),
            );
        };
        // kustomize decodes the file into definition structs: anything else
        // (a CustomResourceDefinition manifest, say) fails to decode.
        for (name, def) in map.iter() {
            let schema = get_ci(def, "Schema");
            let props = schema.and_then(|s| get_ci(s, "properties"));
            let bad = if !def.is_map() && !def.is_null() {
                Some((def, "an OpenAPI definition"))
            } else if schema.is_some_and(|s| !s.is_map()) {
                schema.map(|s| (s, "a schema"))
            } else if props.is_some_and(|p| !p.is_map()) {
                props.map(|p| (p, "a map of properties"))
            } else {
                props
                    .and_then(Node::as_map)
                    .and_then(|m| m.iter().find(|(_, v)| !v.is_map() && !v.is_null()))
                    .map(|(_, v)| (v, "a property schema"))
            };
            if let Some((node, what)) = bad {
                return Err(KustError::invalid(format!(
                    "json: cannot unmarshal {} into {what} (under '{name}')",
                    json_kind(node)
                ))
                .at(node.span.as_ref())
                .with_help(
                    "`crds:` lists OpenAPI definition files ({\"<package>.<Kind>\": {\"Schema\": ...}}), not CustomResourceDefinition manifests",
                ));
            }
        }
        Ok(Definitions {
            types: map.iter().collect(),
        })
    }

    /// A type's schema properties, in file order.
    fn properties(&self, type_name: &str) -> Option<Vec<(&'a str, &'a Node)>> {
        let def = self.types.iter().find(|(n, _)| *n == type_name)?.1;
        let props = get_ci(def, "Schema").and_then(|s| get_ci(s, "properties"))?;
        Some(props.as_map()?.iter().collect())
    }

    fn config(&self) -> Result<TransformerConfig> {
        let mut tc = TransformerConfig::default();
        for (name, _) in &self.types {
            let Some(props) = self.properties(name) else {
                continue;
            };
            let has = |k: &str| props.iter().any(|(p, _)| *p == k);
            if !(has("kind") && has("apiVersion") && has("metadata")) {
                continue;
            }
            // Only the kind is known: the type name is `<package>.<Kind>`.
            let kind = name.rsplit('.').next().unwrap_or(name);
            let mut one = TransformerConfig::default();
            let mut stack = vec![name.to_string()];
            self.walk(
                &mut one,
                &Gvk::new("", "", kind),
                name,
                &mut Vec::new(),
                &mut stack,
            )?;
            tc.merge(&one)?;
        }
        Ok(tc)
    }

    /// Collects the field specs of `type_name`'s properties under `path`;
    /// `stack` holds the types being walked, so recursive types end.
    fn walk(
        &self,
        tc: &mut TransformerConfig,
        gvk: &Gvk,
        type_name: &str,
        path: &mut Vec<String>,
        stack: &mut Vec<String>,
    ) -> Result<()> {
        let Some(props) = self.properties(type_name) else {
            return Ok(());
        };
        for (prop, schema) in props {
            path.push(prop.to_string());
            let spec = |extra: Option<&str>| {
                let mut p = path.join("/");
                if let Some(e) = extra {
                    p.push('/');
                    p.push_str(e);
                }
                FieldSpec {
                    gvk: gvk.clone(),
                    path: p,
                    create: false,
                }
            };
            if extension(schema, "x-kubernetes-annotation").is_some() {
                merge_one(&mut tc.common_annotations, spec(None))?;
            }
            if extension(schema, "x-kubernetes-label-selector").is_some() {
                merge_one(&mut tc.common_labels, spec(None))?;
            }
            if extension(schema, "x-kubernetes-identity").is_some() {
                merge_one(&mut tc.name_prefix, spec(None))?;
            }
            if let (Some(version), Some(kind)) = (
                extension(schema, "x-kubernetes-object-ref-api-version"),
                extension(schema, "x-kubernetes-object-ref-kind"),
            ) {
                let key = extension(schema, "x-kubernetes-object-ref-name-key").unwrap_or("name");
                let backref = NameBackRef {
                    gvk: Gvk::new("", version, kind),
                    referrers: vec![spec(Some(key))],
                };
                tc.merge(&TransformerConfig {
                    name_reference: vec![backref],
                    ..TransformerConfig::default()
                })?;
            }
            if let Some(target) = get_ci(schema, "$ref").and_then(Node::as_str)
                && !stack.iter().any(|t| t == target)
            {
                stack.push(target.to_string());
                self.walk(tc, gvk, target, path, stack)?;
                stack.pop();
            }
            path.pop();
        }
        Ok(())
    }
}

/// How Go's JSON decoder names a value's type in its errors.
fn json_kind(n: &Node) -> &'static str {
    match &n.value {
        crate::load::yaml::Value::Map(_) => "object",
        crate::load::yaml::Value::Seq(_) => "array",
        crate::load::yaml::Value::Scalar(s) => match s.tag {
            crate::load::yaml::Tag::Bool => "bool",
            crate::load::yaml::Tag::Int | crate::load::yaml::Tag::Float => "number",
            _ => "string",
        },
    }
}

fn merge_one(list: &mut Vec<FieldSpec>, spec: FieldSpec) -> Result<()> {
    crate::hydrate::kustomize::config::merge_specs(list, &[spec])
}

/// A string-valued `x-...` extension (keys compare without case, as the
/// OpenAPI library lower-cases them).
fn extension<'a>(schema: &'a Node, key: &str) -> Option<&'a str> {
    let map = schema.as_map()?;
    let (_, v) = map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key))?;
    let s = v.as_scalar()?;
    (s.tag == crate::load::yaml::Tag::Str).then_some(s.text.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFS: &str = r#"{
  "example.com/v1.MyKind": {"Schema": {"properties": {
    "apiVersion": {"type": "string"}, "kind": {"type": "string"},
    "metadata": {"$ref": "meta.ObjectMeta"},
    "spec": {"$ref": "example.com/v1.MyKindSpec"}}}},
  "example.com/v1.MyKindSpec": {"Schema": {"properties": {
    "beeRef": {"x-kubernetes-object-ref-api-version": "v1beta1", "x-kubernetes-object-ref-kind": "Bee",
               "$ref": "example.com/v1.MyKindSpec"},
    "secretRef": {"x-kubernetes-object-ref-api-version": "v1", "x-kubernetes-object-ref-kind": "Secret",
                  "x-kubernetes-object-ref-name-key": "secretName"},
    "selector": {"x-kubernetes-label-selector": ""}}}}
}"#;

    #[test]
    fn crd_manifests_are_not_definitions() {
        let doc = parse_single(
            "crd.yaml",
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n",
        )
        .unwrap();
        let err = Definitions::new(&doc).err().unwrap();
        assert!(
            err.message.starts_with("json: cannot unmarshal string"),
            "{}",
            err.message
        );
    }

    #[test]
    fn reads_object_refs_and_markers() {
        let doc = parse_single("crd.json", DEFS).unwrap();
        let tc = Definitions::new(&doc).unwrap().config().unwrap();
        let refs: Vec<(String, String)> = tc
            .name_reference
            .iter()
            .flat_map(|b| {
                b.referrers
                    .iter()
                    .map(move |f| (b.gvk.kind.clone(), f.path.clone()))
            })
            .collect();
        assert!(refs.contains(&("Bee".into(), "spec/beeRef/name".into())));
        assert!(refs.contains(&("Secret".into(), "spec/secretRef/secretName".into())));
        assert!(
            tc.name_reference
                .iter()
                .all(|b| b.referrers.iter().all(|f| f.gvk.kind == "MyKind"))
        );
        assert_eq!(tc.common_labels.len(), 1);
        assert_eq!(tc.common_labels[0].path, "spec/selector");
    }
}
