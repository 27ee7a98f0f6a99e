//! A finding: which rule, how bad, where to edit, and a fingerprint that
//! stays the same when the line moves.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A place in a source file (1-based line and column), relative to the
/// repository root.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Rule id, e.g. `KUS001`.
    pub rule: String,
    /// Rule name, e.g. `kustomize-build`.
    pub name: String,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The target (app × environment) the finding was made on, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The rendered resource the finding is about, as `Kind/namespace/name`
    /// (`Kind/name` when cluster-scoped); waivers match on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// Stable across line moves: rule, file, target, resource and message
    /// only.
    pub fingerprint: String,
}

impl Diagnostic {
    pub fn new(
        rule: &dyn super::Rule,
        severity: Severity,
        message: String,
        location: Location,
    ) -> Diagnostic {
        let mut d = Diagnostic {
            rule: rule.id().to_string(),
            name: rule.name().to_string(),
            severity,
            message,
            location,
            help: None,
            target: None,
            resource: None,
            fingerprint: String::new(),
        };
        d.refresh_fingerprint();
        d
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_target(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self.refresh_fingerprint();
        self
    }

    pub fn with_resource(mut self, resource: impl Into<String>) -> Self {
        self.resource = Some(resource.into());
        self.refresh_fingerprint();
        self
    }

    fn refresh_fingerprint(&mut self) {
        let mut h = Sha256::new();
        for part in [
            self.rule.as_str(),
            self.location.file.as_str(),
            self.target.as_deref().unwrap_or(""),
            self.resource.as_deref().unwrap_or(""),
            self.message.as_str(),
        ] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        self.fingerprint = h
            .finalize()
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect();
    }
}

/// Sorted by file, line, column, rule: reports are deterministic.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.location, &a.rule, &a.message, &a.target).cmp(&(
            &b.location,
            &b.rule,
            &b.message,
            &b.target,
        ))
    });
}
