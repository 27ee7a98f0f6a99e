//! The content hash kustomize appends to generated names.
//!
//! For a ConfigMap it covers kind, `data` and (when present) `binaryData`;
//! for a Secret kind, `type`, `data` and (when present) `stringData`. A
//! `name` key is written too but is always empty (see [`encode_fields`]). Those fields are written as Go's `encoding/json` writes a
//! map (sorted keys, HTML-safe escapes), hashed with SHA-256, and the first
//! ten hex digits are made less word-like by swapping `0 1 3 a e` for
//! `g h k m t`.

use crate::hydrate::kustomize::resource::Resource;
use crate::load::yaml::resolve::{parse_go_float, parse_go_int};
use crate::load::yaml::{Node, Tag, Value};
use sha2::{Digest, Sha256};
use std::fmt::Write;

/// The suffix for `r`'s name (without the dash).
pub fn content_hash(r: &Resource) -> String {
    let encoded = match r.kind() {
        "ConfigMap" => encode_fields(
            &r.node,
            "ConfigMap",
            &[("data", true), ("binaryData", false)],
        ),
        "Secret" => encode_fields(
            &r.node,
            "Secret",
            &[("type", true), ("data", true), ("stringData", false)],
        ),
        // kustomize hashes other kinds from its internal node dump, which
        // cannot be reproduced; the whole object is the closest stand-in.
        _ => go_json(&r.node),
    };
    encode_hex(&hex_sha256(&encoded))
}

/// `{"kind":…,"name":…, fields…}` with keys sorted. A field marked
/// `always` is written as `""` when absent; an optional one only when it
/// is a mapping.
fn encode_fields(node: &Node, kind: &str, fields: &[(&str, bool)]) -> String {
    let mut entries: Vec<(&str, String)> = vec![
        ("kind", go_string(kind)),
        // kustomize looks the name up as one top-level key spelled
        // `metadata/name`, which objects do not have: the name never
        // counts, and "" is hashed in its place.
        ("name", field_json(node.get("metadata/name"))),
    ];
    for (field, always) in fields {
        let value = node.get(field).filter(|n| !n.is_null());
        if *always || value.is_some_and(Node::is_map) {
            entries.push((field, field_json(value)));
        }
    }
    entries.sort_by(|a, b| a.0.cmp(b.0));
    let body: Vec<String> = entries
        .iter()
        .map(|(k, v)| format!("{}:{v}", go_string(k)))
        .collect();
    format!("{{{}}}", body.join(","))
}

/// How kustomize reads one field for the hash: a scalar by its text, a
/// mapping as JSON, anything else (a list) as a failed map decode: null.
fn field_json(n: Option<&Node>) -> String {
    match n.filter(|n| !n.is_null()) {
        None => go_string(""),
        Some(n) => match &n.value {
            Value::Scalar(s) => go_string(&s.text),
            Value::Map(_) => go_json(n),
            Value::Seq(_) => "null".to_string(),
        },
    }
}

/// A node as Go marshals its JSON form: keys sorted, numbers as float64.
fn go_json(n: &Node) -> String {
    match &n.value {
        Value::Map(m) => {
            let mut entries: Vec<(&str, &Node)> = m.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            let body: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{}:{}", go_string(k), go_json(v)))
                .collect();
            format!("{{{}}}", body.join(","))
        }
        Value::Seq(items) => format!(
            "[{}]",
            items.iter().map(go_json).collect::<Vec<_>>().join(",")
        ),
        Value::Scalar(s) => match s.tag {
            Tag::Null => "null".into(),
            Tag::Bool => s.text.to_ascii_lowercase(),
            Tag::Int => parse_go_int(&s.text)
                .map(|i| go_number(i as f64))
                .unwrap_or_else(|| go_string(&s.text)),
            Tag::Float => parse_go_float(&s.text)
                .filter(|f| f.is_finite())
                .map(go_number)
                .unwrap_or_else(|| go_string(&s.text)),
            _ => go_string(&s.text),
        },
    }
}

/// A float64 as Go's JSON encoder prints it (integral values without a
/// fraction; exponent form outside [1e-6, 1e21)).
fn go_number(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = format!("{f:e}");
        // Go writes at least two exponent digits: 1e-07, 1e+21.
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let (sign, digits) = match exp.strip_prefix('-') {
            Some(d) => ('-', d),
            None => ('+', exp),
        };
        return format!("{mantissa}e{sign}{digits:0>2}");
    }
    format!("{f}")
}

