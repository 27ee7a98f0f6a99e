//! Copying values between resources: `replacements` and legacy `vars`.

pub mod vars;

use super::context::{Ctx, Transformers};
use super::error::Result;
use crate::load::yaml::Node;

/// `replacements:` of the kustomization.
pub fn replacements_from_kustomization(ctx: &Ctx) -> Result<Transformers> {
    let _ = ctx;
    Ok(Vec::new())
}

/// A `transformers:` entry of kind ReplacementTransformer.
pub fn from_plugin_config(
    kind: &str,
    config: &Node,
    ctx: &Ctx,
) -> Option<Result<Box<dyn super::context::Transformer>>> {
    let _ = (kind, config, ctx);
    None
}
