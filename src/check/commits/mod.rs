//! Commit-message rules with commitlint's verdicts: the default ignores,
//! the order of operations of `@commitlint/lint`, every commitlint rule
//! (those of `@commitlint/config-conventional` on by default), the
//! commitlint-style report, and semantic-release's next version.

pub mod case;
pub mod registry;
pub mod release;
pub mod rules;
pub mod semver;

use crate::check::{Diagnostic, Location, Rule, Severity};
use crate::load::commit::{self, Commit, ParserOptions, js};
use crate::resolve::commitlint::LintConfig;

/// One failed rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1 warning, 2 error.
    pub level: u8,
    pub name: String,
    pub message: String,
}

/// The verdict on one message.
#[derive(Clone, Debug)]
pub struct LintOutcome {
    pub valid: bool,
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
    /// What commitlint shows as `input:` (header, body and footer).
    pub input: String,
    /// Skipped by an ignore pattern (merge, revert, fixup!, version...).
    pub ignored: bool,
    /// The parsed message (absent when ignored or empty).
    pub commit: Option<Commit>,
}

impl LintOutcome {
    fn pass(input: &str, ignored: bool) -> LintOutcome {
        LintOutcome {
            valid: true,
            errors: Vec::new(),
            warnings: Vec::new(),
            input: input.to_string(),
            ignored,
            commit: None,
        }
    }
}

/// Lines as JavaScript's multiline `^`/`$` see them.
fn js_lines(s: &str) -> impl Iterator<Item = &str> {
    s.split(js::is_line_terminator)
}

/// commitlint's default ignores (`@commitlint/is-ignored`), tested on the
/// raw message.
pub fn default_ignored(m: &str) -> bool {
    // Multiline patterns: any line of the message.
    let merge_line = |l: &str| {
        l.starts_with("Merge pull request")
            || l.starts_with("Merge branch ")
            || l.starts_with("Merge tag ")
            || l.strip_prefix("Merge ")
                .is_some_and(|r| r.contains(" into "))
    };
    if js_lines(m).any(merge_line) {
        return true;
    }
    let first = js_lines(m).next().unwrap_or("");
    [
        "Revert ", "revert ", "Reapply ", "reapply ", "amend!", "fixup!", "squash!",
    ]
    .iter()
    .any(|p| m.starts_with(p))
        || is_version_commit(m)
        || first
            .strip_prefix("Merged ")
            .is_some_and(|r| r.contains("in ") || r.contains("into "))
        || first
            .strip_prefix("Merged PR ")
            .is_some_and(|r| r.contains(": "))
        || m.starts_with("Merge remote-tracking branch")
        || m.starts_with("Automatic merge")
        || first
            .strip_prefix("Auto-merged ")
            .is_some_and(|r| r.contains(" into "))
}

/// A release commit: the first line, without `chore(scope):` and one
/// `[skip ci]`/`(skip ci)` marker, is a semantic version.
fn is_version_commit(m: &str) -> bool {
    let first = m.split('\n').next().unwrap_or("");
    let mut s = first.to_string();
    if let Some(rest) = s.strip_prefix("chore") {
        let rest = match rest.strip_prefix('(') {
            Some(r) => match r.find(')') {
                Some(i) if i > 0 => Some(&r[i + 1..]),
                _ => None,
            },
            None => Some(rest),
        };
        // `(\([^)]+\))?` is optional: a failed scope leaves `chore(`.
        if let Some(after) = rest.and_then(|r| r.strip_prefix(':')) {
            s = after.to_string();
        } else if let Some(after) = s.strip_prefix("chore:") {
            s = after.to_string();
        }
    }
    for (open, close) in [('[', ']'), ('(', ')')] {
        if let Some((i, len)) = skip_marker(&s, open, close) {
            s.replace_range(i..i + len, "");
        }
    }
    semver::Version::parse(&s).is_some()
}

