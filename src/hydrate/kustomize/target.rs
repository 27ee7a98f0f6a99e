//! One kustomization being built: accumulate its resources (files, bases,
//! components), run its generators and transformers in kustomize's order.

use super::config::{SharedConfig, TransformerConfig};
use super::context::{BuildOptions, Ctx};
use super::error::{ErrorKind, KustError, Result};
use super::kustomization::{FILE_NAMES, Kustomization, missing_kustomization};
use super::loader::{Loader, display_path, is_remote};
use super::openapi::Schema;
use super::replace::vars::{self, Var};
use super::resmap::ResMap;
use super::resource::{Origin, Resource};
use super::{generate, meta, names, patch, plugins, replace};
use crate::load::yaml::{Node, Span, parse_documents};
use std::cell::RefCell;
use std::path::PathBuf;

/// What a kustomization contributes upwards: resources, field specs, vars.
#[derive(Default)]
pub struct Accumulator {
    pub resmap: ResMap,
    pub tc: SharedConfig,
    pub vars: Vec<Var>,
}

impl Accumulator {
    /// An empty accumulator: like kustomize, its field specs start empty
    /// and each kustomization merges in the defaults after its resources.
    pub fn new() -> Accumulator {
        Accumulator {
            resmap: ResMap::new(),
            tc: SharedConfig::default(),
            vars: Vec::new(),
        }
    }

    fn merge(&mut self, other: Accumulator) -> Result<()> {
        self.resmap.append_all(other.resmap)?;
        self.tc = self.tc.merged(&other.tc)?;
        vars::merge_var_sets(&mut self.vars, other.vars)
    }
}

/// State shared by every kustomization of one build.
pub struct Session<'a> {
    pub options: &'a BuildOptions,
    pub warnings: RefCell<Vec<String>>,
    /// Kustomization roots being built, outermost first (cycle detection).
    chain: RefCell<Vec<PathBuf>>,
}

impl<'a> Session<'a> {
    pub fn new(options: &'a BuildOptions) -> Self {
        Session {
            options,
            warnings: RefCell::new(Vec::new()),
            chain: RefCell::new(Vec::new()),
        }
    }
}

pub struct Target<'a, 's> {
    pub loader: Loader<'a>,
    pub k: Kustomization,
    pub schema: Schema,
    pub origin: Option<Origin>,
    /// `buildMetadata` of the top kustomization, which applies to all.
    pub build_metadata: Option<Node>,
    session: &'s Session<'a>,
}

/// Reads the kustomization file of `loader`'s directory.
pub fn load_kustomization(loader: &Loader) -> Result<Kustomization> {
    let found: Vec<&str> = FILE_NAMES
        .iter()
        .copied()
        .filter(|f| {
            let p = loader.root.join(f);
            loader.fs.exists(&p) && !loader.fs.is_dir(&p)
        })
        .collect();
    let name = match found.as_slice() {
        [] => return Err(missing_kustomization(&display_path(&loader.root))),
        [one] => *one,
        _ => {
            return Err(KustError::invalid(format!(
                "Found multiple kustomization files under: {}",
                display_path(&loader.root)
            )));
        }
    };
    let (path, text) = loader.read_text(name, None)?;
    let node =
        crate::load::yaml::shared::parse_single_last_key_wins_shared(&display_path(&path), &text)?;
    Kustomization::from_node(&display_path(&path), node)
}

impl<'a, 's> Target<'a, 's> {
    pub fn new(
        loader: Loader<'a>,
        session: &'s Session<'a>,
        parent_schema: &Schema,
    ) -> Result<Self> {
        let k = load_kustomization(&loader)?;
        for w in k.deprecation_warnings() {
            session.warnings.borrow_mut().push(w.to_string());
        }
        let schema = parent_schema.with_kustomization(&k, &loader)?;
        Ok(Target {
            loader,
            k,
            schema,
            origin: None,
            build_metadata: None,
            session,
        })
    }

