use super::*;

#[test]
fn builtin_table_parses() {
    let defs = builtin_definitions();
    let dep = defs
        .for_type("apps/v1", "Deployment")
        .expect("Deployment is known");
    let containers = dep
        .field("spec")
        .and_then(|s| s.field("template"))
        .and_then(|s| s.field("spec"))
        .and_then(|s| s.field("containers"))
        .expect("containers");
    assert!(containers.merges_lists());
    assert_eq!(containers.strategy_and_keys().1, ["name".to_string()]);
    let ports = containers
        .elements()
        .and_then(|c| c.field("ports"))
        .expect("ports");
    assert_eq!(
        ports.strategy_and_keys().1,
        ["containerPort".to_string(), "protocol".to_string()]
    );
    // Every type named in the table is defined in it.
    for t in defs.resources.values().flatten() {
        assert!(defs.types.contains_key(t), "{t}");
    }
}

#[test]
fn known_types_without_metadata_are_opaque() {
    let defs = builtin_definitions();
    let cm = defs
        .for_type("v1", "ConfigMap")
        .expect("ConfigMap is known");
    assert!(cm.field("data").is_some());
    assert!(defs.for_type("example.com/v1", "Foo").is_none());
}

#[test]
fn kinds_follow_kustomizes_kubernetes_version() {
    let s = Schema::builtin();
    // Kubernetes v1.21 still served batch/v1beta1 CronJobs...
    let path = [
        "spec",
        "jobTemplate",
        "spec",
        "template",
        "spec",
        "containers",
    ];
    let got = s.list_strategy("batch/v1beta1", "CronJob", &path);
    assert_eq!(got, Some(("merge".to_string(), vec!["name".to_string()])));
    // ...but no longer extensions/v1beta1 Deployments: kustomize replaces their lists.
    let old = s.list_strategy(
        "extensions/v1beta1",
        "Deployment",
        &["spec", "template", "spec", "containers"],
    );
    assert_eq!(old, None);
    let volumes = s.list_strategy(
        "apps/v1",
        "StatefulSet",
        &["spec", "template", "spec", "volumes"],
    );
    assert_eq!(volumes.map(|v| v.0), Some("merge,retainKeys".to_string()));
}

#[test]
fn custom_schema_defines_its_kinds() {
    let text = r##"{"definitions": {
      "v1alpha1.MyCRD": {
        "properties": {"spec": {"properties": {"list": {
          "type": "array", "items": {"$ref": "#/definitions/Item"},
          "x-kubernetes-patch-strategy": "merge", "x-kubernetes-patch-merge-key": "id"}}}},
        "x-kubernetes-group-version-kind": [{"group": "example.com", "kind": "MyCRD", "version": "v1alpha1"}]
      },
      "Item": {"properties": {"id": {"type": "string"}}}
    }}"##;
    let s = Schema::custom("schema.json", text).unwrap();
    let got = s.list_strategy("example.com/v1alpha1", "MyCRD", &["spec", "list"]);
    assert_eq!(got, Some(("merge".to_string(), vec!["id".to_string()])));
    // A custom schema replaces the Kubernetes one.
    assert!(
        s.list_strategy(
            "apps/v1",
            "Deployment",
            &["spec", "template", "spec", "containers"]
        )
        .is_none()
    );
}
