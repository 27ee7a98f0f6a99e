//! Running every rule over a repository's hydrated targets.

use super::rules::BuildFailed;
use super::{Diagnostic, Location, Rule, Severity};
use crate::hydrate::targets::Hydrated;
use crate::load::yaml::Span;
use crate::resolve::Config;
use std::path::Path;

/// A span (whose file is relative to the current directory or absolute)
/// as a location relative to the repository root.
pub fn location(span: Option<&Span>, root: &Path, fallback: &str) -> Location {
    match span {
        Some(s) => {
            let file = Path::new(&*s.file);
            let abs = if file.is_absolute() {
                file.to_path_buf()
            } else {
                std::env::current_dir()
                    .map(|c| std::fs::canonicalize(&c).unwrap_or(c).join(file))
                    .unwrap_or_else(|_| file.to_path_buf())
            };
            let rel = abs
                .strip_prefix(root)
                .map(|p| p.to_path_buf())
                .unwrap_or(abs);
            Location {
                file: rel.to_string_lossy().into_owned(),
                line: s.line,
                column: s.col,
            }
        }
        None => Location {
            file: fallback.to_string(),
            line: 1,
            column: 1,
        },
    }
}

/// Findings over the targets `report` marks (one flag per target of
/// `hydrated`), sorted. The other targets are context: rules that look
/// across targets (an environment's inventory, an app's promotion order)
/// read them, but nothing is reported about them. `listed` names the
/// repository files that may hold CRDs and Gatekeeper objects when the
/// caller knows them (else the work tree is walked).
pub fn check_targets(
    root: &Path,
    cfg: &Config,
    hydrated: &[Hydrated],
    report: &[bool],
    listed: Option<&super::scan::RepoFiles>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (h, _) in hydrated.iter().zip(report).filter(|(_, r)| **r) {
        let env = &h.target.env;
        if let Err(e) = &h.result {
            let Some(sev) = severity(cfg, &BuildFailed, env) else {
                continue;
            };
            let fallback = format!("{}/kustomization.yaml", h.target.source);
            let mut d = Diagnostic::new(
                &BuildFailed,
                sev,
                root_relative_message(&e.message, root),
                location(e.span.as_ref(), root, &fallback),
            )
            .with_target(h.target.id());
            if let Some(help) = &e.help {
                d = d.with_help(help.clone());
            }
            out.push(d);
        }
    }
    out.extend(super::schema::check_targets(
        root, cfg, hydrated, report, listed,
    ));
    out.extend(super::image::check_targets(root, cfg, hydrated));
    out.extend(super::policy::gatekeeper::check_targets(
        root, cfg, hydrated, report, listed,
    ));
    out.extend(super::policy::builtin::check_targets(
        root, cfg, hydrated, report,
    ));
    let wanted: std::collections::HashSet<String> = hydrated
        .iter()
        .zip(report)
        .filter(|(_, r)| **r)
        .map(|(h, _)| h.target.id())
        .collect();
    out.retain(|d| d.target.as_ref().is_none_or(|t| wanted.contains(t)));
    let today = super::policy::waiver::Date::today();
    super::policy::waiver::apply(root, cfg, hydrated, &mut out, today);
    super::diagnostic::sort(&mut out);
    out
}

/// The engine names files as a user would from the current directory (like
/// `kustomize build`); a finding names them from the repository root, so
/// its message and fingerprint do not depend on where gitopsc ran.
fn root_relative_message(message: &str, root: &Path) -> String {
    let shown = crate::hydrate::kustomize::loader::display_path(root);
    if shown == "." {
        return message.to_string();
    }
    message.replace(&format!("{shown}/"), "")
}

pub fn severity(cfg: &Config, rule: &dyn Rule, env: &str) -> Option<Severity> {
    cfg.severity_for(rule, env, rule.default_severity())
}
