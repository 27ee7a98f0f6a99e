//! The built-in policy pack: Rego modules under `policies/`, embedded in
//! the binary, one per rule (`POL001`...), compiled once per process and
//! evaluated over every hydrated target.
//!
//! Input contract. Every policy sees `data.gitopsc` = `{environment,
//! params, enabled, namespaces, index, targets}`, built once per
//! environment: `namespaces` maps each namespace the environment renders or
//! deploys to onto its labels; `index[namespace][kind]` lists the
//! environment's resources of the kinds cross-target policies read
//! ([`INDEXED_KINDS`]); `targets` lists the targets reported on, each as
//! `{id, app, resources}`. A per-resource policy ([`Scope::Resource`]) sees
//! one rendered resource as `input`. An environment policy
//! ([`Scope::Environment`]) is evaluated once per environment without
//! input and names the resource as `"target": id, "resource": index`.
//! A finding is `{"msg": ..., "path": "spec.x[0].y"}`; the path is mapped
//! through provenance to the line that set the field.

pub mod config;

use super::engine::{Dialect, PolicyError, PolicySet, to_json};
use super::location::{locate, resource_key};
use crate::check::rules::{
    DefaultDenyNetworkPolicy, DevToProdNetworkPolicy, HostAccess, IngressTls,
    LoadBalancerAddressPool, NoPrivilegeEscalation, PlaintextSecret, PodDisruptionBudget, Probes,
    ReadOnlyRootFilesystem, RequiredLabels, ResourceRequestsLimits, RunAsNonRoot,
};
use crate::check::run::severity;
use crate::check::{Diagnostic, Rule};
use crate::hydrate::targets::Hydrated;
use crate::load::yaml::Node;
use crate::load::yaml::json::to_json as node_json;
use crate::resolve::Config;
use rayon::prelude::*;
use regorus::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

/// How a policy is evaluated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Once per resource of these kinds (every kind when empty), the
    /// resource as `input`. The kinds only spare evaluations: they must
    /// cover every kind the policy can report on.
    Resource(&'static [&'static str]),
    /// Once per environment, no input; findings carry `"target": id` and
    /// `"resource": index` into that target's resources.
    Environment,
}

/// One policy of the pack.
pub struct Policy {
    pub rule: &'static dyn Rule,
    /// The last component of its package, `gitopsc.builtin.<name>`.
    pub name: &'static str,
    /// Path of the module in the repository (`policies/<name>.rego`).
    pub file: &'static str,
    pub source: &'static str,
    pub scope: Scope,
}

macro_rules! policy {
    ($rule:expr, $name:literal, $scope:expr) => {
        Policy {
            rule: &$rule,
            name: $name,
            file: concat!("policies/", $name, ".rego"),
            source: include_str!(concat!("../../../../policies/", $name, ".rego")),
            scope: $scope,
        }
    };
}

/// `lib.workload_kinds`: the kinds whose pod templates the pack reads.
const WORKLOADS: Scope = Scope::Resource(&[
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "CronJob",
]);
const ENVIRONMENT: Scope = Scope::Environment;

/// The pack, in rule-id order.
pub static PACK: &[Policy] = &[
    policy!(RunAsNonRoot, "run_as_non_root", WORKLOADS),
    policy!(NoPrivilegeEscalation, "no_privilege_escalation", WORKLOADS),
    policy!(ResourceRequestsLimits, "resources", WORKLOADS),
    policy!(Probes, "probes", WORKLOADS),
    policy!(HostAccess, "host_access", WORKLOADS),
    policy!(ReadOnlyRootFilesystem, "read_only_root_fs", WORKLOADS),
    policy!(RequiredLabels, "required_labels", WORKLOADS),
    policy!(IngressTls, "ingress_tls", Scope::Resource(&["Ingress"])),
    policy!(
        DefaultDenyNetworkPolicy,
        "default_deny_network_policy",
        ENVIRONMENT
    ),
    policy!(
        DevToProdNetworkPolicy,
        "dev_to_prod_network_policy",
        Scope::Resource(&["NetworkPolicy"])
    ),
    policy!(PodDisruptionBudget, "pod_disruption_budget", ENVIRONMENT),
    policy!(
        LoadBalancerAddressPool,
        "load_balancer_pool",
        Scope::Resource(&["Service"])
    ),
    policy!(
        PlaintextSecret,
        "plaintext_secret",
        Scope::Resource(&["Secret"])
    ),
];

