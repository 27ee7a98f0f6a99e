//! Legacy `vars`: declared per kustomization, merged upwards, resolved
//! once at the top into `$(NAME)` references.

use crate::hydrate::kustomize::config::TransformerConfig;
use crate::hydrate::kustomize::error::Result;
use crate::hydrate::kustomize::kustomization::Kustomization;
use crate::hydrate::kustomize::resmap::ResMap;

/// One declared var.
#[derive(Clone, Debug, Default)]
pub struct Var {}

/// Adds the kustomization's `vars:` to `vars` (a name declared twice is an error).
pub fn merge_vars(vars: &mut Vec<Var>, k: &Kustomization) -> Result<()> {
    let _ = (vars, k);
    Ok(())
}

/// Adds vars accumulated by a child kustomization.
pub fn merge_var_sets(vars: &mut Vec<Var>, child: Vec<Var>) -> Result<()> {
    vars.extend(child);
    Ok(())
}

/// Replaces `$(NAME)` in the var-reference fields with the vars' values.
pub fn resolve_vars(m: &mut ResMap, vars: &[Var], tc: &TransformerConfig) -> Result<()> {
    let _ = (m, vars, tc);
    Ok(())
}
