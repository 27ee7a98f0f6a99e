//! `input.review` as Gatekeeper builds it for an object (audit and gator)
//! or for an AdmissionReview's request, and `data.inventory`.

use super::matching::Subject;
use serde_json::{Map, Value, json};

/// `group` and `version` of an `apiVersion` (`apps/v1`, or `v1` for core).
pub fn split_api_version(api: &str) -> (&str, &str) {
    match api.rsplit_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api),
    }
}

fn text<'a>(o: &'a Value, pointer: &str) -> &'a str {
    o.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// The zero values of an AdmissionRequest that policies may read.
fn empty_request() -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("uid".into(), json!(""));
    m.insert(
        "kind".into(),
        json!({"group": "", "version": "", "kind": ""}),
    );
    m.insert(
        "resource".into(),
        json!({"group": "", "version": "", "resource": ""}),
    );
    m.insert("operation".into(), json!(""));
    m.insert("userInfo".into(), json!({}));
    m
}

/// `input.review` for an object under audit: its kind, name, namespace and
/// the object itself, with empty request fields.
pub fn review_of_object(obj: &Value) -> Value {
    let (group, version) = split_api_version(text(obj, "/apiVersion"));
    let mut m = empty_request();
    m.insert(
        "kind".into(),
        json!({"group": group, "version": version, "kind": text(obj, "/kind")}),
    );
    m.insert("object".into(), obj.clone());
    for (key, pointer) in [
        ("name", "/metadata/name"),
        ("namespace", "/metadata/namespace"),
    ] {
        let v = text(obj, pointer);
        if !v.is_empty() {
            m.insert(key.into(), json!(v));
        }
    }
    Value::Object(m)
}

/// Whether `doc` is an `admission.k8s.io` AdmissionReview.
pub fn is_admission_review(doc: &Value) -> bool {
    text(doc, "/kind") == "AdmissionReview"
        && text(doc, "/apiVersion").starts_with("admission.k8s.io/")
}

/// `input.review` for an AdmissionReview: its request with the zero values
/// filled in; a DELETE with no object reviews the old object.
pub fn review_of_admission(doc: &Value) -> Value {
    let mut m = empty_request();
    if let Some(req) = doc.get("request").and_then(Value::as_object) {
        for (k, v) in req {
            m.insert(k.clone(), v.clone());
        }
    }
    let no_object = m.get("object").is_none_or(Value::is_null);
    if no_object && let Some(old) = m.get("oldObject").filter(|o| !o.is_null()).cloned() {
        m.insert("object".into(), old);
    }
    Value::Object(m)
}

/// `input.review` for a document: an AdmissionReview's request, or an
/// object under audit.
pub fn review_of(doc: &Value) -> Value {
    if is_admission_review(doc) {
        review_of_admission(doc)
    } else {
        review_of_object(doc)
    }
}

/// The object a review is matched against: `object`, else `oldObject`.
pub fn subject(review: &Value) -> Subject<'_> {
    let obj = review
        .get("object")
        .filter(|o| !o.is_null())
        .or_else(|| review.get("oldObject"))
        .unwrap_or(&Value::Null);
    let mut objects = vec![obj];
    if let Some(old) = review
        .get("oldObject")
        .filter(|o| !o.is_null() && *o != obj)
    {
        objects.push(old);
    }
    let kind_of = |field: &str, fallback: &'static str| {
        review
            .pointer(&format!("/kind/{field}"))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .unwrap_or(fallback)
    };
    let (group, _) = split_api_version(text(obj, "/apiVersion"));
    let kind = kind_of("kind", "");
    Subject {
        group: review
            .pointer("/kind/group")
            .and_then(Value::as_str)
            .filter(|_| !kind.is_empty())
            .unwrap_or(group),
        kind: if kind.is_empty() {
            text(obj, "/kind")
        } else {
            kind
        },
        name: match text(obj, "/metadata/name") {
            "" => review.get("name").and_then(Value::as_str).unwrap_or(""),
            n => n,
        },
        namespace: match text(obj, "/metadata/namespace") {
            "" => review
                .get("namespace")
                .and_then(Value::as_str)
                .unwrap_or(""),
            n => n,
        },
        objects,
    }
}

/// `data.inventory` of `objects`: `namespace[ns][apiVersion][kind][name]`
/// for namespaced objects, `cluster[apiVersion][kind][name]` for the rest.
pub fn inventory<'a>(objects: impl IntoIterator<Item = &'a Value>) -> Value {
    let mut cluster = Map::new();
    let mut namespaced = Map::new();
    for o in objects {
        let (api, kind, name) = (
            text(o, "/apiVersion"),
            text(o, "/kind"),
            text(o, "/metadata/name"),
        );
        if kind.is_empty() || name.is_empty() {
            continue;
        }
        let root = match text(o, "/metadata/namespace") {
            "" => &mut cluster,
            ns => entry(&mut namespaced, ns),
        };
        entry(entry(root, api), kind).insert(name.to_string(), o.clone());
    }
    json!({"inventory": {"cluster": cluster, "namespace": namespaced}})
}

fn entry<'m>(m: &'m mut Map<String, Value>, key: &str) -> &'m mut Map<String, Value> {
    let v = m
        .entry(key.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    match v {
        Value::Object(m) => m,
        // Made an object just above.
        _ => unreachable!(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_review_and_inventory() {
        let pod =
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "a"}});
        let r = review_of_object(&pod);
        assert_eq!(
            r["kind"],
            json!({"group": "", "version": "v1", "kind": "Pod"})
        );
        assert_eq!(
            (r["name"].as_str(), r["namespace"].as_str()),
            (Some("p"), Some("a"))
        );
        assert_eq!(r["operation"], json!(""));
        let role = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "r"}});
        assert!(review_of_object(&role).get("namespace").is_none());
        let inv = inventory([&pod, &role]);
        assert_eq!(inv["inventory"]["namespace"]["a"]["v1"]["Pod"]["p"], pod);
        assert_eq!(
            inv["inventory"]["cluster"]["rbac.authorization.k8s.io/v1"]["ClusterRole"]["r"],
            role
        );
    }

    #[test]
    fn admission_reviews() {
        let old =
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "a"}});
        let del = json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
            "request": {"operation": "DELETE", "kind": {"group": "", "version": "v1", "kind": "Pod"}, "oldObject": old}});
        assert!(is_admission_review(&del));
        let r = review_of_admission(&del);
        assert_eq!(r["object"], old);
        assert_eq!(r["uid"], json!(""));
        let s = subject(&r);
        assert_eq!((s.kind, s.name, s.namespace), ("Pod", "p", "a"));
    }
}