/// Helpers the policies import (`data.gitopsc.builtin.lib`).
pub const LIB: (&str, &str) = (
    "policies/lib.rego",
    include_str!("../../../../policies/lib.rego"),
);

const ENVIRONMENT_FINDINGS: &str = "data.gitopsc.builtin.pack.environment.findings";

/// Kinds kept in `data.gitopsc.index`: what the environment policies read
/// about the environment's other targets.
pub const INDEXED_KINDS: &[&str] = &["NetworkPolicy", "PodDisruptionBudget"];

/// The kinds some resource policy names, sorted.
fn resource_kinds() -> BTreeSet<&'static str> {
    PACK.iter()
        .filter_map(|p| match p.scope {
            Scope::Resource(kinds) => Some(kinds.iter().copied()),
            Scope::Environment => None,
        })
        .flatten()
        .collect()
}

/// The package of the aggregator for resources of `kind` (`None`: a kind
/// no policy names).
fn aggregator_package(kind: Option<&str>) -> String {
    match kind {
        Some(k) => format!("gitopsc.builtin.pack.kind.{k}"),
        None => "gitopsc.builtin.pack.kind.other".to_string(),
    }
}

/// The module that gathers the `deny` of every enabled policy that applies
/// to `kind` (environment policies when `kind` is `None` and `env` is
/// set) into one `findings` rule, so a resource costs one evaluation and
/// only runs the policies that can apply to it.
fn aggregator(package: &str, applies: impl Fn(&Policy) -> bool) -> String {
    let mut s = format!("package {package}\n");
    for p in PACK.iter().filter(|p| applies(p)) {
        s.push_str(&format!(
            "\nfindings contains {{\"rule\": \"{id}\", \"finding\": f}} if {{\n\tdata.gitopsc.enabled.{id}\n\tsome f in data.gitopsc.builtin.{name}.deny\n}}\n",
            id = p.rule.id(),
            name = p.name,
        ));
    }
    s
}

/// Whether `p` is a resource policy for `kind` (`None`: a kind no policy
/// names).
fn applies_to(p: &Policy, kind: Option<&str>) -> bool {
    match p.scope {
        Scope::Resource(kinds) => kinds.is_empty() || kind.is_some_and(|k| kinds.contains(&k)),
        Scope::Environment => false,
    }
}

/// The rule gathering the findings for a resource of `kind`, if any
/// policy applies to it.
fn resource_findings_rule(kind: &str) -> Option<String> {
    static KINDS: OnceLock<BTreeSet<&'static str>> = OnceLock::new();
    let known = KINDS.get_or_init(resource_kinds).contains(kind);
    let key = known.then_some(kind);
    PACK.iter()
        .any(|p| applies_to(p, key))
        .then(|| format!("data.{}.findings", aggregator_package(key)))
}

/// The pack compiled into a policy set.
pub fn compile() -> Result<PolicySet, PolicyError> {
    let mut set = PolicySet::new();
    set.add_module(LIB.0, LIB.1, Dialect::V1)?;
    for p in PACK {
        set.add_module(p.file, p.source, Dialect::V1)?;
    }
    for kind in resource_kinds().into_iter().map(Some).chain([None]) {
        set.add_module(
            &format!("policies/pack-{}.rego", kind.unwrap_or("other")),
            &aggregator(&aggregator_package(kind), |p| applies_to(p, kind)),
            Dialect::V1,
        )?;
    }
    set.add_module(
        "policies/pack-environment.rego",
        &aggregator("gitopsc.builtin.pack.environment", |p| {
            p.scope == Scope::Environment
        }),
        Dialect::V1,
    )?;
    Ok(set)
}

/// The pack compiled once per process.
pub fn compiled() -> Result<&'static PolicySet, &'static PolicyError> {
    static SET: OnceLock<Result<PolicySet, PolicyError>> = OnceLock::new();
    SET.get_or_init(compile).as_ref()
}

