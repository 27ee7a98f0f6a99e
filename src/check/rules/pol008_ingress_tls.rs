//! POL008: a production Ingress serves a host without TLS.

use crate::check::{Rule, Severity};

pub struct IngressTls;

impl Rule for IngressTls {
    fn id(&self) -> &'static str {
        "POL008"
    }
    fn name(&self) -> &'static str {
        "ingress-tls"
    }
    fn domain(&self) -> &'static str {
        "policy"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a production Ingress serves a host without TLS"
    }
    fn docs(&self) -> &'static str {
        r#"In production every Ingress must have a `spec.tls` section and every `spec.rules[].host` must be listed in one of its `hosts`; otherwise the host is served over plain HTTP (and cert-manager issues no certificate for it).

Production environments are those whose `production` parameter is true: by default environments named prod, production, prd or live."#
    }
}
