//! Legacy `vars`: declared per kustomization, merged upwards, resolved
//! once at the top into `$(NAME)` references.
//!
//! Each kustomization, after its own transformers ran, tags the one
//! resource a var's `objref` names (by any id it has had so far) with the
//! var's name; the tag travels with the resource. At the top, after names
//! are final, a var's value is read from the tagged resource and written
//! into the var-reference fields.

use super::fieldpath;
use crate::hydrate::kustomize::config::TransformerConfig;
use crate::hydrate::kustomize::error::{KustError, Result};
use crate::hydrate::kustomize::fieldspec;
use crate::hydrate::kustomize::kustomization::{Kustomization, get_ci};
use crate::hydrate::kustomize::resid::{Gvk, ResId};
use crate::hydrate::kustomize::resmap::ResMap;
use crate::load::yaml::{Node, Span, Tag, Value};

/// The resource a var reads from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObjRef {
    pub api_version: String,
    pub gvk: Gvk,
    pub name: String,
    pub namespace: String,
}

/// One declared var.
#[derive(Clone, Debug, Default)]
pub struct Var {
    pub name: String,
    pub objref: ObjRef,
    /// As written; empty means `metadata.name`.
    pub field_path: String,
    /// The declaration, for errors.
    pub span: Option<Span>,
}

impl Var {
    fn field_path(&self) -> &str {
        if self.field_path.is_empty() {
            super::replacements::DEFAULT_FIELD_PATH
        } else {
            &self.field_path
        }
    }

    /// How kustomize prints a var in errors (Go's `%v` of its struct).
    fn display(&self) -> String {
        let o = &self.objref;
        format!(
            "{{{} {{{} {{{} {} {} false}} {} {}}} {{{}}}}}",
            self.name,
            o.api_version,
            o.gvk.group,
            o.gvk.version,
            o.gvk.kind,
            o.name,
            o.namespace,
            self.field_path
        )
    }

    /// Whether `id` is the resource the objref names: same group, version,
    /// kind and name, and, when the objref gives a namespace, the same
    /// namespace (an unset one is `default`; cluster-wide kinds have none).
    fn refers_to(&self, id: &ResId) -> bool {
        if id.gvk != self.objref.gvk || id.name != self.objref.name {
            return false;
        }
        if self.objref.namespace.is_empty() {
            return true;
        }
        let norm = |ns: &str| {
            if ns.is_empty() {
                "default".to_string()
            } else {
                ns.to_string()
            }
        };
        !id.gvk.is_cluster_scoped() && norm(&id.namespace) == norm(&self.objref.namespace)
    }
}

const VAR_FIELDS: &[&str] = &["name", "objref", "fieldref"];
const OBJREF_FIELDS: &[&str] = &[
    "apiVersion",
    "group",
    "version",
    "kind",
    "name",
    "namespace",
];
const FIELDREF_FIELDS: &[&str] = &["fieldPath"];

fn check_fields(n: &Node, known: &[&str]) -> Result<()> {
    if let Some(m) = n.as_map() {
        for e in &m.entries {
            if !known.iter().any(|k| k.eq_ignore_ascii_case(&e.key)) {
                return Err(KustError::invalid(format!(
                    "invalid Kustomization: json: unknown field \"{}\"",
                    e.key
                ))
                .at(e.key_span.as_ref()));
            }
        }
    }
    Ok(())
}

fn string_field(n: &Node, key: &str) -> Result<String> {
    match get_ci(n, key) {
        None => Ok(String::new()),
        Some(v) => match v.as_scalar() {
            Some(s) if !matches!(s.tag, Tag::Int | Tag::Float | Tag::Bool) => Ok(s.text.clone()),
            _ => Err(KustError::invalid(format!(
                "invalid Kustomization: json: cannot unmarshal {} into Go struct field of type string",
                if v.is_map() { "object" } else if v.is_seq() { "array" } else { "number" }
            ))
            .at(v.span.as_ref())),
        },
    }
}