/// One finding before it becomes a diagnostic.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: String,
    pub msg: String,
    pub path: Option<String>,
    /// Index of the target in the evaluated targets.
    pub target: usize,
    /// Index of the resource in that target's resources.
    pub resource: usize,
}

/// What an environment shares between its targets: everything in
/// `data.gitopsc` but the targets reported on.
pub struct EnvData {
    pub params: serde_json::Map<String, serde_json::Value>,
    pub namespaces: BTreeMap<String, serde_json::Value>,
    /// namespace → kind → resources, for [`INDEXED_KINDS`].
    pub index: BTreeMap<String, BTreeMap<String, Vec<serde_json::Value>>>,
    pub enabled: Vec<&'static str>,
}

impl EnvData {
    /// Environment data without any resource yet.
    pub fn new(cfg: &Config, env: &str) -> EnvData {
        EnvData {
            params: config::params(cfg, env),
            namespaces: BTreeMap::new(),
            index: BTreeMap::new(),
            enabled: PACK
                .iter()
                .filter(|p| severity(cfg, p.rule, env).is_some())
                .map(|p| p.rule.id())
                .collect(),
        }
    }

    /// Records what one rendered resource of the environment tells the
    /// environment policies; only indexed kinds are converted to JSON.
    pub fn add(&mut self, node: &Node) {
        let kind = node.get("kind").and_then(Node::as_str).unwrap_or("");
        let meta = node.get("metadata");
        let field = |k: &str| meta.and_then(|m| m.get(k)).and_then(Node::as_str);
        if kind == "Namespace" {
            if let Some(name) = field("name") {
                let mut labels = meta
                    .and_then(|m| m.get("labels"))
                    .map(node_json)
                    .filter(serde_json::Value::is_object)
                    .unwrap_or_else(|| serde_json::json!({}));
                labels["kubernetes.io/metadata.name"] = name.into();
                self.namespaces.insert(name.to_string(), labels);
            }
            return;
        }
        let ns = field("namespace");
        if let Some(ns) = ns {
            self.namespaces
                .entry(ns.to_string())
                .or_insert_with(|| serde_json::json!({"kubernetes.io/metadata.name": ns}));
        }
        if INDEXED_KINDS.contains(&kind) {
            self.index
                .entry(ns.unwrap_or("default").to_string())
                .or_default()
                .entry(kind.to_string())
                .or_default()
                .push(node_json(node));
        }
    }
}

/// One target reported on: its id, app and rendered resources.
pub struct TargetInput<'a> {
    pub id: &'a str,
    pub app: &'a str,
    pub resources: Vec<Value>,
}

