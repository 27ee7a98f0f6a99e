//! Which resources a replacement reads from and writes to.
//!
//! Sources are picked by exact id (any current or previous id of a
//! resource); targets by a selector whose group, version, kind, name and
//! namespace are anchored regular expressions, narrowed by label and
//! annotation selectors, minus rejected resources.

use crate::hydrate::kustomize::pattern::Whole;
use crate::hydrate::kustomize::resid::ResId;
use crate::hydrate::kustomize::resource::Resource;

/// A resource id pattern as replacements write it (all fields optional).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IdPattern {
    pub group: String,
    pub version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
}

impl IdPattern {
    pub fn is_empty(&self) -> bool {
        *self == IdPattern::default()
    }

    /// Exact selection, as for sources: empty fields match anything and
    /// an unset namespace equals `default`.
    pub fn selects_exactly(&self, id: &ResId) -> bool {
        (self.name.is_empty() || self.name == id.name)
            && (self.namespace.is_empty() || same_namespace(&self.namespace, &id.namespace))
            && (self.group.is_empty() || self.group == id.gvk.group)
            && (self.version.is_empty() || self.version == id.gvk.version)
            && (self.kind.is_empty() || self.kind == id.gvk.kind)
    }
}

fn same_namespace(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        if s.is_empty() {
            "default".to_string()
        } else {
            s.to_string()
        }
    };
    norm(a) == norm(b)
}

/// kustomize's id display in replacement errors:
/// `Kind.version.group/name.namespace` with `[noKind]`-style blanks.
pub fn display(p: &IdPattern) -> String {
    let or = |s: &str, blank: &str| {
        if s.is_empty() {
            blank.to_string()
        } else {
            s.to_string()
        }
    };
    format!(
        "{}.{}.{}/{}.{}",
        or(&p.kind, "[noKind]"),
        or(&p.version, "[noVer]"),
        or(&p.group, "[noGrp]"),
        or(&p.name, "[noName]"),
        or(&p.namespace, "[noNs]")
    )
}

/// Every id a resource answers to: its current one, then earlier ones.
pub fn all_ids(r: &Resource) -> Vec<ResId> {
    let mut ids = vec![r.cur_id()];
    ids.extend(r.meta.prev_ids.iter().cloned());
    ids
}

/// A target `select:` or `reject:` entry.
#[derive(Clone, Debug, Default)]
pub struct Selector {
    pub id: IdPattern,
    pub annotation_selector: String,
    pub label_selector: String,
}

/// A selector with its id fields compiled to anchored regexes.
pub struct CompiledSelector {
    fields: [Option<Whole>; 5],
}

impl CompiledSelector {
    pub fn new(s: &Selector) -> Result<CompiledSelector, regex::Error> {
        let compile = |p: &str| -> Result<Option<Whole>, regex::Error> {
            if p.is_empty() {
                Ok(None)
            } else {
                Whole::new(p).map(Some)
            }
        };
        Ok(CompiledSelector {
            fields: [
                compile(&s.id.group)?,
                compile(&s.id.version)?,
                compile(&s.id.kind)?,
                compile(&s.id.name)?,
                compile(&s.id.namespace)?,
            ],
        })
    }

    pub fn matches(&self, id: &ResId) -> bool {
        let values = [
            id.gvk.group.as_str(),
            id.gvk.version.as_str(),
            id.gvk.kind.as_str(),
            id.name.as_str(),
            id.namespace.as_str(),
        ];
        self.fields
            .iter()
            .zip(values)
            .all(|(re, v)| re.as_ref().is_none_or(|re| re.is_match(v)))
    }
}

/// A parsed Kubernetes label selector (`a=b,c!=d,e in (x,y),!f,g`).
#[derive(Clone, Debug, Default)]
pub struct LabelSelector {
    reqs: Vec<Requirement>,
}

#[derive(Clone, Debug)]
enum Requirement {
    Exists(String),
    NotExists(String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Gt(String, i64),
    Lt(String, i64),
}

impl LabelSelector {
    /// Parses selector text; empty text selects everything.
    pub fn parse(text: &str) -> Result<LabelSelector, String> {
        let mut reqs = Vec::new();
        for raw in split_requirements(text) {
            let r = raw.trim();
            if r.is_empty() {
                if text.trim().is_empty() {
                    continue;
                }
                return Err(format!(
                    "unable to parse requirement: found '', expected: identifier in {text:?}"
                ));
            }
            reqs.push(
                parse_requirement(r).map_err(|e| format!("unable to parse requirement: {e}"))?,
            );
        }
        Ok(LabelSelector { reqs })
    }

