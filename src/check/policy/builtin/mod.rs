//! The built-in policy pack: Rego modules under `policies/`, embedded in
//! the binary, one per rule (`POL001`...), compiled once per process and
//! evaluated over every hydrated target.
//!
//! Input contract: a per-resource policy sees one rendered resource as
//! `input`; every policy sees `data.gitopsc` = `{environment, app, target,
//! params, resources, environment_resources, namespaces, enabled}` where
//! `resources` are the target's rendered resources, `environment_resources`
//! those of every target of the environment, `namespaces` maps each
//! namespace the environment renders or deploys to onto its labels.
//! A cross-resource policy (scope [`Scope::Target`]) is evaluated once per
//! target without input and names the resource by its index in
//! `resources`. A finding is `{"msg": ..., "path": "spec.x[0].y"}`; the
//! path is mapped through provenance to the line that set the field.

pub mod config;

use super::engine::{Dialect, PolicyError, PolicySet, to_json};
use super::location::{locate, resource_key};
use crate::check::rules::{
    DefaultDenyNetworkPolicy, DevToProdNetworkPolicy, HostAccess, IngressTls,
    LoadBalancerAddressPool, NoPrivilegeEscalation, PlaintextSecret, PodDisruptionBudget, Probes,
    ReadOnlyRootFilesystem, RequiredLabels, ResourceRequestsLimits, RunAsNonRoot,
};
use crate::check::run::severity;
use crate::check::{Diagnostic, Rule, Severity};
use crate::hydrate::targets::Hydrated;
use crate::load::yaml::Node;
use crate::load::yaml::json::to_json as node_json;
use crate::resolve::Config;
use rayon::prelude::*;
use regorus::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

/// How a policy is evaluated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Once per resource, the resource as `input`.
    Resource,
    /// Once per target, no input; findings carry `"resource": index`.
    Target,
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
    ($rule:expr, $name:literal, $scope:ident) => {
        Policy {
            rule: &$rule,
            name: $name,
            file: concat!("policies/", $name, ".rego"),
            source: include_str!(concat!("../../../../policies/", $name, ".rego")),
            scope: Scope::$scope,
        }
    };
}

/// The pack, in rule-id order.
pub static PACK: &[Policy] = &[
    policy!(RunAsNonRoot, "run_as_non_root", Resource),
    policy!(NoPrivilegeEscalation, "no_privilege_escalation", Resource),
    policy!(ResourceRequestsLimits, "resources", Resource),
    policy!(Probes, "probes", Resource),
    policy!(HostAccess, "host_access", Resource),
    policy!(ReadOnlyRootFilesystem, "read_only_root_fs", Resource),
    policy!(RequiredLabels, "required_labels", Resource),
    policy!(IngressTls, "ingress_tls", Resource),
    policy!(
        DefaultDenyNetworkPolicy,
        "default_deny_network_policy",
        Target
    ),
    policy!(
        DevToProdNetworkPolicy,
        "dev_to_prod_network_policy",
        Resource
    ),
    policy!(PodDisruptionBudget, "pod_disruption_budget", Target),
    policy!(LoadBalancerAddressPool, "load_balancer_pool", Resource),
    policy!(PlaintextSecret, "plaintext_secret", Resource),
];

/// Helpers the policies import (`data.gitopsc.builtin.lib`).
pub const LIB: (&str, &str) = (
    "policies/lib.rego",
    include_str!("../../../../policies/lib.rego"),
);

const RESOURCE_FINDINGS: &str = "data.gitopsc.builtin.pack.resource.findings";
const TARGET_FINDINGS: &str = "data.gitopsc.builtin.pack.target.findings";

/// The module that gathers every enabled policy's `deny` into one rule per
/// scope, so a resource costs one evaluation.
fn aggregator(scope: Scope) -> String {
    let name = match scope {
        Scope::Resource => "resource",
        Scope::Target => "target",
    };
    let mut s = format!("package gitopsc.builtin.pack.{name}\n");
    for p in PACK.iter().filter(|p| p.scope == scope) {
        s.push_str(&format!(
            "\nfindings contains {{\"rule\": \"{id}\", \"finding\": f}} if {{\n\tdata.gitopsc.enabled.{id}\n\tsome f in data.gitopsc.builtin.{name}.deny\n}}\n",
            id = p.rule.id(),
            name = p.name,
        ));
    }
    s
}

