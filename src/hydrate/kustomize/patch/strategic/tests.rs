use super::*;
use crate::hydrate::kustomize::openapi::builtin_definitions;
use crate::load::yaml::parse_single;

fn y(text: &str) -> Node {
    parse_single("t.yaml", text).unwrap()
}

fn smp(object: &str, patch: &str) -> Option<Node> {
    merge(y(object), y(patch), &builtin_definitions()).unwrap()
}

const DEPLOY: &str = "
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      containers:
      - name: a
        image: a:1
        args: [x, y]
        env: [{name: E1, value: '1'}]
      - name: b
        image: b:1
";

fn containers(n: &Node) -> &Vec<Node> {
    n.get_path(&["spec", "template", "spec", "containers"])
        .unwrap()
        .as_seq()
        .unwrap()
}

fn names(n: &Node) -> Vec<&str> {
    containers(n)
        .iter()
        .map(|c| c.get_str("name").unwrap())
        .collect()
}

#[test]
fn merges_lists_by_key_with_new_elements_first() {
    let patch = "
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      containers:
      - name: c
        image: c:1
      - name: a
        image: a:2
        args: [z]
        env: [{name: E2, value: '2'}]
";
    let out = smp(DEPLOY, patch).unwrap();
    assert_eq!(names(&out), ["c", "a", "b"]);
    let a = &containers(&out)[1];
    assert_eq!(a.get_str("image"), Some("a:2"));
    // Plain lists are replaced, keyed ones merged (patch elements first).
    assert_eq!(a.get("args").unwrap(), &y("[z]"));
    assert_eq!(
        a.get("env").unwrap(),
        &y("[{name: E2, value: '2'}, {name: E1, value: '1'}]")
    );
    // The changed value points at the patch.
    assert_eq!(a.get("image").unwrap().span.as_ref().unwrap().line, 12);
}

#[test]
fn null_deletes_and_directives() {
    let patch = "
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      containers:
      - name: b
        $patch: delete
      - name: a
        args: null
";
    let out = smp(DEPLOY, patch).unwrap();
    assert_eq!(names(&out), ["a"]);
    assert!(containers(&out)[0].get("args").is_none());

    let replace = "
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    $patch: replace
    spec:
      containers:
      - name: only
";
    let out = smp(DEPLOY, replace).unwrap();
    assert_eq!(names(&out), ["only"]);

    let list_replace = "
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      containers:
      - $patch: replace
      - name: only
";
    let out = smp(DEPLOY, list_replace).unwrap();
    assert_eq!(names(&out), ["only"]);

    let delete_all = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n$patch: delete\n";
    assert!(smp(DEPLOY, delete_all).is_none());

    let bad =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  $patch: explode\n";
    assert!(merge(y(DEPLOY), y(bad), &builtin_definitions()).is_err());
}

#[test]
fn empty_values_vanish_but_explicit_nulls_stay() {
    let out = smp(
        "kind: X\napiVersion: v1\na:\nb: null\nc: ~\n",
        "kind: X\napiVersion: v1\nd: 1\n",
    )
    .unwrap();
    assert!(out.get("a").is_none());
    assert!(out.get("b").is_some_and(Node::is_null));
    assert!(out.get("c").is_some_and(Node::is_null));
    // New keys come after existing ones.
    let keys: Vec<&str> = out.as_map().unwrap().keys().collect();
    assert_eq!(keys, ["kind", "apiVersion", "b", "c", "d"]);
}

#[test]
fn multi_key_and_primitive_lists() {
    let svc = "apiVersion: v1\nkind: Service\nmetadata: {name: s, finalizers: [a, b]}\nspec:\n  ports:\n  - {port: 80, protocol: TCP, targetPort: 8080}\n  - {port: 443, protocol: TCP}\n";
    let patch = "apiVersion: v1\nkind: Service\nmetadata: {name: s, finalizers: [c, a]}\nspec:\n  ports:\n  - {port: 80, protocol: TCP, targetPort: 9090}\n";
    let out = smp(svc, patch).unwrap();
    let ports = out.get_path(&["spec", "ports"]).unwrap();
    assert_eq!(
        ports,
        &y("[{port: 80, protocol: TCP, targetPort: 9090}, {port: 443, protocol: TCP}]")
    );
    assert_eq!(
        out.get_path(&["metadata", "finalizers"]).unwrap(),
        &y("[c, a, b]")
    );
}

#[test]
fn unknown_kinds_replace_lists() {
    let crd = "apiVersion: x/v1\nkind: Foo\nmetadata: {name: f}\nspec:\n  items: [{name: a}, {name: b}]\n";
    let out = smp(
        crd,
        "apiVersion: x/v1\nkind: Foo\nmetadata: {name: f}\nspec:\n  items: [{name: c}]\n",
    )
    .unwrap();
    assert_eq!(out.get_path(&["spec", "items"]).unwrap(), &y("[{name: c}]"));
}

#[test]
fn kind_mismatch_is_an_error() {
    let e = merge(
        y(DEPLOY),
        y("kind: Deployment\napiVersion: apps/v1\nspec: 3\n"),
        &builtin_definitions(),
    )
    .unwrap_err();
    assert!(e.message.contains("wrong node kind"), "{}", e.message);
}