    pub fn matches(&self, labels: &[(String, String)]) -> bool {
        let get = |k: &str| {
            labels
                .iter()
                .find(|(lk, _)| lk == k)
                .map(|(_, v)| v.as_str())
        };
        self.reqs.iter().all(|r| match r {
            Requirement::Exists(k) => get(k).is_some(),
            Requirement::NotExists(k) => get(k).is_none(),
            Requirement::In(k, vs) => get(k).is_some_and(|v| vs.iter().any(|x| x == v)),
            Requirement::NotIn(k, vs) => get(k).is_none_or(|v| !vs.iter().any(|x| x == v)),
            Requirement::Gt(k, n) => get(k)
                .and_then(|v| v.parse::<i64>().ok())
                .is_some_and(|v| v > *n),
            Requirement::Lt(k, n) => get(k)
                .and_then(|v| v.parse::<i64>().ok())
                .is_some_and(|v| v < *n),
        })
    }
}

/// Splits on commas that are not inside a `( )` value set.
fn split_requirements(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

fn parse_requirement(r: &str) -> Result<Requirement, String> {
    if let Some(k) = r.strip_prefix('!') {
        return Ok(Requirement::NotExists(check_key(k.trim())?));
    }
    for (op, neg) in [("!=", true), ("==", false), ("=", false)] {
        if let Some((k, v)) = r.split_once(op) {
            let (k, v) = (check_key(k.trim())?, check_value(v.trim())?);
            return Ok(if neg {
                Requirement::NotIn(k, vec![v])
            } else {
                Requirement::In(k, vec![v])
            });
        }
    }
    for (op, gt) in [(">", true), ("<", false)] {
        if let Some((k, v)) = r.split_once(op) {
            let k = check_key(k.trim())?;
            let n = v
                .trim()
                .parse::<i64>()
                .map_err(|_| format!("invalid integer value {:?}", v.trim()))?;
            return Ok(if gt {
                Requirement::Gt(k, n)
            } else {
                Requirement::Lt(k, n)
            });
        }
    }
    let mut words = r.splitn(2, char::is_whitespace);
    let key = check_key(words.next().unwrap_or("").trim())?;
    let rest = words.next().unwrap_or("").trim();
    if rest.is_empty() {
        return Ok(Requirement::Exists(key));
    }
    let (negated, set) = if let Some(s) = rest.strip_prefix("notin") {
        (true, s)
    } else if let Some(s) = rest.strip_prefix("in") {
        (false, s)
    } else {
        return Err(format!(
            "found '{rest}', expected: in, notin, =, ==, !=, gt, lt"
        ));
    };
    let set = set.trim();
    let inner = set
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .ok_or_else(|| format!("found '{set}', expected: '('"))?;
    let values = inner
        .split(',')
        .map(|v| check_value(v.trim()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(if negated {
        Requirement::NotIn(key, values)
    } else {
        Requirement::In(key, values)
    })
}

/// Label keys: an optional DNS prefix and `/`, then a name of letters,
/// digits, `-`, `_`, `.` starting and ending alphanumeric.
fn check_key(k: &str) -> Result<String, String> {
    let name = k.rsplit_once('/').map_or(k, |(_, n)| n);
    if name.is_empty() || name.len() > 63 || !valid_label_chars(name) {
        return Err(format!("invalid label key {k:?}"));
    }
    Ok(k.to_string())
}

fn check_value(v: &str) -> Result<String, String> {
    if v.len() > 63 || (!v.is_empty() && !valid_label_chars(v)) {
        return Err(format!("invalid label value: {v:?}"));
    }
    Ok(v.to_string())
}

fn valid_label_chars(s: &str) -> bool {
    let alnum = |c: char| c.is_ascii_alphanumeric();
    s.chars().all(|c| alnum(c) || matches!(c, '-' | '_' | '.'))
        && s.chars().next().is_some_and(alnum)
        && s.chars().last().is_some_and(alnum)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hydrate::kustomize::resid::Gvk;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn label_selectors() {
        let l = pairs(&[("app", "web"), ("tier", "front")]);
        assert!(LabelSelector::parse("").unwrap().matches(&l));
        assert!(LabelSelector::parse("app=web").unwrap().matches(&l));
        assert!(
            LabelSelector::parse("app==web, tier in (front,back)")
                .unwrap()
                .matches(&l)
        );
        assert!(!LabelSelector::parse("app!=web").unwrap().matches(&l));
        assert!(LabelSelector::parse("!missing,tier").unwrap().matches(&l));
        assert!(
            !LabelSelector::parse("tier notin (front)")
                .unwrap()
                .matches(&l)
        );
        assert!(LabelSelector::parse("a b c").is_err());
    }

    #[test]
    fn regex_selectors_are_anchored() {
        let s = Selector {
            id: IdPattern {
                kind: "Deployment|ConfigMap".into(),
                name: "c.1".into(),
                ..IdPattern::default()
            },
            ..Selector::default()
        };
        let c = CompiledSelector::new(&s).unwrap();
        let id = |k: &str, n: &str| ResId::new(Gvk::new("", "v1", k), n, "");
        assert!(c.matches(&id("ConfigMap", "cm1")));
        assert!(!c.matches(&id("ConfigMap", "cm12")));
        assert!(!c.matches(&id("Service", "cm1")));
    }

    #[test]
    fn source_selection_treats_unset_namespace_as_default() {
        let p = IdPattern {
            kind: "Service".into(),
            namespace: "default".into(),
            ..IdPattern::default()
        };
        assert!(p.selects_exactly(&ResId::new(Gvk::new("", "v1", "Service"), "s", "")));
        assert!(!p.selects_exactly(&ResId::new(Gvk::new("", "v1", "Service"), "s", "x")));
        assert_eq!(display(&p), "Service.[noVer].[noGrp]/[noName].default");
    }
}
