//! Commit rules in the rule registry (`gitopsc rules`, `gitopsc explain`):
//! ids `CMT001`… in alphabetical order of commitlint's rule names.

use crate::check::{Rule, Severity};

pub struct CommitRule {
    id: &'static str,
    name: &'static str,
    summary: &'static str,
    docs: &'static str,
    /// Level in `@commitlint/config-conventional` (0: off by default).
    level: u8,
}

impl Rule for CommitRule {
    fn id(&self) -> &'static str {
        self.id
    }
    fn name(&self) -> &'static str {
        self.name
    }
    fn domain(&self) -> &'static str {
        "commit"
    }
    fn default_severity(&self) -> Severity {
        if self.level == 1 {
            Severity::Warning
        } else {
            Severity::Error
        }
    }
    fn summary(&self) -> &'static str {
        self.summary
    }
    fn docs(&self) -> &'static str {
        self.docs
    }
}

impl CommitRule {
    /// Whether `@commitlint/config-conventional` turns the rule on.
    pub fn on_by_default(&self) -> bool {
        self.level > 0
    }
}

macro_rules! commit_rules {
    ($( $id:literal $name:literal $level:literal $summary:literal $docs:literal ;)*) => {
        pub static RULES: &[CommitRule] = &[ $( CommitRule { id: $id, name: $name, level: $level, summary: $summary, docs: $docs } ),* ];
    };
}

