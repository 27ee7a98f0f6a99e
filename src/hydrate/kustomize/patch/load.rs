//! Patch text: read from a file or written inline, and decoded as
//! strategic merge patches or a JSON patch.

use super::super::context::Ctx;
use super::super::error::{KustError, Result};
use super::super::kustomization::get_ci;
use super::super::loader::display_path;
use super::super::resid::{Gvk, ResId};
use super::json6902::JsonPatch;
use crate::load::yaml::shared::parse_documents_shared;
use crate::load::yaml::{Node, Span, Style, Value};

/// A strategic merge patch: a partial object naming its target by id.
#[derive(Clone, Debug)]
pub struct SmPatch {
    pub node: Node,
}

impl SmPatch {
    /// The id of the resource the patch is for (its own id).
    pub fn id(&self) -> ResId {
        let n = &self.node;
        let gvk = Gvk::from_api_version(
            n.get_str("apiVersion").unwrap_or(""),
            n.get_str("kind").unwrap_or(""),
        );
        let meta = |k: &str| {
            n.get_path(&["metadata", k])
                .and_then(Node::as_str)
                .unwrap_or("")
                .to_string()
        };
        ResId::new(gvk, &meta("name"), &meta("namespace"))
    }
}

/// Where patch text came from, to point errors and new values at it.
enum Origin {
    File,
    /// Text inside a YAML string: the string's span, and whether it is a
    /// literal block (`|`), whose lines map one to one to the file's.
    Inline {
        at: Option<Span>,
        block: bool,
    },
}

pub struct PatchText {
    /// The file the text is in (for inline text, the file holding it).
    pub file: String,
    pub text: String,
    /// kustomize's name for the patch in messages: `[path: "..."]`.
    pub source: String,
    origin: Origin,
}

impl PatchText {
    /// Text from `path` (relative to the kustomization).
    pub fn from_path(path: &str, at: Option<&Span>, ctx: &Ctx) -> Result<PatchText> {
        let (abs, text) = ctx.loader.read_text(path, at).map_err(|e| {
            let msg = format!("failed to get the patch file from path({path})");
            e.context(msg)
        })?;
        Ok(PatchText {
            file: display_path(&abs),
            text,
            source: format!("[path: {path:?}]"),
            origin: Origin::File,
        })
    }

    /// Text written in the YAML string `node`.
    pub fn inline(text: &str, node: &Node, ctx: &Ctx) -> PatchText {
        let file = node
            .span
            .as_ref()
            .map(|s| s.file.to_string())
            .unwrap_or_else(|| ctx.kustomization.file.clone());
        let block = node.as_scalar().is_some_and(|s| s.style == Style::Literal);
        PatchText {
            file,
            text: text.to_string(),
            source: format!("[patch: {:?}]", text.trim()),
            origin: Origin::Inline {
                at: node.span.clone(),
                block,
            },
        }
    }

    /// The text a config names with `path_key` or holds in `inline_key`
    /// (exactly one of them).
    pub fn from_config(
        config: &Node,
        path_key: &str,
        inline_key: &str,
        ctx: &Ctx,
    ) -> Result<PatchText> {
        for key in [path_key, inline_key] {
            if let Some(v) = get_ci(config, key).filter(|v| v.as_scalar().is_none()) {
                return Err(KustError::invalid(format!(
                    "{key} must be a string (a file path, or the patch text in a block string `{key}: |-`)"
                ))
                .at(v.span.as_ref()));
            }
        }
        let path = get_ci(config, path_key).filter(|n| n.as_str().is_some_and(|s| !s.is_empty()));
        let inline =
            get_ci(config, inline_key).filter(|n| n.as_str().is_some_and(|s| !s.trim().is_empty()));
        match (path, inline) {
            (None, None) => {
                Err(KustError::invalid("must specify one of patch and path")
                    .at(config.span.as_ref()))
            }
            (Some(_), Some(i)) => Err(KustError::invalid(
                "patch and path can't be set at the same time",
            )
            .at(i.span.as_ref())),
            (Some(p), None) => {
                PatchText::from_path(p.as_str().unwrap_or_default(), p.span.as_ref(), ctx)
            }
            (None, Some(i)) => Ok(PatchText::inline(i.as_str().unwrap_or_default(), i, ctx)),
        }
    }

