//! The schemas compiled into the binary (`schemas/bundled/bundle.bin`, made
//! by `schemas/bundled/generate.py`): Kubernetes definitions for several
//! minors, stored once when identical across minors, and the CRD schemas of
//! the platform's stack. Nothing is parsed until a run meets a kind: the
//! index is read on first use, a definition's JSON when a kind needs it.
//!
//! Layout: `b"GSB1"`, a count `n`, `n` blob lengths (u32 little-endian),
//! then `n` zlib blobs. Blob 0 is the JSON index, blob 1 every Kubernetes
//! definition (JSON texts at offsets), then one blob per CRD schema.

use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

static BYTES: &[u8] = include_bytes!("../../../schemas/bundled/bundle.bin");

/// The bundled Kubernetes minor used when an environment names none.
pub const DEFAULT_VERSION: &str = "1.34";

#[derive(Deserialize)]
struct Index {
    kubernetes: K8sIndex,
    crds: CrdIndex,
}

/// Group, version and kind of a definition.
type GvkTriple = (String, String, String);
/// `[name id, offset, length, gvks]` of one definition in the bundle.
type IndexedDef = (usize, usize, usize, Vec<GvkTriple>);

#[derive(Deserialize)]
struct K8sIndex {
    names: Vec<String>,
    /// `[name id, offset, length, [[group, version, kind], ...]]`.
    defs: Vec<IndexedDef>,
    versions: BTreeMap<String, Vec<usize>>,
}

#[derive(Deserialize)]
struct CrdIndex {
    /// `[group, kind lowercased, version, blob]`.
    schemas: Vec<(String, String, String, usize)>,
}

/// One Kubernetes minor: definition names and group/version/kinds to
/// definition ids.
pub struct Version {
    by_name: HashMap<String, usize>,
    by_gvk: HashMap<(String, String, String), usize>,
}

impl Version {
    /// The definition id of a name in this minor.
    pub fn def(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }
    /// The definition id of a served group/version/kind.
    pub fn gvk(&self, group: &str, version: &str, kind: &str) -> Option<usize> {
        self.by_gvk
            .get(&(group.to_string(), version.to_string(), kind.to_string()))
            .copied()
    }
    /// Every served group/version/kind.
    pub fn gvks(&self) -> impl Iterator<Item = &(String, String, String)> {
        self.by_gvk.keys()
    }
}

pub struct Bundle {
    blobs: Vec<&'static [u8]>,
    k8s: K8sIndex,
    crds: HashMap<(String, String, String), usize>,
    versions: HashMap<String, OnceLock<Arc<Version>>>,
    k8s_text: OnceLock<Vec<u8>>,
    crd_cache: std::sync::Mutex<HashMap<usize, Arc<serde_json::Value>>>,
}

/// The bundle; built from embedded bytes that a unit test reads, so a
/// corrupt bundle fails the test suite rather than a user's run.
pub fn bundle() -> &'static Bundle {
    static B: OnceLock<Bundle> = OnceLock::new();
    B.get_or_init(|| {
        Bundle::parse(BYTES).expect("the embedded schema bundle is well-formed (unit tested)")
    })
}

fn u32_at(b: &[u8], at: usize) -> Option<usize> {
    let s = b.get(at..at + 4)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
}

fn inflate(b: &[u8]) -> Result<Vec<u8>, String> {
    miniz_oxide::inflate::decompress_to_vec_zlib(b)
        .map_err(|e| format!("corrupt schema bundle: {e:?}"))
}

impl Bundle {
    fn parse(bytes: &'static [u8]) -> Result<Bundle, String> {
        if bytes.get(..4) != Some(b"GSB1") {
            return Err("not a gitopsc schema bundle".into());
        }
        let n = u32_at(bytes, 4).ok_or("truncated bundle")?;
        let mut at = 8 + 4 * n;
        let mut blobs = Vec::with_capacity(n);
        for i in 0..n {
            let len = u32_at(bytes, 8 + 4 * i).ok_or("truncated bundle")?;
            blobs.push(bytes.get(at..at + len).ok_or("truncated bundle")?);
            at += len;
        }
        let index: Index = serde_json::from_slice(&inflate(blobs.first().ok_or("empty bundle")?)?)
            .map_err(|e| format!("bad bundle index: {e}"))?;
        let crds = index
            .crds
            .schemas
            .into_iter()
            .map(|(g, k, v, blob)| ((g, k, v), blob))
            .collect();
        let versions = index
            .kubernetes
            .versions
            .keys()
            .map(|v| (v.clone(), OnceLock::new()))
            .collect();
        Ok(Bundle {
            blobs,
            k8s: index.kubernetes,
            crds,
            versions,
            k8s_text: OnceLock::new(),
            crd_cache: Default::default(),
        })
    }

