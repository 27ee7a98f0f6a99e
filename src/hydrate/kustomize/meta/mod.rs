//! Metadata transformers: labels, annotations, images, replicas; output
//! order; origin and managed-by annotations.

pub mod annotations;
pub mod build_metadata;
pub mod decode;
pub mod images;
pub mod labels;
pub mod replicas;
pub mod setter;
pub mod sort;

use super::context::{BuildOptions, Ctx, Transformer, Transformers};
use super::error::{KustError, Result};
use super::kustomization::Kustomization;
use super::resmap::ResMap;
use crate::load::yaml::Node;
use decode::Decoder;

pub use build_metadata::record_transformation;

/// `commonLabels:` and `labels:` of the kustomization.
pub fn labels_from_kustomization(ctx: &Ctx) -> Result<Transformers> {
    labels::from_kustomization(ctx.kustomization, ctx.tc)
}

/// `commonAnnotations:` of the kustomization.
pub fn annotations_from_kustomization(ctx: &Ctx) -> Result<Transformers> {
    annotations::from_kustomization(ctx.kustomization, ctx.tc)
}

/// `replicas:` of the kustomization.
pub fn replicas_from_kustomization(ctx: &Ctx) -> Result<Transformers> {
    replicas::from_kustomization(ctx.kustomization, ctx.tc)
}

/// `images:` (and `imageTags:`) of the kustomization.
pub fn images_from_kustomization(ctx: &Ctx) -> Result<Transformers> {
    images::from_kustomization(ctx.kustomization, ctx.tc)
}

/// A `transformers:` entry of kind LabelTransformer, AnnotationsTransformer,
/// ImageTagTransformer, ReplicaCountTransformer or SortOrderTransformer.
pub fn from_plugin_config(
    kind: &str,
    config: &Node,
    ctx: &Ctx,
) -> Option<Result<Box<dyn Transformer>>> {
    let _ = ctx;
    let name = config
        .get_path(&["metadata", "name"])
        .and_then(Node::as_str)
        .unwrap_or("");
    let namespace = config
        .get_path(&["metadata", "namespace"])
        .and_then(Node::as_str)
        .unwrap_or("");
    let id = format!(
        "{kind}.builtin.[noGrp]/{}.{}",
        if name.is_empty() { "[noName]" } else { name },
        if namespace.is_empty() {
            "[noNs]"
        } else {
            namespace
        }
    );
    let prefix =
        format!("plugin {id} fails configuration: error unmarshaling JSON: while decoding JSON");
    let owner = format!("{kind}Plugin");
    let d = Decoder {
        prefix,
        owner,
        path: String::new(),
        strict: false,
    };
    let boxed = |t: Result<Box<dyn Transformer>>| t.map_err(|e| e.at(config.span.as_ref()));
    let t: Result<Box<dyn Transformer>> = match kind {
        "LabelTransformer" => {
            labels::LabelTransformer::from_config(config, &d).map(|t| Box::new(t) as _)
        }
        "AnnotationsTransformer" => {
            annotations::AnnotationsTransformer::from_config(config, &d).map(|t| Box::new(t) as _)
        }
        "ImageTagTransformer" => {
            images::ImageTagTransformer::from_config(config, &d).map(|t| Box::new(t) as _)
        }
        "ReplicaCountTransformer" => {
            replicas::ReplicaCountTransformer::from_config(config, &d).map(|t| Box::new(t) as _)
        }
        // kustomize deliberately offers sorting only through the top
        // kustomization's `sortOptions:`, never as a plugin.
        "SortOrderTransformer" => Err(KustError::invalid(format!(
            "unable to load builtin {kind}.builtin.[noGrp]"
        ))
        .with_help("set `sortOptions:` in the top kustomization instead")),
        _ => return None,
    };
    Some(boxed(t))
}

/// Output order: `sortOptions:` of the top kustomization, else `--reorder`.
pub fn sort(m: &mut ResMap, k: &Kustomization, options: &BuildOptions) -> Result<()> {
    sort::sort(m, k, options)
}

/// Last touches before output: `buildMetadata` labels and annotations
/// (managed-by, origin, transformations).
pub fn finalize(m: &mut ResMap, k: &Kustomization) -> Result<()> {
    build_metadata::finalize(m, k)
}
