//! Kubernetes patch metadata for strategic merge: list merge keys and
//! strategies per type, from the bundled table or an `openapi:` schema.
//!
//! kustomize keeps one schema per process: the top kustomization's
//! `openapi:` field wins; otherwise the first kustomization met during the
//! build that has one sets it for the rest of the build. A [`Schema`] value
//! shares that choice with its clones, which gives the same behaviour.

mod custom;
mod table;

use super::error::{ErrorKind, KustError, Result};
use super::kustomization::Kustomization;
use super::loader::Loader;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Arc, OnceLock};

/// The Kubernetes version whose schema kustomize compiles in; the only
/// value `openapi: {version: ...}` accepts.
pub const BUILTIN_VERSION: &str = "v1.21.2";

/// One schema node, as far as strategic merge cares.
#[derive(Clone, Debug, Default)]
pub struct Shape {
    /// A named type that replaces this node when resolved (`$ref`).
    pub reference: Option<String>,
    pub properties: HashMap<String, Shape>,
    /// The value schema of a map (`additionalProperties`).
    pub additional: Option<Box<Shape>>,
    /// The element schema of a list (only for `type: array`).
    pub items: Option<Box<Shape>>,
    pub is_array: bool,
    /// `x-kubernetes-patch-strategy`, e.g. `merge` or `merge,retainKeys`.
    pub strategy: Option<String>,
    /// Merge keys: `x-kubernetes-list-map-keys`, else the patch merge key.
    pub keys: Vec<String>,
    /// Fields not listed still have a (metadata-free) schema. The bundled
    /// table lists only fields that matter, so its types are open.
    pub open: bool,
}

/// A set of type definitions and the resource types they describe.
#[derive(Debug, Default)]
pub struct Definitions {
    pub types: HashMap<String, Shape>,
    /// (apiVersion, kind) to type name; None for a known type without metadata.
    pub resources: HashMap<(String, String), Option<String>>,
}

/// A position in a schema while walking an object.
#[derive(Clone, Copy, Debug)]
pub struct At<'a> {
    defs: &'a Definitions,
    shape: &'a Shape,
}

/// Returned for known types without metadata and for unlisted fields of
/// open types: a schema that exists but says nothing.
fn opaque() -> &'static Shape {
    static CELL: OnceLock<Shape> = OnceLock::new();
    CELL.get_or_init(|| Shape {
        open: true,
        ..Shape::default()
    })
}

impl Definitions {
    /// The schema of a resource type, if these definitions know it.
    pub fn for_type<'a>(&'a self, api_version: &str, kind: &str) -> Option<At<'a>> {
        let entry = self
            .resources
            .get(&(api_version.to_string(), kind.to_string()))?;
        let shape = match entry {
            Some(name) => self.types.get(name)?,
            None => opaque(),
        };
        At { defs: self, shape }.resolved()
    }
}

impl<'a> At<'a> {
    /// Follows `$ref`s; None when one does not resolve.
    fn resolved(self) -> Option<At<'a>> {
        let mut at = self;
        let mut hops = 0;
        while let Some(r) = &at.shape.reference {
            at.shape = at.defs.types.get(r)?;
            hops += 1;
            if hops > 64 {
                return None;
            }
        }
        Some(at)
    }

    /// The schema of field `name` of an object.
    pub fn field(self, name: &str) -> Option<At<'a>> {
        let shape = match self.shape.properties.get(name) {
            Some(s) => s,
            None => match &self.shape.additional {
                Some(s) => s,
                None if self.shape.open => opaque(),
                None => return None,
            },
        };
        At {
            defs: self.defs,
            shape,
        }
        .resolved()
    }

    /// The schema of the elements of a list.
    pub fn elements(self) -> Option<At<'a>> {
        if !self.shape.is_array {
            return None;
        }
        let shape = self.shape.items.as_deref()?;
        At {
            defs: self.defs,
            shape,
        }
        .resolved()
    }

    /// The patch strategy and merge keys declared for this (list) field.
    pub fn strategy_and_keys(self) -> (Option<&'a str>, &'a [String]) {
        (self.shape.strategy.as_deref(), &self.shape.keys)
    }

    /// Whether lists here merge element by element (the strategy includes
    /// `merge`); other lists are replaced by a patch.
    pub fn merges_lists(self) -> bool {
        self.shape
            .strategy
            .as_deref()
            .is_some_and(|s| s.split(',').any(|p| p == "merge"))
    }
}

/// Which definitions a build uses.
#[derive(Clone, Debug)]
enum Choice {
    /// Nothing chosen yet: the compiled-in Kubernetes schema.
    Unset,
    Builtin,
    Custom(Arc<Definitions>),
}

#[derive(Debug)]
struct State {
    choice: Choice,
    /// A kustomization has been seen (the first one is the build's root).
    seen_root: bool,
    /// The compiled-in schema has been consulted (or kustomize would have
    /// flagged it for loading). kustomize loads it lazily into a global; a
    /// custom schema chosen afterwards is added to it instead of replacing it.
    builtin_used: bool,
}

/// Patch metadata in force for a build.
#[derive(Clone, Debug)]
pub struct Schema {
    state: Rc<RefCell<State>>,
}