/// The pack compiled into a policy set.
pub fn compile() -> Result<PolicySet, PolicyError> {
    let mut set = PolicySet::new();
    set.add_module(LIB.0, LIB.1, Dialect::V1)?;
    for p in PACK {
        set.add_module(p.file, p.source, Dialect::V1)?;
    }
    set.add_module(
        "policies/pack-resource.rego",
        &aggregator(Scope::Resource),
        Dialect::V1,
    )?;
    set.add_module(
        "policies/pack-target.rego",
        &aggregator(Scope::Target),
        Dialect::V1,
    )?;
    Ok(set)
}

/// The pack compiled once per process.
pub fn compiled() -> Result<&'static PolicySet, &'static PolicyError> {
    static SET: OnceLock<Result<PolicySet, PolicyError>> = OnceLock::new();
    SET.get_or_init(compile).as_ref()
}

/// One target's findings before they become diagnostics.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: String,
    pub msg: String,
    pub path: Option<String>,
    /// Index of the resource in the target's resources.
    pub resource: usize,
}

/// What an environment shares between its targets.
pub struct EnvData {
    pub params: serde_json::Map<String, serde_json::Value>,
    pub resources: Vec<Value>,
    pub namespaces: BTreeMap<String, serde_json::Value>,
    pub enabled: Vec<&'static str>,
}

impl EnvData {
    /// Environment data over every resource of the environment's targets.
    pub fn new(cfg: &Config, env: &str, nodes: &[&Node]) -> EnvData {
        let mut namespaces: BTreeMap<String, serde_json::Value> = BTreeMap::new();
        let json: Vec<serde_json::Value> = nodes.par_iter().map(|n| node_json(n)).collect();
        for j in &json {
            if j["kind"] == "Namespace" {
                if let Some(name) = j["metadata"]["name"].as_str() {
                    let mut labels = j["metadata"]["labels"].clone();
                    if !labels.is_object() {
                        labels = serde_json::json!({});
                    }
                    labels["kubernetes.io/metadata.name"] = name.into();
                    namespaces.insert(name.to_string(), labels);
                }
            } else if let Some(ns) = j["metadata"]["namespace"].as_str() {
                namespaces
                    .entry(ns.to_string())
                    .or_insert_with(|| serde_json::json!({"kubernetes.io/metadata.name": ns}));
            }
        }
        EnvData {
            params: config::params(cfg, env),
            resources: json.into_par_iter().map(Value::from).collect(),
            namespaces,
            enabled: PACK
                .iter()
                .filter(|p| severity(cfg, p.rule, env).is_some())
                .map(|p| p.rule.id())
                .collect(),
        }
    }
}

/// Evaluates the pack over one target's resources (`resources` are the
/// target's entries of `env.resources`).
pub fn evaluate(
    set: &PolicySet,
    env_name: &str,
    app: &str,
    target: &str,
    env: &EnvData,
    resources: &[Value],
) -> Result<Vec<Finding>, String> {
    let data = serde_json::json!({
        "environment": env_name,
        "app": app,
        "target": target,
        "params": env.params,
        "namespaces": env.namespaces,
        "enabled": env.enabled.iter().map(|id| (id.to_string(), serde_json::Value::Bool(true))).collect::<serde_json::Map<_, _>>(),
    });
    let mut gitopsc = Value::from(data);
    if let Ok(obj) = gitopsc.as_object_mut() {
        obj.insert(Value::from("resources"), Value::from(resources.to_vec()));
        obj.insert(
            Value::from("environment_resources"),
            Value::from(env.resources.clone()),
        );
    }
    let mut root = Value::new_object();
    if let Ok(obj) = root.as_object_mut() {
        obj.insert(Value::from("gitopsc"), gitopsc);
    }
    let mut base = set.evaluator();
    base.add_data(root).map_err(|e| e.to_string())?;
    // A fresh engine analyses the modules on its first evaluation (data
    // changed): evaluate in a few large chunks, one engine each, rather
    // than one engine per rayon split.
    let chunk = resources
        .len()
        .div_ceil(rayon::current_num_threads().max(1))
        .max(512);
    let per_chunk: Vec<Result<Vec<Finding>, String>> = resources
        .par_chunks(chunk)
        .enumerate()
        .map(|(c, rs)| {
            let mut engine = base.clone();
            let mut out = Vec::new();
            for (j, r) in rs.iter().enumerate() {
                engine.set_input(r.clone());
                let v = engine
                    .eval_rule(RESOURCE_FINDINGS.to_string())
                    .map_err(|e| e.to_string())?;
                out.extend(findings(&v, Some(c * chunk + j)));
            }
            Ok(out)
        })
        .collect();
    let mut out = Vec::new();
    for r in per_chunk {
        out.extend(r?);
    }
    let mut engine = base;
    engine.set_input(Value::new_object());
    let v = engine
        .eval_rule(TARGET_FINDINGS.to_string())
        .map_err(|e| e.to_string())?;
    out.extend(findings(&v, None));
    Ok(out)
}

