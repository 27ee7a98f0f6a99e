//! The namespace transformer: `namespace:` and the builtin
//! NamespaceTransformer plugin.

use super::{config_string, set_scalar};
use crate::hydrate::kustomize::context::{Ctx, Transformer};
use crate::hydrate::kustomize::error::{ErrorKind, KustError, Result};
use crate::hydrate::kustomize::fieldspec::{self, CreateKind, FieldSpec};
use crate::hydrate::kustomize::kustomization::get_ci;
use crate::hydrate::kustomize::resid::Gvk;
use crate::hydrate::kustomize::resmap::ResMap;
use crate::hydrate::kustomize::resource::Resource;
use crate::load::yaml::{Node, Span, Tag, Value};

/// Which (Cluster)RoleBinding subjects get the namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubjectMode {
    /// Only subjects named `default` (kustomize's default).
    DefaultOnly,
    /// Every subject of kind ServiceAccount.
    AllServiceAccounts,
    /// None.
    None,
}

impl SubjectMode {
    fn parse(s: &str) -> Option<SubjectMode> {
        match s {
            "" | "defaultOnly" => Some(SubjectMode::DefaultOnly),
            "allServiceAccounts" => Some(SubjectMode::AllServiceAccounts),
            "none" => Some(SubjectMode::None),
            _ => None,
        }
    }
}

pub struct NamespaceTransformer {
    pub namespace: String,
    /// The config line that set the namespace (provenance of new values).
    pub span: Option<Span>,
    /// Fields besides metadata/namespace that hold the namespace.
    pub specs: Vec<FieldSpec>,
    /// Only fill namespaces that are unset or empty.
    pub unset_only: bool,
    pub subjects: SubjectMode,
}

/// kustomize marks what its Helm generator produced; those resources are
/// namespaced by Helm, not by this transformer.
const HELM_GENERATED: &str = "internal.config.kubernetes.io/helm-generated";

/// Reads a NamespaceTransformer plugin config.
pub fn from_config(config: &Node) -> Result<NamespaceTransformer> {
    let (namespace, span) = match get_ci(config, "metadata") {
        Some(meta) => config_string(meta, "namespace")?,
        None => (String::new(), None),
    };
    let specs = FieldSpec::list_from_node(get_ci(config, "fieldSpecs"))?;
    let unset_only = match get_ci(config, "unsetOnly") {
        None => false,
        Some(n) => match n.as_scalar() {
            Some(s) if s.tag == Tag::Bool => s.text.eq_ignore_ascii_case("true"),
            _ => {
                return Err(KustError::invalid(
                    "unmarshalling NamespaceTransformer config: unsetOnly must be a boolean",
                )
                .at(n.span.as_ref()));
            }
        },
    };
    let (mode, mode_span) = config_string(config, "setRoleBindingSubjects")?;
    let subjects = SubjectMode::parse(&mode).ok_or_else(|| {
        KustError::invalid(format!(
            "invalid value \"{mode}\" for setRoleBindingSubjects: must be one of \"defaultOnly\", \"none\" or \"allServiceAccounts\""
        ))
        .at(mode_span.as_ref().or(config.span.as_ref()))
    })?;
    Ok(NamespaceTransformer {
        namespace,
        span,
        specs,
        unset_only,
        subjects,
    })
}

fn is_role_binding(kind: &str) -> bool {
    kind == "RoleBinding" || kind == "ClusterRoleBinding"
}

