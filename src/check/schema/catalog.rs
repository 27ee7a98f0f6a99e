//! Where a resource's schema comes from, tried in order, first hit wins:
//! user schema folders, CRDs found in the repository, the bundled
//! Kubernetes definitions of the environment's minor, the bundled CRDs.
//! kubeconform-style `-schema-location` templates are locations too.
//!
//! Validators are compiled on first use and cached per schema and
//! strictness, so a run pays only for the kinds it meets.

use super::bundle::{Version, bundle};
use super::normalize;
use super::{Gvk, SchemaError};
use crate::load::yaml::json::to_json;
use crate::load::yaml::{Node, parse_documents};
use jsonschema::{Draft, Validator};
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A compiled schema and where it came from (for messages).
pub struct Compiled {
    pub validator: Validator,
    pub origin: String,
}

/// The outcome of a lookup.
pub enum Lookup {
    Found(Arc<Compiled>),
    /// No location has a schema for the kind.
    Missing,
    /// A schema was found but cannot be used (bad JSON, does not compile).
    Broken(String),
}

/// How a user schema file says which kinds it describes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum GroupMatch {
    Exact(String),
    /// kubeconform file names carry only the group's first label.
    FirstLabel(String),
}

#[derive(Clone, Debug)]
struct UserKey {
    group: GroupMatch,
    kind_lower: String,
    version: String,
}

impl UserKey {
    fn matches(&self, gvk: &Gvk) -> bool {
        self.version == gvk.version
            && self.kind_lower == gvk.kind.to_ascii_lowercase()
            && match &self.group {
                GroupMatch::Exact(g) => *g == gvk.group,
                GroupMatch::FirstLabel(l) => gvk.group.split('.').next().unwrap_or("") == l,
            }
    }
}

/// A JSON schema with its dialect.
#[derive(Clone)]
pub struct RawSchema {
    pub value: Arc<Value>,
    /// OpenAPI 3.0 (CRD) schemas are compiled as Draft 4 after conversion.
    pub openapi: bool,
    pub origin: String,
}

/// Schemas from user folders: JSON Schema files and CRD manifests.
#[derive(Default, Clone)]
pub struct UserSchemas {
    entries: Vec<(UserKey, RawSchema)>,
}

/// CRD schemas by (group, version, kind lowercased).
#[derive(Default, Clone)]
pub struct CrdSchemas {
    map: HashMap<(String, String, String), RawSchema>,
}

pub enum Location {
    User(UserSchemas),
    Crds(CrdSchemas),
    /// The bundled Kubernetes definitions.
    Kubernetes,
    /// The bundled CRD schemas.
    BundledCrds,
    /// A kubeconform path template, e.g. `schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json`.
    Template(String),
}

type CacheKey = (usize, String, bool);

/// A schema file read once: absent (`None`), parsed, or its error.
type LoadedFile = Option<Result<Arc<Value>, String>>;

pub struct Catalog {
    locations: Vec<Location>,
    cache: Mutex<HashMap<CacheKey, Result<Arc<Compiled>, String>>>,
    files: Mutex<HashMap<PathBuf, LoadedFile>>,
}

impl Catalog {
    pub fn new(locations: Vec<Location>) -> Catalog {
        Catalog {
            locations,
            cache: Mutex::default(),
            files: Mutex::default(),
        }
    }

