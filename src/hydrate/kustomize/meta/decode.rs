//! Typed reading of config values the way kustomize reads them: the YAML is
//! turned into JSON by sigs.k8s.io/yaml (a YAML 1.1 reader, so `yes` is a
//! boolean and `1.0` a number) and then decoded by Go's JSON decoder, which
//! matches keys without regard to case and rejects values of the wrong type.

use crate::hydrate::kustomize::error::{KustError, Result};
use crate::hydrate::kustomize::kustomization::get_ci;
use crate::load::yaml::resolve::{is_timestamp, parse_go_float, parse_go_int, parse_go_uint};
use crate::load::yaml::{Node, Span, Style, Tag, Value};
use std::collections::BTreeMap;

/// What a YAML value becomes in JSON.
#[derive(Clone, Debug, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    /// A number, kept as its source text.
    Number(&'a str),
    String(&'a str),
    Object,
    Array,
}

impl Json<'_> {
    /// The word Go's JSON errors use for this kind of value.
    fn kind_word(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "bool",
            Json::Number(_) => "number",
            Json::String(_) => "string",
            Json::Object => "object",
            Json::Array => "array",
        }
    }
}

/// The JSON value sigs.k8s.io/yaml makes of `node`.
pub fn json_of(node: &Node) -> Json<'_> {
    match &node.value {
        Value::Map(_) => Json::Object,
        Value::Seq(_) => Json::Array,
        Value::Scalar(s) => {
            let resolvable = matches!(
                s.tag,
                Tag::Str | Tag::Int | Tag::Float | Tag::Bool | Tag::Null | Tag::Timestamp
            );
            if s.style != Style::Plain || !resolvable {
                return Json::String(&s.text);
            }
            resolve_yaml11(&s.text)
        }
    }
}

/// How go-yaml v2 (YAML 1.1) reads a plain scalar into an `interface{}`.
pub fn resolve_yaml11(text: &str) -> Json<'_> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Json::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => {
            return Json::Bool(true);
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            return Json::Bool(false);
        }
        ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF"
        | "-.inf" | "-.Inf" | "-.INF" => return Json::Number(text),
        _ => {}
    }
    match text.as_bytes()[0] {
        b'.' if parse_go_float(text).is_some() => Json::Number(text),
        b'0'..=b'9' | b'+' | b'-' => {
            // go-yaml v2 keeps timestamps as strings when the target is untyped.
            if is_timestamp(text) {
                return Json::String(text);
            }
            let plain = text.replace('_', "");
            let is_int = parse_go_int(&plain).is_some() || parse_go_uint(&plain).is_some();
            if is_int
                || (is_decimal_float(&plain) && parse_go_float(&plain).is_some_and(f64::is_finite))
            {
                Json::Number(text)
            } else {
                Json::String(text)
            }
        }
        _ => Json::String(text),
    }
}

/// go-yaml's `yamlStyleFloat` pattern.
fn is_decimal_float(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => digits(frac),
        Some((int, frac)) => digits(int) && (frac.is_empty() || digits(frac)),
        None => digits(mantissa),
    };
    let exp_ok = exp.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exp_ok
}

/// Names the Go struct field being decoded, for error messages, and says
/// whether unknown keys are errors (kustomization files) or ignored
/// (plugin configs).
#[derive(Clone, Debug)]
pub struct Decoder {
    /// `invalid Kustomization` or `plugin ... fails configuration`.
    pub prefix: String,
    /// Go struct name owning the field, e.g. `Kustomization`, `Image`.
    pub owner: String,
    /// JSON path from the document root to the struct, with a trailing
    /// dot (`images.`), as Go's errors print it.
    pub path: String,
    pub strict: bool,
}

/// A string with the span of the YAML that gave it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spanned {
    pub value: String,
    pub span: Option<Span>,
}

impl Decoder {
    pub fn kustomization() -> Decoder {
        Decoder {
            prefix: "invalid Kustomization".into(),
            owner: "Kustomization".into(),
            path: String::new(),
            strict: true,
        }
    }

