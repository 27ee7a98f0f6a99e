//! Names and namespaces: namespace, prefix and suffix transformers, CRD
//! field specs, and the fix-up of references after renames.

mod crds;
mod nameref;
mod namespace;
mod prefix_suffix;

pub use crds::config_from_crds;
pub use nameref::fix_back_references;

use super::context::{Ctx, Transformer, Transformers};
use super::error::{KustError, Result};
use super::fieldspec::FieldSpec;
use super::kustomization::get_ci;
use crate::load::yaml::{Node, Span, Style, Tag, Value};
use namespace::{NamespaceTransformer, SubjectMode};
use prefix_suffix::{Affix, AffixTransformer};

/// `namespace:` of the kustomization.
pub fn namespace_from_kustomization(ctx: &Ctx) -> Result<Transformers> {
    let Some((ns, span)) = ctx.kustomization.string("namespace")? else {
        return Ok(Vec::new());
    };
    if ns.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![Box::new(NamespaceTransformer {
        namespace: ns,
        span,
        specs: ctx.tc.namespace.clone(),
        unset_only: false,
        subjects: SubjectMode::DefaultOnly,
    })])
}

/// `namePrefix:` of the kustomization.
pub fn prefix_from_kustomization(ctx: &Ctx) -> Result<Transformers> {
    affix_from_kustomization(ctx, Affix::Prefix, "namePrefix", &ctx.tc.name_prefix)
}

/// `nameSuffix:` of the kustomization.
pub fn suffix_from_kustomization(ctx: &Ctx) -> Result<Transformers> {
    affix_from_kustomization(ctx, Affix::Suffix, "nameSuffix", &ctx.tc.name_suffix)
}

fn affix_from_kustomization(
    ctx: &Ctx,
    affix: Affix,
    field: &str,
    specs: &[FieldSpec],
) -> Result<Transformers> {
    let Some((value, span)) = ctx.kustomization.string(field)? else {
        return Ok(Vec::new());
    };
    if value.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![Box::new(AffixTransformer {
        affix,
        value,
        span,
        specs: specs.to_vec(),
    })])
}

/// A `transformers:` entry of kind NamespaceTransformer,
/// PrefixSuffixTransformer, PrefixTransformer or SuffixTransformer.
pub fn from_plugin_config(
    kind: &str,
    config: &Node,
    ctx: &Ctx,
) -> Option<Result<Box<dyn Transformer>>> {
    let _ = ctx;
    let built: Result<Box<dyn Transformer>> = match kind {
        "NamespaceTransformer" => {
            namespace::from_config(config).map(|t| Box::new(t) as Box<dyn Transformer>)
        }
        "PrefixTransformer" => {
            AffixTransformer::from_config(Affix::Prefix, config).map(|t| Box::new(t) as _)
        }
        "SuffixTransformer" => {
            AffixTransformer::from_config(Affix::Suffix, config).map(|t| Box::new(t) as _)
        }
        // kustomize runs the prefix and then the suffix plugin, both
        // configured from the same document.
        "PrefixSuffixTransformer" => (|| {
            let prefix = AffixTransformer::from_config(Affix::Prefix, config)?;
            let suffix = AffixTransformer::from_config(Affix::Suffix, config)?;
            Ok(Box::new(Sequence(vec![Box::new(prefix), Box::new(suffix)]))
                as Box<dyn Transformer>)
        })(),
        _ => return None,
    };
    Some(built)
}

/// Transformers run one after the other as one plugin.
struct Sequence(Transformers);

impl Transformer for Sequence {
    fn transform(&self, m: &mut super::resmap::ResMap, ctx: &Ctx) -> Result<()> {
        self.0.iter().try_for_each(|t| t.transform(m, ctx))
    }
}

