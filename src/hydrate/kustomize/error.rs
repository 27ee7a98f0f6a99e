//! Errors of a kustomize build, each with the source location to fix.

use crate::load::yaml::{Span, YamlError};
use crate::source::FsError;

/// What went wrong, for callers that branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Reading a file failed (missing, unreadable, too large).
    Io,
    /// The file is not valid YAML (or is binary).
    Yaml,
    /// A remote resource: gitopsc builds offline.
    Remote,
    /// A path leaves the kustomization root under the load restrictor.
    Restricted,
    /// Kustomizations include each other in a loop.
    Cycle,
    /// Two resources share an id, or a lookup matched several.
    Conflict,
    /// Something referenced does not exist (resource, target, var).
    NotFound,
    /// The kustomization or a plugin config is malformed.
    Invalid,
    /// A feature gitopsc deliberately does not run (Helm, exec plugins).
    Unsupported,
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct KustError {
    pub kind: ErrorKind,
    pub message: String,
    /// Where the person must look: a kustomization line, a patch, a file.
    pub span: Option<Span>,
    pub help: Option<String>,
}

pub type Result<T, E = KustError> = std::result::Result<T, E>;

impl KustError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        KustError {
            kind,
            message: message.into(),
            span: None,
            help: None,
        }
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Invalid, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, message)
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, message)
    }
    /// Attaches a location unless a more precise one is already known.
    pub fn at(mut self, span: Option<&Span>) -> Self {
        if self.span.is_none() {
            self.span = span.cloned();
        }
        self
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    /// Prefixes the message with context, as kustomize wraps its errors.
    pub fn context(mut self, prefix: impl std::fmt::Display) -> Self {
        self.message = format!("{prefix}: {}", self.message);
        self
    }
}

impl From<YamlError> for KustError {
    fn from(e: YamlError) -> Self {
        KustError {
            kind: ErrorKind::Yaml,
            message: e.message,
            span: Some(e.span),
            help: None,
        }
    }
}

impl From<FsError> for KustError {
    fn from(e: FsError) -> Self {
        let kind = match e {
            FsError::OutsideRoot { .. } => ErrorKind::Restricted,
            _ => ErrorKind::Io,
        };
        KustError::new(kind, e.to_string())
    }
}
