use super::*;
use crate::load::yaml::parse_single;

fn resource(text: &str) -> Resource {
    Resource::new(parse_single("r.yaml", text).unwrap()).unwrap()
}

fn selector(text: &str) -> Selector {
    Selector::from_node(&parse_single("k.yaml", text).unwrap()).unwrap()
}

const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-app\n  labels: {app: web, tier: front}\n  annotations: {team: a}\n";

#[test]
fn fields_are_anchored_regexes() {
    let r = resource(DEPLOY);
    assert!(selector("kind: Deploy.*").matches(&r).unwrap());
    assert!(!selector("kind: Deploy").matches(&r).unwrap());
    assert!(
        selector("name: web-.*\ngroup: apps\nversion: v1")
            .matches(&r)
            .unwrap()
    );
    assert!(!selector("group: app").matches(&r).unwrap());
    assert!(selector("name: web-app|other").matches(&r).unwrap());
}

#[test]
fn unset_namespace_is_default() {
    let r = resource(DEPLOY);
    assert!(selector("namespace: default").matches(&r).unwrap());
    assert!(!selector("namespace: prod").matches(&r).unwrap());
    let ns = resource("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n");
    assert!(!selector("namespace: default").matches(&ns).unwrap());
}

#[test]
fn names_match_original_or_current() {
    let mut r = resource(DEPLOY);
    r.store_previous_id();
    r.set_name("p-web-app");
    assert!(selector("name: web-app").matches(&r).unwrap());
    assert!(selector("name: p-web-app").matches(&r).unwrap());
}

#[test]
fn label_selector_syntax() {
    let r = resource(DEPLOY);
    let labels = r.labels();
    let yes = [
        "app=web",
        "app==web",
        "app!=db",
        "app in (web, db)",
        "tier notin (back)",
        "app",
        "!missing",
        "app=web,tier=front",
        "",
    ];
    for s in yes {
        assert!(LabelSelector::parse(s).unwrap().matches(&labels), "{s}");
    }
    let no = [
        "app=db",
        "app in (db)",
        "app notin (web)",
        "missing",
        "!app",
        "missing!=x,app=db",
    ];
    for s in no {
        assert!(!LabelSelector::parse(s).unwrap().matches(&labels), "{s}");
    }
    assert!(LabelSelector::parse("missing!=x").unwrap().matches(&labels));
    assert!(LabelSelector::parse("app in web").is_err());
    assert!(LabelSelector::parse("a b").is_err());
    assert!(selector("annotationSelector: team=a").matches(&r).unwrap());
    assert!(!selector("labelSelector: team=a").matches(&r).unwrap());
}
