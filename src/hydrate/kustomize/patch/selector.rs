//! Target selectors: group/version/kind/name/namespace, label and
//! annotation selectors (a patch's `target:`, a replacement's `select:`).
//!
//! As in kustomize, group, version, kind, name and namespace are regular
//! expressions that must match the whole value; name and namespace match
//! the resource's original or current id, the group/version/kind its
//! current one; label and annotation selectors use Kubernetes syntax.

mod labels;

use super::super::error::{KustError, Result};
use super::super::kustomization::get_ci;
use super::super::pattern::Whole;
use super::super::resid::{Gvk, ResId};
use super::super::resmap::ResMap;
use super::super::resource::Resource;
use crate::load::yaml::{Node, Span};
pub use labels::LabelSelector;

/// kustomize's namespace for cluster-scoped ids, so that a selector
/// namespace never matches them by accident.
const NOT_A_NAMESPACE: &str = "_non_namespaceable_";

#[derive(Clone, Debug)]
pub struct Selector {
    pub gvk: Gvk,
    pub name: String,
    pub namespace: String,
    pub label_selector: String,
    pub annotation_selector: String,
    /// The selector's own location, for errors.
    pub span: Option<Span>,
    group_re: Option<Whole>,
    version_re: Option<Whole>,
    kind_re: Option<Whole>,
    name_re: Option<Whole>,
    namespace_re: Option<Whole>,
    labels: std::result::Result<LabelSelector, KustError>,
    annotations: std::result::Result<LabelSelector, KustError>,
}

/// A pattern that must match the whole value; None for an empty pattern.
fn anchored(pattern: &str, field: &str, at: Option<&Span>) -> Result<Option<Whole>> {
    if pattern.is_empty() {
        return Ok(None);
    }
    Whole::new(pattern).map(Some).map_err(|e| {
        KustError::invalid(format!(
            "invalid {field} pattern {pattern:?} in target selector: {e}"
        ))
        .at(at)
    })
}

/// The namespace an id is compared with (kustomize's EffectiveNamespace).
pub fn effective_namespace(id: &ResId) -> &str {
    if id.gvk.is_cluster_scoped() {
        NOT_A_NAMESPACE
    } else if id.namespace.is_empty() {
        "default"
    } else {
        &id.namespace
    }
}

fn matches_opt(re: &Option<Whole>, value: &str) -> bool {
    re.as_ref().is_none_or(|r| r.is_match(value))
}

impl Selector {
    /// A selector from its fields (kustomize's `types.Selector`).
    pub fn new(
        gvk: Gvk,
        name: &str,
        namespace: &str,
        label_selector: &str,
        annotation_selector: &str,
        span: Option<Span>,
    ) -> Result<Selector> {
        let at = span.as_ref();
        Ok(Selector {
            group_re: anchored(&gvk.group, "group", at)?,
            version_re: anchored(&gvk.version, "version", at)?,
            kind_re: anchored(&gvk.kind, "kind", at)?,
            name_re: anchored(name, "name", at)?,
            namespace_re: anchored(namespace, "namespace", at)?,
            labels: LabelSelector::parse(label_selector).map_err(|e| e.at(at)),
            annotations: LabelSelector::parse(annotation_selector).map_err(|e| e.at(at)),
            gvk,
            name: name.to_string(),
            namespace: namespace.to_string(),
            label_selector: label_selector.to_string(),
            annotation_selector: annotation_selector.to_string(),
            span,
        })
    }

    /// Reads a selector mapping (`group`, `version`, `kind`, `name`,
    /// `namespace`, `labelSelector`, `annotationSelector`; other keys are
    /// ignored, and key case does not matter, as with kustomize).
    pub fn from_node(n: &Node) -> Result<Selector> {
        if n.is_null() {
            return Selector::new(Gvk::default(), "", "", "", "", n.span.clone());
        }
        if !n.is_map() {
            return Err(
                KustError::invalid("a target selector must be a mapping").at(n.span.as_ref())
            );
        }
        let field = |key: &str| -> Result<String> {
            match get_ci(n, key) {
                None => Ok(String::new()),
                Some(v) => match v.as_scalar() {
                    Some(s) => Ok(s.text.clone()),
                    None => Err(KustError::invalid(format!(
                        "target selector field {key} must be a string"
                    ))
                    .at(v.span.as_ref())),
                },
            }
        };
        let gvk = Gvk::new(&field("group")?, &field("version")?, &field("kind")?);
        Selector::new(
            gvk,
            &field("name")?,
            &field("namespace")?,
            &field("labelSelector")?,
            &field("annotationSelector")?,
            n.span.clone(),
        )
    }

    /// Whether `r` is selected.
    pub fn matches(&self, r: &Resource) -> Result<bool> {
        let cur = r.cur_id();
        let org = r.org_id();
        if self.namespace_re.is_some()
            && !matches_opt(&self.namespace_re, effective_namespace(&org))
            && !matches_opt(&self.namespace_re, effective_namespace(&cur))
        {
            return Ok(false);
        }
        if self.name_re.is_some()
            && !matches_opt(&self.name_re, &org.name)
            && !matches_opt(&self.name_re, &cur.name)
        {
            return Ok(false);
        }
        let gvk = r.gvk();
        if !matches_opt(&self.group_re, &gvk.group)
            || !matches_opt(&self.version_re, &gvk.version)
            || !matches_opt(&self.kind_re, &gvk.kind)
        {
            return Ok(false);
        }
        let labels = self.labels.as_ref().map_err(Clone::clone)?;
        if !labels.matches(&r.labels()) {
            return Ok(false);
        }
        let annotations = self.annotations.as_ref().map_err(Clone::clone)?;
        Ok(annotations.matches(&r.annotations()))
    }

    /// Indices of the selected resources, in order.
    pub fn select(&self, m: &ResMap) -> Result<Vec<usize>> {
        let mut out = Vec::new();
        for (i, r) in m.iter().enumerate() {
            if self.matches(r)? {
                out.push(i);
            }
        }
        Ok(out)
    }
}

impl std::fmt::Display for Selector {
    /// kustomize's rendering of a selector in messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let id = ResId::new(self.gvk.clone(), &self.name, &self.namespace);
        write!(
            f,
            "{id}:a={}:l={}",
            self.annotation_selector, self.label_selector
        )
    }
}

#[cfg(test)]
mod tests;
