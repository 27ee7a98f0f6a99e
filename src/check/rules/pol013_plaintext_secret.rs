//! POL013: a Secret with readable values is committed (or generated from committed literals or files).

use crate::check::{Rule, Severity};

pub struct PlaintextSecret;

impl Rule for PlaintextSecret {
    fn id(&self) -> &'static str {
        "POL013"
    }
    fn name(&self) -> &'static str {
        "plaintext-secret"
    }
    fn domain(&self) -> &'static str {
        "policy"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a Secret with readable values is committed (or generated from committed literals or files)"
    }
    fn docs(&self) -> &'static str {
        r#"Anything in Git is readable by everyone with access to the repository, forever. A `Secret` rendered with `data` or `stringData` values is plaintext (base64 is an encoding), including Secrets produced by a kustomize `secretGenerator` from literals or files.

Fine: a SealedSecret, an ExternalSecret, a Vault-injected value (Vault agent or Secrets Store CSI), a SOPS-encrypted Secret (a top-level `sops` key), argocd-vault-plugin placeholders (`<path:...>` values or the `avp.kubernetes.io/path` annotation), and a Secret without values. The finding names the keys, never the values."#
    }
}
