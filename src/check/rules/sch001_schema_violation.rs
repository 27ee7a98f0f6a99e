//! SCH001: a field's value breaks the schema of its kind.

use crate::check::{Rule, Severity};

pub struct SchemaViolation;

impl Rule for SchemaViolation {
    fn id(&self) -> &'static str {
        "SCH001"
    }
    fn name(&self) -> &'static str {
        "schema-violation"
    }
    fn domain(&self) -> &'static str {
        "schema"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a rendered resource breaks its kind's schema (type, enum, required field, pattern, range)"
    }
    fn docs(&self) -> &'static str {
        "The API server rejects an object that does not match its schema, and \
Argo CD then reports the application as SyncFailed. gitopsc validates every \
rendered resource of every environment offline, against:\n\n\
1. JSON schemas in the folders listed under `schemas:` in gitopsc.yaml \
(kubeconform-style files or CRD manifests);\n\
2. every CustomResourceDefinition found in the repository or its rendered \
targets (each served version's `openAPIV3Schema`);\n\
3. the bundled Kubernetes schemas of the environment's `kubernetesVersion` \
(default 1.34);\n\
4. the bundled CRD schemas of the platform stack (Argo CD, cert-manager, \
MetalLB, Traefik, Longhorn, Prometheus operator, Velero).\n\n\
The finding names the field (`spec.replicas of Deployment/web in prod`) \
and points at the line that set the value: the overlay patch, the generator \
entry, or the base file.\n\n\
Example: a patch with `replicas: two` gives `expected integer, got string \
\"two\"` at the patch's line. Fix the value there."
    }
}
