//! Output order: kustomize's `legacy` kind-based order or `fifo` (input
//! order), chosen by `sortOptions:` of the top kustomization or `--reorder`.

use super::decode::{Decoder, field};
use crate::hydrate::kustomize::context::{BuildOptions, Reorder};
use crate::hydrate::kustomize::error::{KustError, Result};
use crate::hydrate::kustomize::kustomization::Kustomization;
use crate::hydrate::kustomize::resid::{Gvk, ResId};
use crate::hydrate::kustomize::resmap::ResMap;
use crate::load::yaml::Node;
use std::cmp::Ordering;
use std::collections::HashMap;

/// kustomize's legacy order (the kinds put first and last) is also how
/// ids compare; one list serves both.
pub use crate::hydrate::kustomize::resid::{
    KINDS_FIRST as DEFAULT_ORDER_FIRST, KINDS_LAST as DEFAULT_ORDER_LAST,
};

/// kustomize's `types.SortOptions` after defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SortOrder {
    Fifo,
    Legacy {
        order_first: Vec<String>,
        order_last: Vec<String>,
    },
}

impl SortOrder {
    pub fn default_legacy() -> SortOrder {
        SortOrder::Legacy {
            order_first: DEFAULT_ORDER_FIRST.iter().map(|s| s.to_string()).collect(),
            order_last: DEFAULT_ORDER_LAST.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Reads `sortOptions:` (`order`, `legacySortOptions`), applying
    /// kustomize's defaults and checks.
    pub fn from_node(n: &Node, d: &Decoder) -> Result<SortOrder> {
        let d = d.nested("SortOptions", "sortOptions");
        d.check_fields(n, &["order", "legacySortOptions"])?;
        let order = d.string(field(n, "order"), "order")?;
        let legacy = d.object(field(n, "legacySortOptions"), "legacySortOptions")?;
        // A `legacySortOptions: null` is absent; `{}` is present and empty.
        let legacy_given = field(n, "legacySortOptions").is_some();
        let at = n.span.as_ref();
        match order.value.as_str() {
            "fifo" if legacy_given => Err(KustError::invalid(
                "the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'",
            )
            .at(at)),
            "fifo" => Ok(SortOrder::Fifo),
            "legacy" => match legacy {
                None if !legacy_given => Ok(SortOrder::default_legacy()),
                _ => {
                    let ld = d.nested("LegacySortOptions", "legacySortOptions");
                    let list = |key: &str| -> Result<Vec<String>> {
                        let Some(l) = legacy else { return Ok(Vec::new()) };
                        ld.check_fields(l, &["orderFirst", "orderLast"])?;
                        ld.array(field(l, key), key, "string")?
                            .iter()
                            .map(|item| ld.string(Some(item), key).map(|s| s.value))
                            .collect()
                    };
                    Ok(SortOrder::Legacy {
                        order_first: list("orderFirst")?,
                        order_last: list("orderLast")?,
                    })
                }
            },
            _ => Err(KustError::invalid("the field 'sortOptions.order' must be one of [fifo, legacy]")
                .at(order.span.as_ref().or(at))),
        }
    }

    /// Reorders `m`; fifo keeps it as it is.
    pub fn apply(&self, m: &mut ResMap) {
        let SortOrder::Legacy {
            order_first,
            order_last,
        } = self
        else {
            return;
        };
        let mut rank: HashMap<&str, i64> = HashMap::new();
        let first_len = order_first.len() as i64;
        for (i, kind) in order_first.iter().enumerate() {
            rank.insert(kind, i as i64 - first_len);
        }
        for (i, kind) in order_last.iter().enumerate() {
            rank.insert(kind, i as i64 + 1);
        }
        let resources = m.resources_mut();
        let mut keyed: Vec<(ResId, crate::hydrate::kustomize::resource::Resource)> =
            resources.drain(..).map(|r| (r.cur_id(), r)).collect();
        keyed.sort_by(|(a, _), (b, _)| legacy_cmp(a, b, &rank));
        resources.extend(keyed.into_iter().map(|(_, r)| r));
    }
}

/// Legacy order: by kind rank, then by group/version/kind text, then by
/// namespace and name text.
fn legacy_cmp(a: &ResId, b: &ResId, rank: &HashMap<&str, i64>) -> Ordering {
    if a.gvk != b.gvk {
        return gvk_cmp(&a.gvk, &b.gvk, rank);
    }
    id_sort_string(a).cmp(&id_sort_string(b))
}

fn gvk_cmp(a: &Gvk, b: &Gvk, rank: &HashMap<&str, i64>) -> Ordering {
    let (ra, rb) = (
        rank.get(a.kind.as_str()).copied().unwrap_or(0),
        rank.get(b.kind.as_str()).copied().unwrap_or(0),
    );
    if ra != rb {
        return ra.cmp(&rb);
    }
    let (sa, sb) = (gvk_sort_string(a), gvk_sort_string(b));
    // The core Namespace kind goes before namespaces of other groups.
    if a.kind == "Namespace" && b.kind == "Namespace" && (a.group.is_empty() || b.group.is_empty())
    {
        return sb.cmp(&sa);
    }
    sa.cmp(&sb)
}

/// `group_version_kind`, with `~G`, `~V`, `~K` for blanks.
fn gvk_sort_string(g: &Gvk) -> String {
    let or = |s: &str, d: &'static str| {
        if s.is_empty() {
            d.to_string()
        } else {
            s.to_string()
        }
    };
    format!(
        "{}_{}_{}",
        or(&g.group, "~G"),
        or(&g.version, "~V"),
        or(&g.kind, "~K")
    )
}

/// `Kind.version.group|namespace|name`, with kustomize's placeholders.
fn id_sort_string(id: &ResId) -> String {
    let or = |s: &str, d: &'static str| {
        if s.is_empty() {
            d.to_string()
        } else {
            s.to_string()
        }
    };
    format!(
        "{}.{}.{}|{}|{}",
        or(&id.gvk.kind, "[noKind]"),
        or(&id.gvk.version, "[noVer]"),
        or(&id.gvk.group, "[noGrp]"),
        or(&id.namespace, "~X"),
        or(&id.name, "~N")
    )
}