    /// A decoder for the fields of the struct `owner` found at `field`.
    pub fn nested(&self, owner: &str, field: &str) -> Decoder {
        Decoder {
            owner: owner.into(),
            path: format!("{}{field}.", self.path),
            ..self.clone()
        }
    }

    pub fn type_error(&self, field: &str, found: &Json, want: &str, node: &Node) -> KustError {
        KustError::invalid(format!(
            "{}: json: cannot unmarshal {} into Go struct field {}.{}{field} of type {want}",
            self.prefix,
            found.kind_word(),
            self.owner,
            self.path
        ))
        .at(node.span.as_ref())
    }

    /// Rejects keys of `node` that are none of `known` (strict mode only).
    pub fn check_fields(&self, node: &Node, known: &[&str]) -> Result<()> {
        if !self.strict {
            return Ok(());
        }
        let Some(map) = node.as_map() else {
            return Ok(());
        };
        for e in &map.entries {
            if !known.iter().any(|k| k.eq_ignore_ascii_case(&e.key)) {
                return Err(KustError::invalid(format!(
                    "{}: json: unknown field \"{}\"",
                    self.prefix, e.key
                ))
                .at(e.key_span.as_ref()));
            }
        }
        Ok(())
    }

    /// The mapping at `node` (None for null or absent).
    pub fn object<'n>(&self, node: Option<&'n Node>, field: &str) -> Result<Option<&'n Node>> {
        let Some(n) = node else { return Ok(None) };
        match json_of(n) {
            Json::Null => Ok(None),
            Json::Object => Ok(Some(n)),
            other => {
                Err(self.type_error(field, &other, &format!("types.{}", capitalize(field)), n))
            }
        }
    }

    /// The items of a list (empty for null or absent).
    pub fn array<'n>(
        &self,
        node: Option<&'n Node>,
        field: &str,
        item_type: &str,
    ) -> Result<&'n [Node]> {
        let Some(n) = node else { return Ok(&[]) };
        match (&n.value, json_of(n)) {
            (_, Json::Null) => Ok(&[]),
            (Value::Seq(items), _) => Ok(items),
            (_, other) => Err(self.type_error(field, &other, &format!("[]{item_type}"), n)),
        }
    }

    /// A string field; null gives the empty string.
    pub fn string(&self, node: Option<&Node>, field: &str) -> Result<Spanned> {
        let Some(n) = node else {
            return Ok(Spanned::default());
        };
        match json_of(n) {
            Json::Null => Ok(Spanned {
                value: String::new(),
                span: n.span.clone(),
            }),
            Json::String(s) => Ok(Spanned {
                value: s.to_string(),
                span: n.span.clone(),
            }),
            other => Err(self.type_error(field, &other, "string", n)),
        }
    }

    /// A boolean field; null or absent gives false.
    pub fn boolean(&self, node: Option<&Node>, field: &str) -> Result<bool> {
        let Some(n) = node else { return Ok(false) };
        match json_of(n) {
            Json::Null => Ok(false),
            Json::Bool(b) => Ok(b),
            other => Err(self.type_error(field, &other, "bool", n)),
        }
    }

    /// An `int64` field; null or absent gives 0.
    pub fn int64(&self, node: Option<&Node>, field: &str) -> Result<i64> {
        let Some(n) = node else { return Ok(0) };
        match json_of(n) {
            Json::Null => Ok(0),
            Json::Number(text) => number_as_i64(text).ok_or_else(|| {
                KustError::invalid(format!(
                    "{}: json: cannot unmarshal number {} into Go struct field {}.{}{field} of type int64",
                    self.prefix, text, self.owner, self.path
                ))
                .at(n.span.as_ref())
            }),
            other => Err(self.type_error(field, &other, "int64", n)),
        }
    }

    /// A `map[string]string`, sorted by key (a repeated key keeps its last
    /// value, as JSON decoding does).
    pub fn string_map(&self, node: Option<&Node>, field: &str) -> Result<Vec<(String, Spanned)>> {
        let Some(n) = node else { return Ok(Vec::new()) };
        let map = match (&n.value, json_of(n)) {
            (_, Json::Null) => return Ok(Vec::new()),
            (Value::Map(m), _) => m,
            (_, other) => return Err(self.type_error(field, &other, "map[string]string", n)),
        };
        let mut out: BTreeMap<String, Spanned> = BTreeMap::new();
        for e in &map.entries {
            let value = match json_of(&e.value) {
                Json::Null => String::new(),
                Json::String(s) => s.to_string(),
                other => return Err(self.type_error(field, &other, "string", &e.value)),
            };
            let span = e.value.span.clone().or_else(|| e.key_span.clone());
            out.insert(e.key.clone(), Spanned { value, span });
        }
        Ok(out.into_iter().collect())
    }
}

