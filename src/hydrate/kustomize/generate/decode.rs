//! Reads generator settings the way kustomize decodes them.
//!
//! kustomize turns YAML into JSON and decodes that into Go structs, so the
//! rules are Go's: field names match without regard to case, `null` leaves a
//! field empty, and a value of the wrong JSON type is an error. Kustomization
//! fields are decoded strictly (unknown fields are errors, and a number or a
//! bool cannot fill a string field); plugin configs go through
//! `sigs.k8s.io/yaml`, which ignores unknown fields and turns scalars into
//! the strings they fill.

use crate::hydrate::kustomize::error::{KustError, Result};
use crate::hydrate::kustomize::kustomization::get_ci;
use crate::load::yaml::{Map, Node, Span, Style, Tag, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A kustomization file field.
    Strict,
    /// A builtin plugin config (`generators:` entry).
    Lenient,
}

/// A string read from the config, with the span of the node it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sourced {
    pub text: String,
    pub span: Option<Span>,
}

/// A `key: value` of a string map (labels, annotations).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapItem {
    pub key: String,
    pub key_span: Option<Span>,
    pub value: String,
    pub span: Option<Span>,
}

/// Decodes one struct-like mapping; `path` names it in error messages the
/// way Go's JSON errors do (`Kustomization.configMapGenerator.options`).
#[derive(Clone, Debug)]
pub struct Decoder {
    pub mode: Mode,
    /// What the whole document is, for error prefixes.
    pub what: String,
    pub path: String,
}

impl Decoder {
    pub fn new(mode: Mode, what: &str, path: &str) -> Decoder {
        Decoder {
            mode,
            what: what.to_string(),
            path: path.to_string(),
        }
    }

    /// A decoder for a nested struct field.
    pub fn nested(&self, field: &str) -> Decoder {
        Decoder {
            mode: self.mode,
            what: self.what.clone(),
            path: format!("{}.{field}", self.path),
        }
    }

    fn type_error(&self, node: &Node, field: &str, go_type: &str) -> KustError {
        KustError::invalid(format!(
            "{}: json: cannot unmarshal {} into Go struct field {}.{field} of type {go_type}",
            self.what,
            json_kind(node, self.mode),
            self.path
        ))
        .at(node.span.as_ref())
    }

    /// The mapping being decoded; anything else but null is a type error.
    pub fn object<'n>(&self, node: &'n Node, go_type: &str) -> Result<Option<&'n Map>> {
        match &node.value {
            Value::Map(m) => Ok(Some(m)),
            _ if node.is_null() => Ok(None),
            _ => Err(KustError::invalid(format!(
                "{}: json: cannot unmarshal {} into Go struct field {} of type {go_type}",
                self.what,
                json_kind(node, self.mode),
                self.path
            ))
            .at(node.span.as_ref())),
        }
    }

    /// Strict mode: every key must be one of `known` (ignoring case).
    pub fn check_fields(&self, map: &Map, known: &[&str]) -> Result<()> {
        if self.mode == Mode::Lenient {
            return Ok(());
        }
        for e in &map.entries {
            if !known.iter().any(|k| k.eq_ignore_ascii_case(&e.key)) {
                return Err(KustError::invalid(format!(
                    "{}: json: unknown field \"{}\"",
                    self.what, e.key
                ))
                .at(e.key_span.as_ref()));
            }
        }
        Ok(())
    }

    /// A string field of `parent`; absent or null gives None.
    pub fn string(&self, parent: &Node, field: &str) -> Result<Option<Sourced>> {
        match get_ci(parent, field) {
            None => Ok(None),
            Some(n) => self.string_value(n, field, "string").map(Some),
        }
    }

    fn string_value(&self, n: &Node, field: &str, go_type: &str) -> Result<Sourced> {
        let Some(s) = n.as_scalar() else {
            return Err(self.type_error(n, field, go_type));
        };
        let ok = match self.mode {
            Mode::Lenient => true,
            Mode::Strict => matches!(json_kind(n, self.mode), "string" | "null"),
        };
        if !ok {
            return Err(self.type_error(n, field, go_type));
        }
        let text = match (self.mode, &s.tag) {
            (_, Tag::Null) => String::new(),
            (Mode::Lenient, Tag::Int) => crate::load::yaml::resolve::parse_go_int(&s.text)
                .map(|i| i.to_string())
                .unwrap_or_else(|| s.text.clone()),
            _ => s.text.clone(),
        };
        Ok(Sourced {
            text,
            span: n.span.clone(),
        })
    }

    /// A bool field; absent or null is false.
    pub fn bool(&self, parent: &Node, field: &str) -> Result<bool> {
        let Some(n) = get_ci(parent, field) else {
            return Ok(false);
        };
        match n.as_scalar() {
            Some(s) if s.tag == Tag::Bool => Ok(s.text.eq_ignore_ascii_case("true")),
            Some(s)
                if self.mode == Mode::Strict
                    && s.style == Style::Plain
                    && yaml11_bool(&s.text).is_some() =>
            {
                Ok(yaml11_bool(&s.text) == Some(true))
            }
            _ => Err(self.type_error(n, field, "bool")),
        }
    }

    /// A list of strings; absent or null gives an empty list.
    pub fn string_list(&self, parent: &Node, field: &str) -> Result<Vec<Sourced>> {
        let Some(n) = get_ci(parent, field) else {
            return Ok(Vec::new());
        };
        let Some(items) = n.as_seq() else {
            return Err(self.type_error(n, field, "[]string"));
        };
        items
            .iter()
            .map(|i| self.string_value(i, field, "string"))
            .collect()
    }

    /// A `map[string]string`; absent or null gives an empty list.
    pub fn string_map(&self, parent: &Node, field: &str) -> Result<Vec<MapItem>> {
        let Some(n) = get_ci(parent, field) else {
            return Ok(Vec::new());
        };
        let Some(m) = n.as_map() else {
            return Err(self.type_error(n, field, "map[string]string"));
        };
        let mut out: Vec<MapItem> = Vec::new();
        for e in &m.entries {
            let v = self.string_value(&e.value, field, "string")?;
            let item = MapItem {
                key: e.key.clone(),
                key_span: e.key_span.clone(),
                value: v.text,
                span: v.span,
            };
            // A repeated key keeps its last value, as decoding into a map does.
            match out.iter_mut().find(|x| x.key == item.key) {
                Some(x) => *x = item,
                None => out.push(item),
            }
        }
        Ok(out)
    }
}

