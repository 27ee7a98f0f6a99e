//! Changed-only runs: the files that changed (staged, or since a
//! revision), and which targets they affect. A target is affected when a
//! changed path is one of its inputs (every file its build read, and the
//! kustomization file names probed in each folder it loaded, see
//! `cache`); a change to `gitopsc.yaml`, a policy or schema folder or a
//! CRD affects every target. A new target's kustomization file is a
//! changed input of it, so new targets are always selected.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

#[derive(Debug, thiserror::Error)]
pub enum ChangedError {
    #[error("{0}")]
    Git(String),
    #[error(
        "revision '{rev}' is not in this shallow clone; fetch it first:\n    git fetch --depth=1 origin {rev}\n(or fetch the whole history: git fetch --unshallow)"
    )]
    Shallow { rev: String },
    #[error("unknown revision '{rev}': {stderr}")]
    UnknownRevision { rev: String, stderr: String },
}

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, ChangedError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| ChangedError::Git(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(ChangedError::Git(format!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(out.stdout)
}

fn paths(bytes: &[u8]) -> impl Iterator<Item = String> + '_ {
    bytes
        .split(|b| *b == 0)
        .filter(|r| !r.is_empty())
        .map(|r| String::from_utf8_lossy(r).into_owned())
}

/// Paths (relative to `root`) whose staged content differs from `HEAD`
/// (every staged path before the first commit).
pub fn staged(root: &Path) -> Result<BTreeSet<String>, ChangedError> {
    let out = git(
        root,
        &[
            "diff",
            "--cached",
            "--name-only",
            "--no-renames",
            "-z",
            "--relative",
        ],
    )?;
    Ok(paths(&out).collect())
}

/// Paths (relative to `root`) that differ between `rev` and the working
/// tree, untracked files included.
pub fn since(root: &Path, rev: &str) -> Result<BTreeSet<String>, ChangedError> {
    let spec = format!("{rev}^{{commit}}");
    if let Err(ChangedError::Git(stderr)) = git(root, &["rev-parse", "--verify", "-q", &spec]) {
        let shallow = git(root, &["rev-parse", "--is-shallow-repository"])
            .map(|o| o.starts_with(b"true"))
            .unwrap_or(false);
        return Err(if shallow {
            ChangedError::Shallow {
                rev: rev.to_string(),
            }
        } else {
            ChangedError::UnknownRevision {
                rev: rev.to_string(),
                stderr,
            }
        });
    }
    let out = git(
        root,
        &[
            "diff",
            "--name-only",
            "--no-renames",
            "-z",
            "--relative",
            &spec,
            "--",
        ],
    )?;
    let mut set: BTreeSet<String> = paths(&out).collect();
    let others = git(root, &["ls-files", "--others", "--exclude-standard", "-z"])?;
    set.extend(paths(&others));
    Ok(set)
}

/// Whether a target with these inputs (repo-relative path, id) is
/// affected by `changed`.
pub fn affected(inputs: &[(String, String)], changed: &BTreeSet<String>) -> bool {
    inputs.iter().any(|(p, _)| changed.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn affected_by_any_input() {
        let inputs = vec![
            (
                "apps/a/base/kustomization.yaml".to_string(),
                "1".to_string(),
            ),
            ("apps/a/base/deploy.yaml".to_string(), "2".to_string()),
        ];
        let mut changed = BTreeSet::new();
        changed.insert("apps/b/base/deploy.yaml".to_string());
        assert!(!affected(&inputs, &changed));
        changed.insert("apps/a/base/deploy.yaml".to_string());
        assert!(affected(&inputs, &changed));
    }
}
