//! The ConfigMap or Secret object a generator makes from its pairs.

use super::args::{DataKind, GeneratorArgs};
use super::decode::MapItem;
use super::sources::KvPair;
use crate::hydrate::kustomize::error::{KustError, Result};
use crate::hydrate::kustomize::resource::Resource;
use crate::load::yaml::{Entry, Map, Node, Scalar, Span, Style, Tag, Value};
use base64::Engine;

/// Builds the generated object. Its nodes carry the spans of the config
/// that produced them: the entry for the frame, each pair's source for
/// its data value.
pub fn make(args: &GeneratorArgs, pairs: Vec<KvPair>) -> Result<Resource> {
    let at = args.span.clone();
    let Some(name) = args.name.as_ref().filter(|n| !n.text.is_empty()) else {
        // kustomize says "configmap" for Secrets too.
        return Err(KustError::invalid("a configmap must have a name").at(at.as_ref()));
    };
    let mut obj = Map::default();
    push(
        &mut obj,
        "apiVersion",
        at.clone(),
        Node::string("v1").with_span(at.clone()),
    );
    push(
        &mut obj,
        "kind",
        at.clone(),
        Node::string(args.kind.kind()).with_span(at.clone()),
    );
    let mut meta = Map::default();
    push(
        &mut meta,
        "name",
        name.span.clone(),
        Node::string(&name.text).with_span(name.span.clone()),
    );
    if let Some(ns) = args.namespace.as_ref().filter(|n| !n.text.is_empty()) {
        push(
            &mut meta,
            "namespace",
            ns.span.clone(),
            Node::string(&ns.text).with_span(ns.span.clone()),
        );
    }
    for (field, items) in [
        ("labels", &args.options.labels),
        ("annotations", &args.options.annotations),
    ] {
        if !items.is_empty() {
            push(
                &mut meta,
                field,
                at.clone(),
                string_map(items).with_span(at.clone()),
            );
        }
    }
    push(
        &mut obj,
        "metadata",
        at.clone(),
        Node::new(Value::Map(meta)).with_span(at.clone()),
    );

    let mut pairs = pairs;
    pairs.sort_by(|a, b| a.key.cmp(&b.key));
    match args.kind {
        DataKind::ConfigMap => {
            let mut data = Map::default();
            let mut binary = Map::default();
            for p in pairs {
                match String::from_utf8(p.value) {
                    Ok(text) => push(
                        &mut data,
                        &p.key,
                        p.key_span,
                        data_value(text, p.value_span),
                    ),
                    Err(e) => {
                        let encoded = encode_base64(e.as_bytes());
                        push(
                            &mut binary,
                            &p.key,
                            p.key_span,
                            data_value(encoded, p.value_span),
                        );
                    }
                }
            }
            // kustomize adds each map only when it has an entry.
            if !data.is_empty() {
                push(
                    &mut obj,
                    "data",
                    at.clone(),
                    Node::new(Value::Map(data)).with_span(at.clone()),
                );
            }
            if !binary.is_empty() {
                push(
                    &mut obj,
                    "binaryData",
                    at.clone(),
                    Node::new(Value::Map(binary)).with_span(at.clone()),
                );
            }
        }
        DataKind::Secret => {
            let (ty, ty_span) = match &args.secret_type {
                Some(t) if !t.text.is_empty() => (t.text.as_str(), t.span.clone()),
                _ => ("Opaque", at.clone()),
            };
            push(
                &mut obj,
                "type",
                ty_span.clone(),
                Node::string(ty).with_span(ty_span),
            );
            // A Secret always has `data`, even when empty.
            let mut data = Map::default();
            for p in pairs {
                push(
                    &mut data,
                    &p.key,
                    p.key_span,
                    data_value(encode_base64(&p.value), p.value_span),
                );
            }
            push(
                &mut obj,
                "data",
                at.clone(),
                Node::new(Value::Map(data)).with_span(at.clone()),
            );
        }
    }
    if args.options.immutable {
        let span = args.options.immutable_span.clone().or(at.clone());
        push(
            &mut obj,
            "immutable",
            span.clone(),
            Node::bool(true).with_span(span),
        );
    }
    Resource::new(Node::new(Value::Map(obj)).with_span(at))
}

fn push(map: &mut Map, key: &str, key_span: Option<Span>, value: Node) {
    map.entries.push(Entry {
        key: key.to_string(),
        key_span,
        value,
    });
}

