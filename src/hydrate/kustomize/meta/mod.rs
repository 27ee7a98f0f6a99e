//! Metadata transformers: labels, annotations, images, replicas; output
//! order; origin and managed-by annotations.

use super::context::{BuildOptions, Ctx, Transformers};
use super::error::Result;
use super::kustomization::Kustomization;
use super::resmap::ResMap;
use crate::load::yaml::Node;

/// `commonLabels:` and `labels:` of the kustomization.
pub fn labels_from_kustomization(ctx: &Ctx) -> Result<Transformers> {
    let _ = ctx;
    Ok(Vec::new())
}

/// `commonAnnotations:` of the kustomization.
pub fn annotations_from_kustomization(ctx: &Ctx) -> Result<Transformers> {
    let _ = ctx;
    Ok(Vec::new())
}

/// `replicas:` of the kustomization.
pub fn replicas_from_kustomization(ctx: &Ctx) -> Result<Transformers> {
    let _ = ctx;
    Ok(Vec::new())
}

/// `images:` (and `imageTags:`) of the kustomization.
pub fn images_from_kustomization(ctx: &Ctx) -> Result<Transformers> {
    let _ = ctx;
    Ok(Vec::new())
}

/// A `transformers:` entry of kind LabelTransformer, AnnotationsTransformer,
/// ImageTagTransformer, ReplicaCountTransformer or SortOrderTransformer.
pub fn from_plugin_config(
    kind: &str,
    config: &Node,
    ctx: &Ctx,
) -> Option<Result<Box<dyn super::context::Transformer>>> {
    let _ = (kind, config, ctx);
    None
}

/// Output order: `sortOptions:` of the top kustomization, else `--reorder`.
pub fn sort(m: &mut ResMap, k: &Kustomization, options: &BuildOptions) -> Result<()> {
    let _ = (m, k, options);
    Ok(())
}

/// Last touches before output: `buildMetadata` labels and annotations
/// (managed-by, origin, transformations).
pub fn finalize(m: &mut ResMap, k: &Kustomization) -> Result<()> {
    let _ = (m, k);
    Ok(())
}