/// `\[(skip|ci)(-|\s)(ci|skip)\]` (case-insensitive), first occurrence:
/// byte offset and length.
fn skip_marker(s: &str, open: char, close: char) -> Option<(usize, usize)> {
    for (i, _) in s.match_indices(open) {
        let rest = &s[i + 1..];
        for w1 in ["skip", "ci"] {
            if !js::starts_with_ci(rest, 0, w1) {
                continue;
            }
            let r = &rest[w1.len()..];
            let Some(sep) = r.chars().next().filter(|&c| c == '-' || js::is_space(c)) else {
                continue;
            };
            let r = &r[sep.len_utf8()..];
            for w2 in ["ci", "skip"] {
                if js::starts_with_ci(r, 0, w2) && r[w2.len()..].starts_with(close) {
                    return Some((i, 1 + w1.len() + sep.len_utf8() + w2.len() + 1));
                }
            }
        }
    }
    None
}

/// `buildCommitMessage`: header, body and footer joined by blank lines
/// (a missing header shows as `null`, as in commitlint).
fn build_input(c: &Commit) -> String {
    let mut m = c.header.clone().unwrap_or_else(|| "null".into());
    for part in [&c.body, &c.footer].into_iter().flatten() {
        if !part.is_empty() {
            m.push_str("\n\n");
            m.push_str(part);
        }
    }
    if c.header.is_none() && m == "null" {
        String::new()
    } else {
        m
    }
}

/// Lints one message. `comment_char` is set in `--edit` mode (git's
/// `core.commentChar`, usually `#`): comment lines and the scissors
/// section are dropped before parsing.
pub fn lint(message: &str, cfg: &LintConfig, comment_char: Option<&str>) -> LintOutcome {
    if (cfg.default_ignores && default_ignored(message))
        || cfg.ignores.iter().any(|r| r.is_match(message))
    {
        return LintOutcome::pass(message, true);
    }
    let mut opts = ParserOptions::commitlint();
    opts.comment_char = comment_char.map(str::to_string);
    let Some(c) = commit::parse(message, &opts) else {
        return LintOutcome::pass(message, false);
    };
    if c.header.is_none() && c.body.is_none() && c.footer.is_none() {
        return LintOutcome::pass(message, false);
    }
    let mut out = LintOutcome {
        valid: true,
        errors: Vec::new(),
        warnings: Vec::new(),
        input: build_input(&c),
        ignored: false,
        commit: None,
    };
    for (name, setting) in &cfg.rules {
        if setting.level == 0 {
            continue;
        }
        let Ok((ok, message)) = rules::run(name, &c, setting) else {
            continue;
        };
        if ok {
            continue;
        }
        let p = Problem {
            level: setting.level,
            name: name.clone(),
            message,
        };
        if setting.level == 2 {
            out.errors.push(p);
        } else {
            out.warnings.push(p);
        }
    }
    out.valid = out.errors.is_empty();
    out.commit = Some(c);
    out
}

/// Options of the commitlint-style report.
#[derive(Clone, Debug, Default)]
pub struct FormatOptions {
    pub color: bool,
    /// Also show passing messages (`✔   found 0 problems, 0 warnings`).
    pub verbose: bool,
    pub help_url: Option<String>,
}

/// commitlint's default formatter (`@commitlint/format`), byte for byte
/// without colour. Empty when there is nothing to say.
pub fn format(results: &[(Option<String>, &LintOutcome)], o: &FormatOptions) -> String {
    let paint = |code: &str, s: &str| {
        if o.color {
            format!("\x1b[{code}m{s}\x1b[39m")
        } else {
            s.to_string()
        }
    };
    let bold = |s: &str| {
        if o.color {
            format!("\x1b[1m{s}\x1b[22m")
        } else {
            s.to_string()
        }
    };
    let mut lines: Vec<String> = Vec::new();
    for (label, r) in results {
        let has = !r.errors.is_empty() || !r.warnings.is_empty();
        if r.input.is_empty() {
            lines.push(String::new());
        } else if o.verbose || has {
            if let Some(l) = label {
                lines.push(format!("{}   commit: {l}", paint("90", "⧗")));
            }
            lines.push(format!("{}   input: {}", paint("90", "⧗"), bold(&r.input)));
        }
        for p in r.errors.iter().chain(&r.warnings) {
            let (sign, color) = if p.level == 2 {
                ("✖", "31")
            } else {
                ("⚠", "33")
            };
            lines.push(format!(
                "{}   {} {}",
                paint(color, sign),
                p.message,
                paint("90", &format!("[{}]", p.name))
            ));
        }
        let (sign, color) = if !r.errors.is_empty() {
            ("✖", "31")
        } else if !r.warnings.is_empty() {
            ("⚠", "33")
        } else {
            ("✔", "32")
        };
        if has {
            lines.push(String::new());
        }
        if o.verbose || has {
            let summary = format!(
                "{}   found {} problems, {} warnings",
                paint(color, sign),
                r.errors.len(),
                r.warnings.len()
            );
            lines.push(if o.color { bold(&summary) } else { summary });
        }
        if has {
            if let Some(u) = &o.help_url {
                lines.push(format!("ⓘ   Get help: {u}"));
            }
            lines.push(String::new());
        }
    }
    let out = lines.join("\n");
    if out.is_empty() { out } else { out + "\n" }
}

