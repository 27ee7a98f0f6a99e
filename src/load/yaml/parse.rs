//! Builds [`Node`] trees from saphyr's event stream, with spans, anchors
//! expanded, merge keys applied and limits on what hostile input can cost.

use super::node::{Entry, Map, Node, Scalar, Span, Style, Tag, Value};
use super::resolve::resolve_plain;
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};
use std::collections::HashMap;
use std::sync::Arc;

/// Deepest nesting accepted; real manifests stay far below it.
pub const MAX_DEPTH: usize = 1000;
/// Nodes that alias expansion may add per document beyond this many times
/// the parsed events (stops "billion laughs" documents).
const ALIAS_BUDGET_FACTOR: usize = 20;
const ALIAS_BUDGET_FLOOR: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    pub message: String,
    pub span: Span,
}

/// Parses every document of `text`. Empty documents come back as null nodes.
pub fn parse_documents(file: &str, text: &str) -> Result<Vec<Node>, YamlError> {
    let mut b = Builder::new(file, text);
    b.run()?;
    Ok(b.docs)
}

/// Parses a file that must hold exactly one document (a kustomization,
/// a patch); an empty file gives a null node.
pub fn parse_single(file: &str, text: &str) -> Result<Node, YamlError> {
    let docs = parse_documents(file, text)?;
    Ok(docs.into_iter().next().unwrap_or_default())
}

/// Like [`parse_single`], but a key repeated in a mapping takes the last
/// value instead of failing: kustomize reads kustomization files through a
/// JSON decoder that behaves so.
pub fn parse_single_last_key_wins(file: &str, text: &str) -> Result<Node, YamlError> {
    let mut b = Builder::new(file, text);
    b.last_key_wins = true;
    b.run()?;
    Ok(b.docs.into_iter().next().unwrap_or_default())
}

enum Frame {
    Seq {
        items: Vec<Node>,
        span: Option<Span>,
        anchor: usize,
    },
    Map {
        map: Map,
        span: Option<Span>,
        anchor: usize,
        pending_key: Option<(Node, Option<Span>)>,
        merges: Vec<Node>,
    },
}

struct Builder<'a> {
    file: Arc<str>,
    text: &'a str,
    /// char index -> byte offset, only for non-ASCII input.
    char_bytes: Option<Vec<usize>>,
    docs: Vec<Node>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    events: usize,
    expanded: usize,
    last_key_wins: bool,
}

