//! Human-readable diagnostics rendered with miette: message, source
//! snippet at the line to edit, and help.

use crate::hydrate::kustomize::KustError;
use miette::{Diagnostic, LabeledSpan, NamedSource, SourceSpan};
use std::fmt;

/// A [`KustError`] dressed for miette, with its source text loaded.
#[derive(Debug)]
pub struct LocatedError {
    message: String,
    help: Option<String>,
    code: String,
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
            Some("here".into()),
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
