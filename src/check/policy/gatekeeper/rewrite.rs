//! A source rewrite for one Rego v0 form regorus does not accept: a rule
//! with several bodies, `f(x) = y { A } { B }` or `violation[r] { A } { B }`.
//!
//! In OPA v0 such a rule means the same head defined once per body (an
//! incremental definition); it is not `else`. regorus refuses the form for
//! partial set rules ("else cannot be used with set rules") and, for
//! functions and complete rules, evaluates the later bodies like `else`
//! branches without the head's value. Repeating the head before every extra
//! body (`f(x) = y { A } f(x) = y { B }`) is the same policy in a form every
//! engine reads. Insertions stay on their line, so line numbers in errors do
//! not move.

/// `text` with the head of every multi-body rule repeated before each of
/// its extra bodies; unchanged when there is none.
pub fn split_multi_body_rules(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    // Copied up to here.
    let mut copied = 0;
    let mut depth: usize = 0;
    // Start of the current top-level statement.
    let mut stmt_start: Option<usize> = None;
    // The head of the rule whose body was the last top-level block closed,
    // while nothing but blanks and comments followed it.
    let mut last_body_head: Option<(usize, usize)> = None;
    // The last significant byte seen at depth 0 (for `= {` value literals).
    let mut prev_sig: u8 = b'\n';
    // Whether the `{` opened at depth 0 is a rule body (not a value).
    let mut open_is_body = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'`' => {
                if depth == 0 {
                    if stmt_start.is_none() {
                        stmt_start = Some(i);
                    }
                    last_body_head = None;
                    prev_sig = c;
                }
                i = skip_string(bytes, i);
                continue;
            }
            b'\n' if depth == 0 => {
                // A new line at depth 0 ends a statement unless the next
                // line continues it (`{` of another body, or `else`).
                let rest = next_significant(bytes, i + 1);
                let continues = rest < bytes.len()
                    && (bytes[rest] == b'{'
                        || text[rest..].starts_with("else")
                        || matches!(prev_sig, b'=' | b',' | b'(' | b'['));
                if !continues {
                    stmt_start = None;
                }
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            b'{' | b'[' | b'(' => {
                if depth == 0 {
                    if c == b'{' && prev_sig != b'=' && stmt_start.is_some() {
                        if let Some((hs, he)) = last_body_head {
                            // An extra body: repeat the head before it.
                            out.push_str(&text[copied..i]);
                            out.push_str(text[hs..he].trim_end());
                            out.push(' ');
                            copied = i;
                        } else if let Some(s) = stmt_start {
                            last_body_head = Some((s, i));
                        }
                        open_is_body = true;
                    } else {
                        if stmt_start.is_none() {
                            stmt_start = Some(i);
                        }
                        last_body_head = None;
                        open_is_body = false;
                    }
                    prev_sig = c;
                }
                depth += 1;
            }
            b'}' | b']' | b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    if c == b'}' && open_is_body {
                        // Keep the head: another `{` may follow.
                    } else {
                        last_body_head = None;
                    }
                    open_is_body = false;
                    prev_sig = c;
                }
            }
            _ => {
                if depth == 0 {
                    if stmt_start.is_none() {
                        stmt_start = Some(i);
                    }
                    last_body_head = None;
                    prev_sig = c;
                }
            }
        }
        i += 1;
    }
    out.push_str(&text[copied..]);
    out
}

/// The index after the string literal starting at `start`.
fn skip_string(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The index of the next byte that is neither blank nor in a comment.
fn next_significant(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            _ => break,
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::split_multi_body_rules as split;

    #[test]
    fn repeats_the_head_before_each_extra_body() {
        let src = "package p\n\nf(x) = y {\n  x == 1\n  y := 2\n} {\n  x == 2\n  y := 3\n}\n";
        assert_eq!(
            split(src),
            "package p\n\nf(x) = y {\n  x == 1\n  y := 2\n} f(x) = y {\n  x == 2\n  y := 3\n}\n"
        );
        let set = "violation[{\"msg\": msg}] {\n  msg := \"a\"\n} {\n  msg := \"b\"\n}\n";
        assert_eq!(
            split(set),
            "violation[{\"msg\": msg}] {\n  msg := \"a\"\n} violation[{\"msg\": msg}] {\n  msg := \"b\"\n}\n"
        );
    }

    #[test]
    fn leaves_ordinary_rules_alone() {
        for src in [
            "package p\n\nx = {\"a\": 1}\n\ny = {1} { true }\n",
            "package p\nf(x) = 1 { x } else = 2 { true }\n",
            "package p\ndeny[msg] {\n  msg := \"}{\" # } {\n}\n\nallow { true }\n",
            "package p\np { true }\nq { true }\n",
        ] {
            assert_eq!(split(src), src);
        }
    }
}
