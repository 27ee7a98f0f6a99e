//! `buildMetadata:` of the top kustomization: the managed-by label, origin
//! annotations and transformer annotations.

use super::decode::{Decoder, Spanned};
use super::setter::set_entries;
use crate::hydrate::kustomize::error::Result;
use crate::hydrate::kustomize::fieldspec::FieldSpec;
use crate::hydrate::kustomize::kustomization::Kustomization;
use crate::hydrate::kustomize::resmap::ResMap;
use crate::hydrate::kustomize::resource::{Behavior, Origin, Resource};
use crate::load::yaml::resolve::resolve_plain;
use crate::load::yaml::{Node, Tag};

pub const MANAGED_BY_LABEL: &str = "managedByLabel";
pub const ORIGIN_ANNOTATIONS: &str = "originAnnotations";
pub const TRANSFORMER_ANNOTATIONS: &str = "transformerAnnotations";

pub const MANAGED_BY_KEY: &str = "app.kubernetes.io/managed-by";
/// The value kustomize v5.8.1 gives the managed-by label.
pub const MANAGED_BY_VALUE: &str = "kustomize-v5.8.1";
pub const ORIGIN_KEY: &str = "config.kubernetes.io/origin";
pub const TRANSFORMATIONS_KEY: &str = "alpha.config.kubernetes.io/transformations";

/// The options listed under `buildMetadata:` (unknown ones are ignored, as
/// kustomize ignores them).
pub fn options(k: &Kustomization) -> Result<Vec<Spanned>> {
    let d = Decoder::kustomization();
    d.array(k.get("buildMetadata"), "buildMetadata", "string")?
        .iter()
        .map(|n| d.string(Some(n), "buildMetadata"))
        .collect()
}

/// Notes that a transformer configured at `origin` ran over `m`: kustomize
/// records it on every resource, as the origin of resources that have
/// none and as a transformation of the others.
pub fn record_transformation(m: &mut ResMap, origin: &Origin) {
    for r in m.iter_mut() {
        if r.meta.origin.is_none() {
            r.meta.origin = Some(origin.clone());
        } else {
            r.meta.transformations.push(origin.clone());
        }
    }
}

/// Applies `buildMetadata` to the final resources.
pub fn finalize(m: &mut ResMap, k: &Kustomization) -> Result<()> {
    let opts = options(k)?;
    let origin_tracked = !opts.is_empty();
    for r in m.iter_mut() {
        drop_emptied_annotations(r, origin_tracked);
    }
    let find = |name: &str| opts.iter().find(|o| o.value == name);
    if let Some(opt) = find(MANAGED_BY_LABEL) {
        let label = vec![(
            MANAGED_BY_KEY.to_string(),
            Spanned {
                value: MANAGED_BY_VALUE.to_string(),
                span: opt.span.clone(),
            },
        )];
        set_entries(m, &label, &[FieldSpec::new("metadata/labels", true)])?;
    }
    if let Some(opt) = find(ORIGIN_ANNOTATIONS) {
        for r in m.iter_mut() {
            if let Some(o) = &r.meta.origin {
                let value = render_origin(o, "");
                set_annotation(r, ORIGIN_KEY, value, opt);
            }
        }
    }
    if let Some(opt) = find(TRANSFORMER_ANNOTATIONS) {
        for r in m.iter_mut() {
            if !r.meta.transformations.is_empty() {
                let value: String = r
                    .meta
                    .transformations
                    .iter()
                    .map(|t| render_origin(t, "- "))
                    .collect();
                set_annotation(r, TRANSFORMATIONS_KEY, value, opt);
            }
        }
    }
    Ok(())
}

