//! A native kustomize engine: `build(dir)` gives what `kustomize build dir`
//! gives, byte for byte, with every field remembering its source line.

pub mod config;
pub mod context;
pub mod error;
pub mod fieldspec;
pub mod generate;
pub mod gosort;
pub mod kustomization;
pub mod loader;
pub mod meta;
pub mod names;
pub mod openapi;
pub mod patch;
pub mod pattern;
pub mod plugins;
pub mod replace;
pub mod resid;
pub mod resmap;
pub mod resource;
pub mod target;

pub use context::{BuildOptions, Reorder};
pub use error::{ErrorKind, KustError};
pub use loader::LoadRestrictor;
pub use resmap::ResMap;
pub use resource::Resource;

use crate::load::yaml::emit::emit_all;
use crate::source::Fs;
use std::path::Path;

/// The result of a build: resources in output order and the warnings
/// kustomize would print on stderr.
pub struct Build {
    pub resources: ResMap,
    pub warnings: Vec<String>,
}

/// Builds the kustomization in `dir`.
pub fn build(fs: &dyn Fs, dir: &Path, options: &BuildOptions) -> Result<Build, KustError> {
    let session = target::Session::new(options);
    let loader = loader::Loader::new(fs, dir, options.restrictor).map_err(|e| {
        e.context(format!(
            "must build at directory: '{}'",
            loader::display_path(dir)
        ))
    })?;
    let schema = openapi::Schema::builtin();
    let mut t = target::Target::new(loader, &session, &schema)?;
    let mut m = t.make_customized_resmap()?;
    meta::sort(&mut m, &t.k, options)?;
    meta::finalize(&mut m, &t.k)?;
    for r in m.iter_mut() {
        stringify_annotations(&mut r.node);
    }
    Ok(Build {
        resources: m,
        warnings: session.warnings.into_inner(),
    })
}

/// kustomize rewrites every non-empty annotation map as strings when it
/// strips its build annotations before output (`port: 8080` prints as
/// `port: "8080"`); the raw text is kept, as go-yaml's node value is.
fn stringify_annotations(obj: &mut crate::load::yaml::Node) {
    use crate::load::yaml::{Tag, Value};
    let Some(annotations) = obj.get_path_mut(&["metadata", "annotations"]) else {
        return;
    };
    if let Value::Map(m) = &mut annotations.value {
        for e in &mut m.entries {
            if let Value::Scalar(s) = &mut e.value.value {
                s.tag = Tag::Str;
            }
        }
    }
}

/// The YAML kustomize prints for `m`.
pub fn render(m: &ResMap) -> String {
    emit_all(m.iter().map(|r| &r.node))
}
