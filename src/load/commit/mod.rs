//! Commit messages: a model and a parser with conventional-commits-parser
//! 6.4 semantics, configured the way commitlint (`conventionalcommits`
//! preset) and semantic-release's commit analyzer (`angular` or
//! `conventionalcommits` preset) configure it.
//!
//! The parser works line by line: optional `#` comment stripping and
//! scissors cut (git's `commit-msg` file), `gpg:` lines dropped, the first
//! line is the header (`type(scope)!: subject`), then body lines until a
//! breaking-change note or a line with an issue reference starts the
//! footer, which runs to the end.

pub mod js;
mod refs;

pub use refs::references;

/// Which header grammar and note keywords to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    /// `type(scope): subject`; only `BREAKING CHANGE` notes; no `!`.
    Angular,
    /// `type(scope)!: subject`; `BREAKING CHANGE` and `BREAKING-CHANGE`.
    ConventionalCommits,
}

#[derive(Clone, Debug)]
pub struct ParserOptions {
    pub preset: Preset,
    /// Lines starting with this are comments (git's `core.commentChar`);
    /// also enables the scissors cut. `None`: no comment stripping.
    pub comment_char: Option<String>,
    /// `-field-` meta lines (the parser's default, kept by the release
    /// analyzer, disabled by commitlint).
    pub fields: bool,
}

impl ParserOptions {
    /// What commitlint with `@commitlint/config-conventional` uses.
    pub fn commitlint() -> ParserOptions {
        ParserOptions {
            preset: Preset::ConventionalCommits,
            comment_char: None,
            fields: false,
        }
    }

    /// What semantic-release's commit analyzer uses with `preset`.
    pub fn release(preset: Preset) -> ParserOptions {
        ParserOptions {
            preset,
            comment_char: None,
            fields: true,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub title: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub action: Option<String>,
    pub owner: Option<String>,
    pub repository: Option<String>,
    pub prefix: String,
    pub issue: String,
}

/// What a revert commit names: the reverted header and hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revert {
    pub header: Option<String>,
    pub hash: Option<String>,
}

/// A parsed commit message. Empty strings are `None`, as the JavaScript
/// parser's `|| null` makes them, except `body`/`footer`, which can be
/// `Some("")` when only blank lines were collected.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Commit {
    /// The message as given (before any trimming or comment stripping).
    pub raw: String,
    pub header: Option<String>,
    pub r#type: Option<String>,
    pub scope: Option<String>,
    pub subject: Option<String>,
    pub body: Option<String>,
    pub footer: Option<String>,
    pub notes: Vec<Note>,
    pub references: Vec<Reference>,
    pub revert: Option<Revert>,
    /// `-name-` meta fields and the lines they swallowed, in order.
    pub fields: Vec<(String, String)>,
}

impl Commit {
    /// Whether a breaking-change note was found (or, with the
    /// conventionalcommits preset, a `!` in the header).
    pub fn is_breaking(&self) -> bool {
        !self.notes.is_empty() || self.field("notes").is_some()
    }

    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

const SCISSORS: &str = "------------------------ >8 ------------------------";

/// Drops leading and trailing `\r`/`\n` characters (not other spaces).
pub fn trim_newlines(s: &str) -> &str {
    s.trim_matches(['\r', '\n'])
}

/// `src ? src + "\n" + line : line` (an empty `src` counts as absent).
fn append_line(src: &mut Option<String>, line: &str) {
    match src {
        Some(s) if !s.is_empty() => {
            s.push('\n');
            s.push_str(line);
        }
        _ => *src = Some(line.to_string()),
    }
}

/// `type`, `scope`, `subject` of a header, per
/// `^(\w*)(?:\((.*)\))?(!?|!): (.*)$` with JavaScript semantics; the bool
/// is whether the `!` form matched.
pub fn parse_header(
    header: &str,
    preset: Preset,
) -> Option<(Option<String>, Option<String>, String, bool)> {
    // `.` matches neither CR nor U+2028/9 (no LF can be in one line).
    if header.contains(js::is_line_terminator) {
        return None;
    }
    let type_end = header
        .find(|c: char| !js::is_word(c))
        .unwrap_or(header.len());
    let ty = &header[..type_end];
    let rest = &header[type_end..];
    let bang_forms: &[bool] = match preset {
        Preset::Angular => &[false],
        // breakingHeaderPattern first, then the `!?` pattern.
        Preset::ConventionalCommits => &[true, false],
    };
    let none_if_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());
    for &bang_required in bang_forms {
        // The optional `\((.*)\)` group is greedy: the last `)` that works.
        if let Some(inner) = rest.strip_prefix('(') {
            for (i, _) in inner.rmatch_indices(')') {
                if let Some((subject, bang)) = tail(&inner[i + 1..], preset, bang_required) {
                    return Some((
                        none_if_empty(ty),
                        none_if_empty(&inner[..i]),
                        subject.to_string(),
                        bang,
                    ));
                }
            }
        }
        if let Some((subject, bang)) = tail(rest, preset, bang_required) {
            return Some((none_if_empty(ty), None, subject.to_string(), bang));
        }
    }
    None
}