    fn kust_file_name(&self) -> String {
        std::path::Path::new(&self.k.file)
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "kustomization.yaml".into())
    }

    fn ctx<'c>(&'c self, tc: &'c TransformerConfig) -> Ctx<'c> {
        Ctx {
            loader: &self.loader,
            tc,
            schema: &self.schema,
            kustomization: &self.k,
            options: self.session.options,
            origin: self.origin.as_ref(),
        }
    }

    /// The whole build of a top-level kustomization, before output order.
    pub fn make_customized_resmap(&mut self) -> Result<ResMap> {
        if self.k.has("buildMetadata") {
            self.origin = Some(Origin::default());
            self.build_metadata = self.k.get("buildMetadata").cloned();
        }
        let mut ra = self.accumulate_target(Accumulator::new())?;
        generate::add_hashes(&mut ra.resmap)?;
        names::fix_back_references(&mut ra.resmap, &ra.tc)?;
        let unused = vars::resolve_vars(&mut ra.resmap, &ra.vars, &ra.tc)?;
        self.session.warnings.borrow_mut().extend(unused);
        ra.resmap.retain(|r| !is_local_config(r));
        Ok(ra.resmap)
    }

    /// kustomize's `accumulateTarget`: `ra` is empty for a kustomization,
    /// the parent's accumulator for a component.
    pub fn accumulate_target(&self, ra: Accumulator) -> Result<Accumulator> {
        let mut entries = self.k.string_list("resources")?;
        entries.extend(self.k.string_list("bases")?);
        let mut ra = self.accumulate_resources(ra, &entries)?;

        let mut configs = Vec::new();
        let config_paths = self.k.string_list("configurations")?;
        for (path, span) in &config_paths {
            let (_, docs) = self.loader.read_yaml(path, span.as_ref())?;
            for d in docs {
                configs.push(
                    TransformerConfig::from_configuration_file(&d)
                        .map_err(|e| e.at(span.as_ref()))?,
                );
            }
        }
        let own_tc = TransformerConfig::with_configurations(&configs)
            .map_err(|e| e.at(config_paths.first().and_then(|(_, s)| s.as_ref())))?;
        ra.tc = ra.tc.merged(&own_tc)?;
        let crds = self.k.string_list("crds")?;
        let crd_tc = names::config_from_crds(&self.loader, &crds)?;
        ra.tc = ra.tc.merged(&SharedConfig::new(crd_tc))?;

        self.run_generators(&mut ra)?;
        let components = self.k.string_list("components")?;
        for (path, span) in components {
            ra = self.accumulate_directory(ra, &path, span.as_ref(), true)?;
        }
        self.run_transformers(&mut ra)?;
        vars::merge_vars(&mut ra.vars, &mut ra.resmap, &self.k)?;
        Ok(ra)
    }

    fn accumulate_resources(
        &self,
        mut ra: Accumulator,
        entries: &[(String, Option<Span>)],
    ) -> Result<Accumulator> {
        for (path, span) in entries {
            if is_remote(path) {
                // The loader's message explains vendoring.
                self.loader.resolve(path, span.as_ref())?;
            }
            let abs = crate::source::normalize(&self.loader.root.join(path));
            if self.loader.fs.exists(&abs) && !self.loader.fs.is_dir(&abs) {
                let rm = self.resources_from_file(path, span.as_ref())?;
                ra.resmap
                    .append_all(rm)
                    .map_err(|e| e.context(format!("merging resources from '{path}'")))?;
            } else if self.loader.fs.is_dir(&abs) {
                ra = self.accumulate_directory(ra, path, span.as_ref(), false)?;
            } else {
                return Err(KustError::not_found(format!(
                    "accumulating resources: '{}' doesn't exist",
                    display_path(&abs)
                ))
                .at(span.as_ref()));
            }
        }
        Ok(ra)
    }

    fn resources_from_file(&self, path: &str, span: Option<&Span>) -> Result<ResMap> {
        let (_, docs) = self.loader.read_yaml(path, span)?;
        let mut rm = ResMap::new();
        for r in resources_from_docs(docs)? {
            let mut r = r;
            self.schema.note_resource_type(r.api_version(), r.kind());
            if let Some(o) = &self.origin {
                r.meta.origin = Some(Origin {
                    path: join_origin(&o.path, path),
                    ..o.clone()
                });
            }
            rm.append(r)
                .map_err(|e| e.context(format!("accumulating resources from '{path}'")))?;
        }
        Ok(rm)
    }

    fn accumulate_directory(
        &self,
        ra: Accumulator,
        path: &str,
        span: Option<&Span>,
        is_component: bool,
    ) -> Result<Accumulator> {
        let sub_loader = self.loader.sub(path, span)?;
        if self.session.chain.borrow().contains(&sub_loader.root)
            || sub_loader.root == self.loader.root
        {
            return Err(KustError::new(
                ErrorKind::Cycle,
                format!(
                    "cycle detected: '{}' includes itself through '{path}'",
                    display_path(&sub_loader.root)
                ),
            )
            .at(span));
        }
        let mut sub = Target::new(sub_loader, self.session, &self.schema).map_err(|e| {
            e.at(span).context(format!(
                "couldn't make target for path '{}'",
                display_path(&self.loader.root.join(path))
            ))
        })?;
        sub.build_metadata = self.build_metadata.clone();
        sub.origin = self.origin.as_ref().map(|o| Origin {
            path: join_origin(&o.path, path),
            ..o.clone()
        });
        let root = display_path(&sub.loader.root);
        if is_component && !sub.k.is_component {
            return Err(KustError::invalid(format!(
                "expected kind 'Component' for path '{root}' but got 'Kustomization'"
            ))
            .at(span));
        }
        if !is_component && sub.k.is_component {
            return Err(KustError::invalid(format!(
                "expected kind != 'Component' for path '{root}'"
            ))
            .at(span));
        }
        self.session
            .chain
            .borrow_mut()
            .push(self.loader.root.clone());
        let result = if is_component {
            sub.accumulate_target(ra)
        } else {
            sub.accumulate_target(Accumulator::new()).and_then(|child| {
                let mut ra = ra;
                ra.merge(child)?;
                Ok(ra)
            })
        };
        self.session.chain.borrow_mut().pop();
        result.map_err(|e| e.context(format!("accumulation of path '{root}'")))
    }

    /// Runs with the accumulated config (shared, so holding it is cheap).
    fn run_generators(&self, ra: &mut Accumulator) -> Result<()> {
        let tc = ra.tc.clone();
        self.run_generators_with(ra, &tc)
    }

    fn run_generators_with(&self, ra: &mut Accumulator, tc: &TransformerConfig) -> Result<()> {
        if let Some(n) = self
            .k
            .get("helmCharts")
            .or_else(|| self.k.get("helmChartInflationGenerator"))
        {
            return Err(KustError::new(
                ErrorKind::Unsupported,
                "helmCharts: gitopsc does not inflate Helm charts inside kustomize builds yet",
            )
            .at(n.span.as_ref())
            .with_help(
                "render the chart with `helm template` into a file and list it under resources",
            ));
        }
        let configs = self.external_configs("generators", tc)?;
        let ctx = self.ctx(tc);
        let kust_file = join_origin(
            self.origin.as_ref().map(|o| o.path.as_str()).unwrap_or(""),
            &self.kust_file_name(),
        );
        for g in generate::from_kustomization(&ctx)? {
            let mut rm = g.generate(&ctx)?;
            if let Some(o) = &self.origin {
                for r in rm.iter_mut() {
                    let kind = if r.kind() == "Secret" {
                        "SecretGenerator"
                    } else {
                        "ConfigMapGenerator"
                    };
                    r.meta.origin = Some(Origin {
                        path: String::new(),
                        configured_in: kust_file.clone(),
                        configured_by: Some((
                            "builtin".into(),
                            kind.into(),
                            String::new(),
                            String::new(),
                        )),
                        ..o.clone()
                    });
                }
            }
            generate::absorb(&mut ra.resmap, rm)?;
        }
        for config in configs {
            let g = plugins::generator(&config.node, &ctx)?;
            let mut rm = g.generate(&ctx)?;
            if self.origin.is_some() {
                for r in rm.iter_mut() {
                    r.meta.origin = Some(plugin_origin(&config, &kust_file));
                }
            }
            generate::absorb(&mut ra.resmap, rm)?;
        }
        Ok(())
    }

    /// Runs with the accumulated config (shared, so holding it is cheap).
    fn run_transformers(&self, ra: &mut Accumulator) -> Result<()> {
        let tc = ra.tc.clone();
        self.run_transformers_with(ra, &tc)
    }

    fn run_transformers_with(&self, ra: &mut Accumulator, tc: &TransformerConfig) -> Result<()> {
        let ctx = self.ctx(tc);
        let builtin = [
            (
                "PatchStrategicMergeTransformer",
                patch::strategic_merge_from_kustomization(&ctx)?,
            ),
            ("PatchTransformer", patch::patches_from_kustomization(&ctx)?),
            (
                "NamespaceTransformer",
                names::namespace_from_kustomization(&ctx)?,
            ),
            ("PrefixTransformer", names::prefix_from_kustomization(&ctx)?),
            ("SuffixTransformer", names::suffix_from_kustomization(&ctx)?),
            ("LabelTransformer", meta::labels_from_kustomization(&ctx)?),
            (
                "AnnotationsTransformer",
                meta::annotations_from_kustomization(&ctx)?,
            ),
            (
                "PatchJson6902Transformer",
                patch::json6902_from_kustomization(&ctx)?,
            ),
            (
                "ReplicaCountTransformer",
                meta::replicas_from_kustomization(&ctx)?,
            ),
            (
                "ImageTagTransformer",
                meta::images_from_kustomization(&ctx)?,
            ),
            (
                "ReplacementTransformer",
                replace::replacements_from_kustomization(&ctx)?,
            ),
        ];
        let kust_file = join_origin(
            self.origin.as_ref().map(|o| o.path.as_str()).unwrap_or(""),
            &self.kust_file_name(),
        );
        for (kind, transformers) in &builtin {
            for t in transformers {
                t.transform(&mut ra.resmap, &ctx)?;
                // With buildMetadata, kustomize notes every transformer run
                // on every resource (transformerAnnotations).
                for o in std::iter::repeat_n(&self.origin, t.runs()).flatten() {
                    let by = (
                        "builtin".into(),
                        kind.to_string(),
                        String::new(),
                        String::new(),
                    );
                    let origin = Origin {
                        path: String::new(),
                        configured_in: kust_file.clone(),
                        configured_by: Some(by),
                        ..o.clone()
                    };
                    meta::record_transformation(&mut ra.resmap, &origin);
                }
            }
        }
        let configs = self.external_configs("transformers", tc)?;
        for config in configs {
            let t = plugins::transformer(&config.node, &ctx)?;
            t.transform(&mut ra.resmap, &ctx)?;
            if self.origin.is_some() {
                meta::record_transformation(&mut ra.resmap, &plugin_origin(&config, &kust_file));
            }
        }
        Ok(())
    }

    /// Plugin configs of `transformers:` / `generators:`: inline YAML or
    /// paths to files or kustomizations whose output is the configs.
    fn external_configs(&self, field: &str, tc: &TransformerConfig) -> Result<Vec<Resource>> {
        let _ = tc;
        let Some(list) = self.k.get(field).cloned() else {
            return Ok(Vec::new());
        };
        let Some(items) = list.as_seq() else {
            return Err(KustError::invalid(format!(
                "invalid Kustomization: {field} must be a list"
            ))
            .at(list.span.as_ref()));
        };
        let mut out = Vec::new();
        let mut paths = Vec::new();
        for item in items {
            let Some(text) = item.as_str() else {
                return Err(
                    KustError::invalid(format!("every item of {field} must be a string"))
                        .at(item.span.as_ref()),
                );
            };
            match inline_configs(&self.k.file, text, item.span.as_ref()) {
                Some(rs) => out.extend(rs),
                None => paths.push((text.to_string(), item.span.clone())),
            }
        }
        let mut empty = Accumulator::new();
        empty.tc = SharedConfig::defaults();
        let ra = self.accumulate_resources(empty, &paths)?;
        out.extend(ra.resmap);
        Ok(out)
    }
}