    /// The schema of `gvk` for Kubernetes `minor` (e.g. `1.34`).
    pub fn lookup(&self, minor: &str, gvk: &Gvk, strict: bool) -> Lookup {
        for (i, loc) in self.locations.iter().enumerate() {
            let found = match loc {
                Location::User(u) => u
                    .entries
                    .iter()
                    .find(|(k, _)| k.matches(gvk))
                    .map(|(_, raw)| (raw.origin.clone(), Source::Json(raw.clone()))),
                Location::Crds(c) => c
                    .map
                    .get(&(
                        gvk.group.clone(),
                        gvk.version.clone(),
                        gvk.kind.to_ascii_lowercase(),
                    ))
                    .map(|raw| (raw.origin.clone(), Source::Json(raw.clone()))),
                Location::Kubernetes => bundle().version(minor).and_then(|v| {
                    v.gvk(&gvk.group, &gvk.version, &gvk.kind).map(|id| {
                        (
                            format!("k8s {minor} #{id}"),
                            Source::Kubernetes(v, minor.to_string(), id),
                        )
                    })
                }),
                Location::BundledCrds => {
                    bundle().crd(&gvk.group, &gvk.version, &gvk.kind).map(|v| {
                        let origin = format!(
                            "bundled CRD {}/{}_{}",
                            gvk.group,
                            gvk.kind.to_ascii_lowercase(),
                            gvk.version
                        );
                        (
                            origin.clone(),
                            Source::Json(RawSchema {
                                value: v,
                                openapi: true,
                                origin,
                            }),
                        )
                    })
                }
                Location::Template(t) => {
                    let path = PathBuf::from(render_template(t, minor, gvk, strict));
                    match self.read_file(&path) {
                        None => None,
                        Some(Err(e)) => return Lookup::Broken(e),
                        Some(Ok(v)) => {
                            let origin = path.to_string_lossy().into_owned();
                            Some((
                                origin.clone(),
                                Source::Json(RawSchema {
                                    value: v,
                                    openapi: true,
                                    origin,
                                }),
                            ))
                        }
                    }
                }
            };
            let Some((key, source)) = found else { continue };
            let cache_key = (i, key, strict);
            let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            let entry = cache
                .entry(cache_key)
                .or_insert_with(|| source.compile(strict).map(Arc::new))
                .clone();
            return match entry {
                Ok(c) => Lookup::Found(c),
                Err(e) => Lookup::Broken(e),
            };
        }
        Lookup::Missing
    }

    fn read_file(&self, path: &Path) -> Option<Result<Arc<Value>, String>> {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                let text = std::fs::read_to_string(path).ok()?;
                Some(
                    serde_json::from_str(&text)
                        .map(Arc::new)
                        .map_err(|e| format!("could not parse schema {}: {e}", path.display())),
                )
            })
            .clone()
    }
}

enum Source {
    Kubernetes(Arc<Version>, String, usize),
    Json(RawSchema),
}

impl Source {
    fn compile(&self, strict: bool) -> Result<Compiled, String> {
        match self {
            Source::Kubernetes(v, minor, id) => {
                let mut schema = kubernetes_schema(v, *id);
                if strict {
                    normalize::strictify(&mut schema);
                }
                let validator = jsonschema::options()
                    .with_draft(Draft::Draft202012)
                    .should_validate_formats(false)
                    .build(&schema)
                    .map_err(|e| format!("bundled schema does not compile: {e}"))?;
                Ok(Compiled {
                    validator,
                    origin: format!("Kubernetes {minor}"),
                })
            }
            Source::Json(raw) => Ok(Compiled {
                validator: compile_json(&raw.value, raw.openapi, strict)
                    .map_err(|e| format!("schema {} does not compile: {e}", raw.origin))?,
                origin: raw.origin.clone(),
            }),
        }
    }
}

/// Compiles a JSON schema; OpenAPI-style ones (no `$schema`) as Draft 4.
pub fn compile_json(value: &Value, openapi: bool, strict: bool) -> Result<Validator, String> {
    let declared = value.get("$schema").is_some();
    let mut schema = value.clone();
    if openapi && !declared {
        normalize::openapi_to_draft4(&mut schema);
    }
    if strict {
        normalize::strictify(&mut schema);
    }
    let mut options = jsonschema::options().should_validate_formats(false);
    if !declared {
        options = options.with_draft(Draft::Draft4);
    }
    options.build(&schema).map_err(|e| e.to_string())
}

/// A standalone schema for one Kubernetes definition: the definition and
/// everything it refers to, under `$defs`.
fn kubernetes_schema(v: &Version, root: usize) -> Value {
    let b = bundle();
    let root_name = b.def_name(root).to_string();
    let mut defs = serde_json::Map::new();
    let mut queue = VecDeque::from([root]);
    let mut seen = HashSet::from([root]);
    while let Some(id) = queue.pop_front() {
        let def = b.def(id);
        let mut names = Vec::new();
        normalize::refs(&def, &mut names);
        for n in names {
            if let Some(next) = v.def(&n)
                && seen.insert(next)
            {
                queue.push_back(next);
            }
        }
        defs.insert(b.def_name(id).to_string(), def);
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("#/$defs/{root_name}"),
        "$defs": defs,
    })
}

