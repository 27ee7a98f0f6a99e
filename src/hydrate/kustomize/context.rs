//! What transformers and generators may read while they run.

use super::config::TransformerConfig;
use super::kustomization::Kustomization;
use super::loader::Loader;
use super::openapi::Schema;
use super::resource::Origin;

/// Flags of `kustomize build` that change results.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    pub restrictor: super::loader::LoadRestrictor,
    /// `--reorder`: None = unspecified (legacy unless sortOptions says).
    pub reorder: Option<Reorder>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reorder {
    Legacy,
    None,
}

pub struct Ctx<'a> {
    /// Reads files relative to the kustomization being built.
    pub loader: &'a Loader<'a>,
    /// Field specs in force (defaults + configurations + CRDs).
    pub tc: &'a TransformerConfig,
    /// Patch metadata (merge keys, strategies) for strategic merge.
    pub schema: &'a Schema,
    pub kustomization: &'a Kustomization,
    pub options: &'a BuildOptions,
    /// Set when buildMetadata asks for origin tracking.
    pub origin: Option<&'a Origin>,
}

/// Changes resources in place.
pub trait Transformer {
    fn transform(&self, m: &mut super::resmap::ResMap, ctx: &Ctx) -> super::error::Result<()>;

    /// How many of kustomize's transformer runs this one stands for (build
    /// metadata notes each run).
    fn runs(&self) -> usize {
        1
    }
}

/// Makes new resources.
pub trait Generator {
    fn generate(&self, ctx: &Ctx) -> super::error::Result<super::resmap::ResMap>;
}

pub type Transformers = Vec<Box<dyn Transformer>>;
pub type Generators = Vec<Box<dyn Generator>>;
