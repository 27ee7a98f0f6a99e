//! The incremental check: which targets to build and check, and the
//! on-disk cache that makes a warm run nearly free.
//!
//! Every target has a *trace*: the files its last build read (plus the
//! kustomization file names probed in each folder it loaded), each with
//! its git blob id. A trace is trusted only when every id still matches
//! the view being checked; then the build would read the same bytes and
//! produce the same output (the build is a function of what it reads), so
//! its findings are looked up by a key hashing the tool, the
//! repository-wide inputs ([`fingerprint::Global`]), the target and those
//! ids. A target without a trusted trace is built, never guessed, and a
//! failed build is never trusted. Changed-only runs select the targets
//! whose trusted inputs include a changed path.

pub mod context;
pub mod fingerprint;
pub mod snapshot;
pub mod store;

use crate::check::Diagnostic;
use crate::hydrate::kustomize::kustomization::FILE_NAMES;
use crate::hydrate::targets::{Hydrated, hydrate_all_with};
use crate::resolve::{Config, Target, shard::Shard};
use crate::source::Fs;
use fingerprint::Global;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use snapshot::Snapshot;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
pub use store::Store;
use store::sha256_hex;

/// The default cache folder, relative to the repository root.
pub const DEFAULT_DIR: &str = ".gitopsc/cache";

/// The `cache:` section of gitopsc.yaml.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheConfig {
    pub enabled: Option<bool>,
    pub dir: Option<String>,
}

impl CacheConfig {
    pub fn from_config(cfg: &Config) -> CacheConfig {
        cfg.cache
            .as_ref()
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default()
    }
}

/// The store for the repository at `root`, unless turned off.
pub fn open(root: &Path, cfg: &Config) -> Option<Store> {
    let c = CacheConfig::from_config(cfg);
    if c.enabled == Some(false) {
        return None;
    }
    // Only at the top of a work tree: a folder inside another repository
    // (a test fixture, a vendored example) gets no cache written into it.
    if !root.join(".git").exists() {
        return None;
    }
    let dir = c.dir.unwrap_or_else(|| DEFAULT_DIR.to_string());
    Some(Store::new(root.join(dir)))
}

#[derive(Serialize, Deserialize, Clone)]
struct Trace {
    /// Repo-relative path → blob id (or `-` when probed and absent).
    inputs: Vec<(String, String)>,
    failed: bool,
    /// Whether the output holds Argo CD objects.
    argo: bool,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    target: String,
    findings: Vec<Diagnostic>,
}

#[derive(Serialize, Deserialize)]
struct ArgoEntry {
    findings: Vec<Diagnostic>,
}

/// How to run.
#[derive(Default)]
pub struct Options {
    pub store: Option<Store>,
    /// Changed-only run: the repo-relative paths that changed.
    pub changed: Option<BTreeSet<String>>,
    pub shard: Option<Shard>,
    /// Called after each target is built (progress display).
    pub on_built: Option<Box<dyn Fn() + Sync>>,
    /// User policies (conftest semantics) loaded from the config and flags.
    pub policies: Option<std::sync::Arc<crate::check::policy::conftest::check::UserPolicies>>,
    /// What the policy flags were: part of every result key.
    pub policy_key: String,
}

/// Counters of one run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Targets of the repository.
    pub targets: usize,
    /// Targets checked and reported (after selection and sharding).
    pub checked: usize,
    /// Targets built (rendered) in this run.
    pub rendered: usize,
    /// Checked targets whose findings came from the cache.
    pub cached: usize,
}

pub struct Outcome {
    pub diags: Vec<Diagnostic>,
    /// Ids of the targets reported on, in target order.
    pub checked: Vec<String>,
    pub stats: Stats,
}

fn trace_key(t: &Target) -> String {
    sha256_hex(format!("{}\0{}\0{}", t.env, t.app, t.source).as_bytes())
}

fn result_key(global: &Global, world: &str, t: &Target, inputs: &[(String, String)]) -> String {
    let mut s = format!(
        "{}\0{world}\0{}\0{}\0{}\0",
        global.fingerprint, t.env, t.app, t.source
    );
    for (p, id) in inputs {
        s.push_str(p);
        s.push('\0');
        s.push_str(id);
        s.push('\0');
    }
    sha256_hex(s.as_bytes())
}