impl Transformer for NamespaceTransformer {
    fn transform(&self, m: &mut ResMap, _ctx: &Ctx) -> Result<()> {
        if self.namespace.is_empty() {
            return Ok(());
        }
        for i in 0..m.len() {
            let r = m.get_mut(i);
            if r.node.as_map().is_none_or(|m| m.is_empty()) {
                continue;
            }
            let helm = r
                .node
                .get_path(&["metadata", "annotations", HELM_GENERATED]);
            if helm.and_then(Node::as_str) == Some("true") {
                continue;
            }
            r.store_previous_id();
            self.apply(r)?;
            let clashes = m.same_cur_id_as(i);
            if clashes.len() != 1 {
                let ids: Vec<String> = clashes
                    .iter()
                    .map(|&j| m.get(j).cur_id().to_string())
                    .collect();
                return Err(KustError::new(
                    ErrorKind::Conflict,
                    format!(
                        "namespace transformation produces ID conflict: [{}]",
                        ids.join(", ")
                    ),
                )
                .at(self.span.as_ref().or(m.get(i).meta.source.as_ref())));
            }
        }
        Ok(())
    }
}

impl NamespaceTransformer {
    /// The namespace filter on one resource.
    fn apply(&self, r: &mut Resource) -> Result<()> {
        let gvk = r.gvk();
        let api_version = r.api_version().to_string();
        // metadata/namespace is handled below (never on cluster-scoped kinds);
        // metadata/name specs only touch core `v1` objects (Namespace).
        let mut specs: Vec<&FieldSpec> = self
            .specs
            .iter()
            .filter(|f| f.path != "metadata/namespace")
            .filter(|f| api_version == "v1" || f.path != "metadata/name")
            .collect();
        if !gvk.is_cluster_scoped() {
            let meta_ns = FieldSpec::new("metadata/namespace", true);
            self.set_field(r, &gvk, &meta_ns)?;
        }
        if is_role_binding(&gvk.kind) {
            specs.retain(|f| !(is_role_binding(&f.gvk.kind) && f.path == "subjects/namespace"));
            self.set_subjects(r)
                .map_err(|e| e.context("setting namespace on (cluster)role binding subjects"))?;
        }
        for spec in specs {
            self.set_field(r, &gvk, spec).map_err(|e| {
                if e.message.contains("expected ScalarNode") {
                    e.context("namespace field specs must target scalar nodes")
                } else {
                    e.context("namespace transformation failed")
                }
            })?;
        }
        Ok(())
    }

    fn set_field(&self, r: &mut Resource, gvk: &Gvk, spec: &FieldSpec) -> Result<()> {
        let span = self.span.as_ref();
        fieldspec::apply(
            &mut r.node,
            gvk,
            spec,
            Some(CreateKind::Scalar),
            span,
            &mut |n| self.set_value(n),
        )
    }

    /// Sets one namespace field (honouring `unsetOnly`).
    fn set_value(&self, node: &mut Node) -> Result<()> {
        if self.unset_only && has_value(node) {
            return Ok(());
        }
        set_scalar(node, &self.namespace, Some(Tag::Str), self.span.as_ref())
    }

    fn set_subjects(&self, r: &mut Resource) -> Result<()> {
        if self.subjects == SubjectMode::None {
            return Ok(());
        }
        let Some(subjects) = r.node.get_mut("subjects") else {
            return Ok(());
        };
        let Value::Seq(items) = &mut subjects.value else {
            if subjects.is_null() {
                return Ok(());
            }
            return Err(KustError::invalid("wrong node kind: expected SequenceNode"));
        };
        for subject in items.iter_mut() {
            if subject.is_null() {
                continue;
            }
            let Some(map) = subject.as_map_mut() else {
                return Err(KustError::invalid("wrong node kind: expected MappingNode"));
            };
            let (key, wanted) = match self.subjects {
                SubjectMode::AllServiceAccounts => ("kind", "ServiceAccount"),
                _ => ("name", "default"),
            };
            let matches = match map.get(key) {
                None => false,
                Some(v) if v.is_null() => false,
                Some(v) => match v.as_scalar() {
                    Some(s) => s.text == wanted,
                    None => return Err(not_scalar_at(key)),
                },
            };
            if !matches {
                continue;
            }
            let ns = map.get_or_insert_with("namespace", || Node::scalar("", Tag::Str));
            self.set_value(ns)?;
        }
        Ok(())
    }
}

