//! Replacement semantics on resource trees (no files involved).

use super::config::{Entry, Strictness, decode_list};
use super::replacements::apply_all;
use crate::hydrate::kustomize::error::KustError;
use crate::hydrate::kustomize::resmap::ResMap;
use crate::hydrate::kustomize::resource::Resource;
use crate::load::yaml::{Node, Tag, parse_documents, parse_single};

fn resmap(yaml: &str) -> ResMap {
    let mut m = ResMap::new();
    for d in parse_documents("res.yaml", yaml).unwrap() {
        m.append(Resource::new(d).unwrap()).unwrap();
    }
    m
}

fn run(resources: &str, replacements: &str) -> Result<ResMap, KustError> {
    let mut m = resmap(resources);
    let cfg = parse_single("kustomization.yaml", replacements).unwrap();
    let list = decode_list(cfg.get("replacements").unwrap(), Strictness::Kustomization)?
        .into_iter()
        .map(|e| match e {
            Entry::Inline(r) => *r,
            Entry::Path(..) => panic!("no files in these tests"),
        })
        .collect::<Vec<_>>();
    apply_all(&mut m, &list)?;
    Ok(m)
}

fn field<'a>(m: &'a ResMap, i: usize, path: &[&str]) -> &'a Node {
    m.get(i)
        .node
        .get_path(path)
        .unwrap_or_else(|| panic!("no {path:?}"))
}

const DEPLOY: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: deploy
spec:
  replicas: 1
  template:
    spec:
      containers:
      - image: nginx:1.7.9
        name: nginx
      - image: postgres:1.8.0
        name: postgresdb
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
data:
  image: custom/nginx:2.0
  replicas: \"3\"
";

#[test]
fn copies_a_value_into_list_items_selected_by_name() {
    let m = run(
        DEPLOY,
        "replacements:
- source: {kind: ConfigMap, name: cm, fieldPath: data.image}
  targets:
  - select: {kind: Deployment}
    fieldPaths:
    - spec.template.spec.containers.[name=nginx].image
",
    )
    .unwrap();
    let c = field(&m, 0, &["spec", "template", "spec", "containers"])
        .as_seq()
        .unwrap();
    assert_eq!(c[0].get_str("image"), Some("custom/nginx:2.0"));
    assert_eq!(c[1].get_str("image"), Some("postgres:1.8.0"));
    // Provenance: the new value points at the source field.
    assert_eq!(c[0].get("image").unwrap().span.as_ref().unwrap().line, 20);
}

#[test]
fn scalar_targets_keep_their_type() {
    let m = run(
        DEPLOY,
        "replacements:
- source: {kind: ConfigMap, fieldPath: data.replicas}
  targets:
  - select: {kind: Deployment}
    fieldPaths: [spec.replicas]
",
    )
    .unwrap();
    let r = field(&m, 0, &["spec", "replicas"]).as_scalar().unwrap();
    assert_eq!((r.text.as_str(), &r.tag), ("3", &Tag::Int));
}

#[test]
fn delimiters_pick_and_replace_parts() {
    let m = run(
        DEPLOY,
        "replacements:
- source: {kind: ConfigMap, fieldPath: data.image, options: {delimiter: ':', index: 1}}
  targets:
  - select: {kind: Deployment}
    fieldPaths: [spec.template.spec.containers.0.image]
    options: {delimiter: ':', index: 1}
  - select: {kind: Deployment}
    fieldPaths: [metadata.annotations.tags]
    options: {delimiter: ',', index: -1, create: true}
",
    )
    .unwrap();
    assert_eq!(
        field(&m, 0, &["spec", "template", "spec", "containers"])
            .as_seq()
            .unwrap()[0]
            .get_str("image"),
        Some("nginx:2.0")
    );
    let tags = field(&m, 0, &["metadata", "annotations", "tags"])
        .as_scalar()
        .unwrap();
    assert_eq!((tags.text.as_str(), &tags.tag), ("2.0,", &Tag::Str));
}

#[test]
fn created_scalars_take_the_type_of_their_text() {
    let m = run(
        DEPLOY,
        "replacements:
- source: {kind: ConfigMap, fieldPath: data.replicas}
  targets:
  - select: {kind: Deployment}
    fieldPaths: [spec.newField]
    options: {create: true}
",
    )
    .unwrap();
    assert_eq!(
        field(&m, 0, &["spec", "newField"]).as_scalar().unwrap().tag,
        Tag::Int
    );
}

#[test]
fn maps_replace_whole_targets() {
    let m = run(
        DEPLOY,
        "replacements:
- source: {kind: ConfigMap, fieldPath: data}
  targets:
  - select: {kind: Deployment}
    fieldPaths: [spec.template.metadata.labels]
    options: {create: true}
",
    )
    .unwrap();
    let labels = field(&m, 0, &["spec", "template", "metadata", "labels"]);
    assert_eq!(labels.get_str("image"), Some("custom/nginx:2.0"));
}

#[test]
fn rejects_match_any_id_and_selects_use_anchored_regexes() {
    let m = run(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm1}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm12}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\n",
        "replacements:
- source: {kind: Secret}
  targets:
  - select: {kind: ConfigMap|Secret}
    reject: [{name: cm1}]
    fieldPaths: [data.from]
    options: {create: true}
",
    )
    .unwrap();
    assert!(m.get(0).node.get("data").is_none());
    assert_eq!(field(&m, 1, &["data", "from"]).as_str(), Some("s"));
    assert_eq!(field(&m, 2, &["data", "from"]).as_str(), Some("s"));
}

#[test]
fn error_messages_follow_kustomize() {
    let err = |r: &str| run(DEPLOY, r).unwrap_err().message;
    assert_eq!(
        err("replacements:\n- source: {kind: Secret}\n  targets: [{select: {kind: X}}]\n"),
        "nothing selected by Secret.[noVer].[noGrp]/[noName].[noNs]"
    );
    assert_eq!(
        err("replacements:\n- source: {version: v1}\n  targets: []\n"),
        "multiple matches for selector [noKind].v1.[noGrp]/[noName].[noNs]"
    );
    assert_eq!(
        err("replacements:\n- source: {kind: ConfigMap, fieldPath: data.nope}\n  targets: []\n"),
        "fieldPath `data.nope` is missing for replacement source ConfigMap.[noVer].[noGrp]/[noName].[noNs]"
    );
    assert_eq!(
        err("replacements:\n- source: {kind: ConfigMap}\n"),
        "replacements must specify a source and at least one target"
    );
    assert_eq!(
        err(
            "replacements:\n- source: {kind: ConfigMap}\n  targets:\n  - select: {kind: Deployment}\n    fieldPaths: [spec.nope]\n"
        ),
        "unable to find field \"spec.nope\" in replacement target"
    );
    assert!(
        err("replacements:\n- source: {kind: ConfigMap, bogus: 1}\n  targets: []\n")
            .contains("unknown field \"bogus\"")
    );
}

#[test]
fn static_source_values() {
    let m = run(
        DEPLOY,
        "replacements:
- sourceValue: custom/postgres:1.9.0
  targets:
  - select: {kind: Deployment, name: deploy}
    fieldPaths:
    - spec.template.spec.containers.[name=postgresdb].image
",
    )
    .unwrap();
    assert_eq!(
        field(&m, 0, &["spec", "template", "spec", "containers"])
            .as_seq()
            .unwrap()[1]
            .get_str("image"),
        Some("custom/postgres:1.9.0")
    );
}
