//! Text forms of nodes that replacements need: the YAML kyaml prints for a
//! node (list item selectors match against it, and YAML held in a string
//! field is written back in it) and the JSON Go's encoder writes (JSON held
//! in a string field).

use crate::load::yaml::resolve::resolve_plain;
use crate::load::yaml::{Node, Scalar, Style, Tag, Value};

/// The YAML text of a node, close to what go-yaml v3 prints for it (two
/// space indent, list items level with their key, styles kept).
pub fn scalar_as_yaml(n: &Node) -> String {
    let mut out = String::new();
    match &n.value {
        Value::Scalar(s) => out.push_str(&scalar(s, 0)),
        _ => block(n, 0, &mut out),
    }
    out
}

fn block(n: &Node, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match &n.value {
        Value::Map(m) if m.is_empty() => out.push_str(&format!("{pad}{{}}\n")),
        Value::Seq(s) if s.is_empty() => out.push_str(&format!("{pad}[]\n")),
        Value::Map(m) => {
            for e in &m.entries {
                out.push_str(&format!("{pad}{}:", key(&e.key)));
                value_after_key(&e.value, indent, true, out);
            }
        }
        Value::Seq(items) => {
            for item in items {
                out.push_str(&format!("{pad}-"));
                value_after_key(item, indent, false, out);
            }
        }
        Value::Scalar(s) => out.push_str(&format!("{pad}{}\n", scalar(s, indent))),
    }
}

/// Writes a value after `key:` or `-`; nested mappings of list items start
/// on the dash line, as go-yaml does.
fn value_after_key(v: &Node, indent: usize, in_map: bool, out: &mut String) {
    match &v.value {
        Value::Scalar(s) => out.push_str(&format!(" {}\n", scalar(s, indent + 2))),
        Value::Map(m) if m.is_empty() => out.push_str(" {}\n"),
        Value::Seq(s) if s.is_empty() => out.push_str(" []\n"),
        Value::Seq(_) if in_map => {
            out.push('\n');
            block(v, indent, out);
        }
        Value::Map(_) if !in_map => {
            let mut nested = String::new();
            block(v, indent + 2, &mut nested);
            out.push(' ');
            out.push_str(nested.trim_start());
        }
        _ => {
            out.push('\n');
            block(v, indent + 2, out);
        }
    }
}

fn key(k: &str) -> String {
    if needs_quotes(k) || resolve_plain(k) != Tag::Str {
        single_quoted(k)
    } else {
        k.to_string()
    }
}

fn scalar(s: &Scalar, indent: usize) -> String {
    match s.style {
        Style::DoubleQuoted => return double_quoted(&s.text),
        Style::SingleQuoted if !s.text.contains('\n') => return single_quoted(&s.text),
        Style::Literal | Style::Folded | Style::SingleQuoted => return literal(&s.text, indent),
        Style::Plain => {}
    }
    match s.tag {
        Tag::Null if s.text.is_empty() => "null".into(),
        Tag::Str => {
            if s.text.contains('\n') {
                literal(&s.text, indent)
            } else if resolve_plain(&s.text) != Tag::Str {
                double_quoted(&s.text)
            } else if needs_quotes(&s.text) {
                single_quoted(&s.text)
            } else {
                s.text.clone()
            }
        }
        _ => s.text.clone(),
    }
}

/// Whether a string cannot be written plain.
fn needs_quotes(t: &str) -> bool {
    let Some(first) = t.chars().next() else {
        return true;
    };
    t.starts_with(' ')
        || t.ends_with(' ')
        || "-?:,[]{}#&*!|>'\"%@`".contains(first)
            && !(matches!(first, '-' | '?' | ':') && t.len() > 1 && !t[1..].starts_with(' '))
        || t.contains(": ")
        || t.contains(" #")
        || t.ends_with(':')
        || t.chars().any(|c| c.is_control())
}

fn single_quoted(t: &str) -> String {
    format!("'{}'", t.replace('\'', "''"))
}

fn double_quoted(t: &str) -> String {
    let mut out = String::from("\"");
    for c in t.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn literal(t: &str, indent: usize) -> String {
    let chomp = if t.ends_with('\n') { "" } else { "-" };
    let pad = " ".repeat(indent.max(2));
    let body: Vec<String> = t
        .trim_end_matches('\n')
        .split('\n')
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect();
    format!("|{chomp}\n{}", body.join("\n"))
}

/// Why a node has no JSON form (Go's encoder refuses the same values).
#[derive(Debug)]
pub struct JsonError(pub String);

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// JSON as Go's `json.Marshal` writes YAML decoded into plain values: keys
/// sorted, HTML characters escaped, `pretty` indents by two spaces.
pub fn to_go_json(n: &Node, pretty: bool) -> Result<String, JsonError> {
    let mut out = String::new();
    json_value(n, pretty, 0, &mut out)?;
    Ok(out)
}

fn json_value(n: &Node, pretty: bool, depth: usize, out: &mut String) -> Result<(), JsonError> {
    let nl = |out: &mut String, d: usize| {
        if pretty {
            out.push('\n');
            out.push_str(&"  ".repeat(d));
        }
    };
    match &n.value {
        Value::Map(m) => {
            if m.is_empty() {
                out.push_str("{}");
                return Ok(());
            }
            let mut entries: Vec<_> = m.entries.iter().collect();
            entries.sort_by(|a, b| a.key.cmp(&b.key));
            entries.dedup_by(|a, b| a.key == b.key);
            out.push('{');
            for (i, e) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                nl(out, depth + 1);
                json_string(&e.key, out);
                out.push_str(if pretty { ": " } else { ":" });
                json_value(&e.value, pretty, depth + 1, out)?;
            }
            nl(out, depth);
            out.push('}');
        }
        Value::Seq(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return Ok(());
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                nl(out, depth + 1);
                json_value(item, pretty, depth + 1, out)?;
            }
            nl(out, depth);
            out.push(']');
        }
        Value::Scalar(s) => json_scalar(s, out)?,
    }
    Ok(())
}

