//! Patches: strategic merge, JSON 6902, and the target selectors that
//! pick what a patch applies to.
//!
//! The kustomization fields build the same configs as the builtin plugins
//! (`patches:` is PatchTransformer, `patchesStrategicMerge:` is
//! PatchStrategicMergeTransformer, `patchesJson6902:` is
//! PatchJson6902Transformer), so both paths share the code below.

pub mod json6902;
mod load;
pub mod selector;
pub mod strategic;

use super::context::{Ctx, Transformer, Transformers};
use super::error::{KustError, Result};
use super::kustomization::get_ci;
use super::openapi::Definitions;
use super::resmap::ResMap;
use super::resource::Resource;
use crate::load::yaml::{Node, Span, Tag};
use json6902::JsonPatch;
use load::{PatchText, SmPatch};
use selector::Selector;

/// `patchesStrategicMerge:` of the kustomization.
pub fn strategic_merge_from_kustomization(ctx: &Ctx) -> Result<Transformers> {
    let Some(list) = ctx.kustomization.get("patchesStrategicMerge") else {
        return Ok(Vec::new());
    };
    let Some(items) = list.as_seq() else {
        return Err(KustError::invalid(
            "invalid Kustomization: patchesStrategicMerge must be a list",
        )
        .at(list.span.as_ref()));
    };
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let t = StrategicMergeTransformer::from_entries(items, None, ctx)?;
    Ok(vec![Box::new(t)])
}

/// `patches:` of the kustomization.
pub fn patches_from_kustomization(ctx: &Ctx) -> Result<Transformers> {
    let Some(list) = ctx.kustomization.get("patches") else {
        return Ok(Vec::new());
    };
    let Some(items) = list.as_seq() else {
        return Err(
            KustError::invalid("invalid Kustomization: patches must be a list")
                .at(list.span.as_ref()),
        );
    };
    let mut out: Transformers = Vec::new();
    for item in items {
        out.push(Box::new(PatchTransformer::from_config(item, ctx)?));
    }
    Ok(out)
}

/// `patchesJson6902:` of the kustomization (`patch:` is the plugin's `jsonOp`).
pub fn json6902_from_kustomization(ctx: &Ctx) -> Result<Transformers> {
    let Some(list) = ctx.kustomization.get("patchesJson6902") else {
        return Ok(Vec::new());
    };
    let Some(items) = list.as_seq() else {
        return Err(
            KustError::invalid("invalid Kustomization: patchesJson6902 must be a list")
                .at(list.span.as_ref()),
        );
    };
    let mut out: Transformers = Vec::new();
    for item in items {
        out.push(Box::new(Json6902Transformer::from_config(
            item, "patch", ctx,
        )?));
    }
    Ok(out)
}

/// A `transformers:` entry of kind PatchTransformer,
/// PatchStrategicMergeTransformer or PatchJson6902Transformer.
pub fn from_plugin_config(
    kind: &str,
    config: &Node,
    ctx: &Ctx,
) -> Option<Result<Box<dyn Transformer>>> {
    fn boxed<T: Transformer + 'static>(r: Result<T>) -> Result<Box<dyn Transformer>> {
        r.map(|t| Box::new(t) as Box<dyn Transformer>)
    }
    Some(match kind {
        "PatchTransformer" => boxed(PatchTransformer::from_config(config, ctx)),
        "PatchStrategicMergeTransformer" => {
            boxed(StrategicMergeTransformer::from_plugin(config, ctx))
        }
        "PatchJson6902Transformer" => {
            boxed(Json6902Transformer::from_config(config, "jsonOp", ctx))
        }
        _ => return None,
    })
}

/// `options:` of a `patches:` entry.
#[derive(Clone, Copy, Debug, Default)]
struct PatchOptions {
    allow_name_change: bool,
    allow_kind_change: bool,
}

fn flag(n: &Node, key: &str) -> Result<bool> {
    match get_ci(n, key) {
        None => Ok(false),
        Some(v) => match v.as_str() {
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            _ => Err(
                KustError::invalid(format!("patch option {key} must be true or false"))
                    .at(v.span.as_ref()),
            ),
        },
    }
}

impl PatchOptions {
    fn from_config(config: &Node) -> Result<PatchOptions> {
        match get_ci(config, "options") {
            None => Ok(PatchOptions::default()),
            Some(o) => Ok(PatchOptions {
                allow_name_change: flag(o, "allowNameChange")?,
                allow_kind_change: flag(o, "allowKindChange")?,
            }),
        }
    }
}

fn target_of(config: &Node) -> Result<Option<Selector>> {
    get_ci(config, "target")
        .map(Selector::from_node)
        .transpose()
}