/// The `!?: (.*)$` part after type and scope: the subject and whether
/// the `!` was there.
fn tail(t: &str, preset: Preset, bang_required: bool) -> Option<(&str, bool)> {
    if let Some(s) = t.strip_prefix("!: ") {
        return (preset == Preset::ConventionalCommits).then_some((s, true));
    }
    if bang_required {
        return None;
    }
    t.strip_prefix(": ").map(|s| (s, false))
}

/// Whether a line is a breaking-change note: `^[\s|*]*(KEYWORD)[:\s]+(.*)`,
/// case-insensitive. Returns the title and text.
fn note(line: &str, preset: Preset) -> Option<Note> {
    let start = line
        .find(|c: char| !(js::is_space(c) || c == '|' || c == '*'))
        .unwrap_or(line.len());
    let keywords: &[&str] = match preset {
        Preset::Angular => &["BREAKING CHANGE"],
        Preset::ConventionalCommits => &["BREAKING CHANGE", "BREAKING-CHANGE"],
    };
    let kw = keywords
        .iter()
        .find(|k| js::starts_with_ci(line, start, k))?;
    let after = start + kw.len();
    let sep = line[after..]
        .find(|c: char| !(c == ':' || js::is_space(c)))
        .map_or(line.len(), |n| after + n);
    if sep == after {
        return None;
    }
    let text_end = line[sep..]
        .find(js::is_line_terminator)
        .map_or(line.len(), |n| sep + n);
    Some(Note {
        title: line[start..after].to_string(),
        text: line[sep..text_end].to_string(),
    })
}

/// `^-(.*?)-$`: a meta field line; `Some(None)` for `--` (empty name).
fn field_line(line: &str) -> Option<Option<&str>> {
    if line.len() >= 2 && line.starts_with('-') && line.ends_with('-') {
        let name = &line[1..line.len() - 1];
        if name.contains(js::is_line_terminator) {
            return None;
        }
        return Some((!name.is_empty()).then_some(name));
    }
    None
}

struct State<'a> {
    lines: Vec<&'a str>,
    at: usize,
    opts: &'a ParserOptions,
    commit: Commit,
}

impl<'a> State<'a> {
    fn current(&self) -> Option<&'a str> {
        self.lines.get(self.at).copied()
    }

    fn set_field(&mut self, name: &str, line: &str) {
        let c = &mut self.commit;
        match name {
            "type" => append_line(&mut c.r#type, line),
            "scope" => append_line(&mut c.scope, line),
            "subject" => append_line(&mut c.subject, line),
            "header" => append_line(&mut c.header, line),
            _ => {}
        }
        match c.fields.iter_mut().find(|(k, _)| k == name) {
            Some((_, v)) => {
                let mut o = Some(std::mem::take(v));
                append_line(&mut o, line);
                *v = o.unwrap_or_default();
            }
            None => c.fields.push((name.to_string(), line.to_string())),
        }
    }

    /// `-field-` lines swallow every following line into the field.
    fn meta(&mut self) -> bool {
        if !self.opts.fields {
            return false;
        }
        let mut field: Option<&str> = None;
        let mut parsed = false;
        while let Some(line) = self.current() {
            if let Some(name) = field_line(line) {
                field = name;
                self.at += 1;
                continue;
            }
            match field {
                Some(name) => {
                    parsed = true;
                    self.set_field(name, line);
                    self.at += 1;
                }
                None => break,
            }
        }
        parsed
    }

    fn notes(&mut self) -> bool {
        let Some(line) = self.current() else {
            return false;
        };
        let Some(n) = note(line, self.opts.preset) else {
            return false;
        };
        let idx = self.commit.notes.len();
        self.commit.notes.push(n);
        append_line(&mut self.commit.footer, line);
        self.at += 1;
        while let Some(line) = self.current() {
            if self.meta() || self.notes() {
                return true;
            }
            let refs = references(line);
            let found = !refs.is_empty();
            if found {
                self.commit.references.extend(refs);
            } else {
                let mut text = Some(std::mem::take(&mut self.commit.notes[idx].text));
                append_line(&mut text, line);
                self.commit.notes[idx].text = text.unwrap_or_default();
            }
            append_line(&mut self.commit.footer, line);
            self.at += 1;
            if found {
                break;
            }
        }
        true
    }

    fn body_or_footer(&mut self, is_body: bool) -> bool {
        let Some(line) = self.current() else {
            return is_body;
        };
        let refs = references(line);
        let still_body = refs.is_empty() && is_body;
        if still_body {
            append_line(&mut self.commit.body, line);
        } else {
            self.commit.references.extend(refs);
            append_line(&mut self.commit.footer, line);
        }
        self.at += 1;
        still_body
    }
}