/// Line (1-based, in the raw message) a problem is about.
fn problem_line(c: Option<&Commit>, name: &str) -> u32 {
    let Some(c) = c else { return 1 };
    let raw = js::split_lines(&c.raw);
    let find = |text: Option<&str>| {
        text.and_then(|t| js::split_lines(t).first().copied())
            .and_then(|first| raw.iter().position(|l| *l == first))
            .map_or(1, |i| i as u32 + 1)
    };
    match name.split('-').next().unwrap_or("") {
        "body" => find(c.body.as_deref()),
        "footer" | "references" | "trailer" | "signed" => {
            find(c.footer.as_deref().or(c.body.as_deref()))
        }
        _ => find(c.header.as_deref()),
    }
}

/// The problems of an outcome as diagnostics located in `file` (a
/// message file, or a commit named by `target`).
pub fn diagnostics(r: &LintOutcome, file: &str, target: Option<&str>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for p in r.errors.iter().chain(&r.warnings) {
        let Some(rule) = registry::find(&p.name) else {
            continue;
        };
        let sev = if p.level == 2 {
            Severity::Error
        } else {
            Severity::Warning
        };
        let loc = Location {
            file: file.to_string(),
            line: problem_line(r.commit.as_ref(), &p.name),
            column: 1,
        };
        let mut d = Diagnostic::new(rule, sev, p.message.clone(), loc).with_help(rule.summary());
        if let Some(t) = target {
            d = d.with_target(t);
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(m: &str) -> (bool, Vec<String>) {
        let r = lint(m, &LintConfig::default(), None);
        (r.valid, r.errors.iter().map(|p| p.name.clone()).collect())
    }

    #[test]
    fn ignores() {
        for m in [
            "Merge branch 'main' into x",
            "Feat: Add X.\n\nMerge the old form into the new one",
            "Revert ",
            "fixup!x",
            "chore(release): v1.2.3 [skip ci]",
            "1.2.3\r\n",
            "Merged in feature/login (pull request #42)",
            "Auto-merged a into b",
        ] {
            assert!(default_ignored(m), "{m:?}");
        }
        for m in [
            "Merge commit 'abc'",
            "merge branch x",
            "Revert: x",
            " fixup! x",
            "=1.2.3",
            "chore(release)!: 2.0.0",
        ] {
            assert!(!default_ignored(m), "{m:?}");
        }
    }

    #[test]
    fn verdicts() {
        assert_eq!(names("feat: add login page"), (true, vec![]));
        assert_eq!(
            names("Add login page."),
            (
                false,
                vec![
                    "subject-empty".into(),
                    "subject-full-stop".into(),
                    "type-empty".into()
                ]
            )
        );
        assert_eq!(names("feat: Élan"), (false, vec!["subject-case".into()]));
        assert_eq!(names("feat: iOS"), (true, vec![]));
    }

    #[test]
    fn commitlint_format() {
        let r = lint("foo: bar", &LintConfig::default(), None);
        let text = format(
            &[(None, &r)],
            &FormatOptions {
                help_url: Some("U".into()),
                ..Default::default()
            },
        );
        assert_eq!(
            text,
            "⧗   input: foo: bar\n✖   type must be one of [build, chore, ci, docs, feat, fix, perf, refactor, revert, style, test] [type-enum]\n\n✖   found 1 problems, 0 warnings\nⓘ   Get help: U\n\n"
        );
    }
}
