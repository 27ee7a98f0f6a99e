//! JSON 6902 patches (RFC 6902 operations on a resource).
//!
//! kustomize applies these by converting the resource to JSON, running
//! evanphx/json-patch and reading the JSON back. We apply the operations to
//! the node tree (so untouched values keep their source lines, and added
//! values point at the patch), then retype scalars the way that round trip
//! does: numbers become JSON numbers written as Go writes a float64 (`3`,
//! `1e+06`), booleans and nulls are normalised, map keys end up sorted.
//! Patch text in YAML form is read as sigs.k8s.io/yaml reads it, with
//! YAML 1.1 scalars (`yes` and `on` are booleans).

use super::super::error::{KustError, Result};
use crate::load::yaml::resolve::{parse_go_float, parse_go_int, parse_go_uint, resolve_plain};
use crate::load::yaml::{Node, Span, Style, Tag, Value, parse_documents};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OpKind {
    Add,
    Remove,
    Replace,
    Move,
    Copy,
    Test,
}

#[derive(Clone, Debug)]
struct Operation {
    kind: OpKind,
    path: String,
    from: Option<String>,
    value: Option<Node>,
    span: Option<Span>,
}

/// A decoded JSON patch: its operations in order.
#[derive(Clone, Debug)]
pub struct JsonPatch {
    ops: Vec<Operation>,
}

/// Whether patch text is a list of operations (a JSON patch) rather than a
/// strategic merge patch: its first document is a sequence.
pub fn looks_like_json_patch(file: &str, text: &str) -> bool {
    parse_documents(file, text)
        .ok()
        .and_then(|docs| docs.into_iter().next())
        .is_some_and(|d| d.is_seq())
}

impl JsonPatch {
    /// Decodes patch text (JSON, or YAML when it does not start with `[`)
    /// read from `file`; spans of inline text fall back to `at`.
    pub fn parse(file: &str, text: &str, at: Option<&Span>) -> Result<JsonPatch> {
        let docs = parse_documents(file, text).map_err(|e| KustError::from(e).at(at))?;
        JsonPatch::from_documents(docs, !text.trim_start().starts_with('['), at)
    }

    /// Decodes parsed patch text; only the first document counts, as in
    /// kustomize.
    pub fn from_documents(
        docs: Vec<Node>,
        yaml_form: bool,
        at: Option<&Span>,
    ) -> Result<JsonPatch> {
        let Some(doc) = docs.into_iter().next() else {
            return Err(KustError::invalid("empty json patch operations").at(at));
        };
        let Some(items) = doc.as_seq() else {
            return Err(KustError::invalid(
                "json: cannot unmarshal object into Go value of type jsonpatch.Patch (a JSON patch is a list of operations)",
            )
            .at(doc.span.as_ref().or(at)));
        };
        let mut ops = Vec::new();
        for item in items {
            ops.push(operation(item, yaml_form, at)?);
        }
        Ok(JsonPatch { ops })
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Applies every operation to `obj`, then retypes it as kustomize's
    /// JSON round trip does.
    pub fn apply(&self, obj: &mut Node) -> Result<()> {
        for op in &self.ops {
            apply_op(obj, op).map_err(|e| e.at(op.span.as_ref()))?;
        }
        json_round_trip(obj);
        Ok(())
    }
}

fn operation(item: &Node, yaml_form: bool, at: Option<&Span>) -> Result<Operation> {
    let span = item.span.clone().or_else(|| at.cloned());
    let Some(m) = item.as_map() else {
        return Err(
            KustError::invalid("a JSON patch operation must be a mapping").at(span.as_ref()),
        );
    };
    let text = |k: &str| m.get(k).and_then(|n| n.as_scalar()).map(|s| s.text.clone());
    let op = text("op").unwrap_or_default();
    let kind = match op.as_str() {
        "add" => OpKind::Add,
        "remove" => OpKind::Remove,
        "replace" => OpKind::Replace,
        "move" => OpKind::Move,
        "copy" => OpKind::Copy,
        "test" => OpKind::Test,
        _ => return Err(KustError::invalid(format!("Unexpected kind: {op}")).at(span.as_ref())),
    };
    let Some(path) = text("path") else {
        return Err(
            KustError::invalid(format!("{op} operation missing path field")).at(span.as_ref()),
        );
    };
    let from = text("from");
    if matches!(kind, OpKind::Move | OpKind::Copy) && from.is_none() {
        return Err(
            KustError::invalid(format!("{op} operation missing from field")).at(span.as_ref()),
        );
    }
    let value = m.get("value").cloned().map(|mut v| {
        if yaml_form {
            yaml11_retag(&mut v);
        }
        v
    });
    if matches!(kind, OpKind::Add | OpKind::Replace | OpKind::Test) && value.is_none() {
        return Err(
            KustError::invalid(format!("{op} operation missing value field")).at(span.as_ref()),
        );
    }
    Ok(Operation {
        kind,
        path,
        from,
        value,
        span,
    })
}

/// The reference tokens of a JSON pointer (`~1` is `/`, `~0` is `~`).
fn pointer(path: &str) -> Result<Vec<String>> {
    if path.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Err(KustError::invalid(format!(
            "invalid JSON pointer {path:?}: it must start with '/'"
        )));
    };
    Ok(rest
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect())
}