commit_rules! {
    "CMT001" "body-case" 0 "the body must (not) be in the given case"
        "Off unless configured. `[2, 'always', 'lower-case']` requires the whole body, quoted parts removed, to be in that case (lower-case, upper-case, camel-case, kebab-case, pascal-case, sentence-case, snake-case, start-case).";
    "CMT002" "body-empty" 0 "the body must (not) be empty"
        "Off unless configured. `[2, 'never']` requires every commit to explain itself in a body; `[2, 'always']` forbids bodies.";
    "CMT003" "body-full-stop" 0 "the body must (not) end with the given character"
        "Off unless configured. `[2, 'never', '.']` forbids a body ending with a full stop; the value is the character checked.";
    "CMT004" "body-leading-blank" 1 "a blank line must separate the header from the body"
        "On as a warning in config-conventional. Git and every changelog tool treat the first paragraph as the title: without a blank second line the body runs into it. The check reads line 2 of the raw message, exactly as commitlint does.\n\nFix: insert an empty line after the header.";
    "CMT005" "body-max-length" 0 "the body must not be longer than N characters"
        "Off unless configured. Counts the whole body in UTF-16 code units, like JavaScript.";
    "CMT006" "body-max-line-length" 2 "body lines must not be longer than 100 characters"
        "An error in config-conventional (limit 100). Long lines wrap badly in `git log`, GitLab and changelogs. Lengths are UTF-16 code units (an emoji counts 2); a line holding an http(s) URL is exempt.\n\nFix: wrap the body at 72–100 columns.";
    "CMT007" "body-min-length" 0 "the body must not be shorter than N characters"
        "Off unless configured. Applies only when a body exists.";
    "CMT008" "breaking-change-exclamation-mark" 0 "a `!` header and a BREAKING CHANGE footer must go together"
        "Off unless configured. With `[2, 'always']`, a header `feat!: x` needs a `BREAKING CHANGE:` footer and the other way round, so both humans and tools see the break.";
    "CMT009" "footer-empty" 0 "the footer must (not) be empty"
        "Off unless configured. `[2, 'never']` requires a footer (issue references or notes) on every commit.";
    "CMT010" "footer-leading-blank" 1 "a blank line must precede the footer"
        "On as a warning in config-conventional. The footer (breaking-change notes, issue references, and everything after the first of them) should be its own paragraph. Like commitlint, the line before the first raw line equal to the footer's first line is checked.";
    "CMT011" "footer-max-length" 0 "the footer must not be longer than N characters"
        "Off unless configured. Counts the whole footer in UTF-16 code units.";
    "CMT012" "footer-max-line-length" 2 "footer lines must not be longer than 100 characters"
        "An error in config-conventional (limit 100). The footer starts at the first BREAKING CHANGE note or the first line with an issue reference such as `#123`, and runs to the end of the message. Lines with an http(s) URL are exempt.";
    "CMT013" "footer-min-length" 0 "the footer must not be shorter than N characters"
        "Off unless configured. Applies only when a footer exists.";
    "CMT014" "header-case" 0 "the header must (not) be in the given case"
        "Off unless configured. Checked only when the header starts with an ASCII letter.";
    "CMT015" "header-full-stop" 0 "the header must (not) end with the given character"
        "Off unless configured. Compares the header's last character with the value (default `.`).";
    "CMT016" "header-max-length" 2 "the header must not be longer than 100 characters"
        "An error in config-conventional (limit 100). The header is the first line; tools truncate long titles (GitLab at 72–100 columns). Counted in UTF-16 code units; URLs are not exempt. A message with no header at all (every line a comment) also fails.\n\nFix: shorten the subject; move detail into the body.";
    "CMT017" "header-min-length" 0 "the header must not be shorter than N characters"
        "Off unless configured. A missing header fails.";
    "CMT018" "header-trim" 2 "the header must not start or end with whitespace"
        "An error in config-conventional. Leading whitespace also stops the header from parsing as `type: subject`. JavaScript's notion of whitespace applies: tabs, no-break spaces and a byte-order mark count.";
    "CMT019" "references-empty" 0 "the message must (not) reference an issue"
        "Off unless configured. `[2, 'never']` requires an issue reference such as `Closes #123` (prefix `#`).";
    "CMT020" "scope-case" 0 "the scope must (not) be in the given case"
        "Off unless configured (config-angular uses lower-case). Each segment of a scope split at `/`, `\\` and `,` is checked.";
    "CMT021" "scope-delimiter-style" 0 "scope delimiters must be one of the allowed ones"
        "Off unless configured. Any run of characters other than letters, digits, `-` and `_` in the scope is a delimiter and must be listed (default `/`, `\\`, `,`).";
    "CMT022" "scope-empty" 0 "the scope must (not) be empty"
        "Off unless configured. `[2, 'never']` requires `type(scope): subject` on every commit.";
    "CMT023" "scope-enum" 0 "the scope must be one of the allowed values"
        "Off unless configured. `[2, 'always', ['api', 'ui']]` restricts scopes to a list; a scope like `api,ui` passes when every segment is allowed. In a monorepo this keeps changelog sections meaningful.";
    "CMT024" "scope-max-length" 0 "the scope must not be longer than N characters"
        "Off unless configured. Counts the scope in UTF-16 code units; applies only when a scope exists.";
    "CMT025" "scope-min-length" 0 "the scope must not be shorter than N characters"
        "Off unless configured. Counts the scope in UTF-16 code units; applies only when a scope exists.";
    "CMT026" "signed-off-by" 0 "the last line must be a sign-off"
        "Off unless configured. `[2, 'always', 'Signed-off-by:']` requires the last non-comment line to start with the value (Developer Certificate of Origin).";
    "CMT027" "subject-case" 2 "the subject must not start with a capital letter"
        "An error in config-conventional: the subject must not be sentence-case, start-case, pascal-case or upper-case, which in practice means it must not start with an upper-case letter (`feat: add x`, not `feat: Add x`). Subjects starting with a digit, a quote, a backtick or an uncased letter pass.";
    "CMT028" "subject-empty" 2 "the subject must not be empty"
        "An error in config-conventional. Also fails whenever the header does not parse as `type(scope)!: subject` — a missing `: ` after the type, a space before the colon, leading whitespace, an emoji before the type.\n\nFix: write the header as `type(scope): subject`, e.g. `fix(api): handle empty token`.";
    "CMT029" "subject-exclamation-mark" 0 "the header must (not) use `!` before the colon"
        "Off unless configured (config-angular forbids `!`).";
    "CMT030" "subject-full-stop" 2 "the subject must not end with a full stop"
        "An error in config-conventional. Like commitlint, the end of the whole header is checked, so an unparsed header ending in `.` fails too; `...` is allowed.";
    "CMT031" "subject-max-length" 0 "the subject must not be longer than N characters"
        "Off unless configured. Counts the subject in UTF-16 code units; header-max-length usually suffices.";
    "CMT032" "subject-min-length" 0 "the subject must not be shorter than N characters"
        "Off unless configured. Counts the subject in UTF-16 code units; rejects subjects like `wip` or `fix`.";
    "CMT033" "trailer-exists" 0 "the message must (not) carry the given git trailer"
        "Off unless configured. `[2, 'always', 'Signed-off-by:']` requires the trailer in the last paragraph.";
    "CMT034" "type-case" 2 "the type must be lower-case"
        "An error in config-conventional. `Feat:` and `FIX:` fail; semantic-release only recognises lower-case types.";
    "CMT035" "type-empty" 2 "the type must not be empty"
        "An error in config-conventional. Fails when the header has no `type:` prefix at all, including plain messages like `Update README.md` or `Initial commit`.\n\nFix: start the header with a type: `docs: update readme`.";
    "CMT036" "type-enum" 2 "the type must be one of the allowed types"
        "An error in config-conventional, which allows build, chore, ci, docs, feat, fix, perf, refactor, revert, style and test. The type decides the release: feat → minor, fix/perf → patch, a breaking change → major.";
    "CMT037" "type-max-length" 0 "the type must not be longer than N characters"
        "Off unless configured. Counts the type in UTF-16 code units; applies only when a type exists.";
    "CMT038" "type-min-length" 0 "the type must not be shorter than N characters"
        "Off unless configured. Counts the type in UTF-16 code units; applies only when a type exists.";
}

/// A commit rule by commitlint name.
pub fn find(name: &str) -> Option<&'static CommitRule> {
    RULES.iter().find(|r| r.name == name)
}

/// The commit rules as registry entries.
pub fn all() -> impl Iterator<Item = &'static dyn Rule> {
    RULES.iter().map(|r| r as &dyn Rule)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_commitlint_rule_is_registered() {
        let names: Vec<_> = super::RULES.iter().map(|r| r.name).collect();
        assert_eq!(names, super::super::rules::NAMES);
    }
}
