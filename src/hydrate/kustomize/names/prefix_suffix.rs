//! Name prefixes and suffixes: `namePrefix:`/`nameSuffix:` and the builtin
//! PrefixTransformer, SuffixTransformer and PrefixSuffixTransformer.

use super::{config_string, set_scalar};
use crate::hydrate::kustomize::context::{Ctx, Transformer};
use crate::hydrate::kustomize::error::{KustError, Result};
use crate::hydrate::kustomize::fieldspec::{self, CreateKind, FieldSpec};
use crate::hydrate::kustomize::kustomization::get_ci;
use crate::hydrate::kustomize::resid::Gvk;
use crate::hydrate::kustomize::resmap::ResMap;
use crate::load::yaml::{Node, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Affix {
    Prefix,
    Suffix,
}

impl Affix {
    fn key(self) -> &'static str {
        match self {
            Affix::Prefix => "prefix",
            Affix::Suffix => "suffix",
        }
    }
    fn apply(self, affix: &str, name: &str) -> String {
        match self {
            Affix::Prefix => format!("{affix}{name}"),
            Affix::Suffix => format!("{name}{affix}"),
        }
    }
}

pub struct AffixTransformer {
    pub affix: Affix,
    pub value: String,
    /// The config line that set the prefix or suffix.
    pub span: Option<Span>,
    pub specs: Vec<FieldSpec>,
}

/// Kinds whose names kustomize never prefixes or suffixes: their names are
/// fixed by convention (CRDs, APIServices) or by the namespace transformer.
fn never_renamed(gvk: &Gvk) -> bool {
    gvk.is_selected_by(&Gvk::new("", "", "CustomResourceDefinition"))
        || gvk.is_selected_by(&Gvk::new("apiregistration.k8s.io", "", "APIService"))
        || gvk.is_selected_by(&Gvk::new("", "", "Namespace"))
}

impl AffixTransformer {
    /// Reads a Prefix/Suffix(/PrefixSuffix) plugin config: `prefix` or
    /// `suffix`, and `fieldSpecs`, which must be given.
    pub fn from_config(affix: Affix, config: &Node) -> Result<AffixTransformer> {
        let (value, span) = config_string(config, affix.key())?;
        let Some(specs_node) = get_ci(config, "fieldSpecs") else {
            return Err(
                KustError::invalid("fieldSpecs is not expected to be nil").at(config.span.as_ref())
            );
        };
        Ok(AffixTransformer {
            affix,
            value,
            span: span.or_else(|| config.span.clone()),
            specs: FieldSpec::list_from_node(Some(specs_node))?,
        })
    }
}

impl Transformer for AffixTransformer {
    fn transform(&self, m: &mut ResMap, _ctx: &Ctx) -> Result<()> {
        for r in m.iter_mut() {
            let org = r.org_id();
            if never_renamed(&org.gvk) {
                continue;
            }
            for spec in self.specs.iter().filter(|s| org.gvk.is_selected_by(&s.gvk)) {
                if spec.path == "metadata/name" && !self.value.is_empty() {
                    // Recorded so name references can prefer targets
                    // renamed the same way as their referrers.
                    match self.affix {
                        Affix::Prefix => r.meta.prefixes.push(self.value.clone()),
                        Affix::Suffix => r.meta.suffixes.push(self.value.clone()),
                    }
                    r.store_previous_id();
                }
                let gvk = r.gvk();
                let span = self.span.as_ref();
                fieldspec::apply(
                    &mut r.node,
                    &gvk,
                    spec,
                    Some(CreateKind::Scalar),
                    span,
                    &mut |n| {
                        let old = n.as_scalar().map(|s| s.text.clone()).unwrap_or_default();
                        set_scalar(n, &self.affix.apply(&self.value, &old), None, span)
                    },
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hydrate::kustomize::resource::Resource;
    use crate::load::yaml::parse_single;

    fn map_of(docs: &[&str]) -> ResMap {
        let mut m = ResMap::new();
        for d in docs {
            m.append(Resource::new(parse_single("t.yaml", d).unwrap()).unwrap())
                .unwrap();
        }
        m
    }

    fn run(m: &mut ResMap, t: &AffixTransformer) {
        let tc = crate::hydrate::kustomize::config::TransformerConfig::default();
        super::super::with_test_ctx(&tc, &[], |ctx| t.transform(m, ctx)).unwrap();
    }

    #[test]
    fn renames_and_records_history() {
        let mut m = map_of(&[
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n",
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: crd\n",
        ]);
        let t = |affix, v: &str| AffixTransformer {
            affix,
            value: v.into(),
            span: None,
            specs: vec![FieldSpec::new("metadata/name", false)],
        };
        run(&mut m, &t(Affix::Prefix, "p-"));
        run(&mut m, &t(Affix::Suffix, "-s"));
        let cm = m.get(0);
        assert_eq!(cm.name(), "p-cm-s");
        assert_eq!(cm.meta.prefixes, ["p-"]);
        assert_eq!(cm.meta.suffixes, ["-s"]);
        let prev: Vec<&str> = cm.meta.prev_ids.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(prev, ["cm", "p-cm"]);
        assert_eq!(m.get(1).name(), "ns");
        assert_eq!(m.get(2).name(), "crd");
    }

    #[test]
    fn empty_affix_changes_nothing() {
        let mut m = map_of(&["apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n"]);
        let t = AffixTransformer {
            affix: Affix::Prefix,
            value: String::new(),
            span: None,
            specs: vec![FieldSpec::new("metadata/name", false)],
        };
        run(&mut m, &t);
        assert!(m.get(0).meta.prev_ids.is_empty());
        assert!(m.get(0).meta.prefixes.is_empty());
    }

    #[test]
    fn plugin_config_requires_field_specs() {
        let cfg = parse_single(
            "t.yaml",
            "apiVersion: builtin\nkind: PrefixTransformer\nprefix: a-\n",
        )
        .unwrap();
        let err = AffixTransformer::from_config(Affix::Prefix, &cfg)
            .err()
            .unwrap();
        assert_eq!(err.message, "fieldSpecs is not expected to be nil");
    }
}