/// Rebuilds `m` without the deleted resources, re-checking ids as
/// kustomize does (a rename may have made two resources collide).
fn rebuild(m: &mut ResMap, kept: Vec<Resource>) -> Result<()> {
    *m = ResMap::from_resources(kept)?;
    Ok(())
}

/// Applies a strategic merge patch to one resource (kustomize's
/// `Resource.ApplySmPatch`); false when the patch deletes it. Unless
/// allowed, the name and kind stay; the namespace always stays.
fn apply_sm_patch(
    r: &mut Resource,
    patch: &SmPatch,
    options: PatchOptions,
    defs: &Definitions,
    take_gvk: bool,
) -> Result<bool> {
    let kept = |r: &Resource, path: &[&str]| r.node.get_path(path).cloned();
    let (name, namespace, kind) = (
        kept(r, &["metadata", "name"]),
        kept(r, &["metadata", "namespace"]),
        kept(r, &["kind"]),
    );
    if options.allow_name_change || options.allow_kind_change {
        r.store_previous_id();
    }
    let mut p = patch.node.clone();
    if take_gvk {
        // A patch picked by a target takes the target's apiVersion.
        if let (Some(pm), Some(av)) = (p.as_map_mut(), r.node.get("apiVersion")) {
            pm.insert("apiVersion", av.clone());
        }
    }
    let merged =
        strategic::merge(r.node.clone(), p, defs).map_err(|e| e.at(patch.node.span.as_ref()))?;
    let Some(node) = merged.filter(|n| n.as_map().is_some_and(|m| !m.is_empty())) else {
        return Ok(false);
    };
    r.node = node;
    if !options.allow_kind_change {
        restore(&mut r.node, &[], "kind", kind);
    }
    if !options.allow_name_change {
        restore(&mut r.node, &["metadata"], "name", name);
    }
    restore(&mut r.node, &["metadata"], "namespace", namespace);
    Ok(true)
}

/// Puts back a field as it was before a patch (absent stays absent).
fn restore(obj: &mut Node, parent: &[&str], key: &str, old: Option<Node>) {
    match old {
        Some(v) => {
            let p = if parent.is_empty() {
                &mut *obj
            } else {
                obj.ensure_map_path(parent)
            };
            if let Some(m) = p.as_map_mut() {
                m.insert(key, v);
            }
        }
        None => {
            if let Some(m) = obj.get_path_mut(parent).and_then(Node::as_map_mut) {
                m.remove(key);
            }
        }
    }
}

/// Applies `patch` to the resources at `selected` (kustomize's
/// `ResMap.ApplySmPatch`), dropping those it deletes.
fn apply_to_selected(
    m: &mut ResMap,
    selected: &[usize],
    patch: &SmPatch,
    options: PatchOptions,
    ctx: &Ctx,
) -> Result<()> {
    let defs = ctx.schema.definitions();
    let mut is_selected = vec![false; m.len()];
    for &i in selected {
        is_selected[i] = true;
    }
    let mut kept = Vec::new();
    let mut deleted = false;
    for (i, mut r) in std::mem::take(m).into_iter().enumerate() {
        if is_selected[i] && !apply_sm_patch(&mut r, patch, options, &defs, true)? {
            deleted = true;
            continue;
        }
        kept.push(r);
    }
    if deleted || options.allow_name_change || options.allow_kind_change {
        return rebuild(m, kept);
    }
    // Ids cannot have changed: no need to check them again.
    for r in kept {
        m.push_unchecked(r);
    }
    Ok(())
}

/// The one resource a patch without target applies to: the one that has
/// (or had) the patch's own id.
fn find_by_id(m: &ResMap, patch: &SmPatch) -> Result<usize> {
    let id = patch.id();
    let found = m.matching_any_id(&id);
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(KustError::not_found(format!(
            "no matches for Id {id}; failed to find unique target for patch {id}"
        ))
        .at(patch.node.span.as_ref())),
        _ => Err(KustError::conflict(format!(
            "multiple matches for Id {id}; failed to find unique target for patch {id}"
        ))
        .at(patch.node.span.as_ref())),
    }
}

/// Rewrites annotations as kustomize does after a JSON patch: string
/// values, and no `annotations` key once it is empty, unless kustomize
/// would still hold build annotations there (they keep it alive).
/// kustomize records the previous id in annotations before a JSON patch,
/// so `metadata.annotations` always exists when the patch runs (an `add`
/// of `/metadata/annotations/x` works on a resource without annotations).
/// An annotation map left empty is dropped before output.
fn ensure_annotations(r: &mut Resource) {
    if !has_bookkeeping(r) {
        return;
    }
    if let Some(meta) = r.node.get_mut("metadata").and_then(Node::as_map_mut) {
        let absent = meta.get("annotations").is_none_or(Node::is_null);
        if absent {
            meta.insert("annotations", Node::map());
        }
    }
}