    /// The documents of the text, with spans in the file that holds it.
    fn documents(&self) -> Result<Vec<Node>> {
        let mut docs = parse_documents_shared(&self.file, &self.text).map_err(|e| {
            let mut e = KustError::from(e);
            if let Origin::Inline { at, block } = &self.origin {
                e.span = e.span.map(|s| relocate(s, at.as_ref(), *block));
            }
            e
        })?;
        if let Origin::Inline { at, block } = &self.origin {
            for d in &mut docs {
                relocate_deep(d, at.as_ref(), *block);
            }
        }
        Ok(docs)
    }

    /// The strategic merge patches of the text (kustomize's
    /// `SliceFromBytes`: empty documents skipped, `List`s expanded, each
    /// patch needs a kind and a name).
    pub fn strategic(&self) -> Result<Vec<SmPatch>> {
        let mut out = Vec::new();
        let mut queue: std::collections::VecDeque<Node> = self.documents()?.into();
        while let Some(d) = queue.pop_front() {
            if empty(&d) {
                continue;
            }
            if !d.is_map() {
                return Err(KustError::invalid(format!(
                    "{} is not a strategic merge patch: expected a mapping",
                    self.source
                ))
                .at(d.span.as_ref()));
            }
            let kind = d.get_str("kind").unwrap_or("");
            if kind.is_empty() {
                return Err(
                    KustError::invalid(format!("missing kind in object {}", self.source))
                        .at(d.span.as_ref()),
                );
            }
            if kind.ends_with("List") {
                match d.get("items") {
                    Some(items) if items.is_seq() => {
                        queue.extend(items.as_seq().into_iter().flatten().cloned());
                        continue;
                    }
                    Some(items) if items.is_null() => continue,
                    Some(items) => {
                        return Err(
                            KustError::invalid(format!("expected array in {kind}/items"))
                                .at(items.span.as_ref()),
                        );
                    }
                    None => {}
                }
            } else if d
                .get_path(&["metadata", "name"])
                .and_then(Node::as_str)
                .is_none_or(str::is_empty)
            {
                return Err(KustError::invalid(format!(
                    "missing metadata.name in object {}",
                    self.source
                ))
                .at(d.span.as_ref()));
            }
            out.push(SmPatch { node: d });
        }
        Ok(out)
    }

    /// The text as a JSON patch.
    pub fn json(&self) -> Result<JsonPatch> {
        let at = match &self.origin {
            Origin::Inline { at, .. } => at.clone(),
            Origin::File => None,
        };
        if self.text.trim().is_empty() {
            return Err(KustError::invalid("empty json patch operations").at(at.as_ref()));
        }
        let docs = self.documents()?;
        JsonPatch::from_documents(docs, !self.text.trim_start().starts_with('['), at.as_ref())
    }
}

fn empty(n: &Node) -> bool {
    match &n.value {
        Value::Map(m) => m.is_empty(),
        Value::Seq(s) => s.is_empty(),
        Value::Scalar(_) => n.is_null(),
    }
}

/// Moves a span parsed from inline text into the file holding the text.
/// A literal block's content starts at its string's span and every line is
/// indented alike, so positions map exactly (up to blank lines written with
/// less indentation); other strings are pointed at as a whole.
fn relocate(s: Span, at: Option<&Span>, block: bool) -> Span {
    match at {
        Some(base) if block => {
            let indent = base.col.saturating_sub(1) as usize;
            let shift = |offset: usize| {
                (base.start + offset + (s.line as usize - 1) * indent).min(base.end)
            };
            Span {
                file: base.file.clone(),
                line: base.line + s.line - 1,
                col: s.col + base.col - 1,
                start: shift(s.start),
                end: shift(s.end),
            }
        }
        Some(base) => base.clone(),
        None => s,
    }
}

fn relocate_deep(n: &mut Node, at: Option<&Span>, block: bool) {
    n.span = n.span.take().map(|s| relocate(s, at, block));
    match &mut n.value {
        Value::Map(m) => {
            for e in &mut m.entries {
                e.key_span = e.key_span.take().map(|s| relocate(s, at, block));
                relocate_deep(&mut e.value, at, block);
            }
        }
        Value::Seq(items) => items.iter_mut().for_each(|i| relocate_deep(i, at, block)),
        Value::Scalar(_) => {}
    }
}
