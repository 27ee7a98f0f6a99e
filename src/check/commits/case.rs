//! commitlint's `ensureCase`: quoted parts (`` `…` ``, `"…"`, `'…'`) are
//! removed, the rest trimmed and compared with its conversion to the
//! target case (lodash/es-toolkit semantics for the word-based cases).

use crate::load::commit::js;

/// Whether `raw` is already in case `target`. `None` for an unknown case
/// name (commitlint throws).
pub fn ensure_case(raw: &str, target: &str) -> Option<bool> {
    let stripped = strip_quoted(raw);
    let input = js::trim(&stripped);
    let transformed = to_case(input, target)?;
    if transformed.is_empty() || transformed.starts_with(|c: char| c.is_ascii_digit()) {
        return Some(true);
    }
    Some(transformed == input)
}

/// `replace(/`.*?`|".*?"|'.*?'/g, "")`: `.` stops at line terminators.
fn strip_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    'outer: while let Some(c) = rest.chars().next() {
        if matches!(c, '`' | '"' | '\'') {
            let after = &rest[1..];
            for (i, d) in after.char_indices() {
                if d == c {
                    rest = &after[i + 1..];
                    continue 'outer;
                }
                if js::is_line_terminator(d) {
                    break;
                }
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

pub fn to_case(input: &str, target: &str) -> Option<String> {
    Some(match target {
        "camel-case" => camel(input),
        "kebab-case" => words(input)
            .iter()
            .map(|w| w.to_lowercase())
            .collect::<Vec<_>>()
            .join("-"),
        "snake-case" => words(input)
            .iter()
            .map(|w| w.to_lowercase())
            .collect::<Vec<_>>()
            .join("_"),
        "pascal-case" => upper_first(&camel(input)),
        "start-case" => words(input)
            .iter()
            .map(|w| upper_first(w))
            .collect::<Vec<_>>()
            .join(" "),
        "upper-case" | "uppercase" => input.to_uppercase(),
        "sentence-case" | "sentencecase" => upper_first(input),
        "lower-case" | "lowercase" | "lowerCase" => input.to_lowercase(),
        _ => return None,
    })
}

/// `upperFirst`: the first UTF-16 unit upper-cased (an astral first
/// character is a lone surrogate to JavaScript and stays as it is).
pub fn upper_first(s: &str) -> String {
    let mut it = s.chars();
    match it.next() {
        Some(c) if (c as u32) < 0x10000 => c.to_uppercase().chain(it).collect(),
        _ => s.to_string(),
    }
}

fn camel(input: &str) -> String {
    let mut out = String::new();
    for (i, w) in words(input).iter().enumerate() {
        let lower = w.to_lowercase();
        if i == 0 {
            out.push_str(&lower);
        } else {
            out.push_str(&upper_first(&lower));
        }
    }
    out
}

/// lodash-style word splitting: runs of letters and digits, split at
/// lower→upper and acronym→word boundaries; apostrophes dropped.
pub fn words(input: &str) -> Vec<String> {
    let chars: Vec<char> = input
        .chars()
        .filter(|c| !matches!(c, '\'' | '\u{2019}'))
        .collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some(&p) = i.checked_sub(1).and_then(|j| chars.get(j)) {
            let next = chars.get(i + 1).copied();
            let split = (p.is_lowercase() && c.is_uppercase())
                || (p.is_uppercase() && c.is_uppercase() && next.is_some_and(char::is_lowercase))
                || (p.is_numeric() != c.is_numeric() && p.is_alphanumeric());
            if split && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(ensure_case("foo-bar", "kebab-case"), Some(true));
        assert_eq!(ensure_case("fooBar", "camel-case"), Some(true));
        assert_eq!(ensure_case("FooBar", "pascal-case"), Some(true));
        assert_eq!(ensure_case("Foo Bar", "start-case"), Some(true));
        assert_eq!(ensure_case("foo_bar", "snake-case"), Some(true));
        assert_eq!(ensure_case("Add `x`", "sentence-case"), Some(true));
        assert_eq!(ensure_case("add", "sentence-case"), Some(false));
        assert_eq!(ensure_case("API", "lower-case"), Some(false));
        assert_eq!(ensure_case("x", "nope"), None);
    }
}