fn missing(op: &str, path: &str) -> KustError {
    KustError::not_found(format!(
        "{op} operation does not apply: doc is missing path: \"{path}\": missing value"
    ))
}

/// A list index as evanphx/json-patch accepts it (negative counts from the
/// end); `len` is allowed when `inserting`.
fn index(token: &str, len: usize, inserting: bool) -> Result<usize> {
    let bad = || {
        KustError::invalid(format!(
            "Unable to access invalid index: {token}: invalid index referenced"
        ))
    };
    let i: i64 = token.parse().map_err(|_| bad())?;
    let i = if i < 0 { i + len as i64 } else { i };
    let max = if inserting {
        len
    } else {
        len.saturating_sub(1)
    };
    if i < 0 || i as usize > max || (!inserting && len == 0) {
        return Err(bad());
    }
    Ok(i as usize)
}

/// The container holding the last token of `tokens`.
fn parent_mut<'a>(obj: &'a mut Node, tokens: &[String]) -> Option<&'a mut Node> {
    let mut n = obj;
    for t in &tokens[..tokens.len().saturating_sub(1)] {
        n = match &mut n.value {
            Value::Map(m) => m.get_mut(t)?,
            Value::Seq(s) => {
                let len = s.len();
                s.get_mut(index(t, len, false).ok()?)?
            }
            Value::Scalar(_) => return None,
        };
    }
    Some(n)
}

fn get<'a>(obj: &'a Node, tokens: &[String]) -> Option<&'a Node> {
    let mut n = obj;
    for t in tokens {
        n = match &n.value {
            Value::Map(m) => m.get(t)?,
            Value::Seq(s) => s.get(index(t, s.len(), false).ok()?)?,
            Value::Scalar(_) => return None,
        };
    }
    Some(n)
}

fn add(obj: &mut Node, path: &str, value: Node) -> Result<()> {
    let tokens = pointer(path)?;
    let Some(last) = tokens.last() else {
        *obj = value;
        return Ok(());
    };
    let parent = parent_mut(obj, &tokens).ok_or_else(|| missing("add", path))?;
    match &mut parent.value {
        Value::Map(m) => {
            m.insert(last.clone(), value);
            Ok(())
        }
        Value::Seq(s) => {
            let i = if last == "-" {
                s.len()
            } else {
                index(last, s.len(), true)?
            };
            s.insert(i, value);
            Ok(())
        }
        Value::Scalar(_) => Err(missing("add", path)),
    }
}

fn remove(obj: &mut Node, path: &str, op: &str) -> Result<Node> {
    let tokens = pointer(path)?;
    let Some(last) = tokens.last() else {
        return Err(KustError::invalid(format!(
            "{op} operation does not apply: cannot remove the whole document"
        )));
    };
    let parent = parent_mut(obj, &tokens).ok_or_else(|| missing(op, path))?;
    match &mut parent.value {
        Value::Map(m) => m.remove(last).ok_or_else(|| {
            KustError::not_found(format!(
                "Unable to remove nonexistent key: {last}: missing value"
            ))
        }),
        Value::Seq(s) => {
            let i = index(last, s.len(), false)?;
            Ok(s.remove(i))
        }
        Value::Scalar(_) => Err(missing(op, path)),
    }
}