fn not_scalar_at(key: &str) -> KustError {
    KustError::invalid(format!(
        "looking up {key} on (cluster)role binding subject: wrong node kind: expected ScalarNode"
    ))
}

/// kyaml's "has an existing value": a non-empty, non-null scalar.
fn has_value(node: &Node) -> bool {
    match &node.value {
        Value::Scalar(s) => s.tag != Tag::Null && !s.text.is_empty(),
        Value::Map(_) | Value::Seq(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse_single;

    fn res(yaml: &str) -> Resource {
        Resource::new(parse_single("t.yaml", yaml).unwrap()).unwrap()
    }

    fn transformer(mode: SubjectMode, unset_only: bool) -> NamespaceTransformer {
        NamespaceTransformer {
            namespace: "prod".into(),
            span: None,
            specs: crate::hydrate::kustomize::config::TransformerConfig::defaults().namespace,
            unset_only,
            subjects: mode,
        }
    }

    #[test]
    fn sets_namespaced_kinds_and_renames_namespaces() {
        let t = transformer(SubjectMode::DefaultOnly, false);
        let mut cm =
            res("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: old\n");
        t.apply(&mut cm).unwrap();
        assert_eq!(cm.namespace(), "prod");
        let mut cr = res(
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: a\n",
        );
        t.apply(&mut cr).unwrap();
        assert_eq!(cr.namespace(), "");
        let mut ns = res("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: old\n");
        t.apply(&mut ns).unwrap();
        assert_eq!((ns.name(), ns.namespace()), ("prod", ""));
        let mut other_ns =
            res("apiVersion: example.com/v1\nkind: Namespace\nmetadata:\n  name: old\n");
        t.apply(&mut other_ns).unwrap();
        assert_eq!(other_ns.name(), "old");
    }

    #[test]
    fn subjects_follow_the_mode() {
        let yaml = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: b\nsubjects:\n- kind: ServiceAccount\n  name: default\n  namespace: x\n- kind: ServiceAccount\n  name: other\n- kind: User\n  name: default\n";
        let ns_of = |r: &Resource, i: usize| {
            r.node.get("subjects").unwrap().as_seq().unwrap()[i]
                .get_str("namespace")
                .map(str::to_string)
        };
        let mut r = res(yaml);
        transformer(SubjectMode::DefaultOnly, false)
            .apply(&mut r)
            .unwrap();
        assert_eq!(ns_of(&r, 0).as_deref(), Some("prod"));
        assert_eq!(ns_of(&r, 1), None);
        assert_eq!(ns_of(&r, 2).as_deref(), Some("prod"));
        let mut r = res(yaml);
        transformer(SubjectMode::AllServiceAccounts, true)
            .apply(&mut r)
            .unwrap();
        assert_eq!(ns_of(&r, 0).as_deref(), Some("x"));
        assert_eq!(ns_of(&r, 1).as_deref(), Some("prod"));
        assert_eq!(ns_of(&r, 2), None);
        let mut r = res(yaml);
        transformer(SubjectMode::None, false).apply(&mut r).unwrap();
        assert_eq!(ns_of(&r, 0).as_deref(), Some("x"));
    }

    #[test]
    fn unset_only_keeps_existing_namespaces() {
        let t = transformer(SubjectMode::DefaultOnly, true);
        let mut a =
            res("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: keep\n");
        t.apply(&mut a).unwrap();
        assert_eq!(a.namespace(), "keep");
        let mut b =
            res("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: \"\"\n");
        t.apply(&mut b).unwrap();
        assert_eq!(b.namespace(), "prod");
    }

    #[test]
    fn rejects_unknown_subject_modes() {
        let cfg = parse_single(
            "t.yaml",
            "apiVersion: builtin\nkind: NamespaceTransformer\nmetadata:\n  namespace: x\nsetRoleBindingSubjects: some\n",
        )
        .unwrap();
        let err = from_config(&cfg).err().unwrap();
        assert!(
            err.message
                .contains("invalid value \"some\" for setRoleBindingSubjects")
        );
    }
}
