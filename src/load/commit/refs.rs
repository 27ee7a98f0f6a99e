//! Issue references in one line, as conventional-commits-parser finds
//! them: a line is cut into "sentences" after each action keyword (close,
//! fixes, resolved, ...; matched anywhere, even inside words), or taken
//! whole when it has none; a sentence holding a URL has no references;
//! otherwise each `#issue` followed by a space, the end of the sentence or
//! one of `,;)]` is one.

use super::Reference;
use super::js;

const ACTIONS: [&str; 9] = [
    "close", "closes", "closed", "fix", "fixes", "fixed", "resolve", "resolves", "resolved",
];

/// A keyword starting at byte `at` (ASCII case-insensitive).
fn keyword_at(line: &str, at: usize) -> bool {
    ACTIONS.iter().any(|k| js::starts_with_ci(line, at, k))
}

/// The sentences of a line with their action, per
/// `(kw)(?:\s+(.*?))(?=(?:kw)|$)` (flags `gi`), or the whole line's
/// terminator-free runs with no action when no keyword sentence exists.
fn sentences(line: &str) -> Vec<(Option<&str>, &str)> {
    let mut out = Vec::new();
    let mut pos = 0;
    'scan: while pos < line.len() {
        for k in ACTIONS {
            if !js::starts_with_ci(line, pos, k) {
                continue;
            }
            let after = pos + k.len();
            let ws: usize = line[after..]
                .chars()
                .take_while(|&c| js::is_space(c))
                .map(char::len_utf8)
                .sum();
            if ws == 0 {
                continue;
            }
            let start = after + ws;
            let mut q = start;
            loop {
                if q == line.len() || keyword_at(line, q) {
                    out.push((Some(&line[pos..after]), &line[start..q]));
                    pos = q;
                    continue 'scan;
                }
                // `q < len` here; a char boundary by construction.
                let c = line[q..].chars().next().unwrap_or('\n');
                if js::is_line_terminator(c) {
                    break;
                }
                q += c.len_utf8();
            }
        }
        pos += line[pos..].chars().next().map_or(1, char::len_utf8);
    }
    if out.is_empty() {
        out.extend(
            line.split(js::is_line_terminator)
                .filter(|s| !s.is_empty())
                .map(|s| (None, s)),
        );
    }
    out
}

/// The references of one line (empty when it has none).
pub fn references(line: &str) -> Vec<Reference> {
    let mut refs = Vec::new();
    for (action, sentence) in sentences(line) {
        if js::has_strict_url(sentence) {
            continue;
        }
        let mut from = 0;
        for (i, _) in sentence.match_indices('#') {
            let run = sentence[i + 1..]
                .find(|c: char| !(js::is_word(c) || c == '-'))
                .map_or(sentence.len(), |n| i + 1 + n);
            if run == i + 1 {
                continue;
            }
            let next = sentence[run..].chars().next();
            if !next.is_none_or(|c| js::is_space(c) || ",;)]".contains(c)) {
                continue;
            }
            let repo_start = sentence[from..i]
                .rfind(|c: char| !(js::is_word(c) || "-./".contains(c)))
                .map_or(from, |n| {
                    from + n
                        + sentence[from + n..]
                            .chars()
                            .next()
                            .map_or(1, char::len_utf8)
                });
            let repo = &sentence[repo_start..i];
            let (owner, repository) = match repo.split_once('/') {
                Some((o, r)) => (Some(o.to_string()), Some(r.to_string())),
                None if repo.is_empty() => (None, None),
                None => (None, Some(repo.to_string())),
            };
            refs.push(Reference {
                action: action.map(str::to_string),
                owner,
                repository,
                prefix: "#".to_string(),
                issue: sentence[i + 1..run].to_string(),
            });
            from = run;
        }
    }
    refs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(line: &str) -> bool {
        !references(line).is_empty()
    }

    #[test]
    fn what_counts_as_a_reference() {
        assert!(has("See #123 for context."));
        assert!(has("org/repo#12"));
        assert!(has("Refs: #1"));
        assert!(has("(#45)"));
        assert!(has("#frontend"));
        assert!(!has("See org/repo#123."));
        assert!(!has("See https://github.com/o/r/issues/1 #2"));
        assert!(!has("GH-123"));
        assert!(!has("Run step # 3 again"));
        // Only text after an action keyword is searched once one exists.
        assert!(!has("See #12, fixes the bug"));
        assert!(has("Fixes #1, fixes #2"));
        assert_eq!(references("org/repo#12")[0].owner.as_deref(), Some("org"));
    }
}