/// kustomize keeps its build bookkeeping (previous names, prefixes,
/// generator options, origins while tracking) in annotations and deletes
/// them before output; deleting the last one removes `metadata.annotations`
/// altogether, so an empty (or null) mapping from the input disappears.
fn drop_emptied_annotations(r: &mut Resource, origin_tracked: bool) {
    let meta = &r.meta;
    let had_bookkeeping = !meta.prev_ids.is_empty()
        || !meta.prefixes.is_empty()
        || !meta.suffixes.is_empty()
        || !meta.ref_by.is_empty()
        || meta.behavior != Behavior::Unspecified
        || meta.needs_hash
        || meta.allow_name_change
        || meta.allow_kind_change
        || (origin_tracked && (meta.origin.is_some() || !meta.transformations.is_empty()));
    if !had_bookkeeping {
        return;
    }
    let Some(metadata) = r.node.get_mut("metadata").and_then(Node::as_map_mut) else {
        return;
    };
    let emptied = metadata
        .get("annotations")
        .is_some_and(|a| a.is_null() || a.as_map().is_some_and(|m| m.is_empty()));
    if emptied {
        metadata.remove("annotations");
    }
}

fn set_annotation(r: &mut Resource, key: &str, value: String, opt: &Spanned) {
    let meta = r.node.ensure_map_path(&["metadata", "annotations"]);
    let entry = Spanned {
        value,
        span: opt.span.clone(),
    };
    // ensure_map_path returned a mapping, so this cannot fail.
    let _ = super::setter::set_entry(meta, key, &entry);
}

