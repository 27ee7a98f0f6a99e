//! Names and namespaces: namespace, prefix and suffix transformers, CRD
//! field specs, and the fix-up of references after renames.

use super::config::TransformerConfig;
use super::context::{Ctx, Transformers};
use super::error::Result;
use super::loader::Loader;
use super::resmap::ResMap;
use crate::load::yaml::{Node, Span};

/// `namespace:` of the kustomization.
pub fn namespace_from_kustomization(ctx: &Ctx) -> Result<Transformers> {
    let _ = ctx;
    Ok(Vec::new())
}

/// `namePrefix:` of the kustomization.
pub fn prefix_from_kustomization(ctx: &Ctx) -> Result<Transformers> {
    let _ = ctx;
    Ok(Vec::new())
}

/// `nameSuffix:` of the kustomization.
pub fn suffix_from_kustomization(ctx: &Ctx) -> Result<Transformers> {
    let _ = ctx;
    Ok(Vec::new())
}

/// A `transformers:` entry of kind NamespaceTransformer,
/// PrefixSuffixTransformer, PrefixTransformer or SuffixTransformer.
pub fn from_plugin_config(
    kind: &str,
    config: &Node,
    ctx: &Ctx,
) -> Option<Result<Box<dyn super::context::Transformer>>> {
    let _ = (kind, config, ctx);
    None
}

/// Field specs from the `crds:` files (name references in custom kinds).
pub fn config_from_crds(
    loader: &Loader,
    crds: &[(String, Option<Span>)],
) -> Result<TransformerConfig> {
    let _ = (loader, crds);
    Ok(TransformerConfig::default())
}

/// After renames, points every name reference at the new names.
pub fn fix_back_references(m: &mut ResMap, tc: &TransformerConfig) -> Result<()> {
    let _ = (m, tc);
    Ok(())
}
