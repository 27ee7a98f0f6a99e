//! Making two renders comparable: ignored fields removed, keyed sets
//! sorted, secrets redacted, then canonical YAML (keys sorted by the
//! emitter), so key order or set order never shows as a change.
//!
//! Lists keep their order, except the few Kubernetes lists that are sets
//! keyed by a field (`volumes`, `volumeMounts`, `imagePullSecrets`, ports):
//! their order means nothing to the API server. `env` keeps its order on
//! purpose: `$(VAR)` references only see variables defined before them.

use super::config::{DiffConfig, Segment, glob_match};
use crate::hydrate::targets::sha256_hex;
use crate::load::yaml::emit::emit_node;
use crate::load::yaml::{Node, Tag, Value};

/// List fields whose items are a set keyed by the given fields.
const KEYED_SETS: [(&str, &[&str]); 5] = [
    ("volumes", &["name"]),
    ("volumeMounts", &["mountPath"]),
    ("imagePullSecrets", &["name"]),
    ("ports", &["containerPort", "port", "protocol"]),
    ("tolerations", &["key", "operator", "effect"]),
];

/// The canonical, redacted text of one rendered resource.
pub fn canonical(node: &Node, cfg: &DiffConfig) -> String {
    let mut n = node.clone();
    for path in &cfg.ignore {
        remove_path(&mut n, path);
    }
    sort_sets(&mut n);
    redact(&mut n, cfg);
    emit_node(&n)
}

/// `<redacted sha256:1a2b3c4d>` for a value.
pub fn redacted_text(value: &Node) -> String {
    let text = match value.as_scalar() {
        Some(s) => s.text.clone(),
        None => emit_node(value),
    };
    format!("<redacted sha256:{}>", &sha256_hex(text.as_bytes())[..8])
}

fn redacted(value: &Node) -> Node {
    Node::string(redacted_text(value)).with_span(value.span.clone())
}

/// Booleans, nulls and empty strings carry no secret: showing them keeps
/// `automountServiceAccountToken: false` readable.
fn trivial(value: &Node) -> bool {
    match value.as_scalar() {
        Some(s) => {
            matches!(s.tag, Tag::Bool | Tag::Null)
                || s.text.is_empty()
                // Already masked (Secret data under a secret-looking key).
                || (s.text.starts_with("<redacted sha256:") && s.text.ends_with('>'))
        }
        None => {
            value.as_map().is_some_and(|m| m.is_empty())
                || value.as_seq().is_some_and(|s| s.is_empty())
        }
    }
}

/// Masks Secret `data`/`stringData` values and every value under a key
/// that looks secret (including `- name: DB_PASSWORD` / `value: ...`).
pub fn redact(node: &mut Node, cfg: &DiffConfig) {
    let is_secret = node.get_str("kind") == Some("Secret")
        && node.get_str("apiVersion").is_none_or(|v| v == "v1");
    if is_secret {
        for field in ["data", "stringData"] {
            if let Some(m) = node.get_mut(field).and_then(Node::as_map_mut) {
                for e in &mut m.entries {
                    if !trivial(&e.value) {
                        e.value = redacted(&e.value);
                    }
                }
            }
        }
    }
    walk(node, cfg);
}

fn walk(node: &mut Node, cfg: &DiffConfig) {
    match &mut node.value {
        Value::Map(m) => {
            let named_secret = m
                .get("name")
                .and_then(Node::as_str)
                .is_some_and(|n| cfg.is_secret_key(n));
            for e in &mut m.entries {
                let secret = cfg.is_secret_key(&e.key) || (named_secret && e.key == "value");
                if secret && !trivial(&e.value) {
                    e.value = redacted(&e.value);
                } else {
                    walk(&mut e.value, cfg);
                }
            }
        }
        Value::Seq(items) => items.iter_mut().for_each(|i| walk(i, cfg)),
        Value::Scalar(_) => {}
    }
}