fn is_argo_kind(kind: &str, api: &str) -> bool {
    api.starts_with("argoproj.io/")
        && matches!(kind, "Application" | "AppProject" | "ApplicationSet")
}

/// The trace of a fresh build, ids taken from the view.
fn trace_of(h: &Hydrated, fs: &dyn Fs, root: &Path, snap: &Snapshot) -> Trace {
    let mut paths: BTreeSet<String> = h.inputs.iter().map(|(p, _)| p.clone()).collect();
    // The kustomization file names probed in every folder loaded: adding
    // a second one changes the build without changing a file it read.
    let dirs: BTreeSet<String> = paths
        .iter()
        .filter(|p| FILE_NAMES.iter().any(|n| p.rsplit('/').next() == Some(n)))
        .map(|p| p.rsplit_once('/').map(|(d, _)| d).unwrap_or("").to_string())
        .collect();
    for d in dirs {
        for n in FILE_NAMES {
            paths.insert(if d.is_empty() {
                n.to_string()
            } else {
                format!("{d}/{n}")
            });
        }
    }
    let argo = h.result.as_ref().is_ok_and(|r| {
        r.resources
            .iter()
            .any(|x| is_argo_kind(x.kind(), x.api_version()))
    });
    Trace {
        inputs: paths
            .into_iter()
            .map(|p| {
                let id = snap.id(fs, root, &p);
                (p, id)
            })
            .collect(),
        failed: h.result.is_err(),
        argo,
    }
}

