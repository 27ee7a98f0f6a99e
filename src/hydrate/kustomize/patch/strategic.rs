//! Strategic merge patches, with Kubernetes patch metadata.
