//! Transformer configuration: the field specs each builtin transformer
//! uses, from gitopsc's defaults, `configurations:` files and CRDs.

use super::error::{KustError, Result};
use super::fieldspec::FieldSpec;
use super::gosort;
use super::kustomization::get_ci;
use super::resid::Gvk;
use crate::load::yaml::{Node, parse_single};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock};

/// A kind that others refer to by name, and the fields that refer to it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct NameBackRef {
    pub gvk: Gvk,
    pub referrers: Vec<FieldSpec>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TransformerConfig {
    pub name_prefix: Vec<FieldSpec>,
    pub name_suffix: Vec<FieldSpec>,
    pub namespace: Vec<FieldSpec>,
    pub common_labels: Vec<FieldSpec>,
    pub labels: Vec<FieldSpec>,
    pub template_labels: Vec<FieldSpec>,
    pub volume_claim_template_labels: Vec<FieldSpec>,
    pub common_annotations: Vec<FieldSpec>,
    pub name_reference: Vec<NameBackRef>,
    pub var_reference: Vec<FieldSpec>,
    pub images: Vec<FieldSpec>,
    pub replicas: Vec<FieldSpec>,
}

/// The built-in defaults, in gitopsc's own layout (see the file's header).
const DEFAULTS: &str = include_str!("defaults.yaml");

impl TransformerConfig {
    /// kustomize's default field specs.
    /// Parsed once per process: every kustomization of every target starts
    /// from them.
    pub fn defaults() -> TransformerConfig {
        static PARSED: std::sync::OnceLock<TransformerConfig> = std::sync::OnceLock::new();
        PARSED
            .get_or_init(|| {
                quick_defaults(DEFAULTS).unwrap_or_else(|| {
                    // The embedded file is checked by the `defaults_parse` test.
                    let node = parse_single("builtin:defaults.yaml", DEFAULTS)
                        .expect("embedded defaults parse");
                    TransformerConfig::from_node(&node).expect("embedded defaults are valid")
                })
            })
            .clone()
    }

    /// Reads a `configurations:` file (keys `namePrefix`, `nameReference`...).
    pub fn from_node(n: &Node) -> Result<TransformerConfig> {
        if n.is_null() {
            return Ok(TransformerConfig::default());
        }
        if !n.is_map() {
            return Err(
                KustError::invalid("a transformer configuration must be a mapping")
                    .at(n.span.as_ref()),
            );
        }
        let fs = |k: &str| FieldSpec::list_from_node(get_ci(n, k));
        let mut name_reference = Vec::new();
        if let Some(items) = get_ci(n, "nameReference").and_then(Node::as_seq) {
            for item in items {
                let s = |k: &str| {
                    super::kustomization::get_ci_str(item, k)
                        .unwrap_or("")
                        .to_string()
                };
                name_reference.push(NameBackRef {
                    gvk: Gvk {
                        group: s("group"),
                        version: s("version"),
                        kind: s("kind"),
                    },
                    referrers: FieldSpec::list_from_node(get_ci(item, "fieldSpecs"))?,
                });
            }
        }
        Ok(TransformerConfig {
            name_prefix: fs("namePrefix")?,
            name_suffix: fs("nameSuffix")?,
            namespace: fs("namespace")?,
            common_labels: fs("commonLabels")?,
            labels: fs("labels")?,
            template_labels: fs("templateLabels")?,
            volume_claim_template_labels: fs("volumeClaimTemplateLabels")?,
            common_annotations: fs("commonAnnotations")?,
            name_reference,
            var_reference: fs("varReference")?,
            images: fs("images")?,
            replicas: fs("replicas")?,
        })
    }