/// A plugin config written inline in the kustomization (a YAML mapping in a
/// string), or None when the entry is a path.
fn inline_configs(file: &str, text: &str, span: Option<&Span>) -> Option<Vec<Resource>> {
    if !text.contains('\n') && !text.contains(": ") {
        return None;
    }
    let docs = parse_documents(file, text).ok()?;
    let mut out = Vec::new();
    for mut d in docs.into_iter().filter(|d| !d.is_null()) {
        if !d.is_map() {
            return None;
        }
        // Inline text has no lines of its own in the file; point at the entry.
        d.set_span_deep(&span.cloned());
        out.push(Resource::new(d).ok()?);
    }
    Some(out)
}

fn plugin_origin(config: &Resource, kust_file: &str) -> Origin {
    Origin {
        configured_in: config
            .meta
            .origin
            .as_ref()
            .map(|o| o.path.clone())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| kust_file.to_string()),
        configured_by: Some((
            config.api_version().to_string(),
            config.kind().to_string(),
            config.name().to_string(),
            config.namespace().to_string(),
        )),
        ..Origin::default()
    }
}

/// Resources from parsed documents: nulls skipped, `List` kinds expanded.
pub fn resources_from_docs(docs: Vec<Node>) -> Result<Vec<Resource>> {
    let mut out = Vec::new();
    for d in docs {
        if d.is_null() {
            continue;
        }
        if !d.is_map() {
            return Err(KustError::invalid("a resource must be a YAML mapping").at(d.span.as_ref()));
        }
        if d.as_map().is_some_and(|m| m.is_empty()) {
            continue;
        }
        let kind = d.get_str("kind").unwrap_or("");
        if kind.is_empty() {
            return Err(KustError::invalid("missing kind in object").at(d.span.as_ref()));
        }
        let named = d
            .get_path(&["metadata", "name"])
            .and_then(Node::as_str)
            .is_some_and(|n| !n.is_empty());
        if !named && !kind.ends_with("List") {
            return Err(KustError::invalid(format!(
                "missing metadata.name in object of kind {kind}"
            ))
            .at(d
                .get("metadata")
                .and_then(|m| m.span.as_ref())
                .or(d.span.as_ref())));
        }
        let is_list =
            d.get_str("kind").is_some_and(|k| k.ends_with("List")) && d.get("items").is_some();
        if is_list {
            if let Some(items) = d.get("items").and_then(Node::as_seq) {
                for item in items {
                    if item.is_map() {
                        out.push(Resource::new(item.clone())?);
                    }
                }
            }
            continue;
        }
        out.push(Resource::new(d)?);
    }
    Ok(out)
}

fn is_local_config(r: &Resource) -> bool {
    r.node
        .get_path(&[
            "metadata",
            "annotations",
            "config.kubernetes.io/local-config",
        ])
        .and_then(Node::as_str)
        .is_some_and(|v| v == "true")
}

/// kustomize's origin path join (`filepath.Join`).
fn join_origin(base: &str, rel: &str) -> String {
    if base.is_empty() {
        crate::source::normalize(std::path::Path::new(rel))
            .display()
            .to_string()
    } else {
        crate::source::normalize(&std::path::Path::new(base).join(rel))
            .display()
            .to_string()
    }
}