/// The order in force: `sortOptions:` of the top kustomization, else the
/// `--reorder` flag (legacy unless it says none).
pub fn sort(m: &mut ResMap, k: &Kustomization, options: &BuildOptions) -> Result<()> {
    let order = match k.get("sortOptions") {
        Some(n) => SortOrder::from_node(n, &Decoder::kustomization())?,
        None if options.reorder == Some(Reorder::None) => SortOrder::Fifo,
        None => SortOrder::default_legacy(),
    };
    order.apply(m);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hydrate::kustomize::resource::Resource;
    use crate::load::yaml::parse_single;

    fn resmap(ids: &[(&str, &str, &str, &str)]) -> ResMap {
        let mut m = ResMap::new();
        for (api, kind, name, ns) in ids {
            let text = format!(
                "apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\n  namespace: {ns}\n"
            );
            let text = if ns.is_empty() {
                text.replace("  namespace: \n", "")
            } else {
                text
            };
            m.append(Resource::new(parse_single("r.yaml", &text).unwrap()).unwrap())
                .unwrap();
        }
        m
    }

    fn names(m: &ResMap) -> Vec<String> {
        m.iter().map(|r| r.name().to_string()).collect()
    }

    #[test]
    fn legacy_order_by_kind_then_gvk_then_id() {
        let mut m = resmap(&[
            ("v1", "ValidatingWebhookConfiguration", "vwc", ""),
            ("apps/v1", "Deployment", "dep", ""),
            ("v1", "Ingress", "ing", ""),
            ("v1", "Service", "svc-b", "b"),
            ("v1", "Service", "svc-a", "a-b"),
            ("example.com/v1", "Namespace", "ns-custom", ""),
            ("v1", "Namespace", "ns", ""),
            ("v1", "ConfigMap", "cm", ""),
        ]);
        SortOrder::default_legacy().apply(&mut m);
        assert_eq!(
            names(&m),
            [
                "ns",
                "ns-custom",
                "cm",
                "svc-a",
                "svc-b",
                "dep",
                "ing",
                "vwc"
            ]
        );
    }

    #[test]
    fn options_are_checked() {
        let d = Decoder::kustomization();
        let parse = |t: &str| SortOrder::from_node(&parse_single("k", t).unwrap(), &d);
        assert_eq!(parse("order: fifo\n").unwrap(), SortOrder::Fifo);
        assert_eq!(
            parse("order: legacy\n").unwrap(),
            SortOrder::default_legacy()
        );
        assert!(
            parse("legacySortOptions: {}\n")
                .unwrap_err()
                .message
                .contains("must be one of")
        );
        assert!(parse("order: fifo\nlegacySortOptions: {}\n").is_err());
        let custom = parse("order: legacy\nlegacySortOptions:\n  orderFirst: [A]\n").unwrap();
        assert_eq!(
            custom,
            SortOrder::Legacy {
                order_first: vec!["A".into()],
                order_last: vec![]
            }
        );
    }
}
