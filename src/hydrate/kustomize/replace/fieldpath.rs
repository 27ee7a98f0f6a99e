//! Dotted field paths as replacements and vars use them
//! (`spec.containers.[name=app].image`, `spec.ports.0.port`, `a.*.b`),
//! with kyaml's two walks: a read-only lookup (sources, vars) and a matcher
//! that may create what is missing (replacement targets).

use super::render::scalar_as_yaml;
use crate::load::yaml::{Node, Span, Tag, Value, parse_documents};

/// Why a path could not be walked. The messages follow kyaml's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError(pub String);

impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub type PathResult<T> = std::result::Result<T, PathError>;

/// Splits on `delim`; a leading delimiter is ignored and `\<delim>` keeps
/// the delimiter inside an element.
fn split_escaped(path: &str, delim: char) -> Vec<String> {
    let mut parts: Vec<&str> = path.split(delim).collect();
    if parts.len() > 1 && parts[0].is_empty() {
        parts.remove(0);
    }
    let mut out: Vec<String> = Vec::new();
    for p in parts {
        match out.last_mut() {
            Some(last) if last.ends_with('\\') => {
                last.pop();
                last.push(delim);
                last.push_str(p);
            }
            _ => out.push(p.to_string()),
        }
    }
    out
}

/// Splits a dotted field path. Bracketed elements may contain dots: a
/// `[key=value]` list selector keeps its brackets, any other bracketed
/// element (`[a.b.c]`, a map key) loses them.
pub fn split(path: &str) -> Vec<String> {
    let raw = split_escaped(path, '.');
    let mut out = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let elem = &raw[i];
        if elem.starts_with('[') && !elem.ends_with(']') {
            let mut joined = vec![elem.as_str()];
            while i + 1 < raw.len() {
                i += 1;
                joined.push(raw[i].as_str());
                if raw[i].ends_with(']') {
                    break;
                }
            }
            let s = joined.join(".");
            if s.contains('=') {
                out.push(s);
            } else {
                out.push(s.trim_matches(|c| c == '[' || c == ']').to_string());
            }
        } else {
            out.push(elem.clone());
        }
        i += 1;
    }
    out
}

/// Like [`split`], then `ports[0]` becomes `ports`, `0` (the form vars'
/// field paths allow).
pub fn split_with_indexes(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in split(path) {
        match split_trailing_index(&part) {
            Some((head, idx)) => {
                if !head.is_empty() {
                    out.push(head.to_string());
                }
                out.push(idx.to_string());
            }
            None => out.push(part),
        }
    }
    out
}

/// `name[12]` → (`name`, `12`).
fn split_trailing_index(part: &str) -> Option<(&str, &str)> {
    let body = part.strip_suffix(']')?;
    let open = body.rfind('[')?;
    let digits = &body[open + 1..];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((&body[..open], digits))
}

/// Go's `strconv.Atoi`: optional sign, decimal digits.
fn parse_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn is_list_selector(p: &str) -> bool {
    p.starts_with('[') && p.ends_with(']')
}

fn is_index(p: &str) -> bool {
    parse_int(p).is_some_and(|i| i >= 0)
}

/// `[name=value]` → (`name`, `value`); `[=value]` selects scalar items.
fn split_list_selector(p: &str) -> PathResult<(&str, &str)> {
    let inner = p.strip_prefix('[').unwrap_or(p);
    let inner = inner.strip_suffix(']').unwrap_or(inner);
    inner.split_once('=').ok_or_else(|| {
        PathError("list path element must contain fieldName=fieldValue for element to match".into())
    })
}

pub fn kind_name(n: &Node) -> &'static str {
    match n.value {
        Value::Map(_) => "MappingNode",
        Value::Seq(_) => "SequenceNode",
        Value::Scalar(_) => "ScalarNode",
    }
}

fn wrong_kind(expected: &str, n: &Node) -> PathError {
    PathError(format!(
        "wrong node kind: expected {expected} but got {}",
        kind_name(n)
    ))
}

/// The items of a sequence; null counts as empty, other kinds are errors.
fn items(n: &Node) -> PathResult<&[Node]> {
    match &n.value {
        Value::Seq(s) => Ok(s),
        _ if n.is_null() => Ok(&[]),
        _ => Err(wrong_kind("SequenceNode", n)),
    }
}

/// One step of a located path: a mapping key or a list position.
enum Step {
    Key(String),
    Item(usize),
}

