//! Where a policy finding points: a field path a policy names
//! (`spec.template.spec.containers[0].securityContext`) mapped through
//! provenance to the source line that set it, else the resource's origin.

use crate::check::Location;
use crate::check::run::location;
use crate::check::schema::span_at;
use crate::load::yaml::Node;
use std::path::Path;

/// A dotted field path with `[i]` indexes and `["key"]` / `['key']`
/// segments as a JSON pointer (`/spec/containers/0/image`). A leading `$.`
/// or `.` is accepted. `None` when the path is malformed.
pub fn field_pointer(path: &str) -> Option<String> {
    let path = path.trim();
    let path = path.strip_prefix('$').unwrap_or(path);
    let path = path.strip_prefix('.').unwrap_or(path);
    let mut out = String::new();
    let mut chars = path.chars().peekable();
    let mut seg = String::new();
    let push = |out: &mut String, seg: &str| {
        out.push('/');
        out.push_str(&seg.replace('~', "~0").replace('/', "~1"));
    };
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if seg.is_empty() {
                    return None;
                }
                push(&mut out, &seg);
                seg.clear();
            }
            '[' => {
                if !seg.is_empty() {
                    push(&mut out, &seg);
                    seg.clear();
                }
                let quote = match chars.peek() {
                    Some(&q @ ('"' | '\'')) => {
                        chars.next();
                        Some(q)
                    }
                    _ => None,
                };
                let mut inner = String::new();
                loop {
                    match (chars.next(), quote) {
                        (None, _) => return None,
                        (Some(q), Some(want)) if q == want => {
                            if chars.next() != Some(']') {
                                return None;
                            }
                            break;
                        }
                        (Some(']'), None) => break,
                        (Some(ch), _) => inner.push(ch),
                    }
                }
                if quote.is_none() && inner.parse::<usize>().is_err() {
                    return None;
                }
                push(&mut out, &inner);
                // `a[0].b`: the dot after a bracket only separates.
                if chars.peek() == Some(&'.') {
                    chars.next();
                }
            }
            _ => seg.push(c),
        }
    }
    if !seg.is_empty() {
        push(&mut out, &seg);
    }
    Some(out)
}

/// The location of `path` in the rendered `resource` (its provenance span),
/// or the resource's own origin when no path is given or it does not parse.
pub fn locate(root: &Path, resource: &Node, path: Option<&str>, fallback: &str) -> Location {
    let span = path
        .and_then(field_pointer)
        .and_then(|p| span_at(resource, &p, false))
        .or_else(|| resource.span.clone());
    location(span.as_ref(), root, fallback)
}

/// `Kind/namespace/name`, or `Kind/name` for a resource with no namespace:
/// the `resource` of a diagnostic, which waivers match on.
pub fn resource_key(resource: &Node) -> String {
    let get = |path: &[&str]| resource.get_path(path).and_then(Node::as_str).unwrap_or("");
    let kind = get(&["kind"]);
    let name = get(&["metadata", "name"]);
    match get(&["metadata", "namespace"]) {
        "" => format!("{kind}/{name}"),
        ns => format!("{kind}/{ns}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::field_pointer;

    #[test]
    fn dotted_paths_become_pointers() {
        let p = |s| field_pointer(s).unwrap();
        assert_eq!(
            p("spec.template.spec.containers[0].securityContext"),
            "/spec/template/spec/containers/0/securityContext"
        );
        assert_eq!(p("$.metadata.name"), "/metadata/name");
        assert_eq!(
            p(r#"metadata.annotations["example.com/x"]"#),
            "/metadata/annotations/example.com~1x"
        );
        assert_eq!(p("spec.ports[1]"), "/spec/ports/1");
        assert_eq!(p(""), "");
    }

    #[test]
    fn malformed_paths_are_refused() {
        for bad in ["spec..x", "spec.ports[x]", "spec.ports[0", "a['b"] {
            assert_eq!(field_pointer(bad), None, "{bad}");
        }
    }
}