/// A string field of a plugin config; absent or null gives "".
fn config_string(config: &Node, key: &str) -> Result<(String, Option<Span>)> {
    match get_ci(config, key) {
        None => Ok((String::new(), None)),
        Some(n) => match n.as_scalar() {
            Some(s) if s.tag != Tag::Bool && s.tag != Tag::Int && s.tag != Tag::Float => {
                Ok((s.text.clone(), n.span.clone()))
            }
            _ => Err(KustError::invalid(format!(
                "unmarshalling {} config: field {key} must be a string",
                config.get_str("kind").unwrap_or("plugin")
            ))
            .at(n.span.as_ref())),
        },
    }
}

/// Replaces a scalar's value as kyaml's field setter does: the existing
/// quoting style is kept; `tag` None leaves the tag to be resolved from the
/// text (for plain scalars). `span` records what caused the change.
fn set_scalar(node: &mut Node, text: &str, tag: Option<Tag>, span: Option<&Span>) -> Result<()> {
    let style = match &node.value {
        Value::Scalar(s) => s.style,
        Value::Map(_) => return Err(not_scalar("MappingNode")),
        Value::Seq(_) => return Err(not_scalar("SequenceNode")),
    };
    let tag = tag.unwrap_or_else(|| match style {
        Style::Plain => Node::plain(text)
            .as_scalar()
            .map(|s| s.tag.clone())
            .unwrap_or(Tag::Str),
        _ => Tag::Str,
    });
    *node = Node::scalar(text, tag).with_span(span.cloned());
    if let Value::Scalar(s) = &mut node.value {
        s.style = style;
    }
    Ok(())
}

fn not_scalar(actual: &str) -> KustError {
    KustError::invalid(format!(
        "wrong node kind: expected ScalarNode but got {actual}"
    ))
}

/// kustomize keeps applied prefixes (and suffixes, previous names...) in a
/// comma-joined annotation, so a value holding commas reads back as several.
fn csv_items(values: &[String]) -> Vec<&str> {
    if values.is_empty() {
        return Vec::new();
    }
    values.iter().flat_map(|v| v.split(',')).collect()
}

/// Runs `f` with a context over an empty in-memory kustomization, for
/// transformers that read nothing from it.
#[cfg(test)]
pub(crate) fn with_test_ctx<R>(
    tc: &super::config::TransformerConfig,
    files: &[(&str, &str)],
    f: impl FnOnce(&Ctx) -> R,
) -> R {
    use super::context::BuildOptions;
    use super::kustomization::Kustomization;
    use super::loader::{LoadRestrictor, Loader};
    use super::openapi::Schema;
    use std::path::Path;
    let mut fs = crate::source::MemFs::new(Path::new("/k"));
    fs.add("kustomization.yaml", "kind: Kustomization\n");
    for (path, text) in files {
        fs.add(path, *text);
    }
    // The tree was just built with the directory in it.
    let loader = Loader::new(&fs, Path::new("/k"), LoadRestrictor::RootOnly).expect("test tree");
    let doc = crate::load::yaml::parse_single("kustomization.yaml", "resources: []\n")
        .expect("literal parses");
    let k = Kustomization::from_node("kustomization.yaml", doc).expect("literal is valid");
    let schema = Schema::builtin();
    let options = BuildOptions::default();
    let ctx = Ctx {
        loader: &loader,
        tc,
        schema: &schema,
        kustomization: &k,
        options: &options,
        origin: None,
    };
    f(&ctx)
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
        let refs = |kind: &str| {
            tc.name_reference
                .iter()
                .find(|n| n.gvk.kind == kind)
                .map(|n| n.referrers.len())
        };
        assert_eq!(refs("ConfigMap"), Some(52));
        assert_eq!(refs("Secret"), Some(69));
        assert!(
            tc.common_labels
                .iter()
                .any(|f| f.create && f.path == "spec/selector")
        );
        let cm = tc
            .name_reference
            .iter()
            .find(|n| n.gvk.kind == "ConfigMap")
            .unwrap();
        assert!(cm.referrers.iter().any(|f| {
            f.path
                .ends_with(r"nginx.ingress.kubernetes.io\/fastcgi-params-configmap")
        }));
    }
}