/// Labels or annotations as a string map, keys sorted as kustomize sets them.
fn string_map(items: &[MapItem]) -> Node {
    let mut sorted: Vec<&MapItem> = items.iter().collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    let mut m = Map::default();
    for i in sorted {
        push(
            &mut m,
            &i.key,
            i.key_span.clone(),
            Node::string(&i.value).with_span(i.span.clone()),
        );
    }
    Node::new(Value::Map(m))
}

/// A `data` value: a string, in literal block style when multi-line.
pub fn data_value(text: String, span: Option<Span>) -> Node {
    let style = if text.contains('\n') {
        Style::Literal
    } else {
        Style::Plain
    };
    Node::new(Value::Scalar(Scalar {
        text,
        tag: Tag::Str,
        style,
    }))
    .with_span(span)
}

/// Standard base64, broken into lines of 70 characters when longer; a
/// multi-line result ends with a newline (kustomize's encoding).
pub fn encode_base64(bytes: &[u8]) -> String {
    const LINE: usize = 70;
    let flat = base64::engine::general_purpose::STANDARD.encode(bytes);
    if flat.len() / LINE == 0 {
        return flat;
    }
    let mut out = String::with_capacity(flat.len() + flat.len() / LINE + 1);
    for chunk in flat.as_bytes().chunks(LINE) {
        // base64 output is ASCII, so any byte boundary is a char boundary.
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hydrate::kustomize::generate::decode::{Decoder, Mode};
    use crate::load::yaml::parse_single;

    fn args(kind: DataKind, text: &str) -> GeneratorArgs {
        let n = parse_single("k.yaml", text).unwrap();
        GeneratorArgs::decode(kind, &n, &Decoder::new(Mode::Strict, "k", "g"), true).unwrap()
    }

    fn pair(k: &str, v: &[u8]) -> KvPair {
        KvPair {
            key: k.into(),
            value: v.to_vec(),
            key_span: None,
            value_span: None,
        }
    }

    #[test]
    fn base64_lines_are_seventy_chars() {
        assert_eq!(encode_base64(b"apple"), "YXBwbGU=");
        assert_eq!(encode_base64(b""), "");
        let long = encode_base64(&[0xffu8; 60]);
        let lines: Vec<&str> = long.split_terminator('\n').collect();
        assert_eq!(lines.iter().map(|l| l.len()).collect::<Vec<_>>(), [70, 10]);
        assert!(long.ends_with('\n'));
        // 68 characters fit one line; 72 need two, and end with a newline.
        assert_eq!(encode_base64(&[0u8; 51]).len(), 68);
        assert!(encode_base64(&[0u8; 54]).ends_with('\n'));
    }

    #[test]
    fn binary_files_go_to_binary_data() {
        let a = args(DataKind::ConfigMap, "name: cm\nnamespace: ns\n");
        let r = make(&a, vec![pair("b", b"\xffhello"), pair("a", b"text\n")]).unwrap();
        assert_eq!(
            r.node
                .get_path(&["data", "a"])
                .unwrap()
                .as_scalar()
                .unwrap()
                .style,
            Style::Literal
        );
        assert_eq!(
            r.node.get_path(&["binaryData", "b"]).unwrap().as_str(),
            Some("/2hlbGxv")
        );
        assert_eq!(r.namespace(), "ns");
    }

    #[test]
    fn secrets_default_to_opaque_and_always_have_data() {
        let a = args(
            DataKind::Secret,
            "name: s\noptions: {immutable: true, labels: {b: '1', a: x}}\n",
        );
        let r = make(&a, vec![]).unwrap();
        assert_eq!(r.node.get_str("type"), Some("Opaque"));
        assert!(r.node.get("data").unwrap().as_map().unwrap().is_empty());
        assert_eq!(
            r.node.get("immutable").unwrap().as_scalar().unwrap().tag,
            Tag::Bool
        );
        let keys: Vec<&str> = r
            .node
            .get_path(&["metadata", "labels"])
            .unwrap()
            .as_map()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(keys, ["a", "b"]);
    }

    #[test]
    fn a_name_is_required() {
        let a = args(DataKind::ConfigMap, "literals: [a=b]\n");
        assert_eq!(
            make(&a, vec![]).unwrap_err().message,
            "a configmap must have a name"
        );
    }
}