/// Evaluates the pack over the targets of one environment: every resource
/// of `targets` once, and the environment policies once.
pub fn evaluate(
    set: &PolicySet,
    env_name: &str,
    env: &EnvData,
    targets: &[TargetInput],
) -> Result<Vec<Finding>, String> {
    let data = serde_json::json!({
        "environment": env_name,
        "params": env.params,
        "namespaces": env.namespaces,
        "index": env.index,
        "enabled": env.enabled.iter().map(|id| (id.to_string(), serde_json::Value::Bool(true))).collect::<serde_json::Map<_, _>>(),
    });
    let mut gitopsc = Value::from(data);
    let listed: Vec<Value> = targets
        .iter()
        .map(|t| {
            let mut o = Value::new_object();
            if let Ok(m) = o.as_object_mut() {
                m.insert(Value::from("id"), Value::from(t.id));
                m.insert(Value::from("app"), Value::from(t.app));
                m.insert(Value::from("resources"), Value::from(t.resources.clone()));
            }
            o
        })
        .collect();
    if let Ok(obj) = gitopsc.as_object_mut() {
        obj.insert(Value::from("targets"), Value::from(listed));
    }
    let mut root = Value::new_object();
    if let Ok(obj) = root.as_object_mut() {
        obj.insert(Value::from("gitopsc"), gitopsc);
    }
    let mut base = set.evaluator();
    base.add_data(root).map_err(|e| e.to_string())?;
    // The environment policies first: this analyses the modules once, so
    // the workers cloned below start prepared.
    base.set_input(Value::new_object());
    let v = base
        .eval_rule(ENVIRONMENT_FINDINGS.to_string())
        .map_err(|e| e.to_string())?;
    let by_id: BTreeMap<&str, usize> = targets.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
    let mut out: Vec<Finding> = findings(&v)
        .into_iter()
        .filter_map(|(rule, msg, path, f)| {
            let target = *by_id.get(f["target"].as_str()?)?;
            let resource = usize::try_from(f["resource"].as_u64()?).ok()?;
            (resource < targets[target].resources.len()).then_some(Finding {
                rule,
                msg,
                path,
                target,
                resource,
            })
        })
        .collect();
    let all: Vec<(usize, usize, &Value)> = targets
        .iter()
        .enumerate()
        .flat_map(|(t, x)| x.resources.iter().enumerate().map(move |(j, r)| (t, j, r)))
        .collect();
    let chunk = all
        .len()
        .div_ceil(4 * rayon::current_num_threads().max(1))
        .max(64);
    let per_chunk: Vec<Result<Vec<Finding>, String>> = all
        .par_chunks(chunk)
        .map(|rs| {
            let mut engine = base.clone();
            let mut out = Vec::new();
            for (t, j, r) in rs {
                let kind = r["kind"]
                    .as_string()
                    .map(|k| k.to_string())
                    .unwrap_or_default();
                let Some(rule) = resource_findings_rule(&kind) else {
                    continue;
                };
                engine.set_input((*r).clone());
                let v = engine.eval_rule(rule).map_err(|e| e.to_string())?;
                out.extend(
                    findings(&v)
                        .into_iter()
                        .map(|(rule, msg, path, _)| Finding {
                            rule,
                            msg,
                            path,
                            target: *t,
                            resource: *j,
                        }),
                );
            }
            Ok(out)
        })
        .collect();
    for r in per_chunk {
        out.extend(r?);
    }
    Ok(out)
}