/// Parses a commit message. `None` for an empty or whitespace-only message
/// (the JavaScript parser throws "Expected a raw commit").
pub fn parse(input: &str, opts: &ParserOptions) -> Option<Commit> {
    if js::trim(input).is_empty() {
        return None;
    }
    let raw_lines = js::split_lines(trim_newlines(input));
    let lines: Vec<&str> = match &opts.comment_char {
        Some(cc) => {
            let scissors = format!("{cc} {SCISSORS}");
            let end = raw_lines
                .iter()
                .position(|l| *l == scissors)
                .unwrap_or(raw_lines.len());
            raw_lines[..end]
                .iter()
                .copied()
                .filter(|l| !l.starts_with(cc.as_str()) && !is_gpg(l))
                .collect()
        }
        None => raw_lines.into_iter().filter(|l| !is_gpg(l)).collect(),
    };
    let mut st = State {
        lines,
        at: 0,
        opts,
        commit: Commit {
            raw: input.to_string(),
            ..Commit::default()
        },
    };
    // Header: the first remaining line; an empty one is no header.
    if let Some(header) = st.current() {
        st.at += 1;
        if !header.is_empty() {
            st.commit.header = Some(header.to_string());
            if let Some((ty, scope, subject, _)) = parse_header(header, opts.preset) {
                st.commit.r#type = ty;
                st.commit.scope = scope;
                st.commit.subject = (!subject.is_empty()).then_some(subject);
            }
            st.commit.references = references(header);
        }
    }
    let mut is_body = true;
    while st.current().is_some() {
        st.meta();
        if st.notes() {
            is_body = false;
        }
        if !st.body_or_footer(is_body) {
            is_body = false;
        }
    }
    // A `!` header is a breaking change note when no note was written.
    if opts.preset == Preset::ConventionalCommits
        && st.commit.notes.is_empty()
        && let Some(h) = &st.commit.header
        && let Some((_, _, subject, true)) = parse_header(h, opts.preset)
    {
        st.commit.notes.push(Note {
            title: "BREAKING CHANGE".into(),
            text: subject,
        });
    }
    st.commit.revert = revert(input, opts.preset);
    let c = &mut st.commit;
    for s in [&mut c.body, &mut c.footer].into_iter().flatten() {
        *s = trim_newlines(s).to_string();
    }
    for n in &mut c.notes {
        n.text = trim_newlines(&n.text).to_string();
    }
    Some(st.commit)
}

/// `^\s*gpg:` lines are dropped.
fn is_gpg(line: &str) -> bool {
    line.trim_start_matches(js::is_space).starts_with("gpg:")
}

/// The revert pattern of the angular / conventionalcommits presets:
/// `^(?:Revert|revert:)\s"?([\s\S]+?)"?\s*This reverts commit (HASH)`,
/// case-insensitive, where HASH is `\w{7,40}\b` (angular) or `\w*\.`
/// (conventionalcommits).
pub fn revert(input: &str, preset: Preset) -> Option<Revert> {
    let rest = if js::starts_with_ci(input, 0, "revert:") {
        &input[7..]
    } else if js::starts_with_ci(input, 0, "revert") {
        &input[6..]
    } else {
        return None;
    };
    let first = rest.chars().next().filter(|&c| js::is_space(c))?;
    let mut body = &rest[first.len_utf8()..];
    if let Some(b) = body.strip_prefix('"') {
        // `"?` is greedy: try with the quote consumed first.
        if let Some(r) = revert_tail(b, preset) {
            return Some(r);
        }
    }
    body = &rest[first.len_utf8()..];
    revert_tail(body, preset)
}

