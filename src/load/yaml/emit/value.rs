//! The data model at the end of kustomize's output chain.
//!
//! kustomize decodes each resource with go-yaml v3 into Go values, writes
//! them as JSON, reads that JSON back with go-yaml v2 and lets v2 write the
//! YAML. Only what survives that chain reaches the output: the scalar's
//! type and value (never its source style), numbers normalised by JSON
//! (`1.0` becomes `1`), timestamps turned into RFC 3339 strings, keys in
//! v2's order. [`Val`] is that result.

use super::number::{
    Number, float_through_json, is_yaml_style_float, parse_go_float, parse_int_radix,
    parse_uint_radix,
};
use super::order::sort_by_key;
use super::timestamp;
use crate::load::yaml::node::{Node, Tag, Value};
use crate::load::yaml::resolve::{parse_go_int, parse_go_uint};
use base64::Engine;

#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Null,
    Bool(bool),
    Number(Number),
    Str(String),
    Seq(Vec<Val>),
    /// Keys already in go-yaml v2's order.
    Map(Vec<(String, Val)>),
}

/// What a go-yaml v3 scalar decodes to in an `interface{}`.
enum GoScalar {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Time(timestamp::Timestamp),
    Str(String),
}

impl Val {
    /// Runs `node` through the decode / JSON / re-read chain.
    pub fn from_node(node: &Node) -> Val {
        match &node.value {
            Value::Seq(items) => Val::Seq(items.iter().map(Val::from_node).collect()),
            Value::Map(map) => {
                let mut entries: Vec<(String, Val)> = Vec::with_capacity(map.len());
                for e in &map.entries {
                    let v = Val::from_node(&e.value);
                    // A Go map keeps one value per key: the last one.
                    match entries.iter_mut().find(|(k, _)| *k == e.key) {
                        Some(slot) => slot.1 = v,
                        None => entries.push((e.key.clone(), v)),
                    }
                }
                sort_by_key(&mut entries);
                Val::Map(entries)
            }
            Value::Scalar(s) => match decode_scalar(&s.text, &s.tag) {
                GoScalar::Null => Val::Null,
                GoScalar::Bool(b) => Val::Bool(b),
                // JSON prints integers exactly and v2 reads them back as
                // the same integer.
                GoScalar::Int(i) => Val::Number(Number::Int(i)),
                GoScalar::Uint(u) => Val::Number(Number::Uint(u)),
                GoScalar::Float(f) => Val::Number(float_through_json(f)),
                GoScalar::Time(t) => Val::Str(t.to_rfc3339_nano()),
                GoScalar::Str(s) => Val::Str(s),
            },
        }
    }
}

/// go-yaml v3's decoding of a scalar with a resolved tag into `interface{}`.
/// Text that does not fit its tag (kustomize would fail) stays a string.
fn decode_scalar(text: &str, tag: &Tag) -> GoScalar {
    match tag {
        Tag::Str | Tag::Custom(_) => GoScalar::Str(text.to_string()),
        Tag::Binary => GoScalar::Str(decode_binary(text)),
        Tag::Null => GoScalar::Null,
        Tag::Bool | Tag::Int | Tag::Float | Tag::Timestamp => resolve_v3(text),
    }
}

/// go-yaml v3's resolver for a scalar it may read as a non-string.
fn resolve_v3(text: &str) -> GoScalar {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return GoScalar::Null,
        "true" | "True" | "TRUE" => return GoScalar::Bool(true),
        "false" | "False" | "FALSE" => return GoScalar::Bool(false),
        ".nan" | ".NaN" | ".NAN" => return GoScalar::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return GoScalar::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return GoScalar::Float(f64::NEG_INFINITY),
        _ => {}
    }
    match text.as_bytes()[0] {
        b'.' => {
            if let Some(f) = parse_go_float(text) {
                return GoScalar::Float(f);
            }
        }
        b'0'..=b'9' | b'+' | b'-' => {
            if let Some(t) = timestamp::parse(text) {
                return GoScalar::Time(t);
            }
            if let Some(n) = resolve_number(&text.replace('_', "")) {
                return n;
            }
        }
        _ => {}
    }
    GoScalar::Str(text.to_string())
}

/// Ints (Go base-0 syntax, then `0b`/`0o` forms), uints and floats.
fn resolve_number(plain: &str) -> Option<GoScalar> {
    if let Some(i) = parse_go_int(plain) {
        return Some(GoScalar::Int(i));
    }
    if let Some(u) = parse_go_uint(plain) {
        return Some(GoScalar::Uint(u));
    }
    if let Some(f) = parse_go_float(plain).filter(|_| is_yaml_style_float(plain)) {
        return Some(GoScalar::Float(f));
    }
    for (prefix, radix) in [("0b", 2), ("0o", 8)] {
        if let Some(rest) = plain.strip_prefix(prefix) {
            if let Some(i) = parse_int_radix(rest, radix) {
                return Some(GoScalar::Int(i));
            }
            return parse_uint_radix(rest, radix).map(GoScalar::Uint);
        }
        if let Some(rest) = plain.strip_prefix('-').and_then(|r| r.strip_prefix(prefix)) {
            return parse_int_radix(&format!("-{rest}"), radix).map(GoScalar::Int);
        }
    }
    None
}

/// `!!binary` decodes to its bytes; JSON then replaces each byte that is
/// not valid UTF-8 with U+FFFD. Undecodable text is kept as is.
fn decode_binary(text: &str) -> String {
    let compact: String = text.chars().filter(|c| *c != '\n' && *c != '\r').collect();
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(compact) else {
        return text.to_string();
    };
    let mut out = String::new();
    let mut rest = bytes.as_slice();
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                // Just validated: `good` is UTF-8.
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                out.push('\u{FFFD}');
                rest = &bad[1..];
            }
        }
    }
}