/// kubeconform's template variables.
pub fn render_template(t: &str, minor: &str, gvk: &Gvk, strict: bool) -> String {
    let kind_suffix = if gvk.group.is_empty() {
        format!("-{}", gvk.version)
    } else {
        format!(
            "-{}-{}",
            gvk.group.split('.').next().unwrap_or(""),
            gvk.version
        )
    };
    let mut out = String::with_capacity(t.len());
    let mut rest = t;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let var = rest[start + 2..start + end].trim().trim_start_matches('.');
        match var {
            "ResourceKind" => out.push_str(&gvk.kind.to_ascii_lowercase()),
            "ResourceAPIVersion" => out.push_str(&gvk.version),
            "Group" => out.push_str(&gvk.group),
            "KindSuffix" => out.push_str(&kind_suffix),
            "NormalizedKubernetesVersion" => out.push_str(&format!("v{minor}.0")),
            "StrictSuffix" => out.push_str(if strict { "-strict" } else { "" }),
            other => out.push_str(&format!("{{{{.{other}}}}}")),
        }
        rest = &rest[start + end + 2..];
    }
    out.push_str(rest);
    out
}

/// The schemas of a CRD manifest: each served version's `openAPIV3Schema`
/// (apiextensions.k8s.io/v1), or `spec.validation` (v1beta1).
pub fn crd_schemas(node: &Node) -> Vec<((String, String, String), Value)> {
    let mut out = super::gatekeeper::constraint_schemas(node);
    if node.get_str("kind") != Some("CustomResourceDefinition")
        || !node
            .get_str("apiVersion")
            .is_some_and(|a| a.starts_with("apiextensions.k8s.io/"))
    {
        return out;
    }
    let Some(spec) = node.get("spec") else {
        return out;
    };
    let (Some(group), Some(kind)) = (
        spec.get_str("group"),
        spec.get_path(&["names", "kind"]).and_then(Node::as_str),
    ) else {
        return out;
    };
    let shared = spec.get_path(&["validation", "openAPIV3Schema"]);
    let mut versions: Vec<(String, Option<&Node>)> = Vec::new();
    if let Some(list) = spec.get("versions").and_then(Node::as_seq) {
        for v in list {
            if v.get("served").and_then(Node::as_str) == Some("false") {
                continue;
            }
            if let Some(name) = v.get_str("name") {
                versions.push((name.to_string(), v.get_path(&["schema", "openAPIV3Schema"])));
            }
        }
    } else if let Some(v) = spec.get_str("version") {
        versions.push((v.to_string(), None));
    }
    for (version, schema) in versions {
        let Some(schema) = schema.or(shared) else {
            continue;
        };
        let mut value = to_json(schema);
        // The API server always admits type meta and metadata at the root.
        if let Some(props) = value.get_mut("properties").and_then(Value::as_object_mut) {
            props
                .entry("apiVersion")
                .or_insert_with(|| json!({"type": "string"}));
            props
                .entry("kind")
                .or_insert_with(|| json!({"type": "string"}));
            props
                .entry("metadata")
                .or_insert_with(|| json!({"type": "object"}));
        }
        out.push((
            (group.to_string(), version, kind.to_ascii_lowercase()),
            value,
        ));
    }
    out
}

impl CrdSchemas {
    /// Adds the schemas of a CRD manifest; the first definition of a
    /// group/version/kind wins.
    pub fn add(&mut self, node: &Node, origin: &str) {
        for (key, value) in crd_schemas(node) {
            self.map.entry(key).or_insert_with(|| RawSchema {
                value: Arc::new(value),
                openapi: true,
                origin: origin.to_string(),
            });
        }
    }
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// CRD schemas gitopsc knows without a manifest (Gatekeeper's
    /// ConstraintTemplate); a committed CRD of the same kind wins.
    pub fn known(&mut self) {
        for (key, value) in super::gatekeeper::template_crd_schemas() {
            self.map.entry(key).or_insert_with(|| RawSchema {
                value: Arc::new(value),
                openapi: true,
                origin: "gitopsc (Gatekeeper ConstraintTemplate)".to_string(),
            });
        }
    }
}

impl UserSchemas {
    /// Reads every schema of `dirs` (JSON Schema files and CRD manifests,
    /// recursively). A folder that cannot be read, a file that does not
    /// parse or compile, or a JSON schema whose kind cannot be told is an
    /// error.
    pub fn load(root: &Path, dirs: &[String]) -> Result<UserSchemas, SchemaError> {
        let mut out = UserSchemas::default();
        for d in dirs {
            let dir = root.join(d);
            if !dir.is_dir() {
                return Err(SchemaError::new(
                    format!("schema folder {d} does not exist or is not a folder"),
                    &dir,
                ));
            }
            let mut files = BTreeSet::new();
            collect_files(&dir, &mut files, 0)?;
            for f in files {
                out.load_file(root, &f)?;
            }
        }
        Ok(out)
    }