impl Default for Schema {
    fn default() -> Self {
        Schema::builtin()
    }
}

/// The bundled table, parsed once per process.
pub fn builtin_definitions() -> Arc<Definitions> {
    static DEFS: OnceLock<Arc<Definitions>> = OnceLock::new();
    DEFS.get_or_init(|| Arc::new(table::parse(table::TABLE)))
        .clone()
}

impl Schema {
    /// The bundled Kubernetes patch metadata.
    pub fn builtin() -> Schema {
        Schema {
            state: Rc::new(RefCell::new(State {
                choice: Choice::Unset,
                seen_root: false,
                builtin_used: false,
            })),
        }
    }

    /// A schema from a custom definitions file (as `openapi: {path: ...}`).
    pub fn custom(file: &str, text: &str) -> Result<Schema> {
        let s = Schema::builtin();
        s.state.borrow_mut().choice = Choice::Custom(Arc::new(custom::parse(file, text)?));
        Ok(s)
    }

    /// The definitions to use now.
    pub fn definitions(&self) -> Arc<Definitions> {
        let mut st = self.state.borrow_mut();
        match &st.choice {
            Choice::Custom(d) => d.clone(),
            Choice::Unset | Choice::Builtin => {
                st.builtin_used = true;
                builtin_definitions()
            }
        }
    }

    /// Records that a resource of this type entered the build. kustomize
    /// looks up whether unknown types are namespaced, which makes it load
    /// its compiled-in schema on first use; a custom schema chosen later
    /// then adds to it rather than replacing it.
    pub fn note_resource_type(&self, api_version: &str, kind: &str) {
        let mut st = self.state.borrow_mut();
        if st.builtin_used || !matches!(st.choice, Choice::Unset) {
            return;
        }
        if !table::lists_resource(api_version, kind) {
            st.builtin_used = true;
        }
    }

    /// The patch strategy and merge keys of the list at `path` (field names,
    /// `[]` for list elements) in a resource of the given type.
    pub fn list_strategy(
        &self,
        api_version: &str,
        kind: &str,
        path: &[&str],
    ) -> Option<(String, Vec<String>)> {
        let defs = self.definitions();
        let mut at = defs.for_type(api_version, kind)?;
        for p in path {
            at = if *p == "[]" {
                at.elements()?
            } else {
                at.field(p)?
            };
        }
        let (strategy, keys) = at.strategy_and_keys();
        Some((strategy?.to_string(), keys.to_vec()))
    }

    /// Applies a kustomization's `openapi:` field (a custom schema file,
    /// or a Kubernetes version), read through `loader`. The first
    /// kustomization of a build to set one decides for the whole build.
    pub fn with_kustomization(&self, k: &Kustomization, loader: &Loader) -> Result<Schema> {
        let is_root = !std::mem::replace(&mut self.state.borrow_mut().seen_root, true);
        let Some(field) = k.get("openapi") else {
            return Ok(self.clone());
        };
        let Some(map) = field.as_map() else {
            return Err(KustError::invalid(
                "invalid Kustomization: openapi must be a map of strings",
            )
            .at(field.span.as_ref()));
        };
        let value = |key: &str| {
            let n = map.get(key)?;
            n.as_scalar().map(|s| (s.text.clone(), n.span.clone()))
        };
        let path = value("path");
        let version = value("version");
        // kustomize reads the file before deciding whether the schema is
        // still open to change, so a missing file fails either way.
        let text = match &path {
            Some((p, span)) => Some(loader.read_text(p, span.as_ref())?),
            None => None,
        };
        if !is_root && !matches!(self.state.borrow().choice, Choice::Unset) {
            return Ok(self.clone());
        }
        let chosen = match (text, version) {
            (Some(_), Some((_, span))) => {
                return Err(KustError::invalid(
                    "builtin version and custom schema provided, cannot use both",
                )
                .at(span.as_ref().or(field.span.as_ref())));
            }
            (Some((file, text)), None) => {
                let file = super::loader::display_path(&file);
                let mut defs = custom::parse(&file, &text)?;
                if self.state.borrow().builtin_used {
                    defs = with_builtin(defs);
                }
                Choice::Custom(Arc::new(defs))
            }
            (None, Some((v, _))) if v.is_empty() => return Ok(self.clone()),
            (None, Some((v, span))) => {
                if v != BUILTIN_VERSION {
                    return Err(KustError::new(
                        ErrorKind::Invalid,
                        "the specified OpenAPI version is not built in",
                    )
                    .at(span.as_ref())
                    .with_help(format!("the only built-in version is {BUILTIN_VERSION}")));
                }
                Choice::Builtin
            }
            (None, None) => return Ok(self.clone()),
        };
        self.state.borrow_mut().choice = chosen;
        Ok(self.clone())
    }
}

/// Custom definitions added to the compiled-in ones (custom ones win).
fn with_builtin(custom: Definitions) -> Definitions {
    let builtin = builtin_definitions();
    let mut types = builtin.types.clone();
    let mut resources = builtin.resources.clone();
    types.extend(custom.types);
    resources.extend(custom.resources);
    Definitions { types, resources }
}

#[cfg(test)]
mod tests;
