//! Copying values between resources: `replacements` and legacy `vars`.

mod config;
mod fieldpath;
mod render;
mod replacements;
mod select;
mod structured;
pub mod vars;

use super::context::{Ctx, Transformer, Transformers};
use super::error::Result;
use super::kustomization::get_ci;
use super::resmap::ResMap;
use crate::load::yaml::Node;
use config::{Replacement, Strictness};

/// The builtin plugin kind this module implements.
const KIND: &str = "ReplacementTransformer";

/// A configured list of replacements, applied in order.
struct ReplacementTransformer {
    list: Vec<Replacement>,
}

impl Transformer for ReplacementTransformer {
    fn transform(&self, m: &mut ResMap, _ctx: &Ctx) -> Result<()> {
        replacements::apply_all(m, &self.list)
    }
}

/// `replacements:` of the kustomization.
pub fn replacements_from_kustomization(ctx: &Ctx) -> Result<Transformers> {
    let Some(list) = ctx.kustomization.get("replacements") else {
        return Ok(Vec::new());
    };
    let list = config::read_list(list, Strictness::Kustomization, ctx)?;
    Ok(vec![Box::new(ReplacementTransformer { list })])
}

/// A `transformers:` entry of kind ReplacementTransformer.
pub fn from_plugin_config(
    kind: &str,
    config: &Node,
    ctx: &Ctx,
) -> Option<Result<Box<dyn Transformer>>> {
    if kind != KIND {
        return None;
    }
    let list = match get_ci(config, "replacements") {
        Some(list) => config::read_list(list, Strictness::Lenient, ctx),
        None => Ok(Vec::new()),
    };
    Some(list.map(|list| Box::new(ReplacementTransformer { list }) as Box<dyn Transformer>))
}

#[cfg(test)]
mod tests;