/// Where `path` leads without changing anything (kyaml's `Lookup`):
/// indexes (`0`, `-` for the last item) and exact `[k=v]` item selectors
/// are allowed, wildcards are not. A found null counts as found.
fn locate(node: &Node, path: &[String]) -> PathResult<Option<Vec<Step>>> {
    let mut cur = node;
    let mut steps = Vec::new();
    for part in path.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let step = if let Some(i) = parse_int(part) {
            if i < 0 {
                return Err(PathError(format!("array index {i} cannot be negative")));
            }
            Some(i as usize).filter(|&i| i < items(cur).map_or(0, <[Node]>::len))
        } else if part == "-" {
            items(cur)?.len().checked_sub(1)
        } else if part == "*" {
            return Err(PathError("wildcard is not supported in PathGetter".into()));
        } else if is_list_selector(part) {
            let (key, value) = split_list_selector(part)?;
            position_of_item(items(cur)?, key, value)
        } else if cur.is_null() {
            None
        } else {
            match &cur.value {
                Value::Map(m) => {
                    let Some(next) = m.get(part) else {
                        return Ok(None);
                    };
                    cur = next;
                    steps.push(Step::Key(part.to_string()));
                    continue;
                }
                _ => return Err(wrong_kind("MappingNode", cur)),
            }
        };
        // Indexing a mapping or scalar is an error even when out of range.
        items(cur)?;
        let Some(i) = step else { return Ok(None) };
        cur = &items(cur)?[i];
        steps.push(Step::Item(i));
    }
    Ok(Some(steps))
}

/// Reads the node at `path` (see [`locate`]).
pub fn lookup<'a>(node: &'a Node, path: &[String]) -> PathResult<Option<&'a Node>> {
    let Some(steps) = locate(node, path)? else {
        return Ok(None);
    };
    let mut cur = node;
    for step in &steps {
        let next = match step {
            Step::Key(k) => cur.get(k),
            Step::Item(i) => cur.as_seq().and_then(|s| s.get(*i)),
        };
        let Some(next) = next else { return Ok(None) };
        cur = next;
    }
    Ok(Some(cur))
}

/// The node at `path`, mutably (see [`locate`]).
pub fn lookup_mut<'a>(node: &'a mut Node, path: &[String]) -> PathResult<Option<&'a mut Node>> {
    let Some(steps) = locate(node, path)? else {
        return Ok(None);
    };
    let mut cur = node;
    for step in &steps {
        let next = match step {
            Step::Key(k) => cur.get_mut(k),
            Step::Item(i) => cur.as_seq_mut().and_then(|s| s.get_mut(*i)),
        };
        let Some(next) = next else { return Ok(None) };
        cur = next;
    }
    Ok(Some(cur))
}

/// The first item whose `key` field (or, for an empty key, whose own
/// scalar text) equals `value` exactly.
fn position_of_item(items: &[Node], key: &str, value: &str) -> Option<usize> {
    if key.is_empty() {
        return items.iter().position(|i| scalar_text(i) == value);
    }
    items.iter().position(|i| {
        i.as_map()
            .and_then(|m| m.get(key))
            .is_some_and(|v| scalar_text(v) == value)
    })
}

/// A scalar's text; containers have none (go-yaml's `Value` is empty).
fn scalar_text(n: &Node) -> &str {
    n.as_scalar().map(|s| s.text.as_str()).unwrap_or("")
}

/// What the matcher creates for a missing leaf (the kind of the value
/// that will be written there).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Leaf {
    Scalar,
    Map,
    Seq,
}

impl Leaf {
    pub fn of(n: &Node) -> Leaf {
        match n.value {
            Value::Map(_) => Leaf::Map,
            Value::Seq(_) => Leaf::Seq,
            Value::Scalar(_) => Leaf::Scalar,
        }
    }
}

/// One field the matcher found; `created` when the matcher made it (its
/// scalar type is then decided by the text written into it).
pub struct Found<'a> {
    pub node: &'a mut Node,
    pub created: bool,
}

/// The target walk (kyaml's `PathMatcher`): visits every node `path`
/// matches, creating missing parts when `create` is set. `[k=v]` item
/// selectors match `v` as an unanchored regular expression here, `*` visits
/// every item, an index one past the end appends when creating. A scalar met
/// before the path ends is parsed as YAML and the rest of the path is
/// matched in that copy, which is then thrown away (kyaml does the same).
/// Returns how many nodes were visited.
pub struct Matcher<'s> {
    pub create: Option<Leaf>,
    /// Provenance of created containers.
    pub span: Option<&'s Span>,
}

type Visit<'v> = dyn FnMut(Found<'_>) -> PathResult<()> + 'v;