    /// kustomize's `TransformerConfig.Merge`: adds `other`'s specs to this
    /// config, skipping duplicates, then sorts every list by kind as
    /// kustomize does (its unstable sort decides which of two overlapping
    /// specs a later merge keeps, so the sort is Go's, step for step).
    pub fn merge(&mut self, other: &TransformerConfig) -> Result<()> {
        let lists: [(&mut Vec<FieldSpec>, &Vec<FieldSpec>, &str); 11] = [
            (&mut self.name_prefix, &other.name_prefix, "NamePrefix"),
            (&mut self.name_suffix, &other.name_suffix, "NameSuffix"),
            (&mut self.namespace, &other.namespace, "NameSpace"),
            (
                &mut self.common_annotations,
                &other.common_annotations,
                "CommonAnnotations",
            ),
            (
                &mut self.common_labels,
                &other.common_labels,
                "CommonLabels",
            ),
            (&mut self.labels, &other.labels, "Labels"),
            (
                &mut self.template_labels,
                &other.template_labels,
                "TemplateLabels",
            ),
            (
                &mut self.volume_claim_template_labels,
                &other.volume_claim_template_labels,
                "VolumeClaimTemplateLabels",
            ),
            (
                &mut self.var_reference,
                &other.var_reference,
                "VarReference",
            ),
            (&mut self.images, &other.images, "Images"),
            (&mut self.replicas, &other.replicas, "Replicas"),
        ];
        for (into, from, name) in lists {
            merge_specs(into, from)
                .map_err(|e| e.context(format!("failed to merge {name} fieldSpec")))?;
        }
        for nbr in &other.name_reference {
            let mut found = false;
            for existing in self.name_reference.iter_mut().filter(|x| x.gvk == nbr.gvk) {
                merge_specs(&mut existing.referrers, &nbr.referrers)
                    .map_err(|e| e.context("failed to merge NameReference fieldSpec"))?;
                found = true;
            }
            if !found {
                self.name_reference.push(nbr.clone());
            }
        }
        self.sort_fields();
        Ok(())
    }

    /// kustomize's `sortFields`: each list ordered by kind (the referrers
    /// inside a name reference keep their order).
    pub fn sort_fields(&mut self) {
        let by_gvk = |a: &FieldSpec, b: &FieldSpec| a.gvk.is_less_than(&b.gvk);
        for list in [
            &mut self.name_prefix,
            &mut self.name_suffix,
            &mut self.namespace,
            &mut self.common_labels,
            &mut self.labels,
            &mut self.template_labels,
            &mut self.volume_claim_template_labels,
            &mut self.common_annotations,
            &mut self.var_reference,
            &mut self.images,
            &mut self.replicas,
        ] {
            gosort::sort_by(list, by_gvk);
        }
        gosort::sort_by(&mut self.name_reference, |a, b| a.gvk.is_less_than(&b.gvk));
    }

    /// A `configurations:` file as kustomize loads one: parsed, then sorted.
    pub fn from_configuration_file(n: &Node) -> Result<TransformerConfig> {
        let mut tc = TransformerConfig::from_node(n)?;
        tc.sort_fields();
        Ok(tc)
    }

    /// What a kustomization contributes: kustomize's defaults merged with
    /// its `configurations:` files (each file merged into an empty config
    /// first, as kustomize does).
    pub fn with_configurations(files: &[TransformerConfig]) -> Result<SharedConfig> {
        if files.is_empty() {
            return Ok(SharedConfig::defaults());
        }
        let mut tc = TransformerConfig::defaults();
        let mut loaded = TransformerConfig::default();
        for f in files {
            loaded.merge(f)?;
        }
        tc.merge(&loaded)?;
        Ok(SharedConfig::new(tc))
    }
}

/// A transformer configuration that no longer changes, shared between
/// the kustomizations of a build and between builds, with a fingerprint of
/// its content.
///
/// Every kustomization merges kustomize's defaults into what it
/// accumulated, and a parent merges what each of its resources
/// accumulated: hundreds of field specs compared pairwise and sorted, the
/// same merges over and over across a repository's targets. Merging shared
/// configurations ([`SharedConfig::merged`]) remembers each result by the
/// fingerprints of both sides, so each distinct merge runs once per process.
#[derive(Clone, Debug)]
pub struct SharedConfig {
    tc: Arc<TransformerConfig>,
    fingerprint: u64,
}

impl std::ops::Deref for SharedConfig {
    type Target = TransformerConfig;
    fn deref(&self) -> &TransformerConfig {
        &self.tc
    }
}

impl Default for SharedConfig {
    /// The empty configuration (shared).
    fn default() -> SharedConfig {
        static EMPTY: OnceLock<SharedConfig> = OnceLock::new();
        EMPTY
            .get_or_init(|| SharedConfig::new(TransformerConfig::default()))
            .clone()
    }
}

/// Results of merges kept by [`SharedConfig::merged`]; past this many the
/// rest are computed each time (a repository has a handful of distinct
/// merges, this only bounds memory on odd input).
const MERGE_MEMO_LIMIT: usize = 1024;

/// A merge remembered: both sides and the result.
type Merge = (SharedConfig, SharedConfig, SharedConfig);

struct MergeMemo {
    results: HashMap<(u64, u64), Vec<Merge>>,
    len: usize,
}

impl SharedConfig {
    pub fn new(tc: TransformerConfig) -> SharedConfig {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        tc.hash(&mut h);
        SharedConfig {
            fingerprint: h.finish(),
            tc: Arc::new(tc),
        }
    }