fn object<'a>(n: &'a Node, key: &str) -> Result<Option<&'a Node>> {
    match get_ci(n, key) {
        None => Ok(None),
        Some(v) if v.is_map() => Ok(Some(v)),
        Some(v) => Err(KustError::invalid(format!(
            "invalid Kustomization: json: cannot unmarshal {key} into Go struct field Var.vars.{key}"
        ))
        .at(v.span.as_ref())),
    }
}

/// Reads one `vars:` entry; the objref's `apiVersion` fills group/version.
fn parse_var(n: &Node) -> Result<Var> {
    if !n.is_map() {
        return Err(KustError::invalid(
            "invalid Kustomization: every item of vars must be a mapping",
        )
        .at(n.span.as_ref()));
    }
    check_fields(n, VAR_FIELDS)?;
    let mut objref = ObjRef::default();
    if let Some(o) = object(n, "objref")? {
        check_fields(o, OBJREF_FIELDS)?;
        objref.api_version = string_field(o, "apiVersion")?;
        objref.gvk = Gvk::new(
            &string_field(o, "group")?,
            &string_field(o, "version")?,
            &string_field(o, "kind")?,
        );
        objref.name = string_field(o, "name")?;
        objref.namespace = string_field(o, "namespace")?;
        let parts: Vec<&str> = objref.api_version.split('/').collect();
        match parts.as_slice() {
            [g, v] => (objref.gvk.group, objref.gvk.version) = (g.to_string(), v.to_string()),
            [v] if !v.is_empty() => objref.gvk.version = v.to_string(),
            _ => {}
        }
    }
    let mut field_path = String::new();
    if let Some(f) = object(n, "fieldref")? {
        check_fields(f, FIELDREF_FIELDS)?;
        field_path = string_field(f, "fieldPath")?;
    }
    Ok(Var {
        name: string_field(n, "name")?,
        objref,
        field_path,
        span: n.span.clone(),
    })
}

fn already_encountered(v: &Var) -> KustError {
    KustError::conflict(format!("var '{}' already encountered", v.name)).at(v.span.as_ref())
}

/// Adds the kustomization's `vars:` to `vars`, tagging the resource each
/// names in `m` (several candidates, or a name declared twice, are errors).
pub fn merge_vars(vars: &mut Vec<Var>, m: &mut ResMap, k: &Kustomization) -> Result<()> {
    let Some(list) = k.get("vars") else {
        return Ok(());
    };
    let Some(items) = list.as_seq() else {
        return Err(
            KustError::invalid("invalid Kustomization: vars must be a list").at(list.span.as_ref()),
        );
    };
    let incoming = items.iter().map(parse_var).collect::<Result<Vec<_>>>()?;
    for v in &incoming {
        let matched: Vec<usize> = (0..m.len())
            .filter(|&i| {
                let r = m.get(i);
                !is_nil_or_empty(&r.node) && r.all_ids().iter().any(|id| v.refers_to(id))
            })
            .collect();
        match matched.as_slice() {
            [] => {}
            [one] => m.get_mut(*one).meta.ref_var_names.push(v.name.clone()),
            many => {
                return Err(KustError::conflict(format!(
                    "found {} resId matches for var {} (unable to disambiguate)",
                    many.len(),
                    v.display()
                ))
                .at(v.span.as_ref()));
            }
        }
    }
    merge_var_sets(vars, incoming)
}

fn is_nil_or_empty(n: &Node) -> bool {
    n.is_null() || n.as_map().is_some_and(|m| m.is_empty())
}

/// Adds vars accumulated by a child kustomization or component.
pub fn merge_var_sets(vars: &mut Vec<Var>, child: Vec<Var>) -> Result<()> {
    for v in child {
        if vars.iter().any(|x| x.name == v.name) {
            return Err(already_encountered(&v));
        }
        vars.push(v);
    }
    Ok(())
}

/// A var's value: what kustomize's typed field read gives.
#[derive(Clone, Debug, PartialEq)]
enum VarValue {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A mapping or list: not substituted.
    Complex,
}