/// A JSON string as Go writes it: `<`, `>`, `&`, U+2028 and U+2029 are
/// escaped, other control characters use short or `\u00xx` forms.
pub fn go_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn hex_sha256(data: &str) -> String {
    let digest = Sha256::digest(data.as_bytes());
    let mut hex = String::with_capacity(64);
    for b in digest.iter() {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

/// The first ten hex digits with `0 1 3 a e` swapped for `g h k m t`, so
/// the suffix is unlikely to spell words or look like a number.
fn encode_hex(hex: &str) -> String {
    hex.chars()
        .take(10)
        .map(|c| match c {
            '0' => 'g',
            '1' => 'h',
            '3' => 'k',
            'a' => 'm',
            'e' => 't',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse_single;

    fn hash_of(yaml: &str) -> String {
        let r = Resource::new(parse_single("r.yaml", yaml).unwrap()).unwrap();
        content_hash(&r)
    }

    // Expected names come from the conformance corpus (kustomize output).
    #[test]
    fn config_map_hashes_match_kustomize() {
        let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: test\ndata:\n";
        assert_eq!(
            hash_of(&format!("{cm}  TEST: \"this is a 'test'\"\n")),
            "k9cc55dfm5"
        );
        assert_eq!(hash_of(&format!("{cm}  TEST: \"'\"\n")), "m8t7bmb6g2");
        let props = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: test-configmap\ndata:\n  VAR1: \"100\"\n  VAR2: \"200\"\n";
        assert_eq!(hash_of(props), "hdghb5ddkg");
        let multi = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: testing\ndata:\n  initial.txt: |\n    greetings\n    everyone\n  final.txt: |\n    different\n    behavior\n";
        assert_eq!(hash_of(multi), "tt4769fb52");
    }

    #[test]
    fn binary_data_counts_when_present() {
        let line = "/2hlbGxv".repeat(30);
        let mut wrapped = String::new();
        for chunk in line.as_bytes().chunks(70) {
            wrapped.push_str(std::str::from_utf8(chunk).unwrap());
            wrapped.push_str("\\n");
        }
        let yaml = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p1-com1\nbinaryData:\n  data.bin: \"{wrapped}\"\n"
        );
        assert_eq!(hash_of(&yaml), "96gmmt6gt5");
    }

    #[test]
    fn secret_hashes_match_kustomize() {
        let s = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: bob\ntype: Opaque\ndata:\n  FRUIT: YXBwbGU=\n  MOUNTAIN: ZXZlcmVzdA==\n  OCEAN: cGFjaWZpYw==\n  VEGETABLE: Y2Fycm90\n  foo.env: Ck1PVU5UQUlOPWV2ZXJlc3QKT0NFQU49cGFjaWZpYwo=\n  passphrase: ZGF0IHBocmFzZQ==\n";
        assert_eq!(hash_of(s), "bh645k7tmg");
    }

    // Expected values from kustomize's own hasher tests.
    #[test]
    fn hasher_reference_values() {
        let cm = "apiVersion: v1\nkind: ConfigMap\n";
        assert_eq!(hash_of(cm), "6ct58987ht");
        assert_eq!(
            hash_of(&format!("{cm}data:\n  two: 2\n  one: \"\"\n  three: 3\n")),
            "7757f9kkct"
        );
        assert_eq!(
            hash_of(&format!(
                "{cm}binaryData:\n  two: 2\n  one: \"\"\n  three: 3\n"
            )),
            "9th7kc28dg"
        );
        assert_eq!(
            hash_of(&format!(
                "{cm}data:\n  one: \"\"\nbinaryData:\n  two: \"\"\n"
            )),
            "698h7c7t9m"
        );
        let secret = "apiVersion: v1\nkind: Secret\ntype: my-type\n";
        assert_eq!(hash_of(secret), "5gmgkf8578");
        assert_eq!(
            hash_of(&format!(
                "{secret}data:\n  two: 2\n  one: \"\"\n  three: 3\n"
            )),
            "4gf75c7476"
        );
        assert_eq!(
            hash_of(&format!(
                "{secret}data:\n  one: \"\"\nstringData:\n  two: 2\n"
            )),
            "c4h4264gdb"
        );
    }

    #[test]
    fn names_do_not_count() {
        let a = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n";
        assert_eq!(hash_of(a), hash_of(&a.replace("name: a", "name: b")));
    }

    #[test]
    fn go_json_escapes() {
        assert_eq!(
            go_string("a<b>&\"\\\n\u{1}\u{2028}é"),
            "\"a\\u003cb\\u003e\\u0026\\\"\\\\\\n\\u0001\\u2028é\""
        );
        assert_eq!(go_number(100.0), "100");
        assert_eq!(go_number(0.5), "0.5");
        assert_eq!(go_number(1e21), "1e+21");
        assert_eq!(go_number(1e-7), "1e-07");
    }

    #[test]
    fn hex_digits_are_swapped() {
        assert_eq!(encode_hex("0123456789abcdef"), "gh2k456789");
    }
}