impl<'a> Builder<'a> {
    fn new(file: &str, text: &'a str) -> Self {
        let char_bytes = (!text.is_ascii()).then(|| {
            let mut v: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            v.push(text.len());
            v
        });
        Builder {
            file: Arc::from(file),
            text,
            char_bytes,
            docs: Vec::new(),
            stack: Vec::new(),
            anchors: HashMap::new(),
            events: 0,
            expanded: 0,
            last_key_wins: false,
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.char_bytes {
            Some(v) => v.get(char_index).copied().unwrap_or(self.text.len()),
            None => char_index.min(self.text.len()),
        }
    }

    fn span(&self, s: &saphyr_parser::Span) -> Span {
        Span {
            file: self.file.clone(),
            line: s.start.line() as u32,
            col: s.start.col() as u32 + 1,
            start: self.byte(s.start.index()),
            end: self.byte(s.end.index()),
        }
    }

    fn error(&self, message: impl Into<String>, span: Span) -> YamlError {
        YamlError {
            message: message.into(),
            span,
        }
    }

    fn scan_error(&self, e: &ScanError) -> YamlError {
        let m = e.marker();
        let start = self.byte(m.index());
        // saphyr counts flow nesting in a u8; say what that means.
        let info = match e.info() {
            "recursion limit exceeded" => {
                "flow collections ([...] or {...}) nested deeper than 255 levels; refusing to read further"
            }
            other => other,
        };
        self.error(
            info.to_string(),
            Span {
                file: self.file.clone(),
                line: m.line() as u32,
                col: m.col() as u32 + 1,
                start,
                end: start,
            },
        )
    }

    fn run(&mut self) -> Result<(), YamlError> {
        let mut parser = Parser::new_from_str(self.text);
        let mut doc_open = false;
        let mut root: Option<Node> = None;
        loop {
            let (event, span) = match parser.next_event() {
                None => break,
                Some(Err(e)) => return Err(self.scan_error(&e)),
                Some(Ok(ev)) => ev,
            };
            self.events += 1;
            let sp = self.span(&span);
            match event {
                Event::StreamStart | Event::Nothing => {}
                Event::StreamEnd => break,
                Event::DocumentStart(_) => {
                    doc_open = true;
                    root = None;
                    self.anchors.clear();
                    self.expanded = 0;
                }
                Event::DocumentEnd => {
                    if doc_open {
                        self.docs.push(root.take().unwrap_or_default());
                    }
                    doc_open = false;
                }
                Event::Scalar(text, style, anchor, tag) => {
                    let node = Node {
                        value: Value::Scalar(make_scalar(&text, style, tag.as_deref())),
                        span: Some(sp.clone()),
                    };
                    if anchor > 0 {
                        self.anchors.insert(anchor, node.clone());
                    }
                    self.push_value(node, sp, &mut root)?;
                }
                Event::Alias(id) => {
                    let Some(node) = self.anchors.get(&id).cloned() else {
                        return Err(self.error("unknown anchor", sp));
                    };
                    self.expanded += count_nodes(&node);
                    let budget = (self.events * ALIAS_BUDGET_FACTOR).max(ALIAS_BUDGET_FLOOR);
                    if self.expanded > budget {
                        return Err(self.error(
                            format!(
                                "aliases expand to more than {budget} nodes; refusing a document that grows this much (a YAML bomb?)"
                            ),
                            sp,
                        ));
                    }
                    self.push_value(node, sp, &mut root)?;
                }
                Event::SequenceStart(anchor, _tag) => {
                    self.check_depth(&sp)?;
                    self.stack.push(Frame::Seq {
                        items: Vec::new(),
                        span: Some(sp),
                        anchor,
                    });
                }
                Event::MappingStart(anchor, _tag) => {
                    self.check_depth(&sp)?;
                    self.stack.push(Frame::Map {
                        map: Map::default(),
                        span: Some(sp),
                        anchor,
                        pending_key: None,
                        merges: Vec::new(),
                    });
                }
                Event::SequenceEnd => {
                    let Some(Frame::Seq {
                        items,
                        span: s,
                        anchor,
                    }) = self.stack.pop()
                    else {
                        return Err(self.error("unbalanced sequence", sp));
                    };
                    let node = Node {
                        value: Value::Seq(items),
                        span: s,
                    };
                    if anchor > 0 {
                        self.anchors.insert(anchor, node.clone());
                    }
                    self.push_value(node, sp, &mut root)?;
                }
                Event::MappingEnd => {
                    let Some(Frame::Map {
                        mut map,
                        span: s,
                        anchor,
                        merges,
                        ..
                    }) = self.stack.pop()
                    else {
                        return Err(self.error("unbalanced mapping", sp));
                    };
                    apply_merges(&mut map, merges);
                    let node = Node {
                        value: Value::Map(map),
                        span: s,
                    };
                    if anchor > 0 {
                        self.anchors.insert(anchor, node.clone());
                    }
                    self.push_value(node, sp, &mut root)?;
                }
            }
        }
        if doc_open {
            self.docs.push(root.take().unwrap_or_default());
        }
        Ok(())
    }

    fn check_depth(&self, sp: &Span) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.error(
                format!("nesting deeper than {MAX_DEPTH} levels; refusing to read further"),
                sp.clone(),
            ));
        }
        Ok(())
    }

    fn push_value(
        &mut self,
        node: Node,
        sp: Span,
        root: &mut Option<Node>,
    ) -> Result<(), YamlError> {
        let Some(top) = self.stack.last_mut() else {
            *root = Some(node);
            return Ok(());
        };
        match top {
            Frame::Seq { items, .. } => items.push(node),
            Frame::Map {
                map,
                pending_key,
                merges,
                ..
            } => match pending_key.take() {
                Some((key, _))
                    if self.last_key_wins
                        && key.as_scalar().is_some_and(|k| map.contains(&k.text)) =>
                {
                    if let Some(k) = key.as_scalar() {
                        map.insert(k.text.clone(), node);
                    }
                }
                None => {
                    let key_span = node.span.clone();
                    *pending_key = Some((node, key_span));
                }
                Some((key, key_span)) => {
                    let Some(k) = key.as_scalar() else {
                        return Err(YamlError {
                            message: "complex mapping keys are not supported".into(),
                            span: key_span.unwrap_or(sp),
                        });
                    };
                    if k.text == "<<" && k.style == Style::Plain {
                        merges.push(node);
                        return Ok(());
                    }
                    let key_text =
                        if k.tag == Tag::Null && k.style == Style::Plain && k.text.is_empty() {
                            "null".to_string()
                        } else {
                            k.text.clone()
                        };
                    if map.contains(&key_text) {
                        return Err(YamlError {
                            message: format!("mapping key \"{key_text}\" already defined"),
                            span: key_span.unwrap_or(sp),
                        });
                    }
                    map.entries.push(Entry {
                        key: key_text,
                        key_span,
                        value: node,
                    });
                }
            },
        }
        Ok(())
    }
}