impl VarValue {
    /// Go's `%v` form, used when the var is part of a longer string.
    fn to_text(&self) -> String {
        match self {
            VarValue::Str(s) => s.clone(),
            VarValue::Int(i) => i.to_string(),
            VarValue::Float(f) => go_g_float(*f),
            VarValue::Bool(b) => b.to_string(),
            VarValue::Complex => String::new(),
        }
    }
}

/// Go's `%v` of a float (`strconv.FormatFloat(f, 'g', -1, 64)`): shortest
/// digits, exponent form when the exponent is below -4 or at least 6
/// (`1e+06`, `1.5e-05`).
fn go_g_float(f: f64) -> String {
    if f == 0.0 || !f.is_finite() {
        return match f {
            x if x.is_nan() => "NaN".into(),
            x if x == f64::INFINITY => "+Inf".into(),
            x if x == f64::NEG_INFINITY => "-Inf".into(),
            _ => "0".into(),
        };
    }
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    } else {
        format!("{f}")
    }
}

/// Go's `strconv.ParseBool`.
fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Go's `strconv.Atoi`: decimal only.
fn parse_decimal(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Reads a var's field from `node`; None when it is missing or its text
/// does not parse as its type.
fn read_value(node: &Node, path: &str) -> Option<(VarValue, Option<Span>)> {
    let found = fieldpath::lookup(node, &fieldpath::split_with_indexes(path)).ok()??;
    let value = match &found.value {
        Value::Map(_) | Value::Seq(_) => VarValue::Complex,
        Value::Scalar(s) => match s.tag {
            Tag::Int => VarValue::Int(parse_decimal(&s.text)?),
            Tag::Float => VarValue::Float(crate::load::yaml::resolve::parse_go_float(&s.text)?),
            Tag::Bool => VarValue::Bool(parse_go_bool(&s.text)?),
            _ => VarValue::Str(s.text.clone()),
        },
    };
    Some((value, found.span.clone()))
}

/// Replaces `$(NAME)` in the var-reference fields with the vars' values.
/// Returns warnings (vars defined but never used).
pub fn resolve_vars(m: &mut ResMap, vars: &[Var], tc: &TransformerConfig) -> Result<Vec<String>> {
    let mut sorted: Vec<&Var> = vars.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let mut values: Vec<(String, VarValue, Option<Span>)> = Vec::new();
    for v in sorted {
        let Some(r) = m.iter().find(|r| r.meta.ref_var_names.contains(&v.name)) else {
            return Err(KustError::not_found(format!(
                "var '{}' cannot be mapped to a field in the set of known resources",
                v.display_defaulted()
            ))
            .at(v.span.as_ref()));
        };
        let Some((value, span)) = read_value(&r.node, v.field_path()) else {
            return Err(KustError::not_found(format!(
                "field specified in var '{}' not found in corresponding resource",
                v.display_defaulted()
            ))
            .at(v.span.as_ref()));
        };
        values.push((v.name.clone(), value, span));
    }
    if values.is_empty() {
        return Ok(Vec::new());
    }
    let mut used = vec![false; values.len()];
    for r in m.iter_mut() {
        let gvk = r.gvk();
        for spec in &tc.var_reference {
            fieldspec::apply(&mut r.node, &gvk, spec, None, None, &mut |n| {
                substitute_in(n, &values, &mut used)
            })?;
        }
    }
    let mut unused: Vec<&str> = values
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(v, _)| v.0.as_str())
        .collect();
    unused.sort();
    if unused.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![format!(
        "well-defined vars that were never replaced: {}",
        unused.join(",")
    )])
}

impl Var {
    fn display_defaulted(&self) -> String {
        let mut v = self.clone();
        v.field_path = self.field_path().to_string();
        v.display()
    }
}

type Values = [(String, VarValue, Option<Span>)];