/// Checks `targets` of the view `fs` (see the module docs).
pub fn check(
    fs: &dyn Fs,
    root: &Path,
    cfg: &Config,
    targets: &[Target],
    snap: &Snapshot,
    opts: &Options,
) -> Outcome {
    // Without git to list the view, the CRD part of the fingerprint is
    // unknown: no cache then.
    let store = opts.store.as_ref().filter(|_| snap.is_git());
    let global = fingerprint::global(fs, root, cfg, snap, store);
    let noop = || {};
    let on_built: &(dyn Fn() + Sync) = match &opts.on_built {
        Some(f) => f.as_ref(),
        None => &noop,
    };

    // Phase 1: a trusted trace for every target, or a build.
    let traces: Vec<Option<Trace>> = targets
        .par_iter()
        .map(|t| {
            let tr: Trace = serde_json::from_slice(&store?.get("traces", &trace_key(t))?).ok()?;
            let valid = !tr.failed && tr.inputs.iter().all(|(p, id)| snap.id(fs, root, p) == *id);
            valid.then_some(tr)
        })
        .collect();
    let mut built: HashMap<usize, Hydrated> = HashMap::new();
    let need: Vec<usize> = (0..targets.len())
        .filter(|i| traces[*i].is_none())
        .collect();
    let need_targets: Vec<Target> = need.iter().map(|i| targets[*i].clone()).collect();
    for (i, h) in need
        .iter()
        .zip(hydrate_all_with(fs, root, &need_targets, on_built))
    {
        built.insert(*i, h);
    }
    let traces: Vec<Trace> = traces
        .into_iter()
        .enumerate()
        .map(|(i, tr)| match tr {
            Some(tr) => tr,
            // Every index without a trace was built just above.
            None => trace_of(&built[&i], fs, root, snap),
        })
        .collect();
    if let Some(s) = store {
        for i in built.keys() {
            if let Ok(b) = serde_json::to_vec(&traces[*i]) {
                s.put("traces", &trace_key(&targets[*i]), &b);
            }
        }
    }

    // Phase 2: selection and sharding.
    let all_changed = opts
        .changed
        .as_ref()
        .is_some_and(|c| c.iter().any(|p| global.is_global(p, cfg)));
    let selected: Vec<usize> = (0..targets.len())
        .filter(|i| match &opts.changed {
            None => true,
            Some(_) if all_changed => true,
            Some(c) => crate::resolve::changed::affected(&traces[*i].inputs, c),
        })
        .filter(|i| opts.shard.is_none_or(|s| s.owns(&targets[*i].id())))
        .collect();
    // A target's findings read its environment (inventories, environment-
    // wide policies) and its app in other environments (promotion order):
    // its result key covers the traces of both groups.
    let trace_ids: Vec<String> = targets
        .iter()
        .zip(&traces)
        .map(|(t, tr)| {
            let mut w = t.id();
            for (p, id) in &tr.inputs {
                w.push('\0');
                w.push_str(p);
                w.push('\0');
                w.push_str(id);
            }
            sha256_hex(w.as_bytes())
        })
        .collect();
    let group_digest = |same: &dyn Fn(&Target) -> bool| {
        let mut w = String::new();
        for (t, id) in targets.iter().zip(&trace_ids) {
            if same(t) {
                w.push_str(id);
            }
        }
        sha256_hex(w.as_bytes())
    };
    let mut env_digest: HashMap<&str, String> = HashMap::new();
    let mut app_digest: HashMap<&str, String> = HashMap::new();
    for t in targets {
        env_digest
            .entry(t.env.as_str())
            .or_insert_with(|| group_digest(&|o: &Target| o.env == t.env));
        app_digest
            .entry(t.app.as_str())
            .or_insert_with(|| group_digest(&|o: &Target| o.app == t.app));
    }
    let world_of = |t: &Target| {
        format!(
            "{}\0{}\0{}",
            opts.policy_key,
            env_digest[t.env.as_str()],
            app_digest[t.app.as_str()]
        )
    };

    // Phase 3: findings of the selected targets, from the cache or built.
    let keys: Vec<String> = (0..targets.len())
        .map(|i| {
            result_key(
                &global,
                &world_of(&targets[i]),
                &targets[i],
                &traces[i].inputs,
            )
        })
        .collect();
    let mut diags = Vec::new();
    let mut cached = 0;
    let mut to_check = Vec::new();
    for &i in &selected {
        let hit = if built.contains_key(&i) {
            None
        } else {
            store
                .and_then(|s| s.get("results", &keys[i]))
                .and_then(|b| serde_json::from_slice::<Entry>(&b).ok())
                .filter(|e| e.target == targets[i].id())
        };
        match hit {
            Some(e) => {
                cached += 1;
                diags.extend(e.findings);
            }
            None => to_check.push(i),
        }
    }
    // Rules see the environments and apps of the targets to check
    // (inventories, promotion order); only those targets' findings are kept.
    let envs: BTreeSet<&str> = to_check.iter().map(|i| targets[*i].env.as_str()).collect();
    let apps: BTreeSet<&str> = to_check.iter().map(|i| targets[*i].app.as_str()).collect();
    let context: Vec<usize> = (0..targets.len())
        .filter(|i| {
            envs.contains(targets[*i].env.as_str()) || apps.contains(targets[*i].app.as_str())
        })
        .collect();
    // Same-app targets are rendered (promotion compares their images);
    // the rest of the environment comes from cached contexts when every
    // one is there and no Gatekeeper inventory needs whole resources.
    let fact_keys: Vec<String> = (0..targets.len())
        .map(|i| result_key(&global, "context", &targets[i], &traces[i].inputs))
        .collect();
    let mut stand_ins: Vec<(usize, Hydrated)> = Vec::new();
    if let Some(s) = store.filter(|_| global.listed && global.repo_files.gatekeeper.is_empty()) {
        let from_cache: Vec<usize> = context
            .iter()
            .copied()
            .filter(|i| !built.contains_key(i) && !apps.contains(targets[*i].app.as_str()))
            .collect();
        stand_ins = from_cache
            .par_iter()
            .filter_map(|&i| {
                let yaml = String::from_utf8(s.get("context", &fact_keys[i])?).ok()?;
                let h = context::hydrated(&targets[i], &yaml, traces[i].inputs.clone())?;
                Some((i, h))
            })
            .collect();
        if stand_ins.len() != from_cache.len() {
            stand_ins.clear();
        }
    }
    let standing: BTreeSet<usize> = stand_ins.iter().map(|(i, _)| *i).collect();
    let rebuild: Vec<usize> = context
        .iter()
        .copied()
        .filter(|i| !standing.contains(i))
        .collect();
    build_into(fs, root, targets, &rebuild, &mut built, on_built);
    if let Some(s) = store {
        for (i, h) in &built {
            if let Ok(r) = &h.result {
                s.put("context", &fact_keys[*i], context::extract(r).as_bytes());
            }
        }
    }
    let checking: BTreeSet<usize> = to_check.iter().copied().collect();
    let rendered_ctx: Vec<usize> = context
        .iter()
        .copied()
        .filter(|i| !standing.contains(i))
        .collect();
    let report: Vec<bool> = rendered_ctx
        .iter()
        .map(|i| checking.contains(i))
        .chain(stand_ins.iter().map(|_| false))
        .collect();
    let batch = Batch {
        stand_ins: stand_ins.into_iter().map(|(_, h)| h).collect(),
        report,
        listed: global.listed.then_some(&global.repo_files),
    };
    // Only findings of the targets to check come back.
    let fresh = check_built(root, cfg, opts, &rendered_ctx, batch, &mut built);
    let cacheable = fresh.iter().all(|d| d.target.is_some());
    if let Some(s) = store.filter(|_| cacheable) {
        let mut by_target: BTreeMap<&str, Vec<Diagnostic>> = BTreeMap::new();
        for d in &fresh {
            if let Some(t) = &d.target {
                by_target.entry(t.as_str()).or_default().push(d.clone());
            }
        }
        for &i in &to_check {
            let id = targets[i].id();
            // A build that failed is rebuilt next time anyway.
            if traces[i].failed {
                continue;
            }
            let entry = Entry {
                findings: by_target.remove(id.as_str()).unwrap_or_default(),
                target: id,
            };
            if let Ok(b) = serde_json::to_vec(&entry) {
                s.put("results", &keys[i], &b);
            }
        }
    }
    diags.extend(fresh);

    // Phase 4: the Argo CD rules, over every target rendering Argo CD
    // objects and the plain manifests, reported for the selected ones.
    let argo = argo_findings(
        fs, root, cfg, targets, &traces, &keys, &global, &mut built, store, on_built,
    );
    let ids: BTreeSet<String> = selected.iter().map(|i| targets[*i].id()).collect();
    let first_shard = opts.shard.is_none_or(|s| s.index == 1);
    diags.extend(argo.into_iter().filter(|d| {
        match &d.target {
            Some(t) => ids.contains(t),
            None => {
                first_shard
                    && opts
                        .changed
                        .as_ref()
                        .is_none_or(|c| all_changed || c.contains(&d.location.file))
            }
        }
    }));
    crate::check::diagnostic::sort(&mut diags);
    Outcome {
        diags,
        checked: selected.iter().map(|i| targets[*i].id()).collect(),
        stats: Stats {
            targets: targets.len(),
            checked: selected.len(),
            rendered: built.len(),
            cached,
        },
    }
}

