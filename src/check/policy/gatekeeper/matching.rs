//! Gatekeeper's `spec.match`: kinds, namespaces and excludedNamespaces
//! (with `*` prefix or suffix globs), labelSelector, namespaceSelector,
//! scope and name.

use serde_json::{Map, Value};

#[derive(Debug, Clone, Default)]
pub struct Match {
    kinds: Vec<KindSel>,
    namespaces: Option<Vec<String>>,
    excluded: Vec<String>,
    labels: Option<Selector>,
    namespace_labels: Option<Selector>,
    scope: Scope,
    name: Option<String>,
}

#[derive(Debug, Clone)]
struct KindSel {
    groups: Vec<String>,
    kinds: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Scope {
    #[default]
    All,
    Cluster,
    Namespaced,
}

/// A Kubernetes label selector.
#[derive(Debug, Clone, Default)]
pub struct Selector {
    labels: Vec<(String, String)>,
    exprs: Vec<Requirement>,
}

#[derive(Debug, Clone)]
struct Requirement {
    key: String,
    op: Op,
    values: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
enum Op {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

/// The object a constraint is matched against.
pub struct Subject<'a> {
    pub group: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
    /// `metadata.namespace`; empty for a cluster-scoped object.
    pub namespace: &'a str,
    /// The objects under review: the object, or for an update both the
    /// object and the old object (either may match the label selector).
    pub objects: Vec<&'a Value>,
}

impl Subject<'_> {
    fn is_namespace(&self) -> bool {
        self.group.is_empty() && self.kind == "Namespace"
    }
}

fn strings(v: Option<&Value>, what: &str) -> Result<Vec<String>, String> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|s| {
                s.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("{what} must hold strings"))
            })
            .collect(),
        Some(_) => Err(format!("{what} must be a list")),
    }
}

impl Match {
    pub fn parse(m: &Value) -> Result<Match, String> {
        let mut out = Match::default();
        if let Some(kinds) = m.get("kinds").and_then(Value::as_array) {
            for k in kinds {
                out.kinds.push(KindSel {
                    groups: strings(k.get("apiGroups"), "kinds[].apiGroups")?,
                    kinds: strings(k.get("kinds"), "kinds[].kinds")?,
                });
            }
        }
        if let Some(ns) = m.get("namespaces").filter(|v| !v.is_null()) {
            out.namespaces = Some(strings(Some(ns), "namespaces")?);
        }
        out.excluded = strings(m.get("excludedNamespaces"), "excludedNamespaces")?;
        if let Some(s) = m.get("labelSelector").filter(|v| !v.is_null()) {
            out.labels = Some(Selector::parse(s).map_err(|e| format!("labelSelector: {e}"))?);
        }
        if let Some(s) = m.get("namespaceSelector").filter(|v| !v.is_null()) {
            out.namespace_labels =
                Some(Selector::parse(s).map_err(|e| format!("namespaceSelector: {e}"))?);
        }
        out.scope = match m.get("scope").and_then(Value::as_str) {
            None | Some("" | "*") => Scope::All,
            Some("Cluster") => Scope::Cluster,
            Some("Namespaced") => Scope::Namespaced,
            Some(s) => return Err(format!("unknown scope {s:?}")),
        };
        out.name = m
            .get("name")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        Ok(out)
    }

    /// Whether the constraint applies to `s`. `namespace_labels` gives the
    /// labels of a Namespace by name; a namespace it does not know is taken
    /// as having no labels (as one created at sync time would).
    pub fn matches(
        &self,
        s: &Subject,
        namespace_labels: &dyn Fn(&str) -> Option<Map<String, Value>>,
    ) -> bool {
        let any =
            |list: &[String], v: &str| list.is_empty() || list.iter().any(|x| x == "*" || x == v);
        if !self.kinds.is_empty()
            && !self
                .kinds
                .iter()
                .any(|k| any(&k.groups, s.group) && any(&k.kinds, s.kind))
        {
            return false;
        }
        let cluster = s.namespace.is_empty();
        match self.scope {
            Scope::Cluster if !cluster => return false,
            Scope::Namespaced if cluster => return false,
            _ => {}
        }
        // A Namespace is matched by its own name; other cluster-scoped
        // objects pass the namespace lists.
        let ns = if s.is_namespace() {
            s.name
        } else {
            s.namespace
        };
        if !ns.is_empty() {
            if let Some(list) = &self.namespaces
                && !list.iter().any(|g| glob(g, ns))
            {
                return false;
            }
            if self.excluded.iter().any(|g| glob(g, ns)) {
                return false;
            }
        }
        if let Some(name) = &self.name
            && !glob(name, s.name)
        {
            return false;
        }
        if let Some(sel) = &self.labels
            && !s.objects.iter().any(|o| sel.matches(&labels_of(o)))
        {
            return false;
        }
        if let Some(sel) = &self.namespace_labels {
            if s.is_namespace() {
                if !s.objects.iter().any(|o| sel.matches(&labels_of(o))) {
                    return false;
                }
            } else if !cluster && !sel.matches(&namespace_labels(ns).unwrap_or_default()) {
                return false;
            }
        }
        true
    }
}