fn json_scalar(s: &Scalar, out: &mut String) -> Result<(), JsonError> {
    match s.tag {
        Tag::Null => out.push_str("null"),
        Tag::Bool => out.push_str(if s.text.eq_ignore_ascii_case("true") {
            "true"
        } else {
            "false"
        }),
        Tag::Int => match parse_yaml_int(&s.text) {
            Some(v) => out.push_str(&v.to_string()),
            None => {
                return Err(JsonError(format!(
                    "cannot decode !!str `{}` as a !!int",
                    s.text
                )));
            }
        },
        Tag::Float => {
            let f = parse_yaml_float(&s.text).ok_or_else(|| {
                JsonError(format!("cannot decode !!str `{}` as a !!float", s.text))
            })?;
            if !f.is_finite() {
                return Err(JsonError(format!("json: unsupported value: {f}")));
            }
            out.push_str(&go_float(f));
        }
        _ => json_string(&s.text, out),
    }
    Ok(())
}

/// go-yaml's integer forms: underscores ignored, `0x`/`0o`/`0b` and a
/// leading `0` (octal) prefixes, optional sign.
fn parse_yaml_int(t: &str) -> Option<i128> {
    let plain: String = t.chars().filter(|c| *c != '_').collect();
    let (neg, body) = match plain.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, plain.strip_prefix('+').unwrap_or(&plain)),
    };
    let v = if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        i128::from_str_radix(h, 16).ok()?
    } else if let Some(o) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        i128::from_str_radix(o, 8).ok()?
    } else if let Some(b) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        i128::from_str_radix(b, 2).ok()?
    } else if body.len() > 1 && body.starts_with('0') {
        i128::from_str_radix(&body[1..], 8).ok()?
    } else {
        body.parse().ok()?
    };
    Some(if neg { -v } else { v })
}

fn parse_yaml_float(t: &str) -> Option<f64> {
    let plain: String = t.chars().filter(|c| *c != '_').collect();
    match plain.to_ascii_lowercase().as_str() {
        ".inf" | "+.inf" => Some(f64::INFINITY),
        "-.inf" => Some(f64::NEG_INFINITY),
        ".nan" => Some(f64::NAN),
        p => p.parse().ok(),
    }
}

/// Go's JSON float format: shortest digits, exponent form outside
/// [1e-6, 1e21) written `1e+21` / `1e-7`.
fn go_float(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = format!("{f:e}");
        match s.split_once('e') {
            Some((m, e)) if e.starts_with('-') => format!("{m}e{e}"),
            Some((m, e)) => format!("{m}e+{e}"),
            None => s,
        }
    } else {
        format!("{f}")
    }
}

fn json_string(t: &str, out: &mut String) {
    out.push('"');
    for c in t.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse_single;

    #[test]
    fn json_sorts_keys_and_escapes_like_go() {
        let n = parse_single(
            "x",
            "{\"b\": 1, \"a\": \"<x>\", \"c\": [1.5, true, null, 1e21]}",
        )
        .unwrap();
        assert_eq!(
            to_go_json(&n, false).unwrap(),
            r#"{"a":"\u003cx\u003e","b":1,"c":[1.5,true,null,1e+21]}"#
        );
        assert_eq!(
            to_go_json(&n.get("c").unwrap().clone(), true).unwrap(),
            "[\n  1.5,\n  true,\n  null,\n  1e+21\n]"
        );
    }

    #[test]
    fn yaml_quotes_strings_that_would_change_type() {
        assert_eq!(scalar_as_yaml(&Node::string("123")), "\"123\"");
        assert_eq!(scalar_as_yaml(&Node::string("app")), "app");
        assert_eq!(scalar_as_yaml(&Node::string("a: b")), "'a: b'");
        let n = parse_single("x", "a: 1\nl:\n- x: 1\n  y: 2\n- z\n").unwrap();
        assert_eq!(scalar_as_yaml(&n), "a: 1\nl:\n- x: 1\n  y: 2\n- z\n");
    }
}
