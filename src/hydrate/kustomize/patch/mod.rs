//! Patches: strategic merge, JSON 6902, and the target selectors that
//! pick what a patch applies to.

pub mod json6902;
pub mod selector;
pub mod strategic;

use super::context::{Ctx, Transformers};
use super::error::Result;
use crate::load::yaml::Node;

/// `patchesStrategicMerge:` of the kustomization.
pub fn strategic_merge_from_kustomization(ctx: &Ctx) -> Result<Transformers> {
    let _ = ctx;
    Ok(Vec::new())
}

/// `patches:` of the kustomization.
pub fn patches_from_kustomization(ctx: &Ctx) -> Result<Transformers> {
    let _ = ctx;
    Ok(Vec::new())
}

/// `patchesJson6902:` of the kustomization.
pub fn json6902_from_kustomization(ctx: &Ctx) -> Result<Transformers> {
    let _ = ctx;
    Ok(Vec::new())
}

/// A `transformers:` entry of kind PatchTransformer,
/// PatchStrategicMergeTransformer or PatchJson6902Transformer.
pub fn from_plugin_config(
    kind: &str,
    config: &Node,
    ctx: &Ctx,
) -> Option<Result<Box<dyn super::context::Transformer>>> {
    let _ = (kind, config, ctx);
    None
}