    /// kustomize's defaults (shared).
    pub fn defaults() -> SharedConfig {
        static DEFAULTS: OnceLock<SharedConfig> = OnceLock::new();
        DEFAULTS
            .get_or_init(|| SharedConfig::new(TransformerConfig::defaults()))
            .clone()
    }

    fn same(&self, other: &SharedConfig) -> bool {
        self.fingerprint == other.fingerprint
            && (Arc::ptr_eq(&self.tc, &other.tc) || self.tc == other.tc)
    }

    /// [`TransformerConfig::merge`] of `other` into a copy of this one.
    pub fn merged(&self, other: &SharedConfig) -> Result<SharedConfig> {
        static MEMO: OnceLock<Mutex<MergeMemo>> = OnceLock::new();
        let memo = MEMO.get_or_init(|| {
            Mutex::new(MergeMemo {
                results: HashMap::new(),
                len: 0,
            })
        });
        let key = (self.fingerprint, other.fingerprint);
        {
            let memo = memo.lock().unwrap_or_else(|p| p.into_inner());
            let hit = memo
                .results
                .get(&key)
                .and_then(|found| found.iter().find(|(a, b, _)| a.same(self) && b.same(other)));
            if let Some((_, _, result)) = hit {
                return Ok(result.clone());
            }
        }
        let mut tc = TransformerConfig::clone(self);
        tc.merge(other)?;
        let result = SharedConfig::new(tc);
        let mut memo = memo.lock().unwrap_or_else(|p| p.into_inner());
        if memo.len < MERGE_MEMO_LIMIT {
            memo.len += 1;
            memo.results.entry(key).or_default().push((
                self.clone(),
                other.clone(),
                result.clone(),
            ));
        }
        Ok(result)
    }
}

/// Reads the embedded defaults line by line: the file keeps to a few
/// forms (`key:`, `- {k: v, ...}`, `- kind: K` with indented `group:`,
/// `version:`, `fieldSpecs:`), and a YAML parse of it would cost more than
/// most builds. None on any other form (the YAML reader then takes over);
/// the `quick_defaults_equal_the_yaml_reading` test keeps both in step.
fn quick_defaults(text: &str) -> Option<TransformerConfig> {
    let mut tc = TransformerConfig::default();
    let mut list: Option<&str> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if !line.starts_with([' ', '-']) {
            list = Some(line.strip_suffix(':')?);
            continue;
        }
        let key = list?;
        if let Some(flow) = trimmed.strip_prefix("- {") {
            let spec = quick_spec(flow.strip_suffix('}')?)?;
            if key == "nameReference" {
                tc.name_reference.last_mut()?.referrers.push(spec);
                continue;
            }
            let into = match key {
                "namePrefix" => &mut tc.name_prefix,
                "nameSuffix" => &mut tc.name_suffix,
                "namespace" => &mut tc.namespace,
                "commonLabels" => &mut tc.common_labels,
                "labels" => &mut tc.labels,
                "templateLabels" => &mut tc.template_labels,
                "volumeClaimTemplateLabels" => &mut tc.volume_claim_template_labels,
                "commonAnnotations" => &mut tc.common_annotations,
                "varReference" => &mut tc.var_reference,
                "images" => &mut tc.images,
                "replicas" => &mut tc.replicas,
                _ => return None,
            };
            into.push(spec);
            continue;
        }
        if key != "nameReference" {
            return None;
        }
        if let Some(kind) = line.strip_prefix("- kind: ") {
            tc.name_reference.push(NameBackRef {
                gvk: Gvk {
                    kind: plain_value(kind)?,
                    ..Gvk::default()
                },
                referrers: Vec::new(),
            });
            continue;
        }
        let item = tc.name_reference.last_mut()?;
        match trimmed.split_once(": ").unwrap_or((trimmed, "")) {
            ("fieldSpecs:", "") => {}
            ("group", v) => item.gvk.group = plain_value(v)?,
            ("version", v) => item.gvk.version = plain_value(v)?,
            _ => return None,
        }
    }
    Some(tc)
}

/// `k: v, k: v` of a one-line field spec.
fn quick_spec(flow: &str) -> Option<FieldSpec> {
    let mut spec = FieldSpec::new("", false);
    for pair in flow.split(", ") {
        let (k, v) = pair.split_once(": ")?;
        let v = plain_value(v)?;
        match k {
            "group" => spec.gvk.group = v,
            "version" => spec.gvk.version = v,
            "kind" => spec.gvk.kind = v,
            "path" => spec.path = v,
            "create" => spec.create = v == "true",
            _ => return None,
        }
    }
    Some(spec)
}

