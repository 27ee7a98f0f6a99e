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
use std::collections::HashMap;

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
                let mut slots: HashMap<String, usize> = HashMap::with_capacity(map.len());
                for e in &map.entries {
                    let key = reread_json_string(&e.key);
                    let v = Val::from_node(&e.value);
                    // A Go map keeps one value per key: the last one.
                    match slots.get(&key) {
                        Some(&i) => entries[i].1 = v,
                        None => {
                            slots.insert(key.clone(), entries.len());
                            entries.push((key, v));
                        }
                    }
                }
                Val::Map(sort_by_key(entries))
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
                GoScalar::Str(s) => Val::Str(reread_json_string(&s)),
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

/// A string after `encoding/json` wrote it and go-yaml v2 read it back.
/// JSON escapes every control character and line break except NEL
/// (U+0085), which it leaves raw; YAML then folds a raw NEL inside the
/// double-quoted JSON string like any line break: a lone break between
/// text becomes a space (eating the spaces before it and after it), a run
/// of n breaks becomes n-1 line feeds.
fn reread_json_string(s: &str) -> String {
    if !s.contains('\u{85}') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    loop {
        while let Some(&c) = chars.peek().filter(|c| **c != ' ' && **c != '\u{85}') {
            out.push(c);
            chars.next();
        }
        if chars.peek().is_none() {
            return out;
        }
        let mut spaces = 0;
        let mut breaks = 0;
        while let Some(&c) = chars.peek().filter(|c| **c == ' ' || **c == '\u{85}') {
            if c == ' ' {
                // Spaces after the first break are indentation: dropped.
                if breaks == 0 {
                    spaces += 1;
                }
            } else {
                breaks += 1;
            }
            chars.next();
        }
        match breaks {
            0 => out.extend(std::iter::repeat_n(' ', spaces)),
            1 => out.push(' '),
            n => out.extend(std::iter::repeat_n('\n', n - 1)),
        }
    }
}