/// Builds the targets of `which` not in `built` yet.
fn build_into(
    fs: &dyn Fs,
    root: &Path,
    targets: &[Target],
    which: &[usize],
    built: &mut HashMap<usize, Hydrated>,
    on_built: &(dyn Fn() + Sync),
) {
    let missing: Vec<usize> = which
        .iter()
        .copied()
        .filter(|i| !built.contains_key(i))
        .collect();
    let ts: Vec<Target> = missing.iter().map(|i| targets[*i].clone()).collect();
    for (i, h) in missing
        .iter()
        .zip(hydrate_all_with(fs, root, &ts, on_built))
    {
        built.insert(*i, h);
    }
}

/// What a check runs over besides the builds it takes from `built`.
struct Batch<'a> {
    /// Cached contexts standing in for builds, after them.
    stand_ins: Vec<Hydrated>,
    /// One flag per build then stand-in: report on it, or only read it.
    report: Vec<bool>,
    /// Files that may hold CRDs and Gatekeeper objects, when listed.
    listed: Option<&'a crate::check::scan::RepoFiles>,
}

/// Every per-target rule over the built targets `which` and the batch's
/// stand-ins (the same rules `check` runs), reporting on those the batch
/// marks; the builds stay in `built`.
fn check_built(
    root: &Path,
    cfg: &Config,
    opts: &Options,
    which: &[usize],
    batch: Batch,
    built: &mut HashMap<usize, Hydrated>,
) -> Vec<Diagnostic> {
    if which.is_empty() {
        return Vec::new();
    }
    let report = &batch.report;
    let mut owned = take(which, built);
    owned.extend(batch.stand_ins);
    let mut out = crate::check::run::check_targets(root, cfg, &owned, report, batch.listed);
    if let Some(p) = &opts.policies {
        let reported: Vec<&Hydrated> = owned
            .iter()
            .zip(report)
            .filter(|(_, r)| **r)
            .map(|(h, _)| h)
            .collect();
        out.extend(crate::check::policy::conftest::check::check(
            root, cfg, &reported, p,
        ));
    }
    put_back(which, owned, built);
    out
}

