//! Labels: `commonLabels:`, `labels:` entries and the builtin
//! `LabelTransformer`, all one transformer with different field specs.

use super::decode::{Decoder, Spanned, field};
use super::setter::set_entries;
use crate::hydrate::kustomize::config::{TransformerConfig, merge_specs};
use crate::hydrate::kustomize::context::{Ctx, Transformer, Transformers};
use crate::hydrate::kustomize::error::{KustError, Result};
use crate::hydrate::kustomize::fieldspec::FieldSpec;
use crate::hydrate::kustomize::kustomization::Kustomization;
use crate::hydrate::kustomize::resmap::ResMap;
use crate::load::yaml::Node;

/// Adds labels at the fields its specs select.
#[derive(Clone, Debug, Default)]
pub struct LabelTransformer {
    pub labels: Vec<(String, Spanned)>,
    pub field_specs: Vec<FieldSpec>,
}

impl Transformer for LabelTransformer {
    fn transform(&self, m: &mut ResMap, _ctx: &Ctx) -> Result<()> {
        set_entries(m, &self.labels, &self.field_specs)
    }
}

impl LabelTransformer {
    /// From a `LabelTransformer` plugin config (`labels`, `fieldSpecs`).
    pub fn from_config(config: &Node, d: &Decoder) -> Result<LabelTransformer> {
        Ok(LabelTransformer {
            labels: d.string_map(field(config, "labels"), "labels")?,
            field_specs: FieldSpec::list_from_node(field(config, "fieldSpecs"))?,
        })
    }
}

const LABEL_FIELDS: [&str; 5] = [
    "pairs",
    "includeSelectors",
    "includeTemplates",
    "includeVolumeClaimTemplates",
    "fields",
];

/// The transformers kustomize configures from `labels:` (one per entry)
/// and `commonLabels:` (one more, always present when either field is).
pub fn from_kustomization(k: &Kustomization, tc: &TransformerConfig) -> Result<Transformers> {
    let d = Decoder::kustomization();
    let common = d.string_map(k.get("commonLabels"), "commonLabels")?;
    let entries = d.array(k.get("labels"), "labels", "types.Label")?;
    if common.is_empty() && entries.is_empty() {
        return Ok(Vec::new());
    }
    let mut out: Transformers = Vec::new();
    let ld = d.nested("Label", "labels");
    for entry in entries {
        if !entry.is_map() {
            if entry.is_null() {
                continue;
            }
            return Err(KustError::invalid(
                "invalid Kustomization: every item of labels must be a mapping",
            )
            .at(entry.span.as_ref()));
        }
        ld.check_fields(entry, &LABEL_FIELDS)?;
        let pairs = ld.string_map(field(entry, "pairs"), "pairs")?;
        let custom = FieldSpec::list_from_node(field(entry, "fields"))?;
        let specs = label_entry_specs(
            custom,
            tc,
            ld.boolean(field(entry, "includeSelectors"), "includeSelectors")?,
            ld.boolean(field(entry, "includeTemplates"), "includeTemplates")?,
            ld.boolean(
                field(entry, "includeVolumeClaimTemplates"),
                "includeVolumeClaimTemplates",
            )?,
        )
        .map_err(|e| e.at(entry.span.as_ref()))?;
        out.push(Box::new(LabelTransformer {
            labels: pairs,
            field_specs: specs,
        }));
    }
    out.push(Box::new(LabelTransformer {
        labels: common,
        field_specs: tc.common_labels.clone(),
    }));
    Ok(out)
}

/// The field specs of one `labels:` entry: its own `fields`, the `labels`
/// specs of the configuration, then selectors (everything commonLabels
/// touches) or only templates / claim templates / metadata as asked.
fn label_entry_specs(
    custom: Vec<FieldSpec>,
    tc: &TransformerConfig,
    include_selectors: bool,
    include_templates: bool,
    include_claim_templates: bool,
) -> Result<Vec<FieldSpec>> {
    let mut specs = custom;
    merge_all(&mut specs, &tc.labels)?;
    if include_selectors {
        merge_all(&mut specs, &tc.common_labels)?;
        return Ok(specs);
    }
    if include_templates {
        merge_all(&mut specs, &tc.template_labels)?;
    }
    // kustomize v5.8.1 labels StatefulSet claim templates whenever it labels
    // templates (checked against `kubectl kustomize`).
    if include_claim_templates || include_templates {
        merge_all(&mut specs, &tc.volume_claim_template_labels)?;
    }
    merge_all(&mut specs, &[FieldSpec::new("metadata/labels", true)])?;
    Ok(specs)
}

/// kustomize's `FsSlice.MergeAll` (see [`merge_specs`]), with the label
/// transformer's error wording.
fn merge_all(into: &mut Vec<FieldSpec>, from: &[FieldSpec]) -> Result<()> {
    merge_specs(into, from).map_err(|e| e.context("failed to merge labels"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tc() -> TransformerConfig {
        TransformerConfig {
            common_labels: vec![
                FieldSpec::new("metadata/labels", true),
                FieldSpec::for_kind("", "", "Deployment", "spec/selector/matchLabels", true),
                FieldSpec::for_kind("", "", "Deployment", "spec/template/metadata/labels", true),
            ],
            template_labels: vec![
                FieldSpec::new("metadata/labels", true),
                FieldSpec::for_kind("", "", "Deployment", "spec/template/metadata/labels", true),
            ],
            ..TransformerConfig::default()
        }
    }

    fn paths(specs: &[FieldSpec]) -> Vec<&str> {
        specs.iter().map(|s| s.path.as_str()).collect()
    }

    #[test]
    fn entry_specs_follow_include_flags() {
        let tc = tc();
        let only_meta = label_entry_specs(Vec::new(), &tc, false, false, false).unwrap();
        assert_eq!(paths(&only_meta), ["metadata/labels"]);
        let templates = label_entry_specs(Vec::new(), &tc, false, true, false).unwrap();
        assert_eq!(
            paths(&templates),
            ["metadata/labels", "spec/template/metadata/labels"]
        );
        let selectors = label_entry_specs(Vec::new(), &tc, true, false, false).unwrap();
        assert_eq!(selectors.len(), 3);
    }

    #[test]
    fn merge_treats_selected_kinds_as_duplicates() {
        let mut specs = vec![FieldSpec::for_kind(
            "",
            "",
            "Deployment",
            "metadata/labels",
            true,
        )];
        merge_all(&mut specs, &[FieldSpec::new("metadata/labels", true)]).unwrap();
        assert_eq!(specs.len(), 1);
        let mut specs = vec![FieldSpec::new("metadata/labels", false)];
        assert!(merge_all(&mut specs, &[FieldSpec::new("metadata/labels", true)]).is_err());
    }
}
