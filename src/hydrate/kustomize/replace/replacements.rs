//! Applying replacements: read one value from a source resource (or a
//! literal), write it into every selected field of every selected target.

use super::config::{FieldOptions, Replacement, Source, Target};
use super::fieldpath::{self, Found, Leaf, Matcher, PathError};
use super::select::{CompiledSelector, LabelSelector, Selector, all_ids, display};
use super::structured;
use crate::hydrate::kustomize::error::{ErrorKind, KustError, Result};
use crate::hydrate::kustomize::resmap::ResMap;
use crate::hydrate::kustomize::resource::Resource;
use crate::load::yaml::resolve::resolve_plain;
use crate::load::yaml::{Node, Tag, Value};

/// The field replacements read when none is given.
pub const DEFAULT_FIELD_PATH: &str = "metadata.name";

/// Applies `list` in order; each sees the results of the ones before.
pub fn apply_all(m: &mut ResMap, list: &[Replacement]) -> Result<()> {
    for r in list {
        apply_one(m, r)?;
    }
    Ok(())
}

fn apply_one(m: &mut ResMap, r: &Replacement) -> Result<()> {
    let Some(targets) = r
        .targets
        .as_ref()
        .filter(|_| r.source.is_some() || r.source_value.is_some())
    else {
        return Err(KustError::invalid(
            "replacements must specify a source and at least one target",
        )
        .at(r.span.as_ref()));
    };
    let value = source_value(m, r)?;
    for t in targets {
        apply_target(m, &value, t)?;
    }
    Ok(())
}

/// The value a replacement writes, with the span of where it was read.
fn source_value(m: &ResMap, r: &Replacement) -> Result<Node> {
    let source = match (&r.source, &r.source_value) {
        (Some(_), Some(_)) => {
            return Err(
                KustError::invalid("value and resource selectors are mutually exclusive")
                    .at(r.span.as_ref()),
            );
        }
        (None, Some((text, span))) => return Ok(Node::plain(text.clone()).with_span(span.clone())),
        (Some(s), None) => s,
        (None, None) => unreachable!("checked by apply_one"),
    };
    let res = select_source(m, source)?;
    let path = if source.field_path.is_empty() {
        DEFAULT_FIELD_PATH
    } else {
        &source.field_path
    };
    let found = fieldpath::lookup(&res.node, &fieldpath::split(path)).map_err(|e| {
        KustError::invalid(format!("error looking up replacement source: {e}"))
            .at(source.span.as_ref())
    })?;
    let Some(found) = found.filter(|n| !is_nil_or_empty(n)) else {
        return Err(KustError::not_found(format!(
            "fieldPath `{path}` is missing for replacement source {}",
            display(&source.id)
        ))
        .at(source.span.as_ref()));
    };
    refine(source, found.clone())
}

/// kyaml's `IsNilOrEmpty`: null, `{}` or `[]`.
fn is_nil_or_empty(n: &Node) -> bool {
    match &n.value {
        Value::Map(m) => m.is_empty(),
        Value::Seq(s) => s.is_empty(),
        Value::Scalar(s) => s.tag == Tag::Null,
    }
}

/// The one resource the source selects by any of its ids.
fn select_source<'m>(m: &'m ResMap, source: &Source) -> Result<&'m Resource> {
    let mut found: Option<&Resource> = None;
    for r in m.iter() {
        if all_ids(r).iter().any(|id| source.id.selects_exactly(id)) {
            if found.is_some() {
                return Err(KustError::conflict(format!(
                    "multiple matches for selector {}",
                    source.display()
                ))
                .at(source.span.as_ref()));
            }
            found = Some(r);
        }
    }
    found.ok_or_else(|| {
        KustError::not_found(format!("nothing selected by {}", source.display()))
            .at(source.span.as_ref())
    })
}

/// Applies the source's `delimiter`/`index` options: one part of the text.
fn refine(source: &Source, mut value: Node) -> Result<Node> {
    let Some(opts) = source.options.as_ref().filter(|o| !o.delimiter.is_empty()) else {
        return Ok(value);
    };
    let Value::Scalar(s) = &mut value.value else {
        return Err(
            KustError::invalid("delimiter option can only be used with scalar nodes")
                .at(source.span.as_ref()),
        );
    };
    let parts: Vec<&str> = s.text.split(opts.delimiter.as_str()).collect();
    let part = usize::try_from(opts.index)
        .ok()
        .and_then(|i| parts.get(i))
        .ok_or_else(|| {
            KustError::invalid(format!(
                "options.index {} is out of bounds for value {}",
                opts.index, s.text
            ))
            .at(source.span.as_ref())
        })?;
    s.text = part.to_string();
    Ok(value)
}