/// Removes what `path` selects; a map emptied by the removal goes too
/// (`annotations: {}` would be noise). Returns whether `node` became empty.
fn remove_path(node: &mut Node, path: &[Segment]) -> bool {
    let Some((first, rest)) = path.split_first() else {
        return false;
    };
    match (&mut node.value, first) {
        (Value::Map(m), Segment::Key(pattern)) => {
            let before = m.entries.len();
            if rest.is_empty() {
                m.entries.retain(|e| !glob_match(pattern, &e.key));
            } else {
                m.entries.retain_mut(|e| {
                    !(glob_match(pattern, &e.key) && remove_path(&mut e.value, rest))
                });
            }
            before > 0 && m.entries.is_empty()
        }
        (Value::Seq(items), Segment::AnyItem) => {
            if rest.is_empty() {
                let was = !items.is_empty();
                items.clear();
                was
            } else {
                for i in items.iter_mut() {
                    remove_path(i, rest);
                }
                false
            }
        }
        _ => false,
    }
}

fn sort_sets(node: &mut Node) {
    match &mut node.value {
        Value::Map(m) => {
            for e in &mut m.entries {
                if let Some((_, keys)) = KEYED_SETS.iter().find(|(f, _)| *f == e.key)
                    && let Some(items) = e.value.as_seq_mut()
                    && items.iter().all(Node::is_map)
                {
                    items.sort_by_cached_key(|i| {
                        let key: Vec<String> = keys
                            .iter()
                            .map(|k| i.get(k).map(emit_node).unwrap_or_default())
                            .collect();
                        (key, emit_node(i))
                    });
                }
                sort_sets(&mut e.value);
            }
        }
        Value::Seq(items) => items.iter_mut().for_each(sort_sets),
        Value::Scalar(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse_single;

    fn canon(yaml: &str) -> String {
        canonical(
            &parse_single("t.yaml", yaml).unwrap(),
            &DiffConfig::default(),
        )
    }

    #[test]
    fn key_and_set_order_do_not_matter() {
        let a = canon(
            "kind: Pod\nspec:\n  volumes:\n  - name: b\n  - name: a\n  containers:\n  - name: x\n    env:\n    - {name: B, value: '1'}\n    - {name: A, value: '2'}\n",
        );
        let b = canon(
            "spec:\n  containers:\n  - env:\n    - {value: '1', name: B}\n    - {name: A, value: '2'}\n    name: x\n  volumes:\n  - name: a\n  - name: b\nkind: Pod\n",
        );
        assert_eq!(a, b);
        // env order is meaningful and kept.
        let c = canon(
            "kind: Pod\nspec:\n  volumes:\n  - name: b\n  - name: a\n  containers:\n  - name: x\n    env:\n    - {name: A, value: '2'}\n    - {name: B, value: '1'}\n",
        );
        assert_ne!(a, c);
    }

    #[test]
    fn ignored_fields_vanish_with_their_empty_parent() {
        let t = canon(
            "kind: Deployment\nmetadata:\n  name: x\n  labels:\n    helm.sh/chart: web-1.2.3\n  annotations:\n    checksum/config: abc\nspec:\n  template:\n    metadata:\n      annotations:\n        checksum/secret: def\n        keep: me\n",
        );
        assert!(!t.contains("helm.sh/chart"), "{t}");
        assert!(!t.contains("checksum"), "{t}");
        assert!(!t.contains("labels"), "{t}");
        assert!(t.contains("keep: me"), "{t}");
    }

    #[test]
    fn secrets_are_redacted_with_a_stable_hash() {
        let t = canon(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  token: YWRtaW4=\nstringData:\n  pass: hunter2\n",
        );
        assert!(!t.contains("YWRtaW4="), "{t}");
        assert!(!t.contains("hunter2"), "{t}");
        let expected = format!("<redacted sha256:{}>", &sha256_hex(b"hunter2")[..8]);
        assert!(t.contains(&expected), "{t}");
        let token = format!("<redacted sha256:{}>", &sha256_hex(b"YWRtaW4=")[..8]);
        assert!(t.contains(&token), "{t}");
        let t = canon(
            "kind: Deployment\nspec:\n  containers:\n  - env:\n    - name: DB_PASSWORD\n      value: s3cret\n    - name: MODE\n      value: fast\n    secretName: keep-me\n    automountServiceAccountToken: false\n    apiKey: abc123\n",
        );
        assert!(!t.contains("s3cret") && !t.contains("abc123"), "{t}");
        assert!(t.contains("fast") && t.contains("keep-me"), "{t}");
        assert!(t.contains("automountServiceAccountToken: false"), "{t}");
    }
}