/// `[{"rule", "finding": {"msg", "path"?, "resource"?}}]` as findings;
/// target-scope findings without a valid `resource` are dropped.
fn findings(v: &Value, resource: Option<usize>) -> Vec<Finding> {
    let json = to_json(v);
    let Some(items) = json.as_array() else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let f = &item["finding"];
            let index = match resource {
                Some(i) => i,
                None => usize::try_from(f["resource"].as_u64()?).ok()?,
            };
            Some(Finding {
                rule: item["rule"].as_str()?.to_string(),
                msg: match &f["msg"] {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                },
                path: f["path"].as_str().map(String::from),
                resource: index,
            })
        })
        .collect()
}

/// Every finding of the built-in pack over `hydrated`, unsorted.
pub fn check_targets(root: &Path, cfg: &Config, hydrated: &[Hydrated]) -> Vec<Diagnostic> {
    let envs: Vec<&str> = {
        let mut v: Vec<&str> = hydrated
            .iter()
            .filter(|h| h.result.is_ok())
            .map(|h| h.target.env.as_str())
            .filter(|e| config::builtin_enabled(cfg, e))
            .collect();
        v.sort();
        v.dedup();
        v
    };
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
        let targets: Vec<(&Hydrated, &crate::hydrate::targets::Rendered)> = hydrated
            .iter()
            .filter(|h| h.target.env == env)
            .filter_map(|h| h.result.as_ref().ok().map(|r| (h, r)))
            .collect();
        let nodes: Vec<&Node> = targets
            .iter()
            .flat_map(|(_, r)| r.resources.iter().map(|res| &res.node))
            .collect();
        let data = EnvData::new(cfg, env, &nodes);
        let mut offset = 0;
        let mut slices = Vec::new();
        for (h, r) in &targets {
            let n = r.resources.iter().count();
            slices.push((*h, *r, offset..offset + n));
            offset += n;
        }
        let diags: Vec<Diagnostic> = slices
            .par_iter()
            .flat_map_iter(|(h, r, range)| {
                let resources = &data.resources[range.clone()];
                let nodes: Vec<&Node> = r.resources.iter().map(|res| &res.node).collect();
                let found =
                    match evaluate(set, env, &h.target.app, &h.target.id(), &data, resources) {
                        Ok(f) => f,
                        Err(e) => {
                            eprintln!("warning: built-in policies on {}: {e}", h.target.id());
                            Vec::new()
                        }
                    };
                let fallback = format!("{}/kustomization.yaml", h.target.source);
                found
                    .into_iter()
                    .filter_map(|f| {
                        let policy = PACK.iter().find(|p| p.rule.id() == f.rule)?;
                        let sev: Severity = severity(cfg, policy.rule, env)?;
                        let node = nodes.get(f.resource)?;
                        let key = resource_key(node);
                        let loc = locate(root, node, f.path.as_deref(), &fallback);
                        Some(
                            Diagnostic::new(policy.rule, sev, format!("{key}: {}", f.msg), loc)
                                .with_target(h.target.id())
                                .with_resource(key),
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        out.extend(diags);
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
        let values: Vec<Value> = resources
            .as_array()
            .unwrap()
            .iter()
            .cloned()
            .map(Value::from)
            .collect();
        let data = EnvData {
            params: config::params(&cfg, env),
            resources: values.clone(),
            namespaces: BTreeMap::new(),
            enabled: PACK.iter().map(|p| p.rule.id()).collect(),
        };
        let mut got: Vec<_> = evaluate(compiled().unwrap(), env, "a", "a/env", &data, &values)
            .unwrap()
            .into_iter()
            .map(|f| (f.rule, f.path, f.resource))
            .collect();
        got.sort();
        got
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