fn apply_op(obj: &mut Node, op: &Operation) -> Result<()> {
    let value = || op.value.clone().unwrap_or_else(Node::null);
    match op.kind {
        OpKind::Add => add(obj, &op.path, value()),
        OpKind::Remove => remove(obj, &op.path, "remove").map(|_| ()),
        OpKind::Replace => {
            let tokens = pointer(&op.path)?;
            if tokens.is_empty() {
                *obj = value();
                return Ok(());
            }
            if get(obj, &tokens).is_none() {
                return Err(KustError::not_found(format!(
                    "replace operation does not apply: doc is missing key: {}: missing value",
                    op.path
                )));
            }
            remove(obj, &op.path, "replace")?;
            add(obj, &op.path, value())
        }
        OpKind::Move => {
            let from = op.from.as_deref().unwrap_or_default();
            if from == op.path {
                return Ok(());
            }
            let v = remove(obj, from, "move")?;
            add(obj, &op.path, v)
        }
        OpKind::Copy => {
            let from = op.from.as_deref().unwrap_or_default();
            let v = get(obj, &pointer(from)?)
                .cloned()
                .ok_or_else(|| missing("copy", from))?;
            add(obj, &op.path, v)
        }
        OpKind::Test => {
            let tokens = pointer(&op.path)?;
            let mut have = get(obj, &tokens).cloned().unwrap_or_else(Node::null);
            let mut want = value();
            json_round_trip(&mut have);
            json_round_trip(&mut want);
            if have == want {
                Ok(())
            } else {
                Err(KustError::invalid(format!(
                    "testing value {} failed: test failed",
                    op.path
                )))
            }
        }
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`, as go-yaml writes floats.
pub fn go_float_text(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+.inf".into()
        } else {
            "-.inf".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    // Rust's `{:e}` gives the shortest round-trip digits, like Go's -1.
    let e = format!("{:e}", f.abs());
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let sign = if f < 0.0 { "-" } else { "" };
    if !(-4..6).contains(&exp) {
        let frac = &digits[1..];
        let m = if frac.is_empty() {
            digits[..1].to_string()
        } else {
            format!("{}.{frac}", &digits[..1])
        };
        let es = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{m}e{es}{:02}", exp.abs());
    }
    let point = exp + 1; // digits before the decimal point
    let s = if point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else if point as usize >= digits.len() {
        format!("{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        format!(
            "{}.{}",
            &digits[..point as usize],
            &digits[point as usize..]
        )
    };
    format!("{sign}{s}")
}

/// Retypes a tree as JSON-and-back leaves it (see the module docs).
pub fn json_round_trip(n: &mut Node) {
    match &mut n.value {
        Value::Map(m) => {
            m.entries.sort_by(|a, b| a.key.cmp(&b.key));
            m.entries
                .iter_mut()
                .for_each(|e| json_round_trip(&mut e.value));
        }
        Value::Seq(s) => s.iter_mut().for_each(json_round_trip),
        Value::Scalar(s) => match s.tag {
            Tag::Null => {
                s.text = "null".into();
                s.style = Style::Plain;
            }
            Tag::Bool => {
                s.text = s.text.to_ascii_lowercase();
                s.style = Style::Plain;
            }
            Tag::Int | Tag::Float => {
                let plain = s.text.replace('_', "");
                let f = parse_go_int(&plain)
                    .map(|i| i as f64)
                    .or_else(|| parse_go_uint(&plain).map(|u| u as f64))
                    .or_else(|| parse_go_float(&plain));
                if let Some(f) = f.filter(|f| f.is_finite()) {
                    s.text = go_float_text(f);
                    s.tag = resolve_plain(&s.text);
                    s.style = Style::Plain;
                }
            }
            _ => {}
        },
    }
}

/// Plain scalars as YAML 1.1 (sigs.k8s.io/yaml) reads them: `yes`, `on`
/// and friends are booleans, and timestamps stay strings.
fn yaml11_retag(n: &mut Node) {
    match &mut n.value {
        Value::Map(m) => m
            .entries
            .iter_mut()
            .for_each(|e| yaml11_retag(&mut e.value)),
        Value::Seq(s) => s.iter_mut().for_each(yaml11_retag),
        Value::Scalar(s) if s.style == Style::Plain => {
            let truth = match s.text.as_str() {
                "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Some(true),
                "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => Some(false),
                _ => None,
            };
            if let (Some(b), Tag::Str) = (truth, &s.tag) {
                s.text = b.to_string();
                s.tag = Tag::Bool;
            } else if s.tag == Tag::Timestamp {
                s.tag = Tag::Str;
            }
        }
        Value::Scalar(_) => {}
    }
}

#[cfg(test)]
mod tests;
