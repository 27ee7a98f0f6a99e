//! ConstraintTemplates (`templates.gatekeeper.sh` v1, v1beta1, v1alpha1):
//! the constraint kind they define and their Rego, compiled once into a
//! policy set of their own (Gatekeeper isolates every template's libs).

use super::negation::hoist_negated_call_args;
use super::rewrite::split_multi_body_rules;
use crate::check::policy::engine::{Dialect, PolicySet};
use serde_json::Value;

pub const TEMPLATE_GROUP: &str = "templates.gatekeeper.sh";

/// A template's Rego, before compilation.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateSource {
    /// `metadata.name`.
    pub name: String,
    /// The constraint kind it defines (`spec.crd.spec.names.kind`).
    pub kind: String,
    pub rego: String,
    pub libs: Vec<String>,
}

/// A compiled template.
#[derive(Clone)]
pub struct Template {
    pub name: String,
    pub kind: String,
    /// The rule evaluated: `data.<package>.violation`.
    pub rule: String,
    pub policies: PolicySet,
}

/// Whether `doc` is a ConstraintTemplate.
pub fn is_template(doc: &Value) -> bool {
    doc.get("kind").and_then(Value::as_str) == Some("ConstraintTemplate")
        && doc
            .get("apiVersion")
            .and_then(Value::as_str)
            .is_some_and(|a| a.starts_with(&format!("{TEMPLATE_GROUP}/")))
}

/// The Rego of a ConstraintTemplate document: the first target's `rego` and
/// `libs`, else its `code` entry with `engine: Rego` (`source.rego`,
/// `source.libs`). `Ok(None)` for a template with no Rego (CEL only).
pub fn template_source(doc: &Value) -> Result<Option<TemplateSource>, String> {
    let name = doc
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let kind = doc
        .pointer("/spec/crd/spec/names/kind")
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| format!("ConstraintTemplate {name:?} has no spec.crd.spec.names.kind"))?
        .to_string();
    let Some(target) = doc.pointer("/spec/targets/0") else {
        return Ok(None);
    };
    let strings = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let (rego, libs) = match target.get("rego").and_then(Value::as_str) {
        Some(r) if !r.trim().is_empty() => (r.to_string(), strings(target.get("libs"))),
        _ => {
            let code = target
                .get("code")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find(|c| c.get("engine").and_then(Value::as_str) == Some("Rego"));
            let Some(source) = code.and_then(|c| c.get("source")) else {
                return Ok(None);
            };
            let Some(rego) = source.get("rego").and_then(Value::as_str) else {
                return Ok(None);
            };
            (rego.to_string(), strings(source.get("libs")))
        }
    };
    Ok(Some(TemplateSource {
        name,
        kind,
        rego,
        libs,
    }))
}

impl TemplateSource {
    /// Compiles the Rego (v0, as Gatekeeper reads it); `file` names the
    /// template in errors.
    pub fn compile(&self, file: &str) -> Result<Template, String> {
        let mut policies = PolicySet::new();
        let main = format!("{file}#{}", self.name);
        let package = policies
            .add_module(&main, &opa_compatible(&main, &self.rego), Dialect::V0)
            .map_err(|e| e.to_string())?;
        for (i, lib) in self.libs.iter().enumerate() {
            let name = format!("{main}/libs/{i}");
            policies
                .add_module(&name, &opa_compatible(&name, lib), Dialect::V0)
                .map_err(|e| e.to_string())?;
        }
        let package = package.strip_prefix("data.").unwrap_or(&package);
        Ok(Template {
            name: self.name.clone(),
            kind: self.kind.clone(),
            rule: format!("data.{package}.violation"),
            policies,
        })
    }
}

/// Rego v0 source as regorus reads it with OPA's meaning: multi-body rules
/// split, arguments of negated calls evaluated first.
pub fn opa_compatible(file: &str, rego: &str) -> String {
    hoist_negated_call_args(file, &split_multi_body_rules(rego))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_rego_from_targets_or_code() {
        let v1 = json!({"apiVersion": "templates.gatekeeper.sh/v1", "kind": "ConstraintTemplate",
            "metadata": {"name": "k8sx"},
            "spec": {"crd": {"spec": {"names": {"kind": "K8sX"}}},
                     "targets": [{"target": "admission.k8s.gatekeeper.sh", "rego": "package k8sx\n", "libs": ["package lib.a\n"]}]}});
        assert!(is_template(&v1));
        let s = template_source(&v1).unwrap().unwrap();
        assert_eq!((s.kind.as_str(), s.libs.len()), ("K8sX", 1));
        let code = json!({"spec": {"crd": {"spec": {"names": {"kind": "K8sY"}}},
            "targets": [{"code": [{"engine": "K8sNativeValidation", "source": {}},
                                  {"engine": "Rego", "source": {"rego": "package y\n", "libs": []}}]}]}});
        assert_eq!(template_source(&code).unwrap().unwrap().rego, "package y\n");
        let cel = json!({"spec": {"crd": {"spec": {"names": {"kind": "K8sZ"}}},
            "targets": [{"code": [{"engine": "K8sNativeValidation", "source": {}}]}]}});
        assert_eq!(template_source(&cel).unwrap(), None);
        assert!(template_source(&json!({"spec": {}})).is_err());
    }

    #[test]
    fn compiles_the_violation_rule_of_its_package() {
        let src = TemplateSource {
            name: "t".into(),
            kind: "T".into(),
            rego: "package a.b\nviolation[{\"msg\": m}] { m := \"x\" } { m := \"y\" }\n".into(),
            libs: vec![],
        };
        let t = src.compile("t.yaml").unwrap();
        assert_eq!(t.rule, "data.a.b.violation");
    }
}