/// The lazy `([\s\S]+?)"?\s*This reverts commit HASH` part.
fn revert_tail(s: &str, preset: Preset) -> Option<Revert> {
    const LIT: &str = "this reverts commit ";
    let mut idx: Vec<usize> = s.char_indices().map(|(i, _)| i).skip(1).collect();
    idx.push(s.len());
    for end in idx {
        // header = s[..end] (at least one char)
        let mut t = &s[end..];
        let candidates: Vec<&str> = match t.strip_prefix('"') {
            Some(u) => vec![u, t],
            None => vec![t],
        };
        for c in candidates {
            t = c.trim_start_matches(js::is_space);
            // `\s*` is greedy but the literal starts with a non-space, so
            // the only choice is all the spaces.
            if !js::starts_with_ci(t, 0, LIT) {
                continue;
            }
            let h = &t[LIT.len()..];
            let run = h.find(|c: char| !js::is_word(c)).unwrap_or(h.len());
            let hash = match preset {
                Preset::Angular => {
                    if !(7..=40).contains(&run) {
                        continue;
                    }
                    &h[..run]
                }
                Preset::ConventionalCommits => {
                    if !h[run..].starts_with('.') {
                        continue;
                    }
                    &h[..run]
                }
            };
            let header = &s[..end];
            return Some(Revert {
                header: (!header.is_empty()).then(|| header.to_string()),
                hash: (!hash.is_empty()).then(|| hash.to_string()),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cl(msg: &str) -> Commit {
        parse(msg, &ParserOptions::commitlint()).unwrap()
    }

    #[test]
    fn header_grammar() {
        let c = cl("feat(a): b (c): d");
        assert_eq!(
            (
                c.r#type.as_deref(),
                c.scope.as_deref(),
                c.subject.as_deref()
            ),
            (Some("feat"), Some("a): b (c"), Some("d"))
        );
        let c = cl("feat(api)!: drop");
        assert_eq!(c.scope.as_deref(), Some("api"));
        assert_eq!(c.notes.len(), 1);
        assert!(cl("feat!(x): y").r#type.is_none());
        assert!(cl("feat:  x").subject.as_deref() == Some(" x"));
        assert!(cl("feat(): x").scope.is_none());
        assert_eq!(cl(": x").subject.as_deref(), Some("x"));
        assert!(cl("feat: a\rb").subject.is_none());
        assert!(cl("feat: a\u{85}b").subject.is_some());
        let a = parse("feat!: x", &ParserOptions::release(Preset::Angular)).unwrap();
        assert!(a.r#type.is_none() && a.notes.is_empty());
    }

    #[test]
    fn body_and_footer() {
        let c = cl("fix: x\n\nSee #123 for context.\nMore.");
        // The blank line was collected as an empty body.
        assert_eq!(c.body.as_deref(), Some(""));
        assert_eq!(c.footer.as_deref(), Some("See #123 for context.\nMore."));
        let c = cl("feat: x\n\n \nbody");
        assert_eq!(c.body.as_deref(), Some(" \nbody"));
        let c = cl("feat: x\n\nBREAKING CHANGE: gone\nreally\n\nRefs #1\nafter");
        assert_eq!(c.notes[0].text, "gone\nreally");
        assert_eq!(
            c.footer.as_deref(),
            Some("BREAKING CHANGE: gone\nreally\n\nRefs #1\nafter")
        );
        let c = cl("fix: x\n\nSigned-off-by: A <a@b>");
        assert!(c.footer.is_none());
    }

    #[test]
    fn comments_and_gpg() {
        let mut o = ParserOptions::commitlint();
        o.comment_char = Some("#".into());
        let c = parse("# c\n\nfeat: x\n", &o).unwrap();
        assert_eq!(c.header, None);
        assert_eq!(c.body.as_deref(), Some("feat: x"));
        let c = parse(
            "feat: x\n\nbody\n# ------------------------ >8 ------------------------\nmore",
            &o,
        )
        .unwrap();
        assert_eq!(c.body.as_deref(), Some("body"));
        assert_eq!(cl("gpg: sig\nfeat: x").r#type.as_deref(), Some("feat"));
    }

    #[test]
    fn reverts() {
        let r = revert(
            "Revert \"feat: x\"\n\nThis reverts commit 1234567890abcdef.",
            Preset::Angular,
        )
        .unwrap();
        assert_eq!(r.header.as_deref(), Some("feat: x"));
        assert_eq!(r.hash.as_deref(), Some("1234567890abcdef"));
        assert!(revert("Revert \"x\"\n\nThis reverts commit 123.", Preset::Angular).is_none());
        assert!(
            revert(
                "Revert \"x\"\n\nThis reverts commit 123.",
                Preset::ConventionalCommits
            )
            .is_some()
        );
    }

    #[test]
    fn fields_swallow_lines() {
        let c = parse(
            "fix: x\n\n-hash-\nabc\nBREAKING CHANGE: y",
            &ParserOptions::release(Preset::Angular),
        )
        .unwrap();
        assert!(c.notes.is_empty());
        assert_eq!(c.field("hash"), Some("abc\nBREAKING CHANGE: y"));
    }
}