/// Substitutes in one var-reference field: a string, the string values of
/// a mapping, or a list of strings.
fn substitute_in(n: &mut Node, values: &Values, used: &mut [bool]) -> Result<()> {
    if n.is_null() {
        return Ok(());
    }
    match &mut n.value {
        Value::Scalar(s) if s.tag == Tag::Str => substitute_scalar(n, values, used),
        Value::Scalar(_) => {}
        Value::Map(m) => {
            for e in &mut m.entries {
                if e.value.as_scalar().is_some_and(|s| s.tag == Tag::Str) {
                    substitute_scalar(&mut e.value, values, used);
                }
            }
        }
        Value::Seq(items) => {
            for item in items.iter_mut() {
                if !item.as_scalar().is_some_and(|s| s.tag == Tag::Str) {
                    return Err(KustError::invalid("invalid value type expect a string")
                        .at(item.span.as_ref()));
                }
                substitute_scalar(item, values, used);
            }
        }
    }
    Ok(())
}

/// What `$(NAME)` expansion produced: a whole typed value or text.
enum Expanded {
    Typed(VarValue),
    Text(String),
}

fn substitute_scalar(n: &mut Node, values: &Values, used: &mut [bool]) {
    let Some(text) = n.as_str().map(str::to_string) else {
        return;
    };
    let mut provenance: Option<Span> = None;
    let mut lookup = |name: &str| -> Option<VarValue> {
        let i = values.iter().position(|v| v.0 == name)?;
        if values[i].1 == VarValue::Complex {
            return None;
        }
        used[i] = true;
        if provenance.is_none() {
            provenance = values[i].2.clone();
        }
        Some(values[i].1.clone())
    };
    let (tag, new_text) = match expand(&text, &mut lookup) {
        Expanded::Typed(VarValue::Int(i)) => (Tag::Int, i.to_string()),
        Expanded::Typed(VarValue::Bool(b)) => (Tag::Bool, b.to_string()),
        Expanded::Typed(VarValue::Float(f)) => (Tag::Float, format!("{f}")),
        Expanded::Typed(v) => (Tag::Str, v.to_text()),
        Expanded::Text(t) => (Tag::Str, t),
    };
    if let Value::Scalar(s) = &mut n.value {
        s.tag = tag;
        s.text = new_text;
        s.style = crate::load::yaml::Style::Plain;
    }
    if provenance.is_some() {
        n.span = provenance;
    }
}