    /// Bundled Kubernetes minors (`1.25`, ...), ascending.
    pub fn versions(&self) -> Vec<String> {
        let mut v: Vec<String> = self.k8s.versions.keys().cloned().collect();
        v.sort_by_key(|s| minor(s));
        v
    }

    pub fn version(&self, v: &str) -> Option<Arc<Version>> {
        let cell = self.versions.get(v)?;
        Some(
            cell.get_or_init(|| {
                let ids = &self.k8s.versions[v];
                let mut by_name = HashMap::with_capacity(ids.len());
                let mut by_gvk = HashMap::new();
                for &id in ids {
                    let (name, _, _, gvks) = &self.k8s.defs[id];
                    by_name.insert(self.k8s.names[*name].clone(), id);
                    for g in gvks {
                        by_gvk.insert(g.clone(), id);
                    }
                }
                Arc::new(Version { by_name, by_gvk })
            })
            .clone(),
        )
    }

    pub fn def_name(&self, id: usize) -> &str {
        &self.k8s.names[self.k8s.defs[id].0]
    }

    /// A definition's JSON.
    pub fn def(&self, id: usize) -> serde_json::Value {
        let text = self.k8s_text.get_or_init(|| {
            inflate(self.blobs[1]).expect("the embedded schema bundle is well-formed (unit tested)")
        });
        let (_, off, len, _) = self.k8s.defs[id];
        serde_json::from_slice(&text[off..off + len])
            .expect("bundled definitions are JSON (unit tested)")
    }

    /// The bundled CRD schema of a group, version and kind, if any.
    pub fn crd(&self, group: &str, version: &str, kind: &str) -> Option<Arc<serde_json::Value>> {
        let blob = *self.crds.get(&(
            group.to_string(),
            kind.to_ascii_lowercase(),
            version.to_string(),
        ))?;
        let mut cache = self.crd_cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(v) = cache.get(&blob) {
            return Some(v.clone());
        }
        let text = inflate(self.blobs[blob]).ok()?;
        let v = Arc::new(serde_json::from_slice(&text).ok()?);
        cache.insert(blob, Arc::clone(&v));
        Some(v)
    }

    /// Every bundled CRD as (group, kind lowercased, version).
    pub fn crd_keys(&self) -> impl Iterator<Item = &(String, String, String)> {
        self.crds.keys()
    }
}

/// The minor number of `1.N` (or `1.N.P`, `v1.N`); `None` otherwise.
pub fn minor(v: &str) -> Option<u32> {
    let v = v.trim_start_matches('v');
    let mut parts = v.split('.');
    (parts.next()? == "1").then_some(())?;
    parts.next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_reads_and_every_blob_inflates() {
        let b = bundle();
        assert!(b.versions().len() >= 3);
        for v in b.versions() {
            let ver = b.version(&v).unwrap();
            assert!(ver.gvk("apps", "v1", "Deployment").is_some(), "{v}");
        }
        for id in 0..b.k8s.defs.len() {
            assert!(b.def(id).is_object(), "{}", b.def_name(id));
        }
        for (g, k, v) in b.crd_keys().cloned().collect::<Vec<_>>() {
            assert!(b.crd(&g, &v, &k).is_some(), "{g}/{k}/{v}");
        }
        assert!(b.crd("argoproj.io", "v1alpha1", "Application").is_some());
    }

    #[test]
    fn minors_parse() {
        assert_eq!(minor("1.34"), Some(34));
        assert_eq!(minor("v1.20.0"), Some(20));
        assert_eq!(minor("master"), None);
    }
}