/// Whether kustomize would hold build annotations for `r` right now.
fn has_bookkeeping(r: &Resource) -> bool {
    let m = &r.meta;
    !m.prev_ids.is_empty()
        || !m.prefixes.is_empty()
        || !m.suffixes.is_empty()
        || !m.ref_by.is_empty()
        || m.behavior != super::resource::Behavior::Unspecified
        || m.needs_hash
        || m.allow_name_change
        || m.allow_kind_change
}

fn settle_annotations(r: &mut Resource) {
    let has_internal = has_bookkeeping(r);
    let Some(meta) = r.node.get_mut("metadata").and_then(Node::as_map_mut) else {
        return;
    };
    let empty = match meta.get_mut("annotations") {
        Some(a) => match a.as_map_mut() {
            Some(am) => {
                am.entries.sort_by(|x, y| x.key.cmp(&y.key));
                for e in &mut am.entries {
                    let Some(s) = e.value.as_scalar().filter(|s| s.tag != Tag::Str) else {
                        continue;
                    };
                    let text = if s.tag == Tag::Null {
                        String::new()
                    } else {
                        s.text.clone()
                    };
                    let span = e.value.span.clone();
                    e.value = Node::string(text).with_span(span);
                }
                am.is_empty()
            }
            None => a.is_null(),
        },
        None => false,
    };
    if empty && !has_internal {
        meta.remove("annotations");
    }
}

/// A `patches:` entry / PatchTransformer: a strategic merge or JSON patch,
/// from `path` or inline `patch`, optionally with a `target`.
pub struct PatchTransformer {
    patch: Patch,
    target: Option<Selector>,
    options: PatchOptions,
    /// `[path: "..."]` or `[patch: "..."]`, as kustomize names the patch.
    source: String,
    span: Option<Span>,
}

enum Patch {
    Strategic(Vec<SmPatch>),
    Json(JsonPatch),
}

impl PatchTransformer {
    pub fn from_config(config: &Node, ctx: &Ctx) -> Result<PatchTransformer> {
        if !config.is_map() {
            return Err(
                KustError::invalid("a patches entry must be a mapping with path or patch")
                    .at(config.span.as_ref()),
            );
        }
        let text = PatchText::from_config(config, "path", "patch", ctx)?;
        let patch = if json6902::looks_like_json_patch(&text.file, &text.text) {
            Patch::Json(text.json()?)
        } else {
            Patch::Strategic(text.strategic().map_err(|e| {
                if e.kind == super::error::ErrorKind::Yaml {
                    KustError::invalid(format!(
                        "unable to parse SM or JSON patch from {}: {}",
                        text.source, e.message
                    ))
                    .at(e.span.as_ref())
                } else {
                    e
                }
            })?)
        };
        Ok(PatchTransformer {
            patch,
            target: target_of(config)?,
            options: PatchOptions::from_config(config)?,
            source: text.source,
            span: config.span.clone(),
        })
    }
}

impl Transformer for PatchTransformer {
    fn transform(&self, m: &mut ResMap, ctx: &Ctx) -> Result<()> {
        match &self.patch {
            Patch::Strategic(patches) => {
                if let Some(target) = &self.target {
                    let [patch] = patches.as_slice() else {
                        if patches.is_empty() {
                            return Ok(());
                        }
                        return Err(KustError::invalid(format!(
                            "Multiple Strategic-Merge Patches in one `patches` entry is not allowed to set `patches.target` field: {}",
                            self.source
                        ))
                        .at(self.span.as_ref()));
                    };
                    let selected = target.select(m)?;
                    return apply_to_selected(m, &selected, patch, self.options, ctx);
                }
                let defs = ctx.schema.definitions();
                for patch in patches {
                    let i = find_by_id(m, patch).map_err(|e| {
                        e.context(format!(
                            "no resource matches strategic merge patch \"{}\"",
                            patch.id()
                        ))
                    })?;
                    let mut kept = std::mem::take(m).into_resources();
                    if !apply_sm_patch(&mut kept[i], patch, self.options, &defs, false)? {
                        kept.remove(i);
                    }
                    rebuild(m, kept)?;
                }
                Ok(())
            }
            Patch::Json(patch) => {
                let Some(target) = &self.target else {
                    return Err(KustError::invalid(format!(
                        "must specify a target for JSON patch {}",
                        self.source
                    ))
                    .at(self.span.as_ref()));
                };
                for i in target.select(m)? {
                    let r = m.get_mut(i);
                    r.store_previous_id();
                    ensure_annotations(r);
                    patch.apply(&mut r.node)?;
                    settle_annotations(r);
                }
                Ok(())
            }
        }
    }
}

