//! Transformer configuration: the field specs each builtin transformer
//! uses, from gitopsc's defaults, `configurations:` files and CRDs.

use super::error::{KustError, Result};
use super::fieldspec::FieldSpec;
use super::kustomization::get_ci;
use super::resid::Gvk;
use crate::load::yaml::{Node, parse_single};

/// A kind that others refer to by name, and the fields that refer to it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameBackRef {
    pub gvk: Gvk,
    pub referrers: Vec<FieldSpec>,
}

#[derive(Clone, Debug, Default)]
pub struct TransformerConfig {
    pub name_prefix: Vec<FieldSpec>,
    pub name_suffix: Vec<FieldSpec>,
    pub namespace: Vec<FieldSpec>,
    pub common_labels: Vec<FieldSpec>,
    pub labels: Vec<FieldSpec>,
    pub template_labels: Vec<FieldSpec>,
    pub volume_claim_template_labels: Vec<FieldSpec>,
    pub common_annotations: Vec<FieldSpec>,
    pub name_reference: Vec<NameBackRef>,
    pub var_reference: Vec<FieldSpec>,
    pub images: Vec<FieldSpec>,
    pub replicas: Vec<FieldSpec>,
}

/// The built-in defaults, in gitopsc's own layout (see the file's header).
const DEFAULTS: &str = include_str!("defaults.yaml");

impl TransformerConfig {
    /// kustomize's default field specs.
    pub fn defaults() -> TransformerConfig {
        // The embedded file is checked by the `defaults_parse` test.
        let node =
            parse_single("builtin:defaults.yaml", DEFAULTS).expect("embedded defaults parse");
        TransformerConfig::from_node(&node).expect("embedded defaults are valid")
    }

    /// Reads a `configurations:` file (keys `namePrefix`, `nameReference`...).
    pub fn from_node(n: &Node) -> Result<TransformerConfig> {
        if n.is_null() {
            return Ok(TransformerConfig::default());
        }
        if !n.is_map() {
            return Err(
                KustError::invalid("a transformer configuration must be a mapping")
                    .at(n.span.as_ref()),
            );
        }
        let fs = |k: &str| FieldSpec::list_from_node(get_ci(n, k));
        let mut name_reference = Vec::new();
        if let Some(items) = get_ci(n, "nameReference").and_then(Node::as_seq) {
            for item in items {
                let s = |k: &str| {
                    super::kustomization::get_ci_str(item, k)
                        .unwrap_or("")
                        .to_string()
                };
                name_reference.push(NameBackRef {
                    gvk: Gvk {
                        group: s("group"),
                        version: s("version"),
                        kind: s("kind"),
                    },
                    referrers: FieldSpec::list_from_node(get_ci(item, "fieldSpecs"))?,
                });
            }
        }
        Ok(TransformerConfig {
            name_prefix: fs("namePrefix")?,
            name_suffix: fs("nameSuffix")?,
            namespace: fs("namespace")?,
            common_labels: fs("commonLabels")?,
            labels: fs("labels")?,
            template_labels: fs("templateLabels")?,
            volume_claim_template_labels: fs("volumeClaimTemplateLabels")?,
            common_annotations: fs("commonAnnotations")?,
            name_reference,
            var_reference: fs("varReference")?,
            images: fs("images")?,
            replicas: fs("replicas")?,
        })
    }

    /// Adds `other`'s specs to this config, skipping duplicates.
    pub fn merge(&mut self, other: &TransformerConfig) -> Result<()> {
        merge_specs(&mut self.name_prefix, &other.name_prefix)?;
        merge_specs(&mut self.name_suffix, &other.name_suffix)?;
        merge_specs(&mut self.namespace, &other.namespace)?;
        merge_specs(&mut self.common_labels, &other.common_labels)?;
        merge_specs(&mut self.labels, &other.labels)?;
        merge_specs(&mut self.template_labels, &other.template_labels)?;
        merge_specs(
            &mut self.volume_claim_template_labels,
            &other.volume_claim_template_labels,
        )?;
        merge_specs(&mut self.common_annotations, &other.common_annotations)?;
        merge_specs(&mut self.var_reference, &other.var_reference)?;
        merge_specs(&mut self.images, &other.images)?;
        merge_specs(&mut self.replicas, &other.replicas)?;
        for nbr in &other.name_reference {
            match self.name_reference.iter_mut().find(|x| x.gvk == nbr.gvk) {
                Some(existing) => merge_specs(&mut existing.referrers, &nbr.referrers)?,
                None => self.name_reference.push(nbr.clone()),
            }
        }
        Ok(())
    }
}

/// kustomize's `FsSlice.MergeAll`: same gvk and path is one spec; a
/// disagreement on `create` is an error.
pub fn merge_specs(into: &mut Vec<FieldSpec>, from: &[FieldSpec]) -> Result<()> {
    for f in from {
        match into.iter().find(|x| x.gvk == f.gvk && x.path == f.path) {
            Some(x) if x.create != f.create => {
                return Err(KustError::invalid(format!(
                    "conflicting fieldspecs: path '{}' of {} has create {} and {}",
                    f.path, f.gvk, x.create, f.create
                )));
            }
            Some(_) => {}
            None => into.push(f.clone()),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse() {
        let tc = TransformerConfig::defaults();
        assert!(!tc.name_prefix.is_empty());
        assert!(!tc.name_reference.is_empty());
    }
}