impl Matcher<'_> {
    pub fn run(&self, node: &mut Node, path: &[String], visit: &mut Visit) -> PathResult<usize> {
        self.walk(node, path, false, visit)
    }

    fn walk(
        &self,
        node: &mut Node,
        path: &[String],
        created: bool,
        visit: &mut Visit,
    ) -> PathResult<usize> {
        let Some(head) = path.first() else {
            visit(Found { node, created })?;
            return Ok(1);
        };
        if node.is_null() {
            // kyaml would attach anything it creates to the null node itself,
            // where it never shows: work on a scratch container instead.
            let mut scratch = if is_index(head) || is_list_selector(head) || head == "*" {
                Node::seq(Vec::new())
            } else {
                Node::map()
            };
            return self.walk(&mut scratch, path, created, visit);
        }
        if is_index(head) {
            self.index(node, path, visit)
        } else if is_list_selector(head) {
            self.select_items(node, path, visit)
        } else if head == "*" {
            let Value::Seq(items) = &mut node.value else {
                return Err(wrong_kind("SequenceNode", node));
            };
            let mut n = 0;
            for item in items.iter_mut() {
                n += self.walk(item, &path[1..], false, visit)?;
            }
            Ok(n)
        } else {
            self.field(node, path, visit)
        }
    }

    /// What to create for `part` given the part after it.
    fn kind_for(&self, next: Option<&String>) -> Leaf {
        match next {
            None => self.create.unwrap_or(Leaf::Scalar),
            Some(p) if is_list_selector(p) || is_index(p) => Leaf::Seq,
            Some(_) => Leaf::Map,
        }
    }

    fn empty(&self, kind: Leaf) -> Node {
        let n = match kind {
            Leaf::Scalar => Node::scalar("", Tag::Str),
            Leaf::Map => Node::map(),
            Leaf::Seq => Node::seq(Vec::new()),
        };
        n.with_span(self.span.cloned())
    }

    fn field(&self, node: &mut Node, path: &[String], visit: &mut Visit) -> PathResult<usize> {
        let name = path[0].as_str();
        let rest = &path[1..];
        let Value::Map(map) = &mut node.value else {
            return Err(wrong_kind("MappingNode", node));
        };
        let mut created = false;
        if !map.contains(name) {
            if self.create.is_none() {
                return Ok(0);
            }
            map.insert(name, self.empty(self.kind_for(rest.first())));
            created = true;
        }
        let field = map.get_mut(name).expect("present or just inserted");
        if field.as_scalar().is_some() && !rest.is_empty() {
            return self.inside_scalar(field, rest, visit);
        }
        self.walk(field, rest, created, visit)
    }

    /// The rest of the path inside a scalar's text, parsed as YAML. Nothing
    /// written there reaches the resource.
    fn inside_scalar(&self, field: &Node, rest: &[String], visit: &mut Visit) -> PathResult<usize> {
        let text = scalar_text(field);
        let docs = parse_documents("", text).map_err(|e| PathError(e.message))?;
        match docs.into_iter().next() {
            Some(mut doc) => self.walk(&mut doc, rest, false, visit),
            None => Err(PathError(
                "wrong node kind: expected MappingNode but got an empty document".into(),
            )),
        }
    }

    fn index(&self, node: &mut Node, path: &[String], visit: &mut Visit) -> PathResult<usize> {
        let idx = parse_int(&path[0]).unwrap_or(0) as usize;
        let rest = &path[1..];
        let kind = self.kind_for(rest.first());
        let span = self.span.cloned();
        let Value::Seq(items) = &mut node.value else {
            return Err(wrong_kind("SequenceNode", node));
        };
        let mut created = false;
        if items.len() == idx && self.create.is_some() {
            items.push(self.empty(kind).with_span(span));
            created = true;
        }
        let len = items.len();
        match items.get_mut(idx) {
            Some(item) => self.walk(item, rest, created, visit),
            None => Err(PathError(format!(
                "index {idx} specified but only {len} elements found"
            ))),
        }
    }

    fn select_items(
        &self,
        node: &mut Node,
        path: &[String],
        visit: &mut Visit,
    ) -> PathResult<usize> {
        let (key, pattern) = split_list_selector(&path[0])?;
        let (key, pattern) = (key.to_string(), pattern.to_string());
        let re = regex::Regex::new(&pattern).map_err(|e| PathError(e.to_string()))?;
        let rest = &path[1..];
        let n = self.visit_selected(node, &key, &re, rest, visit)?;
        if n > 0 || self.create.is_none() {
            return Ok(n);
        }
        let Value::Seq(items) = &mut node.value else {
            return Err(wrong_kind("SequenceNode", node));
        };
        let value = Node::plain(pattern.clone()).with_span(self.span.cloned());
        let item = if key.is_empty() {
            value
        } else {
            let mut m = Node::map().with_span(self.span.cloned());
            m.as_map_mut().expect("a map").insert(key.clone(), value);
            m
        };
        items.push(item);
        // kyaml searches again; a pattern that does not match its own text
        // would make it recurse forever, here it simply matches nothing.
        self.visit_selected(node, &key, &re, rest, visit)
    }

    fn visit_selected(
        &self,
        node: &mut Node,
        key: &str,
        re: &regex::Regex,
        rest: &[String],
        visit: &mut Visit,
    ) -> PathResult<usize> {
        let Value::Seq(items) = &mut node.value else {
            return Err(wrong_kind("SequenceNode", node));
        };
        let mut n = 0;
        for item in items.iter_mut() {
            if key.is_empty() {
                // A matching scalar item is the result, whatever follows.
                if re.is_match(scalar_as_yaml(item).trim()) {
                    visit(Found {
                        node: item,
                        created: false,
                    })?;
                    n += 1;
                }
                continue;
            }
            let hit = item
                .as_map()
                .and_then(|m| m.get(key))
                .is_some_and(|v| re.is_match(scalar_as_yaml(v).trim()));
            if hit {
                n += self.walk(item, rest, false, visit)?;
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse_single;

    fn parts(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn splits_brackets_and_escapes() {
        assert_eq!(
            split("spec.containers.[name=com.foo.app].image"),
            parts(&["spec", "containers", "[name=com.foo.app]", "image"])
        );
        assert_eq!(
            split("metadata.annotations.[a.b/c]"),
            parts(&["metadata", "annotations", "a.b/c"])
        );
        assert_eq!(split(r"data.config\.json"), parts(&["data", "config.json"]));
        assert_eq!(
            split_with_indexes("spec.ports[0].port"),
            parts(&["spec", "ports", "0", "port"])
        );
    }

    #[test]
    fn lookup_reads_indexes_and_exact_selectors() {
        let n = parse_single(
            "x",
            "a:\n  l:\n  - name: app\n    v: 1\n  - name: app2\n    v: 2\n",
        )
        .unwrap();
        let got = lookup(&n, &split("a.l.[name=app2].v")).unwrap().unwrap();
        assert_eq!(got.as_str(), Some("2"));
        assert_eq!(
            lookup(&n, &split("a.l.-.v")).unwrap().unwrap().as_str(),
            Some("2")
        );
        assert_eq!(
            lookup(&n, &split("a.l.0.v")).unwrap().unwrap().as_str(),
            Some("1")
        );
        assert!(lookup(&n, &split("a.l.[name=ap].v")).unwrap().is_none());
        assert!(lookup(&n, &split("a.l.*.v")).is_err());
        assert!(lookup(&n, &split("a.l.x")).is_err());
    }

    #[test]
    fn matcher_selects_by_regex_and_creates() {
        let mut n = parse_single("x", "l:\n- name: app\n- name: app-2\n- name: other\n").unwrap();
        let m = Matcher {
            create: None,
            span: None,
        };
        let mut seen = 0;
        let count = m
            .run(&mut n, &split("l.[name=app].name"), &mut |_| {
                seen += 1;
                Ok(())
            })
            .unwrap();
        assert_eq!((count, seen), (2, 2));

        let m = Matcher {
            create: Some(Leaf::Scalar),
            span: None,
        };
        let count = m
            .run(&mut n, &split("tls.0.hosts.0"), &mut |f| {
                assert!(f.created);
                f.node.as_scalar().unwrap();
                Ok(())
            })
            .unwrap();
        assert_eq!(count, 1);
        assert!(
            n.get_path(&["tls"]).unwrap().as_seq().unwrap()[0]
                .get("hosts")
                .unwrap()
                .is_seq()
        );
        let err = m
            .run(&mut n, &split("more.5.x"), &mut |_| Ok(()))
            .unwrap_err();
        assert_eq!(err.0, "index 5 specified but only 0 elements found");
    }

    #[test]
    fn matcher_appends_missing_list_items() {
        let mut n = parse_single("x", "l: []\n").unwrap();
        let m = Matcher {
            create: Some(Leaf::Scalar),
            span: None,
        };
        let count = m
            .run(&mut n, &split("l.[name=web].port"), &mut |_| Ok(()))
            .unwrap();
        assert_eq!(count, 1);
        let item = &n.get("l").unwrap().as_seq().unwrap()[0];
        assert_eq!(item.get_str("name"), Some("web"));
        assert!(item.get("port").is_some());
    }
}
