//! Resource identity: group, version, kind, name and namespace.

use std::fmt;

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gvk {
    pub group: String,
    pub version: String,
    pub kind: String,
}

impl Gvk {
    pub fn new(group: &str, version: &str, kind: &str) -> Gvk {
        Gvk {
            group: group.into(),
            version: version.into(),
            kind: kind.into(),
        }
    }

    /// Parses an `apiVersion` (`apps/v1`, `v1`) and a kind.
    pub fn from_api_version(api_version: &str, kind: &str) -> Gvk {
        let (group, version) = match api_version.split_once('/') {
            Some((g, v)) => (g, v),
            None => ("", api_version),
        };
        Gvk::new(group, version, kind)
    }

    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// Whether `self` matches `selector`, whose empty fields match anything.
    pub fn is_selected_by(&self, selector: &Gvk) -> bool {
        (selector.group.is_empty() || selector.group == self.group)
            && (selector.version.is_empty() || selector.version == self.version)
            && (selector.kind.is_empty() || selector.kind == self.kind)
    }

    /// kustomize's `Gvk.IsLessThan`: some kinds first (namespaces, RBAC,
    /// config...), webhooks last, the rest by `group_version_kind` text
    /// (blanks written `~G`, `~V`, `~K`). Used to sort field-spec lists.
    pub fn is_less_than(&self, other: &Gvk) -> bool {
        let (a, b) = (kind_rank(&self.kind), kind_rank(&other.kind));
        if a != b {
            return a < b;
        }
        self.stable_sort_key().lt(other.stable_sort_key())
    }

    /// The bytes of `group_version_kind`, compared without building the
    /// string (sorting field specs compares a lot of them).
    fn stable_sort_key(&self) -> impl Iterator<Item = u8> + '_ {
        let g = blank_or(&self.group, "~G");
        let v = blank_or(&self.version, "~V");
        let k = blank_or(&self.kind, "~K");
        g.bytes()
            .chain(std::iter::once(b'_'))
            .chain(v.bytes())
            .chain(std::iter::once(b'_'))
            .chain(k.bytes())
    }

    /// Cluster-scoped kinds of Kubernetes itself; anything else (custom
    /// resources included) is taken as namespaced, as kustomize does.
    pub fn is_cluster_scoped(&self) -> bool {
        is_cluster_scoped_kind(&self.group, &self.kind)
    }
}

pub fn is_cluster_scoped_kind(group: &str, kind: &str) -> bool {
    matches!(
        (group, kind),
        ("", "Namespace")
            | ("", "Node")
            | ("", "PersistentVolume")
            | ("", "ComponentStatus")
            | ("rbac.authorization.k8s.io", "ClusterRole")
            | ("rbac.authorization.k8s.io", "ClusterRoleBinding")
            | ("apiextensions.k8s.io", "CustomResourceDefinition")
            | ("apiregistration.k8s.io", "APIService")
            | (
                "admissionregistration.k8s.io",
                "MutatingWebhookConfiguration"
            )
            | (
                "admissionregistration.k8s.io",
                "ValidatingWebhookConfiguration"
            )
            | ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy")
            | (
                "admissionregistration.k8s.io",
                "ValidatingAdmissionPolicyBinding"
            )
            | ("admissionregistration.k8s.io", "MutatingAdmissionPolicy")
            | (
                "admissionregistration.k8s.io",
                "MutatingAdmissionPolicyBinding"
            )
            | ("storage.k8s.io", "StorageClass")
            | ("storage.k8s.io", "CSIDriver")
            | ("storage.k8s.io", "CSINode")
            | ("storage.k8s.io", "VolumeAttachment")
            | ("storage.k8s.io", "VolumeAttributesClass")
            | ("scheduling.k8s.io", "PriorityClass")
            | ("networking.k8s.io", "IngressClass")
            | ("networking.k8s.io", "IPAddress")
            | ("networking.k8s.io", "ServiceCIDR")
            | ("node.k8s.io", "RuntimeClass")
            | ("policy", "PodSecurityPolicy")
            | ("certificates.k8s.io", "CertificateSigningRequest")
            | ("certificates.k8s.io", "ClusterTrustBundle")
            | ("flowcontrol.apiserver.k8s.io", "FlowSchema")
            | ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration")
            | ("authentication.k8s.io", "TokenReview")
            | ("authentication.k8s.io", "SelfSubjectReview")
            | ("authorization.k8s.io", "SelfSubjectAccessReview")
            | ("authorization.k8s.io", "SelfSubjectRulesReview")
            | ("authorization.k8s.io", "SubjectAccessReview")
            | ("resource.k8s.io", "DeviceClass")
            | ("resource.k8s.io", "ResourceSlice")
    )
}