/// `metadata.labels` of an object.
pub fn labels_of(o: &Value) -> Map<String, Value> {
    o.pointer("/metadata/labels")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// Gatekeeper's name globs: `*` at the start, the end, or both.
pub fn glob(pattern: &str, s: &str) -> bool {
    let (lead, rest) = match pattern.strip_prefix('*') {
        Some(r) => (true, r),
        None => (false, pattern),
    };
    let (trail, core) = match rest.strip_suffix('*') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    match (lead, trail) {
        (false, false) => s == core,
        (true, false) => s.ends_with(core),
        (false, true) => s.starts_with(core),
        (true, true) => s.contains(core),
    }
}

impl Selector {
    pub fn parse(v: &Value) -> Result<Selector, String> {
        let mut out = Selector::default();
        if let Some(m) = v.get("matchLabels").filter(|v| !v.is_null()) {
            let m = m.as_object().ok_or("matchLabels must be a map")?;
            for (k, val) in m {
                let val = match val {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                out.labels.push((k.clone(), val));
            }
        }
        if let Some(exprs) = v.get("matchExpressions").and_then(Value::as_array) {
            for e in exprs {
                let key = e
                    .get("key")
                    .and_then(Value::as_str)
                    .ok_or("matchExpressions[].key is required")?
                    .to_string();
                let op = match e.get("operator").and_then(Value::as_str) {
                    Some("In") => Op::In,
                    Some("NotIn") => Op::NotIn,
                    Some("Exists") => Op::Exists,
                    Some("DoesNotExist") => Op::DoesNotExist,
                    other => return Err(format!("unknown operator {other:?}")),
                };
                let values = strings(e.get("values"), "matchExpressions[].values")?;
                out.exprs.push(Requirement { key, op, values });
            }
        }
        Ok(out)
    }

    pub fn matches(&self, labels: &Map<String, Value>) -> bool {
        let get = |k: &str| labels.get(k).and_then(Value::as_str);
        self.labels.iter().all(|(k, v)| get(k) == Some(v.as_str()))
            && self.exprs.iter().all(|r| {
                let have = get(&r.key);
                match r.op {
                    Op::In => have.is_some_and(|h| r.values.iter().any(|v| v == h)),
                    Op::NotIn => !have.is_some_and(|h| r.values.iter().any(|v| v == h)),
                    Op::Exists => have.is_some(),
                    Op::DoesNotExist => have.is_none(),
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(ns: &str, labels: Value) -> Value {
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web-1", "namespace": ns, "labels": labels}})
    }

    fn check(m: Value, o: &Value, ns_labels: Value) -> bool {
        let m = Match::parse(&m).unwrap();
        let kind = o["kind"].as_str().unwrap();
        let s = Subject {
            group: "",
            kind,
            name: o["metadata"]["name"].as_str().unwrap(),
            namespace: o["metadata"]["namespace"].as_str().unwrap_or(""),
            objects: vec![o],
        };
        m.matches(&s, &|_| ns_labels.as_object().cloned())
    }

    #[test]
    fn kinds_namespaces_and_names() {
        let p = pod("kube-system", json!({}));
        assert!(check(json!({}), &p, json!({})));
        assert!(check(
            json!({"kinds": [{"apiGroups": [""], "kinds": ["Pod"]}]}),
            &p,
            json!({})
        ));
        assert!(check(
            json!({"kinds": [{"apiGroups": ["*"], "kinds": ["*"]}]}),
            &p,
            json!({})
        ));
        assert!(!check(
            json!({"kinds": [{"apiGroups": ["apps"], "kinds": ["Pod"]}]}),
            &p,
            json!({})
        ));
        assert!(check(json!({"namespaces": ["kube-*"]}), &p, json!({})));
        assert!(!check(json!({"namespaces": ["prod"]}), &p, json!({})));
        assert!(!check(
            json!({"excludedNamespaces": ["*-system"]}),
            &p,
            json!({})
        ));
        assert!(check(json!({"name": "web-*"}), &p, json!({})));
        assert!(!check(json!({"name": "db"}), &p, json!({})));
        assert!(!check(json!({"scope": "Cluster"}), &p, json!({})));
        let ns =
            json!({"kind": "Namespace", "metadata": {"name": "prod", "labels": {"env": "prod"}}});
        assert!(!check(
            json!({"excludedNamespaces": ["prod"]}),
            &ns,
            json!({})
        ));
        assert!(check(
            json!({"scope": "Cluster", "namespaces": ["x"]}),
            &json!({"kind": "ClusterRole", "metadata": {"name": "r"}}),
            json!({})
        ));
        assert!(check(
            json!({"namespaceSelector": {"matchLabels": {"env": "prod"}}}),
            &ns,
            json!({})
        ));
    }

    #[test]
    fn selectors() {
        let p = pod("a", json!({"app": "web", "tier": "front"}));
        let sel = |s: Value| json!({"labelSelector": s});
        assert!(check(
            sel(json!({"matchLabels": {"app": "web"}})),
            &p,
            json!({})
        ));
        assert!(!check(
            sel(json!({"matchLabels": {"app": "db"}})),
            &p,
            json!({})
        ));
        let e = |op: &str, vals: Value| {
            sel(json!({"matchExpressions": [{"key": "tier", "operator": op, "values": vals}]}))
        };
        assert!(check(e("In", json!(["front", "x"])), &p, json!({})));
        assert!(!check(e("NotIn", json!(["front"])), &p, json!({})));
        assert!(check(e("Exists", json!(null)), &p, json!({})));
        assert!(!check(e("DoesNotExist", json!(null)), &p, json!({})));
        let nsel = json!({"namespaceSelector": {"matchExpressions": [{"key": "env", "operator": "In", "values": ["prod"]}]}});
        assert!(check(nsel.clone(), &p, json!({"env": "prod"})));
        assert!(!check(nsel, &p, json!({"env": "dev"})));
    }
}