/// A scalar without YAML subtleties: plain (a backslash is literal there),
/// or double-quoted without escapes (only quoted ones may hold brackets, as
/// in `containers[]`).
fn plain_value(v: &str) -> Option<String> {
    let v = v.trim();
    let (v, quoted) = match v.strip_prefix('"') {
        Some(q) => (q.strip_suffix('"')?, true),
        None => (v, false),
    };
    let special = |c: char| {
        matches!(c, '"' | '\'' | '{' | '}' | ',' | '#' | '&' | '*' | '!')
            || (quoted && c == '\\')
            || (!quoted && matches!(c, '[' | ']'))
    };
    (!v.is_empty() && !v.contains(special) && !v.contains(": ")).then(|| v.to_string())
}

/// kustomize's `FsSlice.MergeAll`: an incoming spec is dropped when one
/// already listed has its path and is selected by its gvk (so a generic
/// spec listed after a kind-specific one with the same path is dropped);
/// a disagreement on `create` is an error.
pub fn merge_specs(into: &mut Vec<FieldSpec>, from: &[FieldSpec]) -> Result<()> {
    for f in from {
        match into
            .iter()
            .find(|x| x.path == f.path && x.gvk.is_selected_by(&f.gvk))
        {
            Some(x) if x.create != f.create => {
                return Err(
                    KustError::invalid("conflicting fieldspecs").with_help(format!(
                        "path '{}' is listed for {} with create: {} and for {} with create: {}",
                        f.path, x.gvk, x.create, f.gvk, f.create
                    )),
                );
            }
            Some(_) => {}
            None => into.push(f.clone()),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_specific_specs_displace_the_generic_one() {
        // kustomize sorts `IngressHost` (key `~G_~V_IngressHost`) before the
        // generic spec (`~G_~V_~K`); merging into an empty config then finds
        // the generic spec already covered and drops it.
        let file = crate::load::yaml::parse_single(
            "c.yaml",
            "namePrefix:\n- {path: metadata/name, kind: IngressHost}\n- {path: metadata/name, kind: IngressSecret}\n",
        )
        .unwrap();
        let own =
            TransformerConfig::with_configurations(&[TransformerConfig::from_configuration_file(
                &file,
            )
            .unwrap()])
            .unwrap();
        let mut acc = TransformerConfig::default();
        acc.merge(&own).unwrap();
        let kinds: Vec<&str> = acc
            .name_prefix
            .iter()
            .map(|f| f.gvk.kind.as_str())
            .collect();
        assert_eq!(kinds, ["IngressHost", "IngressSecret"]);
    }

    #[test]
    fn shared_merges_equal_plain_merges() {
        let file = crate::load::yaml::parse_single(
            "c.yaml",
            "namePrefix:\n- {path: metadata/name, kind: IngressHost}\n",
        )
        .unwrap();
        let own =
            TransformerConfig::with_configurations(&[TransformerConfig::from_configuration_file(
                &file,
            )
            .unwrap()])
            .unwrap();
        let plain = |steps: &[&TransformerConfig]| {
            let mut acc = TransformerConfig::default();
            for s in steps {
                acc.merge(s).unwrap();
            }
            acc
        };
        let d = SharedConfig::defaults();
        for _ in 0..2 {
            // The second round answers from the memo.
            let once = SharedConfig::default().merged(&d).unwrap();
            assert_eq!(*once, plain(&[&d]));
            let twice = once.merged(&d).unwrap();
            assert_eq!(*twice, plain(&[&d, &d]));
            let mixed = twice.merged(&own).unwrap();
            assert_eq!(*mixed, plain(&[&d, &d, &own]));
        }
    }

    #[test]
    fn conflicting_create_flags_fail() {
        let mut a = vec![FieldSpec::new("metadata/labels", true)];
        let err = merge_specs(&mut a, &[FieldSpec::new("metadata/labels", false)]).unwrap_err();
        assert_eq!(err.message, "conflicting fieldspecs");
    }

    #[test]
    fn quick_defaults_equal_the_yaml_reading() {
        let node = parse_single("builtin:defaults.yaml", DEFAULTS).unwrap();
        let full = TransformerConfig::from_node(&node).unwrap();
        let quick = quick_defaults(DEFAULTS).expect("the defaults keep to the quick forms");
        assert_eq!(format!("{quick:?}"), format!("{full:?}"));
    }

    #[test]
    fn defaults_parse() {
        let tc = TransformerConfig::defaults();
        assert!(!tc.name_prefix.is_empty());
        assert!(!tc.name_reference.is_empty());
    }
}
