//! Is an API served by a Kubernetes minor? Removals since 1.25 come from
//! the bundled schemas themselves (a group/version/kind served by one
//! bundled minor and absent from a later one was removed there). Earlier
//! removals, deprecation dates and replacements come from the table below,
//! written from the Kubernetes deprecated API migration guide.

use super::Gvk;
use super::bundle::{bundle, minor};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lifecycle {
    /// Served and not scheduled for removal among the bundled minors.
    Served,
    /// Served, but a later minor removes it.
    Deprecated {
        removed_in: u32,
        replacement: Option<String>,
    },
    /// No longer served.
    Removed {
        removed_in: u32,
        replacement: Option<String>,
    },
    /// Not served yet.
    NotYet { introduced_in: u32 },
    /// Not a built-in API of any bundled minor (a CRD, or a typo).
    Unknown,
}

/// `(apiVersion, kinds, deprecated in, removed in, replacement apiVersion)`;
/// an empty replacement means there is none.
const HISTORY: &[(&str, &[&str], u32, u32, &str)] = &[
    (
        "extensions/v1beta1",
        &["Deployment", "DaemonSet", "ReplicaSet"],
        9,
        16,
        "apps/v1",
    ),
    (
        "extensions/v1beta1",
        &["NetworkPolicy"],
        9,
        16,
        "networking.k8s.io/v1",
    ),
    (
        "extensions/v1beta1",
        &["PodSecurityPolicy"],
        11,
        16,
        "policy/v1beta1",
    ),
    (
        "extensions/v1beta1",
        &["Ingress"],
        14,
        22,
        "networking.k8s.io/v1",
    ),
    (
        "apps/v1beta1",
        &[
            "Deployment",
            "StatefulSet",
            "ReplicaSet",
            "ControllerRevision",
        ],
        9,
        16,
        "apps/v1",
    ),
    (
        "apps/v1beta2",
        &[
            "Deployment",
            "StatefulSet",
            "DaemonSet",
            "ReplicaSet",
            "ControllerRevision",
        ],
        9,
        16,
        "apps/v1",
    ),
    (
        "networking.k8s.io/v1beta1",
        &["Ingress", "IngressClass"],
        19,
        22,
        "networking.k8s.io/v1",
    ),
    (
        "admissionregistration.k8s.io/v1beta1",
        &[
            "MutatingWebhookConfiguration",
            "ValidatingWebhookConfiguration",
        ],
        16,
        22,
        "admissionregistration.k8s.io/v1",
    ),
    (
        "apiextensions.k8s.io/v1beta1",
        &["CustomResourceDefinition"],
        16,
        22,
        "apiextensions.k8s.io/v1",
    ),
    (
        "apiregistration.k8s.io/v1beta1",
        &["APIService"],
        19,
        22,
        "apiregistration.k8s.io/v1",
    ),
    (
        "authentication.k8s.io/v1beta1",
        &["TokenReview"],
        19,
        22,
        "authentication.k8s.io/v1",
    ),
    (
        "authorization.k8s.io/v1beta1",
        &[
            "SubjectAccessReview",
            "LocalSubjectAccessReview",
            "SelfSubjectAccessReview",
            "SelfSubjectRulesReview",
        ],
        19,
        22,
        "authorization.k8s.io/v1",
    ),
    (
        "certificates.k8s.io/v1beta1",
        &["CertificateSigningRequest"],
        19,
        22,
        "certificates.k8s.io/v1",
    ),
    (
        "coordination.k8s.io/v1beta1",
        &["Lease"],
        19,
        22,
        "coordination.k8s.io/v1",
    ),
    (
        "rbac.authorization.k8s.io/v1beta1",
        &["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"],
        17,
        22,
        "rbac.authorization.k8s.io/v1",
    ),
    (
        "rbac.authorization.k8s.io/v1alpha1",
        &["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"],
        17,
        22,
        "rbac.authorization.k8s.io/v1",
    ),
    (
        "scheduling.k8s.io/v1beta1",
        &["PriorityClass"],
        14,
        22,
        "scheduling.k8s.io/v1",
    ),
    (
        "storage.k8s.io/v1beta1",
        &["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"],
        19,
        22,
        "storage.k8s.io/v1",
    ),
    ("batch/v1beta1", &["CronJob"], 21, 25, "batch/v1"),
    (
        "discovery.k8s.io/v1beta1",
        &["EndpointSlice"],
        21,
        25,
        "discovery.k8s.io/v1",
    ),
    (
        "events.k8s.io/v1beta1",
        &["Event"],
        22,
        25,
        "events.k8s.io/v1",
    ),
    (
        "autoscaling/v2beta1",
        &["HorizontalPodAutoscaler"],
        22,
        25,
        "autoscaling/v2",
    ),
    (
        "policy/v1beta1",
        &["PodDisruptionBudget"],
        21,
        25,
        "policy/v1",
    ),
    ("policy/v1beta1", &["PodSecurityPolicy"], 21, 25, ""),
    (
        "node.k8s.io/v1beta1",
        &["RuntimeClass"],
        20,
        25,
        "node.k8s.io/v1",
    ),
    (
        "autoscaling/v2beta2",
        &["HorizontalPodAutoscaler"],
        23,
        26,
        "autoscaling/v2",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta1",
        &["FlowSchema", "PriorityLevelConfiguration"],
        23,
        26,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    (
        "storage.k8s.io/v1beta1",
        &["CSIStorageCapacity"],
        24,
        27,
        "storage.k8s.io/v1",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta2",
        &["FlowSchema", "PriorityLevelConfiguration"],
        26,
        29,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta3",
        &["FlowSchema", "PriorityLevelConfiguration"],
        29,
        32,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
];

/// Built-in API groups (`""` is the core group), i.e. groups some bundled
/// minor serves: an unknown kind there is a typo or a removed API, never a
/// CRD. (`gateway.networking.k8s.io` and other CRD groups are not.)
pub fn is_builtin_group(group: &str) -> bool {
    static GROUPS: std::sync::OnceLock<std::collections::HashSet<String>> =
        std::sync::OnceLock::new();
    GROUPS
        .get_or_init(|| {
            let b = bundle();
            let mut set: std::collections::HashSet<String> = b
                .versions()
                .iter()
                .filter_map(|v| b.version(v))
                .flat_map(|v| v.gvks().map(|(g, _, _)| g.clone()).collect::<Vec<_>>())
                .collect();
            set.extend(HISTORY.iter().map(|(api, ..)| Gvk::parse(api, "").group));
            set
        })
        .contains(group)
}

fn history(gvk: &Gvk) -> Option<(u32, u32, Option<String>)> {
    HISTORY
        .iter()
        .find(|(api, kinds, ..)| *api == gvk.api_version() && kinds.contains(&gvk.kind.as_str()))
        .map(|(_, _, dep, rem, repl)| (*dep, *rem, (!repl.is_empty()).then(|| repl.to_string())))
}

/// The lifecycle of `gvk` on Kubernetes `1.<env>`.
pub fn lifecycle(env: &str, gvk: &Gvk) -> Lifecycle {
    let Some(env_minor) = minor(env) else {
        return Lifecycle::Unknown;
    };
    if let Some((deprecated, removed, replacement)) = history(gvk) {
        if env_minor >= removed {
            return Lifecycle::Removed {
                removed_in: removed,
                replacement,
            };
        }
        if env_minor >= deprecated {
            return Lifecycle::Deprecated {
                removed_in: removed,
                replacement,
            };
        }
        return Lifecycle::Served;
    }
    let b = bundle();
    let served: Vec<(u32, bool)> = b
        .versions()
        .iter()
        .filter_map(|v| {
            let m = minor(v)?;
            Some((
                m,
                b.version(v)?
                    .gvk(&gvk.group, &gvk.version, &gvk.kind)
                    .is_some(),
            ))
        })
        .collect();
    if !served.iter().any(|(_, s)| *s) {
        return Lifecycle::Unknown;
    }
    let here = served
        .iter()
        .find(|(m, _)| *m == env_minor)
        .map(|(_, s)| *s);
    let replacement = || replacement(env, gvk);
    match here {
        Some(true) => match served.iter().find(|(m, s)| *m > env_minor && !*s) {
            Some((m, _)) => Lifecycle::Deprecated {
                removed_in: *m,
                replacement: replacement(),
            },
            None => Lifecycle::Served,
        },
        _ => {
            let last_before = served.iter().rev().find(|(m, s)| *m < env_minor && *s);
            if let Some((last, _)) = last_before {
                let removed_in = served
                    .iter()
                    .find(|(m, _)| *m > *last)
                    .map(|(m, _)| *m)
                    .unwrap_or(last + 1);
                return Lifecycle::Removed {
                    removed_in,
                    replacement: replacement(),
                };
            }
            match served.iter().find(|(m, s)| *m > env_minor && *s) {
                Some((m, _)) => Lifecycle::NotYet { introduced_in: *m },
                None => Lifecycle::Unknown,
            }
        }
    }
}

/// The most stable other apiVersion serving the same kind on `1.<env>`.
fn replacement(env: &str, gvk: &Gvk) -> Option<String> {
    let v = bundle().version(env)?;
    let mut options: Vec<(u8, String)> = v
        .gvks()
        .filter(|(g, ver, k)| *k == gvk.kind && !(*g == gvk.group && *ver == gvk.version))
        .map(|(g, ver, _)| {
            let same_group = u8::from(*g != gvk.group);
            let api = if g.is_empty() {
                ver.clone()
            } else {
                format!("{g}/{ver}")
            };
            (same_group * 10 + stability(ver), api)
        })
        .collect();
    options.sort();
    options.into_iter().next().map(|(_, api)| api)
}

/// Lower is more stable: v2 < v1 < v1beta2 < v1beta1 < v1alpha1.
fn stability(version: &str) -> u8 {
    if version.contains("alpha") {
        3
    } else if version.contains("beta") {
        2
    } else if version == "v1" {
        1
    } else {
        0
    }
}

/// Kinds of a built-in group close to `kind` (for "did you mean").
pub fn similar_kind(env: &str, gvk: &Gvk) -> Option<String> {
    let v = bundle().version(env)?;
    let want = gvk.kind.to_ascii_lowercase();
    let mut best: Option<(usize, String)> = None;
    for (g, ver, k) in v.gvks() {
        if *g != gvk.group || *ver != gvk.version || k.ends_with("List") {
            continue;
        }
        let d = distance(&want, &k.to_ascii_lowercase());
        if d <= 2
            && best
                .as_ref()
                .is_none_or(|(bd, bk)| d < *bd || (d == *bd && k < bk))
        {
            best = Some((d, k.clone()));
        }
    }
    best.map(|(_, k)| k)
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j] + usize::from(ca != *cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn life(env: &str, api: &str, kind: &str) -> Lifecycle {
        lifecycle(env, &Gvk::parse(api, kind))
    }

    #[test]
    fn history_and_bundle_agree_with_the_migration_guide() {
        assert_eq!(
            life("1.34", "extensions/v1beta1", "Ingress"),
            Lifecycle::Removed {
                removed_in: 22,
                replacement: Some("networking.k8s.io/v1".into())
            }
        );
        assert!(matches!(
            life("1.34", "policy/v1beta1", "PodSecurityPolicy"),
            Lifecycle::Removed {
                replacement: None,
                ..
            }
        ));
        assert!(matches!(
            life("1.25", "autoscaling/v2beta2", "HorizontalPodAutoscaler"),
            Lifecycle::Deprecated { removed_in: 26, .. }
        ));
        assert_eq!(life("1.34", "apps/v1", "Deployment"), Lifecycle::Served);
        assert_eq!(life("1.34", "example.com/v1", "Widget"), Lifecycle::Unknown);
        // From the bundle alone: ValidatingAdmissionPolicy v1beta1 left in 1.34.
        assert_eq!(
            life(
                "1.34",
                "admissionregistration.k8s.io/v1beta1",
                "ValidatingAdmissionPolicy"
            ),
            Lifecycle::Removed {
                removed_in: 34,
                replacement: Some("admissionregistration.k8s.io/v1".into())
            }
        );
        assert!(matches!(
            life("1.33", "resource.k8s.io/v1", "ResourceClaim"),
            Lifecycle::NotYet { introduced_in: 34 }
        ));
    }

    #[test]
    fn did_you_mean() {
        assert_eq!(
            similar_kind("1.34", &Gvk::parse("apps/v1", "Deploymnet")).as_deref(),
            Some("Deployment")
        );
        assert_eq!(similar_kind("1.34", &Gvk::parse("apps/v1", "Zebra")), None);
    }
}