    fn load_file(&mut self, root: &Path, f: &Path) -> Result<(), SchemaError> {
        let shown = f
            .strip_prefix(root)
            .unwrap_or(f)
            .to_string_lossy()
            .into_owned();
        let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("");
        let text = std::fs::read_to_string(f)
            .map_err(|e| SchemaError::new(format!("cannot read schema file {shown}: {e}"), f))?;
        match ext {
            "json" => {
                let value: Value = serde_json::from_str(&text).map_err(|e| {
                    SchemaError::new(format!("schema file {shown} is not valid JSON: {e}"), f)
                })?;
                if !value.is_object() {
                    return Err(SchemaError::new(
                        format!("schema file {shown} is not a JSON object"),
                        f,
                    ));
                }
                compile_json(&value, true, false).map_err(|e| {
                    SchemaError::new(
                        format!("schema file {shown} is not a valid JSON Schema: {e}"),
                        f,
                    )
                })?;
                let keys = keys_of(&value, f);
                if keys.is_empty() {
                    return Err(SchemaError::new(
                        format!(
                            "cannot tell which kind schema file {shown} describes: name it like \
kubeconform (<kind>-<group>-<version>.json, <group>/<kind>_<version>.json) or fix apiVersion and kind with enum"
                        ),
                        f,
                    ));
                }
                let raw = RawSchema {
                    value: Arc::new(value),
                    openapi: true,
                    origin: shown,
                };
                for k in keys {
                    self.entries.push((k, raw.clone()));
                }
            }
            _ => {
                let docs = parse_documents(&shown, &text).map_err(|e| {
                    SchemaError::new(format!("schema file {shown} is not valid YAML: {e}"), f)
                })?;
                for doc in docs {
                    for ((group, version, kind_lower), value) in crd_schemas(&doc) {
                        compile_json(&value, true, false).map_err(|e| {
                            SchemaError::new(
                                format!("CRD schema in {shown} ({group}/{version} {kind_lower}) does not compile: {e}"),
                                f,
                            )
                        })?;
                        let raw = RawSchema {
                            value: Arc::new(value),
                            openapi: true,
                            origin: shown.clone(),
                        };
                        self.entries.push((
                            UserKey {
                                group: GroupMatch::Exact(group),
                                kind_lower,
                                version,
                            },
                            raw,
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn collect_files(dir: &Path, out: &mut BTreeSet<PathBuf>, depth: usize) -> Result<(), SchemaError> {
    if depth > 20 {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| {
        SchemaError::new(
            format!("cannot read schema folder {}: {e}", dir.display()),
            dir,
        )
    })?;
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_files(&p, out, depth + 1)?;
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("json" | "yaml" | "yml")
        ) {
            out.insert(p);
        }
    }
    Ok(())
}

/// The kinds a JSON schema file describes: `x-kubernetes-group-version-kind`,
/// `apiVersion`/`kind` enums, or a kubeconform / CRDs-catalog file name.
fn keys_of(v: &Value, file: &Path) -> Vec<UserKey> {
    let mut keys = Vec::new();
    if let Some(list) = v
        .get("x-kubernetes-group-version-kind")
        .and_then(Value::as_array)
    {
        for g in list {
            if let (Some(group), Some(version), Some(kind)) = (
                g["group"].as_str(),
                g["version"].as_str(),
                g["kind"].as_str(),
            ) {
                keys.push(UserKey {
                    group: GroupMatch::Exact(group.to_string()),
                    kind_lower: kind.to_ascii_lowercase(),
                    version: version.to_string(),
                });
            }
        }
    }
    let first = |p: &str| {
        v.pointer(p)
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            .and_then(Value::as_str)
    };
    if keys.is_empty()
        && let (Some(api), Some(kind)) = (
            first("/properties/apiVersion/enum"),
            first("/properties/kind/enum"),
        )
    {
        let gvk = Gvk::parse(api, kind);
        keys.push(UserKey {
            group: GroupMatch::Exact(gvk.group),
            kind_lower: kind.to_ascii_lowercase(),
            version: gvk.version,
        });
    }
    if !keys.is_empty() {
        return keys;
    }
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    // CRDs catalog: <group>/<kind>_<version>.json
    if let Some((kind, version)) = stem.split_once('_') {
        let group = file
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .unwrap_or("");
        if group.contains('.') {
            keys.push(UserKey {
                group: GroupMatch::Exact(group.to_string()),
                kind_lower: kind.to_ascii_lowercase(),
                version: version.to_string(),
            });
        }
        return keys;
    }
    // kubeconform: <kind>-<group first label>-<version>.json or <kind>-<version>.json
    let parts: Vec<&str> = stem.split('-').collect();
    match parts.as_slice() {
        [kind, version] => keys.push(UserKey {
            group: GroupMatch::Exact(String::new()),
            kind_lower: kind.to_ascii_lowercase(),
            version: version.to_string(),
        }),
        [kind, label, version] => keys.push(UserKey {
            group: GroupMatch::FirstLabel(label.to_string()),
            kind_lower: kind.to_ascii_lowercase(),
            version: version.to_string(),
        }),
        _ => {}
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gvk(a: &str, k: &str) -> Gvk {
        Gvk::parse(a, k)
    }

    #[test]
    fn bundled_kubernetes_and_crds_compile_and_validate() {
        let c = Catalog::new(vec![Location::Kubernetes, Location::BundledCrds]);
        let Lookup::Found(d) = c.lookup("1.34", &gvk("apps/v1", "Deployment"), true) else {
            panic!("no Deployment schema")
        };
        let ok = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"},
            "spec": {"selector": {}, "template": {"spec": {"containers": [{"name": "a", "image": "b"}]}}}});
        assert!(d.validator.is_valid(&ok));
        let bad = json!({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"replicas": "two", "selector": {}, "template": {}}});
        assert!(!d.validator.is_valid(&bad));
        let unknown = json!({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"replica": 2, "selector": {}, "template": {}}});
        assert!(!d.validator.is_valid(&unknown));
        let Lookup::Found(lax) = c.lookup("1.34", &gvk("apps/v1", "Deployment"), false) else {
            panic!()
        };
        assert!(lax.validator.is_valid(&unknown));
        assert!(matches!(
            c.lookup("1.34", &gvk("argoproj.io/v1alpha1", "Application"), true),
            Lookup::Found(_)
        ));
        assert!(matches!(
            c.lookup("1.34", &gvk("extensions/v1beta1", "Ingress"), true),
            Lookup::Missing
        ));
    }

    #[test]
    fn every_bundled_crd_compiles() {
        let c = Catalog::new(vec![Location::BundledCrds]);
        let keys: Vec<_> = bundle().crd_keys().cloned().collect();
        for (g, k, v) in keys {
            let found = c.lookup(
                "1.34",
                &Gvk {
                    group: g.clone(),
                    version: v.clone(),
                    kind: k.clone(),
                },
                true,
            );
            if let Lookup::Broken(e) = &found {
                panic!("{g}/{k}_{v}: {e}");
            }
            assert!(matches!(found, Lookup::Found(_)), "{g}/{k}_{v}");
        }
    }

    #[test]
    fn templates_render_like_kubeconform() {
        let g = gvk("sagemaker.aws.amazon.com/v1", "TrainingJob");
        assert_eq!(
            render_template(
                "reg/{{ .ResourceKind }}{{ .KindSuffix }}.json",
                "1.34",
                &g,
                false
            ),
            "reg/trainingjob-sagemaker-v1.json"
        );
        assert_eq!(
            render_template(
                "{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json",
                "1.34",
                &g,
                false
            ),
            "sagemaker.aws.amazon.com/trainingjob_v1.json"
        );
        assert_eq!(
            render_template(
                "{{ .ResourceKind }}{{ .KindSuffix }}.json",
                "1.34",
                &gvk("v1", "Service"),
                false
            ),
            "service-v1.json"
        );
    }

    #[test]
    fn crd_manifests_give_schemas_per_served_version() {
        let n = crate::load::yaml::parse_single(
            "crd.yaml",
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  group: example.com\n  names: {kind: Widget}\n  versions:\n  - name: v1\n    served: true\n    schema:\n      openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {size: {type: integer}}}}}\n  - name: v0\n    served: false\n",
        )
        .unwrap();
        let s = crd_schemas(&n);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].0, ("example.com".into(), "v1".into(), "widget".into()));
    }
}
