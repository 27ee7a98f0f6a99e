//! Human-readable diagnostics rendered with miette: message, source
//! snippet at the line to edit, and help.

use crate::hydrate::kustomize::KustError;
use miette::{Diagnostic, LabeledSpan, NamedSource, SourceSpan};
use std::fmt;

/// An error or a finding dressed for miette, with its source text loaded.
#[derive(Debug)]
pub struct LocatedError {
    message: String,
    help: Option<String>,
    code: String,
    /// None renders as an error.
    severity: Option<miette::Severity>,
    /// The text under the marked span (errors say "here"; findings nothing).
    label: Option<String>,
    source: Option<NamedSource<String>>,
    span: Option<SourceSpan>,
}

impl fmt::Display for LocatedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LocatedError {}

impl Diagnostic for LocatedError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.severity
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span?;
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            self.label.clone(),
            span,
        ))))
    }
}

impl LocatedError {
    pub fn from_kust(e: &KustError) -> LocatedError {
        let code = format!("kustomize::{}", format!("{:?}", e.kind).to_lowercase());
        let (source, span, message) = match &e.span {
            Some(s) => {
                let text = std::fs::read_to_string(&*s.file).ok();
                let message = format!("{}\n  --> {}", e.message, s);
                match text {
                    Some(t) if s.end <= t.len() && s.start <= s.end => {
                        let len = (s.end - s.start)
                            .max(1)
                            .min(t.len().saturating_sub(s.start).max(1));
                        (
                            Some(NamedSource::new(&s.file, t)),
                            Some(SourceSpan::new(s.start.into(), len)),
                            message,
                        )
                    }
                    _ => (None, None, message),
                }
            }
            None => (None, None, e.message.clone()),
        };
        LocatedError {
            message,
            help: e.help.clone(),
            code,
            severity: None,
            label: Some("here".into()),
            source,
            span,
        }
    }
}

/// Renders `e` as text without colour (for logs, tests and snapshots).
pub fn render_plain(e: &KustError) -> String {
    let located = LocatedError::from_kust(e);
    let mut out = String::new();
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100);
    if handler.render_report(&mut out, &located).is_err() {
        return format!("error: {}", e.message);
    }
    out
}

/// Byte offset of a 1-based line and column in `text`.
fn offset(text: &str, line: u32, column: u32) -> Option<usize> {
    let start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line as usize - 2)?.0 + 1
    };
    let line_text = text[start..].split('\n').next().unwrap_or("");
    let col_bytes: usize = line_text
        .chars()
        .take(column.saturating_sub(1) as usize)
        .map(char::len_utf8)
        .sum();
    Some(start + col_bytes)
}

/// Renders findings for a terminal (colour when `color`), each with the
/// source line it points at, read from `root`.
pub fn render_findings(
    diags: &[crate::check::Diagnostic],
    root: &std::path::Path,
    color: bool,
) -> String {
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    for d in diags {
        let text = std::fs::read_to_string(root.join(&d.location.file)).ok();
        let (source, span) = match text {
            Some(t) => {
                let at = offset(&t, d.location.line, d.location.column);
                let span = at.map(|a| {
                    let len = t[a..].find('\n').unwrap_or(t.len() - a).max(1);
                    SourceSpan::new(
                        a.into(),
                        len.min(t.len().saturating_sub(a))
                            .max(if t.len() > a { 1 } else { 0 }),
                    )
                });
                (Some(NamedSource::new(d.location.file.clone(), t)), span)
            }
            None => (None, None),
        };
        let target = d
            .target
            .as_deref()
            .map(|t| format!(" [{t}]"))
            .unwrap_or_default();
        let finding = LocatedError {
            message: format!(
                "{}{target}\n  --> {}:{}:{}",
                d.message, d.location.file, d.location.line, d.location.column
            ),
            code: format!("{} {}", d.rule, d.name),
            severity: Some(match d.severity {
                crate::check::Severity::Error => miette::Severity::Error,
                crate::check::Severity::Warning => miette::Severity::Warning,
                crate::check::Severity::Info => miette::Severity::Advice,
            }),
            label: None,
            help: d.help.clone(),
            source,
            span,
        };
        if handler.render_report(&mut out, &finding).is_err() {
            out.push_str(&format!("{}: {}\n", d.severity, d.message));
        }
    }
    out
}

/// A `gitopsc.yaml` problem, with the line shown.
pub fn render_config_error(e: &crate::resolve::ConfigError, root: &std::path::Path) -> String {
    let k = KustError {
        kind: crate::hydrate::kustomize::ErrorKind::Invalid,
        message: e.message.clone(),
        span: e.span.clone().map(|mut s| {
            let abs = root.join(&*s.file);
            s.file = crate::hydrate::kustomize::loader::display_path(&abs).into();
            s
        }),
        help: Some(
            "the schema is schemas/gitopsc.schema.json; point your editor at it for completion"
                .into(),
        ),
    };
    let mut out = String::new();
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100);
    let mut located = LocatedError::from_kust(&k);
    located.code = "gitopsc::config".to_string();
    if handler.render_report(&mut out, &located).is_err() {
        out = format!("error: {}", e.message);
    }
    out
}