impl fmt::Display for Gvk {
    /// kustomize v5's `Kind.Version.Group` form, with `[noKind]`,
    /// `[noVer]` and `[noGrp]` for blanks (as its error messages print ids).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let k = blank_or(&self.kind, "[noKind]");
        let v = blank_or(&self.version, "[noVer]");
        let g = blank_or(&self.group, "[noGrp]");
        write!(f, "{k}.{v}.{g}")
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResId {
    pub gvk: Gvk,
    pub name: String,
    pub namespace: String,
}

impl ResId {
    pub fn new(gvk: Gvk, name: &str, namespace: &str) -> ResId {
        ResId {
            gvk,
            name: name.into(),
            namespace: namespace.into(),
        }
    }

    /// The namespace that counts when comparing ids: none for
    /// cluster-scoped kinds, `default` when unset.
    pub fn effective_namespace(&self) -> &str {
        if self.gvk.is_cluster_scoped() {
            ""
        } else if self.namespace.is_empty() {
            "default"
        } else {
            &self.namespace
        }
    }

    /// Same kind, name and effective namespace.
    pub fn equals(&self, other: &ResId) -> bool {
        self.gvk == other.gvk
            && self.name == other.name
            && self.effective_namespace() == other.effective_namespace()
    }

    /// Equal but for the name.
    pub fn gvk_ns_equals(&self, other: &ResId) -> bool {
        self.gvk == other.gvk && self.effective_namespace() == other.effective_namespace()
    }
}

impl fmt::Display for ResId {
    /// kustomize v5's `Kind.Version.Group/name.namespace` form, with
    /// `[noName]` and `[noNs]` for blanks.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = blank_or(&self.name, "[noName]");
        let ns = blank_or(&self.namespace, "[noNs]");
        write!(f, "{}/{name}.{ns}", self.gvk)
    }
}

/// Kinds kustomize ranks before (negative) or after (positive) all others.
pub const KINDS_FIRST: [&str; 22] = [
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];
pub const KINDS_LAST: [&str; 2] = [
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

fn kind_rank(kind: &str) -> i64 {
    if let Some(i) = KINDS_FIRST.iter().position(|k| *k == kind) {
        return i as i64 - KINDS_FIRST.len() as i64;
    }
    KINDS_LAST
        .iter()
        .position(|k| *k == kind)
        .map_or(0, |i| i as i64 + 1)
}

fn blank_or<'a>(s: &'a str, blank: &'a str) -> &'a str {
    if s.is_empty() { blank } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_api_versions() {
        let g = Gvk::from_api_version("apps/v1", "Deployment");
        assert_eq!((g.group.as_str(), g.version.as_str()), ("apps", "v1"));
        assert_eq!(Gvk::from_api_version("v1", "Pod").group, "");
        assert_eq!(g.to_string(), "Deployment.v1.apps");
        let id = ResId::new(Gvk::new("", "v1", "ServiceAccount"), "sa", "");
        assert_eq!(id.to_string(), "ServiceAccount.v1.[noGrp]/sa.[noNs]");
    }

    #[test]
    fn default_namespace_equals_unset() {
        let a = ResId::new(Gvk::new("", "v1", "ConfigMap"), "x", "");
        let b = ResId::new(Gvk::new("", "v1", "ConfigMap"), "x", "default");
        assert!(a.equals(&b));
        let c = ResId::new(Gvk::new("", "v1", "ConfigMap"), "x", "other");
        assert!(!a.equals(&c));
    }
}
