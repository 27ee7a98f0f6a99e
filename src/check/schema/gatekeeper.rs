//! Schemas for OPA Gatekeeper objects. The ConstraintTemplate CRD ships
//! with Gatekeeper's Helm chart, rarely committed, so its shape is known
//! here; each template then defines a constraint kind whose `parameters`
//! schema it carries, as Gatekeeper generates that CRD from the template.

use crate::load::yaml::Node;
use crate::load::yaml::json::to_json;
use serde_json::{Value, json};

type Key = (String, String, String);

const TEMPLATE_GROUP: &str = "templates.gatekeeper.sh";
const CONSTRAINT_GROUP: &str = "constraints.gatekeeper.sh";
/// Versions Gatekeeper serves for both templates and constraints.
const VERSIONS: [&str; 3] = ["v1", "v1beta1", "v1alpha1"];

/// The ConstraintTemplate kind, in every served version.
pub fn template_crd_schemas() -> Vec<(Key, Value)> {
    let strings = json!({"type": "array", "items": {"type": "string"}});
    let schema = json!({
        "type": "object",
        "required": ["spec"],
        "properties": {
            "apiVersion": {"type": "string"},
            "kind": {"type": "string"},
            "metadata": {"type": "object"},
            "spec": {
                "type": "object",
                "properties": {
                    "crd": {"type": "object", "properties": {"spec": {"type": "object", "properties": {
                        "names": {"type": "object", "required": ["kind"], "properties": {
                            "kind": {"type": "string"},
                            "shortNames": strings
                        }},
                        "validation": {"type": "object", "properties": {
                            "openAPIV3Schema": {"type": "object"},
                            "legacySchema": {"type": "boolean"}
                        }}
                    }}}},
                    "targets": {"type": "array", "items": {
                        "type": "object",
                        "required": ["target"],
                        "properties": {
                            "target": {"type": "string"},
                            "rego": {"type": "string"},
                            "libs": strings,
                            "operations": strings,
                            "code": {"type": "array", "items": {
                                "type": "object",
                                "required": ["engine", "source"],
                                "properties": {"engine": {"type": "string"}, "source": {}}
                            }}
                        }
                    }}
                }
            },
            "status": {"type": "object"}
        }
    });
    VERSIONS
        .iter()
        .map(|v| {
            (
                (
                    TEMPLATE_GROUP.into(),
                    (*v).into(),
                    "constrainttemplate".into(),
                ),
                schema.clone(),
            )
        })
        .collect()
}

/// The constraint kind a ConstraintTemplate defines, in every served
/// version; empty when `node` is not a template or names no kind.
pub fn constraint_schemas(node: &Node) -> Vec<(Key, Value)> {
    let is_template = node.get_str("kind") == Some("ConstraintTemplate")
        && node
            .get_str("apiVersion")
            .is_some_and(|a| a.starts_with("templates.gatekeeper.sh/"));
    let kind = node
        .get_path(&["spec", "crd", "spec", "names", "kind"])
        .and_then(Node::as_str);
    let (true, Some(kind)) = (is_template, kind) else {
        return Vec::new();
    };
    let parameters = node
        .get_path(&["spec", "crd", "spec", "validation", "openAPIV3Schema"])
        .map(to_json)
        .unwrap_or_else(|| json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true}));
    let schema = json!({
        "type": "object",
        "properties": {
            "apiVersion": {"type": "string"},
            "kind": {"type": "string"},
            "metadata": {"type": "object"},
            "spec": {"type": "object", "properties": {
                "match": {"type": "object"},
                "enforcementAction": {"type": "string"},
                "scopedEnforcementActions": {"type": "array"},
                "parameters": parameters
            }},
            "status": {"type": "object"}
        }
    });
    VERSIONS
        .iter()
        .map(|v| {
            (
                (
                    CONSTRAINT_GROUP.into(),
                    (*v).into(),
                    kind.to_ascii_lowercase(),
                ),
                schema.clone(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse_single;

    #[test]
    fn a_template_defines_its_constraint_kind_with_its_parameters() {
        let t = parse_single(
            "t.yaml",
            "apiVersion: templates.gatekeeper.sh/v1\nkind: ConstraintTemplate\nmetadata: {name: k8srequiredlabels}\n\
             spec:\n  crd:\n    spec:\n      names: {kind: K8sRequiredLabels}\n      validation:\n        openAPIV3Schema:\n          type: object\n          properties:\n            labels: {type: array, items: {type: string}}\n",
        )
        .unwrap();
        let got = constraint_schemas(&t);
        let keys: Vec<_> = got.iter().map(|(k, _)| k.clone()).collect();
        assert!(keys.contains(&(
            "constraints.gatekeeper.sh".into(),
            "v1beta1".into(),
            "k8srequiredlabels".into()
        )));
        assert_eq!(
            got[0].1["properties"]["spec"]["properties"]["parameters"]["properties"]["labels"]["type"],
            "array"
        );
    }

    #[test]
    fn other_objects_define_nothing() {
        let d = parse_single(
            "d.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
        )
        .unwrap();
        assert!(constraint_schemas(&d).is_empty());
        assert_eq!(template_crd_schemas().len(), 3);
    }
}