/// `[{"rule", "finding": {"msg", "path"?, ...}}]` as (rule, message, path,
/// the whole finding).
fn findings(v: &Value) -> Vec<(String, String, Option<String>, serde_json::Value)> {
    let serde_json::Value::Array(items) = to_json(v) else {
        return Vec::new();
    };
    items
        .into_iter()
        .filter_map(|mut item| {
            let rule = item["rule"].as_str()?.to_string();
            let f = item["finding"].take();
            let msg = match &f["msg"] {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let path = f["path"].as_str().map(String::from);
            Some((rule, msg, path, f))
        })
        .collect()
}

/// Every finding of the built-in pack over the targets `report` marks,
/// unsorted; the other targets of their environments are context.
pub fn check_targets(
    root: &Path,
    cfg: &Config,
    hydrated: &[Hydrated],
    report: &[bool],
) -> Vec<Diagnostic> {
    let envs: BTreeSet<&str> = hydrated
        .iter()
        .zip(report)
        .filter(|(h, r)| **r && h.result.is_ok())
        .map(|(h, _)| h.target.env.as_str())
        .filter(|e| config::builtin_enabled(cfg, e))
        .collect();
    if envs.is_empty() {
        return Vec::new();
    }
    let set = match compiled() {
        Ok(s) => s,
        // The embedded pack is compiled by a unit test; this cannot happen
        // in a released binary.
        Err(e) => panic!("built-in policy pack does not compile: {e}"),
    };
    let mut out = Vec::new();
    for env in envs {
        let mut data = EnvData::new(cfg, env);
        let mut reported = Vec::new();
        for (h, r) in hydrated.iter().zip(report) {
            let Ok(rendered) = &h.result else { continue };
            if h.target.env != env {
                continue;
            }
            for res in rendered.resources.iter() {
                data.add(&res.node);
            }
            if *r {
                reported.push((h, rendered));
            }
        }
        let inputs: Vec<TargetInput> = reported
            .par_iter()
            .map(|(h, r)| TargetInput {
                id: h.target.source.as_str(),
                app: h.target.app.as_str(),
                resources: r
                    .resources
                    .iter()
                    .map(|res| Value::from(node_json(&res.node)))
                    .collect(),
            })
            .collect();
        let found = match evaluate(set, env, &data, &inputs) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("warning: built-in policies in environment {env}: {e}");
                continue;
            }
        };
        for f in found {
            let (h, r) = reported[f.target];
            let Some(policy) = PACK.iter().find(|p| p.rule.id() == f.rule) else {
                continue;
            };
            let Some(sev) = severity(cfg, policy.rule, env) else {
                continue;
            };
            let Some(res) = r.resources.iter().nth(f.resource) else {
                continue;
            };
            let node = &res.node;
            let fallback = format!("{}/kustomization.yaml", h.target.source);
            let key = resource_key(node);
            let loc = locate(root, node, f.path.as_deref(), &fallback);
            out.push(
                Diagnostic::new(policy.rule, sev, format!("{key}: {}", f.msg), loc)
                    .with_target(h.target.id())
                    .with_resource(key),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pack_compiles_and_every_rule_is_registered() {
        let set = compile().unwrap();
        let pkgs = set.packages();
        for p in PACK {
            assert!(
                pkgs.iter()
                    .any(|k| k == &format!("data.gitopsc.builtin.{}", p.name)),
                "{} missing from {pkgs:?}",
                p.name
            );
            assert!(crate::check::find_rule(p.rule.id()).is_some());
        }
    }

    /// The rules and paths the pack reports on `resources` in `env`.
    fn run(env: &str, resources: serde_json::Value) -> Vec<(String, Option<String>, usize)> {
        let cfg = Config::parse("gitopsc.yaml", "environments:\n  dev:\n  prod:\n").unwrap();
        let mut data = EnvData::new(&cfg, env);
        let mut values = Vec::new();
        for r in resources.as_array().unwrap() {
            let node = crate::load::yaml::parse_documents("t.yaml", &r.to_string())
                .unwrap()
                .remove(0);
            data.add(&node);
            values.push(Value::from(r.clone()));
        }
        data.enabled = PACK.iter().map(|p| p.rule.id()).collect();
        let targets = [TargetInput {
            id: "a/env",
            app: "a",
            resources: values,
        }];
        let mut got: Vec<_> = evaluate(compiled().unwrap(), env, &data, &targets)
            .unwrap()
            .into_iter()
            .map(|f| (f.rule, f.path, f.resource))
            .collect();
        got.sort();
        got
    }

    /// Every resource the pack's fixture overlays render, as JSON.
    fn fixture_resources() -> Vec<serde_json::Value> {
        let apps = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/policy-pack/cases");
        let apps = std::fs::canonicalize(apps).unwrap();
        let fs = crate::source::DiskFs::new(&apps).unwrap();
        let mut dirs = Vec::new();
        for app in std::fs::read_dir(apps.join("apps")).unwrap().flatten() {
            for env in std::fs::read_dir(app.path()).unwrap().flatten() {
                dirs.push(
                    apps.join("apps")
                        .join(app.file_name())
                        .join(env.file_name()),
                );
            }
        }
        dirs.sort();
        let opts = crate::hydrate::kustomize::BuildOptions::default();
        dirs.iter()
            .flat_map(|d| {
                crate::hydrate::kustomize::build(&fs, d, &opts)
                    .unwrap()
                    .resources
            })
            .map(|r| node_json(&r.node))
            .collect()
    }

    /// The kinds a resource policy declares only spare evaluations: the
    /// policy itself finds nothing on any other kind. Every fixture
    /// resource is tried as it is and relabelled with every kind the pack
    /// knows.
    #[test]
    fn resource_policies_report_only_on_their_declared_kinds() {
        let cfg = Config::parse("gitopsc.yaml", "environments:\n  prod:\n").unwrap();
        let mut data = EnvData::new(&cfg, "prod");
        data.enabled = PACK.iter().map(|p| p.rule.id()).collect();
        let root = serde_json::json!({"gitopsc": {
            "environment": "prod",
            "params": data.params,
            "namespaces": {},
            "index": {},
            "enabled": {},
            "targets": [],
        }});
        let mut engine = compiled().unwrap().evaluator();
        engine.add_data(Value::from(root)).unwrap();
        let resources = fixture_resources();
        assert!(resources.len() > 20, "fixtures not found");
        let mut kinds: Vec<&str> = resource_kinds().into_iter().collect();
        kinds.push("ConfigMap");
        let mut fired = BTreeSet::new();
        for r in &resources {
            let own = r["kind"].as_str().unwrap_or("").to_string();
            for kind in std::iter::once(own.as_str()).chain(kinds.iter().copied()) {
                let mut r = r.clone();
                r["kind"] = kind.into();
                engine.set_input(Value::from(r));
                for p in PACK {
                    let Scope::Resource(declared) = p.scope else {
                        continue;
                    };
                    let v = engine
                        .eval_rule(format!("data.gitopsc.builtin.{}.deny", p.name))
                        .unwrap();
                    let found = to_json(&v).as_array().is_some_and(|a| !a.is_empty());
                    if found {
                        fired.insert(p.rule.id());
                        assert!(
                            declared.is_empty() || declared.contains(&kind),
                            "{} reports on kind {kind} outside its declared kinds",
                            p.rule.id()
                        );
                    }
                }
            }
        }
        // The test means something only if every resource policy fired.
        for p in PACK
            .iter()
            .filter(|p| matches!(p.scope, Scope::Resource(_)))
        {
            assert!(fired.contains(p.rule.id()), "{} never fired", p.rule.id());
        }
    }

    #[test]
    fn cronjob_init_containers_are_found_at_their_path() {
        let cj = serde_json::json!([{
            "apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": {"name": "c", "labels": {"app.kubernetes.io/name": "c", "app.kubernetes.io/part-of": "p"}},
            "spec": {"jobTemplate": {"spec": {"template": {"spec": {
                "securityContext": {"runAsUser": 1000},
                "initContainers": [{"name": "i", "securityContext": {"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "runAsUser": 0},
                    "resources": {"requests": {"cpu": "1", "memory": "1"}, "limits": {"cpu": "1", "memory": "1"}}}],
                "containers": [{"name": "c", "securityContext": {"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true},
                    "resources": {"requests": {"cpu": "1", "memory": "1"}, "limits": {"cpu": "1", "memory": "1"}}}]
            }}}}}
        }]);
        assert_eq!(
            run("dev", cj),
            vec![(
                "POL001".to_string(),
                Some(
                    "spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.runAsUser"
                        .to_string()
                ),
                0
            )]
        );
    }

    #[test]
    fn sops_and_placeholder_secrets_pass() {
        let secrets = serde_json::json!([
            {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "a"}, "data": {"k": "ENC[AES256_GCM,data:x]"}, "sops": {"version": "3.9"}},
            {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "b"}, "stringData": {"k": "<path:kv/data/x#k>"}},
            {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "c"}, "type": "kubernetes.io/service-account-token"},
            {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "d"}, "data": {"k": "aHVudGVyMg=="}}
        ]);
        assert_eq!(
            run("dev", secrets),
            vec![("POL013".to_string(), Some("data".to_string()), 3)]
        );
    }

    #[test]
    fn selectors_decide_pdb_coverage() {
        let dep = |name: &str, tier: &str| {
            serde_json::json!({
                "apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": {"name": name, "namespace": "n", "labels": {"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "p"}},
                "spec": {"replicas": 2, "template": {"metadata": {"labels": {"app": name, "tier": tier}}, "spec": {"containers": []}}}
            })
        };
        let pdb = serde_json::json!({
            "apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "p", "namespace": "n"},
            "spec": {"selector": {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["web"]}]}}
        });
        let deny = serde_json::json!({
            "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "d", "namespace": "n"},
            "spec": {"podSelector": {}}
        });
        let got = run(
            "prod",
            serde_json::json!([dep("a", "web"), dep("b", "db"), pdb, deny]),
        );
        assert_eq!(
            got,
            vec![("POL011".to_string(), Some("spec.replicas".to_string()), 1)]
        );
    }
}
