//! Target selectors: group/version/kind/name/namespace, label and annotation selectors.
