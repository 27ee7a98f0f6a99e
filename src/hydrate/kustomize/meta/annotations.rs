//! Annotations: `commonAnnotations:` and the builtin `AnnotationsTransformer`.

use super::decode::{Decoder, Spanned, field};
use super::setter::set_entries;
use crate::hydrate::kustomize::config::TransformerConfig;
use crate::hydrate::kustomize::context::{Ctx, Transformer, Transformers};
use crate::hydrate::kustomize::error::Result;
use crate::hydrate::kustomize::fieldspec::FieldSpec;
use crate::hydrate::kustomize::kustomization::Kustomization;
use crate::hydrate::kustomize::resmap::ResMap;
use crate::load::yaml::Node;

/// Adds annotations at the fields its specs select.
#[derive(Clone, Debug, Default)]
pub struct AnnotationsTransformer {
    pub annotations: Vec<(String, Spanned)>,
    pub field_specs: Vec<FieldSpec>,
}

impl Transformer for AnnotationsTransformer {
    fn transform(&self, m: &mut ResMap, _ctx: &Ctx) -> Result<()> {
        set_entries(m, &self.annotations, &self.field_specs)
    }
}

impl AnnotationsTransformer {
    /// From an `AnnotationsTransformer` plugin config.
    pub fn from_config(config: &Node, d: &Decoder) -> Result<AnnotationsTransformer> {
        Ok(AnnotationsTransformer {
            annotations: d.string_map(field(config, "annotations"), "annotations")?,
            field_specs: FieldSpec::list_from_node(field(config, "fieldSpecs"))?,
        })
    }
}

/// One transformer when `commonAnnotations:` has entries.
pub fn from_kustomization(k: &Kustomization, tc: &TransformerConfig) -> Result<Transformers> {
    let annotations =
        Decoder::kustomization().string_map(k.get("commonAnnotations"), "commonAnnotations")?;
    if annotations.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![Box::new(AnnotationsTransformer {
        annotations,
        field_specs: tc.common_annotations.clone(),
    })])
}