/// Whether a resource passes the label and annotation parts of `select`
/// and none of the `reject` entries that have them.
fn passes_meta_selectors(r: &Resource, t: &Target, select: &Selector) -> Result<bool> {
    if !matches_meta(r, select)? {
        return Ok(false);
    }
    for rej in &t.reject {
        if (!rej.annotation_selector.is_empty() || !rej.label_selector.is_empty())
            && matches_meta(r, rej)?
        {
            return Ok(false);
        }
    }
    Ok(true)
}

fn matches_meta(r: &Resource, s: &Selector) -> Result<bool> {
    let parse = |text: &str| LabelSelector::parse(text).map_err(KustError::invalid);
    Ok(parse(&s.annotation_selector)?.matches(&r.annotations())
        && parse(&s.label_selector)?.matches(&r.labels()))
}

fn apply_target(m: &mut ResMap, value: &Node, t: &Target) -> Result<()> {
    let Some(select) = &t.select else {
        return Err(
            KustError::invalid("target must specify resources to select").at(t.span.as_ref()),
        );
    };
    let compile = |s: &Selector| {
        CompiledSelector::new(s).map_err(|e| {
            KustError::invalid(format!("error creating target selector: {e}")).at(t.span.as_ref())
        })
    };
    let selects = compile(select)?;
    let mut rejects = Vec::new();
    for r in t.reject.iter().filter(|r| !r.id.is_empty()) {
        rejects.push(compile(r)?);
    }
    for r in m.iter_mut() {
        if !passes_meta_selectors(r, t, select)? {
            continue;
        }
        let ids = all_ids(r);
        if rejects
            .iter()
            .any(|rej| ids.iter().any(|id| rej.matches(id)))
        {
            continue;
        }
        if ids.iter().any(|id| selects.matches(id)) {
            copy_to_target(&mut r.node, value, t)?;
        }
    }
    Ok(())
}

fn copy_to_target(obj: &mut Node, value: &Node, t: &Target) -> Result<()> {
    let default_path = [(DEFAULT_FIELD_PATH.to_string(), t.span.clone())];
    let paths = if t.field_paths.is_empty() {
        &default_path[..]
    } else {
        &t.field_paths[..]
    };
    let opts = t.options.clone().unwrap_or_default();
    let create = opts.create.then(|| Leaf::of(value));
    for (fp, span) in paths {
        let span = span.as_ref().or(t.span.as_ref());
        if structured::set_in_scalar(obj, value, fp, create, span) {
            continue;
        }
        let retrieval = if create.is_some() {
            format!("unable to find or create field {fp:?} in replacement target")
        } else {
            format!("unable to find field {fp:?} in replacement target")
        };
        let mut set_error: Option<KustError> = None;
        let matcher = Matcher { create, span };
        let walked = matcher.run(obj, &fieldpath::split(fp), &mut |found| {
            set_field_value(&opts, found, value).map_err(|e| {
                set_error = Some(e.at(span));
                PathError(String::new())
            })
        });
        if let Some(e) = set_error {
            return Err(e);
        }
        match walked {
            Err(e) => {
                return Err(
                    KustError::new(ErrorKind::NotFound, format!("{retrieval}: {e}")).at(span),
                );
            }
            Ok(0) => return Err(KustError::not_found(retrieval).at(span)),
            Ok(_) => {}
        }
    }
    Ok(())
}

/// Writes `value` into one target field. A scalar target takes only the
/// text (its type stays, so `"1"` into an int field stays an int); other
/// targets are replaced by a copy of the value.
fn set_field_value(opts: &FieldOptions, found: Found, value: &Node) -> Result<()> {
    let target = found.node;
    let mut text = value
        .as_scalar()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    if !opts.delimiter.is_empty() {
        let Some(old) = target.as_scalar() else {
            return Err(KustError::invalid(
                "delimiter option can only be used with scalar nodes",
            ));
        };
        let mut parts: Vec<String> = old
            .text
            .split(opts.delimiter.as_str())
            .map(String::from)
            .collect();
        match usize::try_from(opts.index) {
            Err(_) => parts.insert(0, text),
            Ok(i) if i >= parts.len() => parts.push(text),
            Ok(i) => parts[i] = text,
        }
        text = parts.join(&opts.delimiter);
    }
    if target.as_scalar().is_some() {
        set_scalar_text(target, text, found.created, value);
    } else {
        *target = value.clone();
    }
    Ok(())
}

/// Sets a scalar's text, keeping its type; a field the replacement created
/// has no type yet and takes the one its text reads as, a null becomes a
/// string. The node then points at the value's source.
pub fn set_scalar_text(target: &mut Node, text: String, created: bool, value: &Node) {
    if let Value::Scalar(s) = &mut target.value {
        if created {
            s.tag = resolve_plain(&text);
        } else if s.tag == Tag::Null {
            s.tag = Tag::Str;
        }
        s.text = text;
    }
    target.span = value.span.clone();
}
