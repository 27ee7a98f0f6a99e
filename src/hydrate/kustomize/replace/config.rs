//! Reading replacement definitions: kustomization `replacements:` entries
//! (inline or `path:` to a file with one or a list), and the same list in
//! a `ReplacementTransformer` plugin config.
//!
//! kustomize decodes these through JSON: keys match without regard to case,
//! types are checked, and inside a kustomization unknown keys are errors
//! (plugin configs and replacement files ignore them).

use super::select::{IdPattern, Selector, display};
use crate::hydrate::kustomize::context::Ctx;
use crate::hydrate::kustomize::error::{KustError, Result};
use crate::hydrate::kustomize::kustomization::get_ci;
use crate::load::yaml::{Node, Span, Tag, Value, parse_documents};

/// `options:` of a source or target.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldOptions {
    pub delimiter: String,
    pub index: i64,
    pub create: bool,
}

impl FieldOptions {
    /// kustomize's form in error messages (empty when nothing is set).
    pub fn display(&self) -> String {
        if self.delimiter.is_empty() && !self.create {
            return String::new();
        }
        format!("{}({}), create={}", self.delimiter, self.index, self.create)
    }
}

#[derive(Clone, Debug, Default)]
pub struct Source {
    pub id: IdPattern,
    /// As written; empty means `metadata.name`.
    pub field_path: String,
    pub options: Option<FieldOptions>,
    pub span: Option<Span>,
}

impl Source {
    /// kustomize's `SourceSelector.String()`.
    pub fn display(&self) -> String {
        let mut parts = vec![display(&self.id)];
        if !self.field_path.is_empty() {
            parts.push(self.field_path.clone());
        }
        if let Some(o) = self
            .options
            .as_ref()
            .map(FieldOptions::display)
            .filter(|s| !s.is_empty())
        {
            parts.push(o);
        }
        parts.join(":")
    }
}

#[derive(Clone, Debug, Default)]
pub struct Target {
    pub select: Option<Selector>,
    pub reject: Vec<Selector>,
    /// Field paths with the line each was written on.
    pub field_paths: Vec<(String, Option<Span>)>,
    pub options: Option<FieldOptions>,
    pub span: Option<Span>,
}

#[derive(Clone, Debug, Default)]
pub struct Replacement {
    pub source: Option<Source>,
    pub source_value: Option<(String, Option<Span>)>,
    /// None when `targets` is absent (an error when applied).
    pub targets: Option<Vec<Target>>,
    pub span: Option<Span>,
}

/// How strictly to decode: kustomization fields reject unknown keys.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    Kustomization,
    Lenient,
}

/// A `path:` entry: the file and the line naming it.
type PathRef = (String, Option<Span>);

struct Decoder {
    strict: Strictness,
}

const REPLACEMENT_FIELDS: &[&str] = &["source", "targets", "sourceValue", "path"];
const SOURCE_FIELDS: &[&str] = &[
    "group",
    "version",
    "kind",
    "name",
    "namespace",
    "fieldPath",
    "options",
];
const TARGET_FIELDS: &[&str] = &["select", "reject", "fieldPaths", "options"];
const SELECTOR_FIELDS: &[&str] = &[
    "group",
    "version",
    "kind",
    "name",
    "namespace",
    "annotationSelector",
    "labelSelector",
];
const OPTION_FIELDS: &[&str] = &["delimiter", "index", "encoding", "create"];

/// The JSON type name Go reports for a node it cannot decode.
fn json_type(n: &Node) -> &'static str {
    match &n.value {
        Value::Map(_) => "object",
        Value::Seq(_) => "array",
        Value::Scalar(s) => match s.tag {
            Tag::Int | Tag::Float => "number",
            Tag::Bool => "bool",
            _ => "string",
        },
    }
}

fn type_error(n: &Node, field: &str, want: &str) -> KustError {
    KustError::invalid(format!(
        "json: cannot unmarshal {} into Go struct field {field} of type {want}",
        json_type(n)
    ))
    .at(n.span.as_ref())
}

impl Decoder {
    fn check_fields(&self, n: &Node, known: &[&str]) -> Result<()> {
        if self.strict == Strictness::Lenient {
            return Ok(());
        }
        let Some(m) = n.as_map() else { return Ok(()) };
        for e in &m.entries {
            if !known.iter().any(|k| k.eq_ignore_ascii_case(&e.key)) {
                return Err(KustError::invalid(format!(
                    "invalid Kustomization: json: unknown field \"{}\"",
                    e.key
                ))
                .at(e.key_span.as_ref()));
            }
        }
        Ok(())
    }