/// `patchesStrategicMerge:` / PatchStrategicMergeTransformer: patches that
/// each apply to the resource with the patch's own id.
pub struct StrategicMergeTransformer {
    patches: Vec<SmPatch>,
}

impl StrategicMergeTransformer {
    /// Entries are file paths or, for historical reasons, inline patches.
    fn from_entries(
        items: &[Node],
        inline: Option<&Node>,
        ctx: &Ctx,
    ) -> Result<StrategicMergeTransformer> {
        let mut patches = Vec::new();
        for item in items {
            let Some(s) = item.as_scalar() else {
                return Err(KustError::invalid(
                    "every item of patchesStrategicMerge must be a string",
                )
                .at(item.span.as_ref()));
            };
            let inline_text = PatchText::inline(&s.text, item, ctx);
            match inline_text.strategic() {
                Ok(p) if !p.is_empty() => patches.extend(p),
                _ => patches
                    .extend(PatchText::from_path(&s.text, item.span.as_ref(), ctx)?.strategic()?),
            }
        }
        let inline_text =
            inline.and_then(|n| Some((n, n.as_scalar().filter(|s| !s.text.is_empty())?)));
        if let Some((node, s)) = inline_text {
            patches.extend(PatchText::inline(&s.text, node, ctx).strategic()?);
        }
        Ok(StrategicMergeTransformer { patches })
    }

    fn from_plugin(config: &Node, ctx: &Ctx) -> Result<StrategicMergeTransformer> {
        let paths = match get_ci(config, "paths") {
            None => Vec::new(),
            Some(p) => match p.as_seq() {
                Some(items) => items.clone(),
                None => return Err(KustError::invalid("paths must be a list").at(p.span.as_ref())),
            },
        };
        let inline = get_ci(config, "patches");
        if paths.is_empty() && inline.and_then(Node::as_str).is_none_or(str::is_empty) {
            return Err(
                KustError::invalid("empty file path and empty patch content")
                    .at(config.span.as_ref()),
            );
        }
        let t = StrategicMergeTransformer::from_entries(&paths, inline, ctx)?;
        if t.patches.is_empty() {
            return Err(KustError::invalid("patch appears to be empty").at(config.span.as_ref()));
        }
        Ok(t)
    }
}

impl Transformer for StrategicMergeTransformer {
    fn transform(&self, m: &mut ResMap, ctx: &Ctx) -> Result<()> {
        for patch in &self.patches {
            let i = find_by_id(m, patch)?;
            apply_to_selected(m, &[i], patch, PatchOptions::default(), ctx)?;
        }
        Ok(())
    }
}

/// `patchesJson6902:` / PatchJson6902Transformer: a JSON patch for the
/// resources a target selects.
pub struct Json6902Transformer {
    target: Selector,
    patch: JsonPatch,
}

impl Json6902Transformer {
    /// `op_key` names the inline patch field: `patch` in a kustomization,
    /// `jsonOp` in a plugin config.
    fn from_config(config: &Node, op_key: &str, ctx: &Ctx) -> Result<Json6902Transformer> {
        if !config.is_map() {
            return Err(
                KustError::invalid("a patchesJson6902 entry must be a mapping")
                    .at(config.span.as_ref()),
            );
        }
        let target = match target_of(config)? {
            Some(t) if !t.name.is_empty() => t,
            Some(t) => {
                return Err(KustError::invalid("must specify the target name")
                    .at(t.span.as_ref().or(config.span.as_ref())));
            }
            None => {
                return Err(
                    KustError::invalid("must specify a target for the JSON patch")
                        .at(config.span.as_ref()),
                );
            }
        };
        let text = PatchText::from_config(config, "path", op_key, ctx).map_err(|e| {
            if e.message.starts_with("must specify one of") {
                KustError::invalid("empty file path and empty jsonOp").at(config.span.as_ref())
            } else {
                e
            }
        })?;
        let patch = text.json()?;
        if patch.is_empty() {
            return Err(
                KustError::invalid(format!("patch appears to be empty; {}", text.source))
                    .at(config.span.as_ref()),
            );
        }
        Ok(Json6902Transformer { target, patch })
    }
}

impl Transformer for Json6902Transformer {
    fn transform(&self, m: &mut ResMap, _ctx: &Ctx) -> Result<()> {
        for i in self.target.select(m)? {
            let r = m.get_mut(i);
            ensure_annotations(r);
            self.patch.apply(&mut r.node)?;
            settle_annotations(r);
        }
        Ok(())
    }
}