/// An origin as kustomize writes it (YAML with `path`, `repo`, `ref`,
/// `configuredIn`, `configuredBy` in that order, empty fields left out).
/// `lead` starts the first line: `- ` for an item of a list, and then
/// the following lines are indented to match.
pub fn render_origin(o: &Origin, lead: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for (key, value) in [
        ("path", &o.path),
        ("repo", &o.repo),
        ("ref", &o.git_ref),
        ("configuredIn", &o.configured_in),
    ] {
        if !value.is_empty() {
            lines.push(format!("{key}: {}", yaml_string(value)));
        }
    }
    if let Some((api_version, kind, name, namespace)) = &o.configured_by {
        let fields: Vec<String> = [
            ("apiVersion", api_version),
            ("kind", kind),
            ("name", name),
            ("namespace", namespace),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("  {k}: {}", yaml_string(v)))
        .collect();
        if !fields.is_empty() {
            lines.push("configuredBy:".to_string());
            lines.extend(fields);
        }
    }
    if lines.is_empty() {
        return format!("{}{{}}\n", lead);
    }
    let pad = " ".repeat(lead.len());
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        out.push_str(if i == 0 { lead } else { &pad });
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A string scalar as go-yaml v3 writes it: plain when that reads back as
/// the same string, else quoted.
pub fn yaml_string(s: &str) -> String {
    let looks_typed = resolve_plain(s) != Tag::Str || is_yaml11_bool(s);
    if s.is_empty() || looks_typed {
        return format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    }
    if plain_allowed(s) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

fn is_yaml11_bool(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "on"
            | "On"
            | "ON"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "off"
            | "Off"
            | "OFF"
    )
}

/// Whether the YAML emitter may write `s` as a plain block scalar.
fn plain_allowed(s: &str) -> bool {
    let first = s.chars().next().unwrap_or(' ');
    let second = s.chars().nth(1);
    let always_special = "#,[]{}&*!|>'\"%@`";
    if always_special.contains(first) {
        return false;
    }
    if matches!(first, '-' | '?' | ':') && second.is_none_or(|c| c == ' ') {
        return false;
    }
    if s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    if s.starts_with(' ') || s.ends_with(' ') || s.ends_with(':') {
        return false;
    }
    if s.contains(": ") || s.contains(" #") {
        return false;
    }
    !s.chars().any(|c| c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_origins_like_kustomize() {
        let o = Origin {
            path: "base/service.yaml".into(),
            ..Origin::default()
        };
        assert_eq!(render_origin(&o, ""), "path: base/service.yaml\n");
        let t = Origin {
            configured_in: "kustomization.yaml".into(),
            configured_by: Some((
                "builtin".into(),
                "PrefixTransformer".into(),
                String::new(),
                String::new(),
            )),
            ..Origin::default()
        };
        assert_eq!(
            render_origin(&t, "- "),
            "- configuredIn: kustomization.yaml\n  configuredBy:\n    apiVersion: builtin\n    kind: PrefixTransformer\n"
        );
    }

    #[test]
    fn quotes_strings_that_would_read_back_typed() {
        assert_eq!(yaml_string("a/b.yaml"), "a/b.yaml");
        assert_eq!(yaml_string("true"), "\"true\"");
        assert_eq!(yaml_string("on"), "\"on\"");
        assert_eq!(yaml_string("12"), "\"12\"");
        assert_eq!(yaml_string("- x"), "'- x'");
        assert_eq!(
            yaml_string("https://github.com/a/b"),
            "https://github.com/a/b"
        );
    }

    fn kustomization(text: &str) -> Kustomization {
        let node = crate::load::yaml::parse_single("kustomization.yaml", text).unwrap();
        Kustomization::from_node("kustomization.yaml", node).unwrap()
    }

    #[test]
    fn finalize_writes_requested_metadata_only() {
        let node = crate::load::yaml::parse_single(
            "s.yaml",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n",
        )
        .unwrap();
        let mut m = ResMap::new();
        let mut r = crate::hydrate::kustomize::resource::Resource::new(node).unwrap();
        r.meta.origin = Some(Origin {
            path: "s.yaml".into(),
            ..Origin::default()
        });
        m.append(r).unwrap();
        let prefix = Origin {
            configured_in: "kustomization.yaml".into(),
            configured_by: Some((
                "builtin".into(),
                "PrefixTransformer".into(),
                String::new(),
                String::new(),
            )),
            ..Origin::default()
        };
        record_transformation(&mut m, &prefix);
        record_transformation(&mut m, &prefix);

        let mut only_transforms = m.clone();
        let k = kustomization(
            "resources: [s.yaml]\nbuildMetadata: [transformerAnnotations, managedByLabel]\n",
        );
        finalize(&mut only_transforms, &k).unwrap();
        let r = only_transforms.get(0);
        let anno = r.node.get_path(&["metadata", "annotations"]).unwrap();
        assert!(anno.get(ORIGIN_KEY).is_none());
        let t = anno.get_str(TRANSFORMATIONS_KEY).unwrap();
        assert_eq!(t.matches("- configuredIn").count(), 2);
        assert_eq!(
            r.node
                .get_path(&["metadata", "labels", MANAGED_BY_KEY])
                .unwrap()
                .as_str(),
            Some(MANAGED_BY_VALUE)
        );

        let k = kustomization("resources: [s.yaml]\nbuildMetadata: [originAnnotations]\n");
        finalize(&mut m, &k).unwrap();
        let anno = m
            .get(0)
            .node
            .get_path(&["metadata", "annotations"])
            .unwrap();
        assert_eq!(anno.get_str(ORIGIN_KEY), Some("path: s.yaml\n"));
        assert!(anno.get(TRANSFORMATIONS_KEY).is_none());
    }

    #[test]
    fn empty_annotations_vanish_only_after_bookkeeping() {
        let text =
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: s\n  annotations: {}\n";
        let node = crate::load::yaml::parse_single("s.yaml", text).unwrap();
        let mut m = ResMap::new();
        m.append(Resource::new(node.clone()).unwrap()).unwrap();
        let mut renamed = Resource::new(node).unwrap();
        renamed.meta.prefixes.push("p-".into());
        renamed.set_name("p-s2");
        m.append(renamed).unwrap();
        finalize(&mut m, &kustomization("resources: [s.yaml]\n")).unwrap();
        assert!(
            m.get(0)
                .node
                .get_path(&["metadata", "annotations"])
                .is_some()
        );
        assert!(
            m.get(1)
                .node
                .get_path(&["metadata", "annotations"])
                .is_none()
        );
    }
}
