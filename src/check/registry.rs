//! The rule registry: every rule with its id, name, domain, default
//! severity and documentation (`gitopsc rules`, `gitopsc explain ID`).

use super::Severity;
use super::rules;

pub trait Rule: Sync {
    /// Stable id such as `KUS001`.
    fn id(&self) -> &'static str;
    /// Short kebab-case name such as `kustomize-build`.
    fn name(&self) -> &'static str;
    /// Domain: kustomize, argocd, schema, policy, image, commit, ...
    fn domain(&self) -> &'static str;
    fn default_severity(&self) -> Severity;
    /// One line for `gitopsc rules`.
    fn summary(&self) -> &'static str;
    /// Markdown for `gitopsc explain`: why it matters, how to fix, examples.
    fn docs(&self) -> &'static str;
}

/// Every rule, sorted by id.
pub fn all_rules() -> Vec<&'static dyn Rule> {
    let mut v = rules::ALL.to_vec();
    v.extend(super::commits::registry::all());
    v.sort_by_key(|r| r.id());
    v
}

/// A rule by id or name (case-insensitive).
pub fn find_rule(key: &str) -> Option<&'static dyn Rule> {
    all_rules()
        .into_iter()
        .find(|r| r.id().eq_ignore_ascii_case(key) || r.name().eq_ignore_ascii_case(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_are_unique_and_documented() {
        let rules = all_rules();
        let mut ids: Vec<_> = rules.iter().map(|r| r.id()).collect();
        ids.dedup();
        assert_eq!(ids.len(), rules.len());
        for r in rules {
            assert!(r.docs().len() > 40, "{} needs real docs", r.id());
            assert!(find_rule(r.name()).is_some());
        }
    }
}
