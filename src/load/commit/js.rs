//! The few JavaScript string semantics commit tooling depends on: what
//! `\s`, `\w`, `.` and `trim()` mean, and `String.length` (UTF-16 units).

/// JavaScript `\s` (and the set `trim()` removes): WhiteSpace plus
/// LineTerminator. Unlike `char::is_whitespace` it includes U+FEFF and
/// excludes U+0085.
pub fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\u{FEFF}'
    )
}

/// Characters JavaScript's `.` does not match (without the `s` flag).
pub fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

/// JavaScript `\w` without the `u` flag: ASCII letters, digits, `_`.
pub fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `String.prototype.trim`.
pub fn trim(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// `String.prototype.length`: UTF-16 code units.
pub fn len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// `s.split(/\r?\n/)`.
pub fn split_lines(s: &str) -> Vec<&str> {
    s.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect()
}

/// Whether `hay[at..]` starts with `needle`, ASCII case-insensitively
/// (what a JavaScript `i` regex without `u` does for ASCII keywords).
pub fn starts_with_ci(hay: &str, at: usize, needle: &str) -> bool {
    hay.get(at..at + needle.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(needle))
}

/// `/\bhttps?:\/\/\S+/.test(line)`: the URL exemption of commitlint's
/// line-length rules.
pub fn has_loose_url(line: &str) -> bool {
    url_starts(line).any(|after| line[after..].chars().next().is_some_and(|c| !is_space(c)))
}

/// Byte offsets just after each `http://` / `https://` that begins at a
/// word boundary.
fn url_starts(line: &str) -> impl Iterator<Item = usize> + '_ {
    line.match_indices("http").filter_map(move |(i, _)| {
        let boundary = line[..i].chars().next_back().is_none_or(|c| !is_word(c));
        if !boundary {
            return None;
        }
        let rest = &line[i + 4..];
        let skip = if rest.starts_with("s://") {
            8
        } else if rest.starts_with("://") {
            7
        } else {
            return None;
        };
        Some(i + skip)
    })
}

/// The parser's URL test,
/// `/\b(?:https?):\/\/(?:www\.)?([-a-zA-Z0-9@:%_+.~#?&//=])+\b/`: a URL
/// whose tail (a run of URL characters) holds at least one word character.
pub fn has_strict_url(line: &str) -> bool {
    url_starts(line).any(|after| {
        line[after..]
            .chars()
            .take_while(|&c| c.is_ascii_alphanumeric() || "-@:%_+.~#?&/=".contains(c))
            .any(is_word)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_utf16() {
        assert_eq!(len("😀"), 2);
        assert_eq!(len("字"), 1);
        assert_eq!(len("e\u{301}"), 2);
    }

    #[test]
    fn trims_like_javascript() {
        assert_eq!(trim("\u{FEFF} x\u{A0}"), "x");
        assert_eq!(trim("\u{85}x"), "\u{85}x");
    }

    #[test]
    fn urls() {
        assert!(has_loose_url("see https://x"));
        assert!(!has_loose_url("see https:// x"));
        assert!(!has_loose_url("xhttps://x"));
        assert!(has_strict_url("(https://github.com/a)"));
        assert!(!has_strict_url("https://..."));
    }
}