/// kustomize's `$(NAME)` expansion: `$$` is a literal `$`, an unknown or
/// unclosed reference stays as written, and a string that is exactly one
/// reference takes the var's own type.
fn expand(input: &str, lookup: &mut dyn FnMut(&str) -> Option<VarValue>) -> Expanded {
    let bytes = input.as_bytes();
    let mut out = String::new();
    let mut checkpoint = 0;
    let mut cursor = 0;
    while cursor < bytes.len() {
        if bytes[cursor] == b'$' && cursor + 1 < bytes.len() {
            out.push_str(&input[checkpoint..cursor]);
            let rest = &input[cursor + 1..];
            let advance = match rest.as_bytes()[0] {
                b'$' => {
                    out.push('$');
                    1
                }
                b'(' => match rest[1..].find(')') {
                    Some(close) => {
                        let name = &rest[1..close + 1];
                        let mapped = lookup(name);
                        if input.len() == name.len() + 3 && cursor == 0 {
                            return match mapped {
                                Some(v) => Expanded::Typed(v),
                                None => Expanded::Text(input.to_string()),
                            };
                        }
                        match mapped {
                            Some(v) => out.push_str(&v.to_text()),
                            None => out.push_str(&format!("$({name})")),
                        }
                        close + 2
                    }
                    None => {
                        out.push_str("$(");
                        1
                    }
                },
                _ => {
                    // `$x` stays; the character after `$` is copied below.
                    out.push('$');
                    0
                }
            };
            cursor += advance;
            checkpoint = cursor + 1;
        }
        cursor += 1;
    }
    out.push_str(&input[checkpoint.min(input.len())..]);
    Expanded::Text(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &str) -> String {
        let mut lookup = |name: &str| match name {
            "A" => Some(VarValue::Str("x".into())),
            "N" => Some(VarValue::Int(8080)),
            _ => None,
        };
        match expand(input, &mut lookup) {
            Expanded::Text(t) => t,
            Expanded::Typed(v) => format!("typed:{}", v.to_text()),
        }
    }

    #[test]
    fn expands_like_kustomize() {
        assert_eq!(run("$(A)"), "typed:x");
        assert_eq!(run("$(N)"), "typed:8080");
        assert_eq!(run("pre-$(A)-$(N)"), "pre-x-8080");
        assert_eq!(run("$$(A)"), "$(A)");
        assert_eq!(run("$(B)"), "$(B)");
        assert_eq!(run("a$(B)c"), "a$(B)c");
        assert_eq!(run("$(A"), "$(A");
        assert_eq!(run("$x$"), "$x$");
        assert_eq!(run("cost: $$5"), "cost: $5");
    }

    #[test]
    fn formats_floats_like_go() {
        assert_eq!(go_g_float(1.5), "1.5");
        assert_eq!(go_g_float(1e6), "1e+06");
        assert_eq!(go_g_float(123456.0), "123456");
        assert_eq!(go_g_float(0.00001), "1e-05");
    }

    fn build(resources: &str, kustomization: &str) -> (ResMap, Vec<Var>) {
        use crate::hydrate::kustomize::resource::Resource;
        use crate::load::yaml::{parse_documents, parse_single};
        let mut m = ResMap::new();
        for d in parse_documents("res.yaml", resources).unwrap() {
            m.append(Resource::new(d).unwrap()).unwrap();
        }
        let k = Kustomization::from_node("k.yaml", parse_single("k.yaml", kustomization).unwrap())
            .unwrap();
        let mut vars = Vec::new();
        merge_vars(&mut vars, &mut m, &k).unwrap();
        (m, vars)
    }

    const RESOURCES: &str = "\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    args: [\"at-$(SVC):$(PORT)\"]
    env:
    - {name: A, value: \"$(PORT)\"}
    - {name: B, value: \"$$(SVC)\"}
---
apiVersion: v1
kind: Service
metadata: {name: svc}
spec:
  ports: [{port: 80}]
";

    const VARS: &str = "\
vars:
- name: SVC
  objref: {kind: Service, name: svc, apiVersion: v1}
- name: PORT
  objref: {kind: Service, name: svc, apiVersion: v1}
  fieldref:
    fieldpath: spec.ports[0].port
- name: UNUSED
  objref: {kind: Pod, name: p, apiVersion: v1}
";

    #[test]
    fn resolves_after_renames_with_types() {
        let (mut m, vars) = build(RESOURCES, VARS);
        // A later prefix renames the service; the var follows it.
        let svc = m.get_mut(1);
        svc.store_previous_id();
        svc.set_name("x-svc");
        let warnings = resolve_vars(&mut m, &vars, &TransformerConfig::defaults()).unwrap();
        assert_eq!(
            warnings,
            ["well-defined vars that were never replaced: UNUSED"]
        );
        let c = &m
            .get(0)
            .node
            .get_path(&["spec", "containers"])
            .unwrap()
            .as_seq()
            .unwrap()[0];
        assert_eq!(
            c.get("args").unwrap().as_seq().unwrap()[0].as_str(),
            Some("at-x-svc:80")
        );
        let env = c.get("env").unwrap().as_seq().unwrap();
        let a = env[0].get("value").unwrap().as_scalar().unwrap();
        assert_eq!((a.text.as_str(), &a.tag), ("80", &Tag::Int));
        assert_eq!(env[1].get_str("value"), Some("$(SVC)"));
    }

    #[test]
    fn unmatched_objrefs_fail_at_resolution() {
        let (mut m, vars) = build(
            RESOURCES,
            "vars:\n- name: X\n  objref: {kind: Service, name: svc}\n",
        );
        let e = resolve_vars(&mut m, &vars, &TransformerConfig::defaults()).unwrap_err();
        assert_eq!(
            e.message,
            "var '{X { {  Service false} svc } {metadata.name}}' cannot be mapped to a field in the set of known resources"
        );
    }

    #[test]
    fn duplicate_names_are_errors() {
        let v = Var {
            name: "X".into(),
            ..Var::default()
        };
        let mut set = vec![v.clone()];
        let e = merge_var_sets(&mut set, vec![v]).unwrap_err();
        assert_eq!(e.message, "var 'X' already encountered");
    }
}