    fn map<'n>(&self, n: &'n Node, field: &str, want: &str) -> Result<Option<&'n Node>> {
        if n.is_null() {
            return Ok(None);
        }
        if !n.is_map() {
            return Err(type_error(n, field, want));
        }
        Ok(Some(n))
    }

    fn string(&self, n: &Node, key: &str) -> Result<(String, Option<Span>)> {
        match get_ci(n, key) {
            None => Ok((String::new(), None)),
            Some(v) => match v.as_scalar() {
                Some(s) if matches!(s.tag, Tag::Str | Tag::Timestamp | Tag::Custom(_)) => {
                    Ok((s.text.clone(), v.span.clone()))
                }
                _ => Err(type_error(v, key, "string")),
            },
        }
    }

    fn options(&self, n: &Node) -> Result<Option<FieldOptions>> {
        let Some(o) = get_ci(n, "options") else {
            return Ok(None);
        };
        let Some(o) = self.map(o, "options", "types.FieldOptions")? else {
            return Ok(None);
        };
        self.check_fields(o, OPTION_FIELDS)?;
        let index = match get_ci(o, "index") {
            None => 0,
            Some(v) => match v.as_scalar() {
                Some(s) if s.tag == Tag::Int => crate::load::yaml::resolve::parse_go_int(&s.text)
                    .ok_or_else(|| type_error(v, "index", "int"))?,
                _ => return Err(type_error(v, "index", "int")),
            },
        };
        let create = match get_ci(o, "create") {
            None => false,
            Some(v) => match v.as_scalar() {
                Some(s) if s.tag == Tag::Bool => s.text.eq_ignore_ascii_case("true"),
                _ => return Err(type_error(v, "create", "bool")),
            },
        };
        self.string(o, "encoding")?;
        Ok(Some(FieldOptions {
            delimiter: self.string(o, "delimiter")?.0,
            index,
            create,
        }))
    }

    fn id(&self, n: &Node) -> Result<IdPattern> {
        Ok(IdPattern {
            group: self.string(n, "group")?.0,
            version: self.string(n, "version")?.0,
            kind: self.string(n, "kind")?.0,
            name: self.string(n, "name")?.0,
            namespace: self.string(n, "namespace")?.0,
        })
    }

    fn source(&self, n: &Node) -> Result<Option<Source>> {
        let Some(n) = self.map(n, "source", "types.SourceSelector")? else {
            return Ok(None);
        };
        self.check_fields(n, SOURCE_FIELDS)?;
        Ok(Some(Source {
            id: self.id(n)?,
            field_path: self.string(n, "fieldPath")?.0,
            options: self.options(n)?,
            span: n.span.clone(),
        }))
    }

    fn selector(&self, n: &Node, field: &str) -> Result<Option<Selector>> {
        let Some(n) = self.map(n, field, "types.Selector")? else {
            return Ok(None);
        };
        self.check_fields(n, SELECTOR_FIELDS)?;
        Ok(Some(Selector {
            id: self.id(n)?,
            annotation_selector: self.string(n, "annotationSelector")?.0,
            label_selector: self.string(n, "labelSelector")?.0,
        }))
    }

    fn list<'n>(&self, n: Option<&'n Node>, field: &str) -> Result<Option<&'n [Node]>> {
        match n {
            None => Ok(None),
            Some(v) => match v.as_seq() {
                Some(items) => Ok(Some(items)),
                None => Err(type_error(v, field, "[]")),
            },
        }
    }

    fn target(&self, n: &Node) -> Result<Target> {
        let Some(n) = self.map(n, "targets", "types.TargetSelector")? else {
            return Ok(Target::default());
        };
        self.check_fields(n, TARGET_FIELDS)?;
        let select = match get_ci(n, "select") {
            Some(s) => self.selector(s, "select")?,
            None => None,
        };
        let mut reject = Vec::new();
        for r in self.list(get_ci(n, "reject"), "reject")?.unwrap_or(&[]) {
            // A null entry decodes to an empty selector, which rejects nothing.
            reject.push(self.selector(r, "reject")?.unwrap_or_default());
        }
        let mut field_paths = Vec::new();
        for p in self
            .list(get_ci(n, "fieldPaths"), "fieldPaths")?
            .unwrap_or(&[])
        {
            match p.as_scalar() {
                Some(s) if s.tag == Tag::Null => field_paths.push((String::new(), p.span.clone())),
                Some(s) if matches!(s.tag, Tag::Str | Tag::Timestamp) => {
                    field_paths.push((s.text.clone(), p.span.clone()))
                }
                _ => return Err(type_error(p, "fieldPaths", "string")),
            }
        }
        Ok(Target {
            select,
            reject,
            field_paths,
            options: self.options(n)?,
            span: n.span.clone(),
        })
    }

    /// One entry of a replacement list (a `path:` entry is returned as is
    /// for the caller to load).
    fn replacement(&self, n: &Node) -> Result<(Replacement, Option<PathRef>)> {
        if !n.is_map() {
            if n.is_null() {
                return Ok((Replacement::default(), None));
            }
            return Err(type_error(n, "replacements", "types.Replacement"));
        }
        self.check_fields(n, REPLACEMENT_FIELDS)?;
        let source = match get_ci(n, "source") {
            Some(s) => self.source(s)?,
            None => None,
        };
        let source_value = match get_ci(n, "sourceValue") {
            Some(_) => Some(self.string(n, "sourceValue")?),
            None => None,
        };
        let targets = match self.list(get_ci(n, "targets"), "targets")? {
            Some(items) => Some(
                items
                    .iter()
                    .map(|t| self.target(t))
                    .collect::<Result<Vec<_>>>()?,
            ),
            None => None,
        };
        let path = match get_ci(n, "path") {
            Some(_) => Some(self.string(n, "path")?).filter(|(p, _)| !p.is_empty()),
            None => None,
        };
        Ok((
            Replacement {
                source,
                source_value,
                targets,
                span: n.span.clone(),
            },
            path,
        ))
    }
}

