//! Writes nodes exactly the way `kustomize build` prints them.
//!
//! kustomize prints each resource by decoding it with go-yaml v3, encoding
//! the Go value as JSON, and converting that JSON to YAML with go-yaml v2
//! (`sigs.k8s.io/yaml.JSONToYAML`); resources are joined with `---`.
//! [`value`] reproduces what survives that chain, [`order`] v2's key order,
//! [`resolve_v2`] which strings v2 must quote, [`scalar`] the styles a text
//! allows and [`writer`] v2's emitter with its indentation and line
//! folding.

mod number;
mod order;
mod resolve_v2;
mod scalar;
mod timestamp;
mod value;
mod writer;

#[cfg(test)]
mod prop_tests;
#[cfg(test)]
mod tests;

use super::node::Node;
use scalar::{Style, analyze, select_style};
use value::Val;
use writer::Writer;

/// Renders resources separated by `---`, as kustomize prints a build. An
/// empty build prints nothing.
pub fn emit_documents(docs: &[Node]) -> String {
    emit_all(docs)
}

/// [`emit_documents`] over borrowed documents (no copies of the trees).
pub fn emit_all<'a>(docs: impl IntoIterator<Item = &'a Node>) -> String {
    let mut out = String::new();
    for (i, doc) in docs.into_iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        out.push_str(&emit_node(doc));
    }
    out
}

/// Renders one resource (one YAML document, always ending in a newline).
pub fn emit_node(node: &Node) -> String {
    let mut w = Writer::new();
    emit_val(&mut w, &Val::from_node(node), Context::Root);
    // The document end moves to a fresh line.
    w.write_indent();
    w.out
}

/// Where a node sits; it decides indentation and which styles fit.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Root,
    SequenceItem,
    /// A mapping value, or a key too long or multi-line for `key:`.
    Mapping,
    /// A key written as `key:` on one line.
    SimpleKey,
}

fn emit_val(w: &mut Writer, v: &Val, ctx: Context) {
    match v {
        Val::Null => emit_scalar(w, "null", Style::Plain, ctx),
        Val::Bool(b) => emit_scalar(w, if *b { "true" } else { "false" }, Style::Plain, ctx),
        Val::Number(n) => emit_scalar(w, &n.to_yaml(), Style::Plain, ctx),
        Val::Str(s) => emit_scalar(w, s, string_style(s), ctx),
        Val::Seq(items) if items.is_empty() => emit_empty_flow(w, "[", "]"),
        Val::Map(entries) if entries.is_empty() => emit_empty_flow(w, "{", "}"),
        Val::Seq(items) => emit_sequence(w, items, ctx),
        Val::Map(entries) => emit_mapping(w, entries),
    }
}

/// The style go-yaml v2's encoder asks for a string: a literal block when
/// it has a line feed, double quotes when plain text would read back as
/// another type, plain otherwise (the emitter may still quote it).
fn string_style(s: &str) -> Style {
    if s.contains('\n') {
        Style::Literal
    } else if resolve_v2::needs_quotes(s) {
        Style::DoubleQuoted
    } else {
        Style::Plain
    }
}

fn emit_scalar(w: &mut Writer, text: &str, requested: Style, ctx: Context) {
    let analysis = analyze(text);
    let simple_key = ctx == Context::SimpleKey;
    let style = select_style(requested, text, &analysis, simple_key);
    w.increase_indent(true, false);
    w.write_scalar(text, style, !simple_key);
    w.decrease_indent();
}

fn emit_empty_flow(w: &mut Writer, open: &str, close: &str) {
    w.write_indicator(open, true, true, false);
    w.write_indicator(close, false, false, false);
}

fn emit_sequence(w: &mut Writer, items: &[Val], ctx: Context) {
    // Under a mapping key the dashes line up with the key.
    let indentless = ctx == Context::Mapping && !w.indention;
    w.increase_indent(false, indentless);
    for item in items {
        w.write_indent();
        w.write_indicator("-", true, false, true);
        emit_val(w, item, Context::SequenceItem);
    }
    w.decrease_indent();
}

/// Keys longer than this many bytes use the `? key` form.
const MAX_SIMPLE_KEY_LEN: usize = 128;

fn emit_mapping(w: &mut Writer, entries: &[(String, Val)]) {
    w.increase_indent(false, false);
    for (key, value) in entries {
        w.write_indent();
        let simple = key.len() <= MAX_SIMPLE_KEY_LEN && !analyze(key).multiline;
        if simple {
            emit_scalar(w, key, string_style(key), Context::SimpleKey);
            w.write_indicator(":", false, false, false);
        } else {
            w.write_indicator("?", true, false, true);
            emit_scalar(w, key, string_style(key), Context::Mapping);
            w.write_indent();
            w.write_indicator(":", true, false, true);
        }
        emit_val(w, value, Context::Mapping);
    }
    w.decrease_indent();
}