/// `<<: *base` merge keys: entries of the merged maps that the map does not
/// set itself, earlier merge sources winning.
fn apply_merges(map: &mut Map, merges: Vec<Node>) {
    for m in merges {
        let sources: Vec<Node> = match m.value {
            Value::Seq(items) => items,
            _ => vec![m],
        };
        for src in sources {
            if let Value::Map(src) = src.value {
                for e in src.entries {
                    if !map.contains(&e.key) {
                        map.entries.push(e);
                    }
                }
            }
        }
    }
}

fn count_nodes(n: &Node) -> usize {
    1 + match &n.value {
        Value::Map(m) => m.entries.iter().map(|e| count_nodes(&e.value)).sum(),
        Value::Seq(s) => s.iter().map(count_nodes).sum(),
        Value::Scalar(_) => 0,
    }
}

fn make_scalar(text: &str, style: ScalarStyle, tag: Option<&saphyr_parser::Tag>) -> Scalar {
    let style = match style {
        ScalarStyle::Plain => Style::Plain,
        ScalarStyle::SingleQuoted => Style::SingleQuoted,
        ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
        ScalarStyle::Literal => Style::Literal,
        ScalarStyle::Folded => Style::Folded,
    };
    let tag = match tag {
        Some(t) => explicit_tag(t),
        None if style == Style::Plain => resolve_plain(text),
        None => Tag::Str,
    };
    Scalar {
        text: text.to_string(),
        tag,
        style,
    }
}

fn explicit_tag(t: &saphyr_parser::Tag) -> Tag {
    let core = t.handle == "tag:yaml.org,2002:" || t.handle == "!!";
    if core {
        return match t.suffix.as_str() {
            "str" => Tag::Str,
            "int" => Tag::Int,
            "float" => Tag::Float,
            "bool" => Tag::Bool,
            "null" => Tag::Null,
            "timestamp" => Tag::Timestamp,
            "binary" => Tag::Binary,
            other => Tag::Custom(format!("!!{other}")),
        };
    }
    if t.handle == "!" && t.suffix.is_empty() {
        return Tag::Str;
    }
    Tag::Custom(format!("{}{}", t.handle, t.suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_one_based() {
        let docs = parse_documents("f.yaml", "a:\n  b: c\n").unwrap();
        let b = docs[0].get_path(&["a", "b"]).unwrap();
        let s = b.span.as_ref().unwrap();
        assert_eq!((s.line, s.col), (2, 6));
        assert_eq!(&"a:\n  b: c\n"[s.start..s.end], "c");
    }

    #[test]
    fn refuses_duplicate_keys() {
        let e = parse_documents("f.yaml", "a: 1\na: 2\n").unwrap_err();
        assert_eq!(e.message, "mapping key \"a\" already defined");
        assert_eq!(e.span.line, 2);
    }

    #[test]
    fn expands_anchors_and_merges() {
        let docs =
            parse_documents("f.yaml", "x: &a {p: 1}\ny: *a\nz:\n  <<: *a\n  q: 2\n").unwrap();
        assert_eq!(docs[0].get_path(&["y", "p"]).unwrap().as_str(), Some("1"));
        assert_eq!(docs[0].get_path(&["z", "p"]).unwrap().as_str(), Some("1"));
    }

    #[test]
    fn refuses_alias_bombs() {
        let mut s = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for c in 'b'..='k' {
            s.push_str(&format!("{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            prev = c;
        }
        let e = parse_documents("bomb.yaml", &s).unwrap_err();
        assert!(e.message.contains("YAML bomb"), "{}", e.message);
    }

    #[test]
    fn refuses_deep_nesting() {
        let flow = "[".repeat(10_000);
        let e = parse_documents("deep.yaml", &flow).unwrap_err();
        assert!(
            e.message.contains("nested deeper than 255"),
            "{}",
            e.message
        );
        // Block nesting has no limit in the scanner; ours stops it.
        let block: String = (0..MAX_DEPTH + 5)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        let e = parse_documents("deep.yaml", &block).unwrap_err();
        assert!(e.message.contains("nesting deeper than"), "{}", e.message);
    }

    #[test]
    fn multiple_documents() {
        let docs = parse_documents("f.yaml", "a: 1\n---\n---\nb: 2\n").unwrap();
        assert_eq!(docs.len(), 3);
        assert!(docs[1].is_null());
    }
}