/// One decoded list entry: an inline replacement, or a `path:` to load.
pub enum Entry {
    Inline(Box<Replacement>),
    Path(String, Option<Span>),
}

/// Decodes a list of replacement entries without loading files.
pub fn decode_list(list: &Node, strict: Strictness) -> Result<Vec<Entry>> {
    let dec = Decoder { strict };
    let Some(items) = dec.list(Some(list), "replacements")? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for item in items {
        let (r, path) = dec.replacement(item)?;
        match path {
            None => out.push(Entry::Inline(Box::new(r))),
            Some(_) if r.source.is_some() || r.targets.as_ref().is_some_and(|t| !t.is_empty()) => {
                return Err(
                    KustError::invalid("cannot specify both path and inline replacement")
                        .at(item.span.as_ref()),
                );
            }
            Some((path, span)) => out.push(Entry::Path(path, span)),
        }
    }
    Ok(out)
}

/// Reads a list of replacement entries, loading `path:` entries.
pub fn read_list(list: &Node, strict: Strictness, ctx: &Ctx) -> Result<Vec<Replacement>> {
    let mut out = Vec::new();
    for entry in decode_list(list, strict)? {
        match entry {
            Entry::Inline(r) => out.push(*r),
            Entry::Path(path, span) => out.extend(read_file(&path, span.as_ref(), ctx)?),
        }
    }
    Ok(out)
}

/// A file holding one replacement (a mapping) or a list of them.
fn read_file(path: &str, span: Option<&Span>, ctx: &Ctx) -> Result<Vec<Replacement>> {
    let (abs, text) = ctx.loader.read_text(path, span)?;
    let file = crate::hydrate::kustomize::loader::display_path(&abs);
    let doc = parse_documents(&file, &text)?.into_iter().next();
    let dec = Decoder {
        strict: Strictness::Lenient,
    };
    let kind = match doc.as_ref().map(|d| &d.value) {
        None => "invalid",
        Some(Value::Seq(items)) => {
            let mut out = Vec::new();
            for item in items {
                out.push(dec.replacement(item)?.0);
            }
            return Ok(out);
        }
        Some(Value::Map(_)) => {
            let d = doc.as_ref().expect("matched Some");
            return Ok(vec![dec.replacement(d)?.0]);
        }
        Some(Value::Scalar(s)) => match s.tag {
            Tag::Null => "invalid",
            Tag::Bool => "bool",
            Tag::Int => "int64",
            Tag::Float => "float64",
            _ => "string",
        },
    };
    Err(KustError::invalid(format!(
        "unsupported replacement type encountered within replacement path: {kind}"
    ))
    .at(span))
}