/// The JSON type a node becomes in kustomize's YAML-to-JSON step. Strict
/// decoding reads kustomization files with YAML 1.1 rules, where plain
/// `yes`/`no`/`on`/`off` are booleans.
fn json_kind(n: &Node, mode: Mode) -> &'static str {
    match &n.value {
        Value::Map(_) => "object",
        Value::Seq(_) => "array",
        Value::Scalar(s) => match s.tag {
            Tag::Null => "null",
            Tag::Bool => "bool",
            Tag::Int | Tag::Float => "number",
            _ if mode == Mode::Strict
                && s.style == Style::Plain
                && yaml11_bool(&s.text).is_some() =>
            {
                "bool"
            }
            _ => "string",
        },
    }
}

/// Booleans of YAML 1.1 that YAML 1.2 reads as strings.
fn yaml11_bool(text: &str) -> Option<bool> {
    match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Some(true),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse_single;

    fn doc(text: &str) -> Node {
        parse_single("k.yaml", text).unwrap()
    }

    #[test]
    fn strict_refuses_numbers_for_strings() {
        let d = Decoder::new(
            Mode::Strict,
            "invalid Kustomization",
            "Kustomization.configMapGenerator",
        );
        let n = doc("literals: [a=b, 3]\n");
        let e = d.string_list(&n, "literals").unwrap_err();
        assert!(
            e.message
                .contains("cannot unmarshal number into Go struct field"),
            "{}",
            e.message
        );
        let lenient = Decoder::new(Mode::Lenient, "plugin", "ConfigMapGenerator");
        let v = lenient.string_list(&n, "literals").unwrap();
        assert_eq!(v[1].text, "3");
    }

    #[test]
    fn field_names_ignore_case_and_yes_is_a_bool_in_strict_mode() {
        let d = Decoder::new(
            Mode::Strict,
            "invalid Kustomization",
            "Kustomization.generatorOptions",
        );
        let n = doc("DisableNameSuffixHash: yes\nimmutable: 'yes'\n");
        assert!(d.bool(&n, "disableNameSuffixHash").unwrap());
        assert!(d.bool(&n, "immutable").is_err());
    }

    #[test]
    fn unknown_fields_only_matter_when_strict() {
        let n = doc("name: a\nliteral: [x=y]\n");
        let m = n.as_map().unwrap();
        let strict = Decoder::new(Mode::Strict, "invalid Kustomization", "x");
        let e = strict.check_fields(m, &["name", "literals"]).unwrap_err();
        assert_eq!(
            e.message,
            "invalid Kustomization: json: unknown field \"literal\""
        );
        assert_eq!(e.span.unwrap().line, 2);
        assert!(
            Decoder::new(Mode::Lenient, "p", "x")
                .check_fields(m, &["name"])
                .is_ok()
        );
    }
}