/// Moves the builds of `which` (all present) out of `built`, in order.
fn take(which: &[usize], built: &mut HashMap<usize, Hydrated>) -> Vec<Hydrated> {
    which.iter().filter_map(|i| built.remove(i)).collect()
}

fn put_back(which: &[usize], owned: Vec<Hydrated>, built: &mut HashMap<usize, Hydrated>) {
    for (i, h) in which.iter().zip(owned) {
        built.insert(*i, h);
    }
}

#[allow(clippy::too_many_arguments)]
fn argo_findings(
    fs: &dyn Fs,
    root: &Path,
    cfg: &Config,
    targets: &[Target],
    traces: &[Trace],
    keys: &[String],
    global: &Global,
    built: &mut HashMap<usize, Hydrated>,
    store: Option<&Store>,
    on_built: &(dyn Fn() + Sync),
) -> Vec<Diagnostic> {
    let argo_targets: Vec<usize> = (0..targets.len()).filter(|i| traces[*i].argo).collect();
    let read: BTreeSet<String> = traces
        .iter()
        .flat_map(|t| t.inputs.iter().map(|(p, _)| p.clone()))
        .collect();
    let plain: Vec<(&String, &String)> = global
        .argo_files
        .iter()
        .filter(|(p, _)| {
            !read.contains(*p)
                && (p.ends_with(".yaml") || p.ends_with(".yml"))
                && p.as_str() != crate::resolve::config::FILE_NAME
                && !p.split('/').any(|c| c.starts_with('.'))
        })
        .collect();
    if !global.listed {
        // No file list: scan the working tree like a plain check.
        let manifests = crate::resolve::argocd::scan_manifests(root, cfg, &read);
        build_into(fs, root, targets, &argo_targets, built, on_built);
        let hs = take(&argo_targets, built);
        let out = crate::check::argocd::check(root, cfg, &hs, &manifests);
        put_back(&argo_targets, hs, built);
        return out;
    }
    if argo_targets.is_empty() && plain.is_empty() {
        return Vec::new();
    }
    let mut s = format!("{}\0", global.fingerprint);
    for i in &argo_targets {
        s.push_str(&format!("{}\0{}\0", targets[*i].id(), keys[*i]));
    }
    for (p, id) in &plain {
        s.push_str(&format!("{p}\0{id}\0"));
    }
    let key = sha256_hex(s.as_bytes());
    if let Some(e) = store
        .and_then(|st| st.get("argo", &key))
        .and_then(|b| serde_json::from_slice::<ArgoEntry>(&b).ok())
    {
        return e.findings;
    }
    build_into(fs, root, targets, &argo_targets, built, on_built);
    let hs = take(&argo_targets, built);
    let mut manifests = Vec::new();
    for (p, _) in plain {
        let Ok(bytes) = fs.read(&root.join(p)) else {
            continue;
        };
        if bytes.len() as u64 > 4 * 1024 * 1024 {
            continue;
        }
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        let shown: PathBuf = root.join(p);
        let Ok(docs) = crate::load::yaml::parse_documents(&shown.to_string_lossy(), &text) else {
            continue;
        };
        manifests.extend(docs.into_iter().filter(crate::resolve::argocd::is_argo));
    }
    let findings = crate::check::argocd::check(root, cfg, &hs, &manifests);
    put_back(&argo_targets, hs, built);
    if let Some(st) = store
        && let Ok(b) = serde_json::to_vec(&ArgoEntry {
            findings: findings.clone(),
        })
    {
        st.put("argo", &key, &b);
    }
    findings
}
