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

#[cfg(test)]
mod defaults_tests {
    use super::super::config::TransformerConfig;

    #[test]
    fn default_lists_have_kustomize_sizes() {
        let tc = TransformerConfig::defaults();
        assert_eq!(tc.common_labels.len(), 32);
        assert_eq!(tc.template_labels.len(), 9);
        assert_eq!(tc.common_annotations.len(), 9);
        assert_eq!(tc.var_reference.len(), 72);
        assert_eq!(tc.name_reference.len(), 16);
        let refs = |kind: &str| tc.name_reference.iter().find(|n| n.gvk.kind == kind).map(|n| n.referrers.len());
        assert_eq!(refs("ConfigMap"), Some(52));
        assert_eq!(refs("Secret"), Some(69));
        assert!(tc.common_labels.iter().any(|f| f.create && f.path == "spec/selector"));
        let ann = tc.name_reference.iter().find(|n| n.gvk.kind == "ConfigMap").unwrap();
        assert!(ann.referrers.iter().any(|f| f.path.ends_with(r"nginx.ingress.kubernetes.io\/fastcgi-params-configmap")));
    }
}
