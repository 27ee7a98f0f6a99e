//! `transformers:` and `generators:` entries: builtin plugin configs,
//! dispatched to the domain that implements each kind.

use super::context::{Ctx, Generator, Transformer};
use super::error::{ErrorKind, KustError, Result};
use super::{generate, meta, names, patch, replace};
use crate::load::yaml::Node;

/// The apiVersion kustomize gives its builtin plugins.
pub const BUILTIN_API_VERSION: &str = "builtin";

fn check_builtin(config: &Node) -> Result<&str> {
    let api = config.get_str("apiVersion").unwrap_or("");
    let kind = config.get_str("kind").unwrap_or("");
    if api != BUILTIN_API_VERSION {
        return Err(KustError::new(
            ErrorKind::Unsupported,
            format!("plugin {api}/{kind} is not a builtin plugin; gitopsc runs builtin plugins only (apiVersion: builtin)"),
        )
        .at(config.span.as_ref())
        .with_help("exec, container and Go plugins are not run: render them ahead of time and commit the output"));
    }
    Ok(kind)
}

pub fn transformer(config: &Node, ctx: &Ctx) -> Result<Box<dyn Transformer>> {
    let kind = check_builtin(config)?;
    let found = patch::from_plugin_config(kind, config, ctx)
        .or_else(|| names::from_plugin_config(kind, config, ctx))
        .or_else(|| meta::from_plugin_config(kind, config, ctx))
        .or_else(|| replace::from_plugin_config(kind, config, ctx));
    match found {
        Some(t) => t,
        None => Err(unknown(kind, config)),
    }
}

pub fn generator(config: &Node, ctx: &Ctx) -> Result<Box<dyn Generator>> {
    let kind = check_builtin(config)?;
    match generate::from_plugin_config(kind, config, ctx) {
        Some(g) => g,
        None => Err(unknown(kind, config)),
    }
}

fn unknown(kind: &str, config: &Node) -> KustError {
    let e = if kind == "HelmChartInflationGenerator" {
        KustError::new(
            ErrorKind::Unsupported,
            "HelmChartInflationGenerator is not supported yet by gitopsc",
        )
    } else {
        KustError::new(
            ErrorKind::Invalid,
            format!("unable to load builtin {kind}: no such builtin plugin"),
        )
    };
    e.at(config.span.as_ref())
}
