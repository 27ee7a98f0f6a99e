//! Reads files for one kustomization, enforcing kustomize's load
//! restrictor and refusing remote and binary inputs with a clear message.

use super::error::{ErrorKind, KustError, Result};
use crate::load::yaml::shared::parse_documents_shared;
use crate::load::yaml::{Node, Span};
use crate::source::{Fs, FsError, normalize};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LoadRestrictor {
    /// Files must sit in or below the kustomization's directory.
    #[default]
    RootOnly,
    /// Files may be anywhere the [`Fs`] allows.
    None,
}

#[derive(Clone)]
pub struct Loader<'a> {
    pub fs: &'a dyn Fs,
    /// The kustomization's directory (absolute, symlinks resolved).
    pub root: PathBuf,
    pub restrictor: LoadRestrictor,
}

impl<'a> Loader<'a> {
    pub fn new(fs: &'a dyn Fs, root: &Path, restrictor: LoadRestrictor) -> Result<Loader<'a>> {
        let root = fs.canonical(root).map_err(KustError::from)?;
        Ok(Loader {
            fs,
            root,
            restrictor,
        })
    }

    /// A loader for a directory referenced from this kustomization.
    pub fn sub(&self, rel: &str, at: Option<&Span>) -> Result<Loader<'a>> {
        check_remote(rel, at)?;
        let path = normalize(&self.root.join(rel));
        if !self.fs.is_dir(&path) {
            return Err(KustError::not_found(format!(
                "must build at directory: not a valid directory: '{}'",
                display_path(&path)
            ))
            .at(at));
        }
        Loader::new(self.fs, &path, self.restrictor).map_err(|e| e.at(at))
    }

    /// The absolute path of `rel`, checked against the restrictor.
    pub fn resolve(&self, rel: &str, at: Option<&Span>) -> Result<PathBuf> {
        check_remote(rel, at)?;
        let path = normalize(&self.root.join(rel));
        if !self.fs.exists(&path) {
            return Err(
                KustError::not_found(format!("'{}' doesn't exist", display_path(&path))).at(at),
            );
        }
        if self.restrictor == LoadRestrictor::RootOnly {
            let real = self
                .fs
                .canonical(&path)
                .map_err(|e| KustError::from(e).at(at))?;
            if !real.starts_with(&self.root) {
                return Err(KustError::new(
                    ErrorKind::Restricted,
                    format!(
                        "security; file '{}' is not in or below '{}'",
                        display_path(&real),
                        display_path(&self.root)
                    ),
                )
                .at(at)
                .with_help("move the file under the kustomization's directory, or build with --load-restrictor=LoadRestrictionsNone"));
            }
        }
        Ok(path)
    }

    pub fn is_dir(&self, rel: &str) -> bool {
        self.fs.is_dir(&normalize(&self.root.join(rel)))
    }

    /// Raw bytes of a file (generator sources may be binary).
    pub fn read_bytes(&self, rel: &str, at: Option<&Span>) -> Result<(PathBuf, Vec<u8>)> {
        let path = self.resolve(rel, at)?;
        if self.fs.is_dir(&path) {
            return Err(KustError::invalid(format!(
                "'{}' is a directory, not a file",
                display_path(&path)
            ))
            .at(at));
        }
        let bytes = self.fs.read(&path).map_err(|e| fs_error(e, at))?;
        Ok((path, bytes))
    }

    /// A text file; binary content is refused.
    pub fn read_text(&self, rel: &str, at: Option<&Span>) -> Result<(PathBuf, String)> {
        let (path, bytes) = self.read_bytes(rel, at)?;
        let text = to_text(&path, bytes).map_err(|e| e.at(at))?;
        Ok((path, text))
    }

    /// Every YAML document of a file, parsed with spans.
    pub fn read_yaml(&self, rel: &str, at: Option<&Span>) -> Result<(PathBuf, Vec<Node>)> {
        let (path, text) = self.read_text(rel, at)?;
        let docs = parse_documents_shared(&display_path(&path), &text)?;
        Ok((path, docs))
    }
}

fn fs_error(e: FsError, at: Option<&Span>) -> KustError {
    KustError::from(e).at(at)
}

/// Text of a file, or a clear error for binary content.
pub fn to_text(path: &Path, bytes: Vec<u8>) -> Result<String> {
    if bytes.contains(&0) {
        return Err(KustError::new(
            ErrorKind::Yaml,
            format!("{} is a binary file, not YAML", display_path(path)),
        ));
    }
    String::from_utf8(bytes).map_err(|_| {
        KustError::new(
            ErrorKind::Yaml,
            format!("{} is not valid UTF-8 text", display_path(path)),
        )
    })
}

/// Whether a resource entry names something remote (a URL or git repo).
pub fn is_remote(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    [
        "http://", "https://", "git@", "ssh://", "git::", "file://", "s3::", "gcs::",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
        || ["github.com/", "gitlab.com/", "bitbucket.org/"]
            .iter()
            .any(|h| lower.starts_with(h))
        || lower.contains(".git//")
        || lower.contains("?ref=")
}

fn check_remote(rel: &str, at: Option<&Span>) -> Result<()> {
    if is_remote(rel) {
        return Err(KustError::new(
            ErrorKind::Remote,
            format!("'{rel}' is a remote resource; gitopsc builds offline and does not fetch it"),
        )
        .at(at)
        .with_help("vendor it into the repository (for example `git subtree add` or copy the rendered base) and refer to the local path"));
    }
    Ok(())
}

/// A path as users should read it: relative to the current directory when
/// below it.
pub fn display_path(p: &Path) -> String {
    // Resolved once: gitopsc never changes its working directory, and this
    // runs for every file a build reads.
    static CWD: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    let cwd = CWD.get_or_init(|| {
        std::env::current_dir()
            .ok()
            .map(|cwd| std::fs::canonicalize(&cwd).unwrap_or(cwd))
    });
    if let Some(rel) = cwd.as_ref().and_then(|cwd| p.strip_prefix(cwd).ok()) {
        let s = rel.display().to_string();
        return if s.is_empty() { ".".into() } else { s };
    }
    p.display().to_string()
}
