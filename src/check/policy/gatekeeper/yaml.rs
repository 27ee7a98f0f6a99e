//! Reading template and constraint files as Kubernetes reads them.
//!
//! Go's YAML decoder (and libyaml) accept a multi-line quoted scalar whose
//! continuation lines are indented no deeper than its key:
//!
//! ```yaml
//! description: "When set to `true` the TLS {} is optional, defaults
//! to false."
//! ```
//!
//! The YAML 1.2 grammar wants them deeper, and saphyr refuses the file
//! ("invalid indentation in quoted scalar"). Gatekeeper library templates
//! contain such descriptions, so a file refused for this reason is read
//! again with those continuation lines indented one column past the key:
//! a quoted scalar folds leading blanks away, so every value is unchanged
//! and every line keeps its number.

use crate::load::yaml::{Node, YamlError, parse_documents};

const MESSAGE: &str = "invalid indentation in quoted scalar";

/// All documents of `text`, tolerating under-indented quoted scalars.
pub fn parse_manifests(file: &str, text: &str) -> Result<Vec<Node>, YamlError> {
    let mut text = std::borrow::Cow::Borrowed(text);
    let mut first_error = None;
    for _ in 0..64 {
        match parse_documents(file, &text) {
            Ok(docs) => return Ok(docs),
            Err(e) if e.message.contains(MESSAGE) => {
                let fixed = reindent(&text, e.span.line as usize, e.span.col as usize);
                first_error.get_or_insert(e);
                match fixed {
                    Some(t) => text = std::borrow::Cow::Owned(t),
                    None => break,
                }
            }
            Err(e) => return Err(first_error.unwrap_or(e)),
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => parse_documents(file, &text),
    }
}

/// `text` with the continuation lines of the quoted scalar that starts at
/// `line`:`col` (1-based) indented one column deeper than the start line's
/// key; `None` when nothing changes.
fn reindent(text: &str, line: usize, col: usize) -> Option<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let start_line = *lines.get(line.checked_sub(1)?)?;
    // The key's column: the first column that is not blank or a `- `
    // sequence entry indicator.
    let key_col = {
        let mut i = 0;
        let b = start_line.as_bytes();
        loop {
            while i < b.len() && b[i] == b' ' {
                i += 1;
            }
            if i + 1 < b.len() && b[i] == b'-' && b[i + 1] == b' ' {
                i += 1;
                continue;
            }
            break i;
        }
    };
    let want = key_col + 1;
    // Find the quote and where the scalar ends.
    let chars: Vec<char> = start_line.chars().collect();
    let quote = *chars.get(col.checked_sub(1)?)?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let rest_start: String = chars[col..].iter().collect();
    let mut out = String::with_capacity(text.len() + 64);
    for l in &lines[..line - 1] {
        out.push_str(l);
    }
    out.push_str(start_line);
    let mut closed = closes(&rest_start, quote);
    let mut changed = false;
    for l in &lines[line..] {
        if closed {
            out.push_str(l);
            continue;
        }
        let blanks = l.len() - l.trim_start_matches(' ').len();
        let is_blank = l.trim().is_empty();
        if !is_blank && blanks < want {
            out.push_str(&" ".repeat(want - blanks));
            changed = true;
        }
        out.push_str(l);
        closed = closes(l, quote);
    }
    changed.then_some(out)
}

/// Whether `s` (a part of a quoted scalar) holds its closing quote.
fn closes(s: &str, quote: char) -> bool {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            '\'' if quote == '\'' => {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                } else {
                    return true;
                }
            }
            c if c == quote => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::json::to_json;

    #[test]
    fn reads_under_indented_quoted_scalars_as_go_does() {
        let text = "a:\n  b:\n    c: \"x y\n    z\"\n    d: 'p\n  q'\n    e: 1\n";
        assert!(parse_documents("t.yaml", text).is_err());
        let docs = parse_manifests("t.yaml", text).unwrap();
        assert_eq!(
            to_json(&docs[0]),
            serde_json::json!({"a": {"b": {"c": "x y z", "d": "p q", "e": 1}}})
        );
        let e = docs[0].get_path(&["a", "b", "e"]).unwrap();
        assert_eq!(e.span.as_ref().unwrap().line, 7);
    }

    #[test]
    fn other_errors_are_kept() {
        assert!(parse_manifests("t.yaml", "a: [\n").is_err());
    }
}