/// Looks up a field of a config mapping (any letter case).
pub fn field<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    get_ci(node, key)
}

/// A JSON number as Go decodes it into an `int64`: integral values only
/// (go-yaml v2 hands integral floats over as integers).
fn number_as_i64(text: &str) -> Option<i64> {
    let plain = text.replace('_', "");
    if let Some(i) = parse_go_int(&plain) {
        return Some(i);
    }
    let f = parse_go_float(&plain)?;
    // An integral float marshals to JSON without a fraction, so it decodes.
    if f.fract() == 0.0 && f.abs() < 9.2e18 {
        return Some(f as i64);
    }
    None
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse_single;

    #[test]
    fn yaml11_scalars() {
        assert_eq!(resolve_yaml11("yes"), Json::Bool(true));
        assert_eq!(resolve_yaml11("Off"), Json::Bool(false));
        assert_eq!(resolve_yaml11("1"), Json::Number("1"));
        assert_eq!(resolve_yaml11("1_000"), Json::Number("1_000"));
        assert_eq!(resolve_yaml11("08"), Json::Number("08"));
        assert_eq!(resolve_yaml11("1.0"), Json::Number("1.0"));
        assert_eq!(resolve_yaml11(".5"), Json::Number(".5"));
        assert_eq!(resolve_yaml11("2020-01-02"), Json::String("2020-01-02"));
        assert_eq!(resolve_yaml11("1.2.3"), Json::String("1.2.3"));
        assert_eq!(resolve_yaml11("v1"), Json::String("v1"));
        assert_eq!(resolve_yaml11("~"), Json::Null);
    }

    #[test]
    fn string_maps_reject_numbers_and_yaml11_bools() {
        let d = Decoder::kustomization();
        let n = parse_single("k", "a: \"1\"\nb: x\n").unwrap();
        let m = d.string_map(Some(&n), "commonLabels").unwrap();
        assert_eq!(m[0].1.value, "1");
        assert_eq!(m[1].1.value, "x");
        for bad in ["a: 1\n", "a: yes\n", "a: 1.5\n", "a: [x]\n"] {
            let n = parse_single("k", bad).unwrap();
            let e = d.string_map(Some(&n), "commonLabels").unwrap_err();
            assert!(
                e.message.contains("Kustomization.commonLabels"),
                "{}",
                e.message
            );
        }
    }

    #[test]
    fn int64_accepts_integral_numbers_only() {
        let d = Decoder::kustomization().nested("Replica", "replicas");
        let n = |t: &str| parse_single("k", t).unwrap();
        assert_eq!(d.int64(Some(&n("3")), "count").unwrap(), 3);
        assert_eq!(d.int64(Some(&n("3.0")), "count").unwrap(), 3);
        assert_eq!(d.int64(Some(&n("0x10")), "count").unwrap(), 16);
        assert!(d.int64(Some(&n("\"3\"")), "count").is_err());
        assert!(d.int64(Some(&n("3.5")), "count").is_err());
    }
}
