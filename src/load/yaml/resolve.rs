//! Tag resolution of plain scalars, following go-yaml v3 (what kustomize's
//! kyaml uses when it reads a file): YAML 1.2 core booleans and nulls, Go's
//! integer syntax (`0x`, `0o`, `0b`, legacy `0777`), floats, timestamps.

use super::node::Tag;
use regex::Regex;
use std::sync::LazyLock;

static FLOAT: LazyLock<Regex> = LazyLock::new(|| {
    // go-yaml's yamlStyleFloat; compiled from a constant, cannot fail.
    Regex::new(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$").unwrap()
});

/// The tag go-yaml v3 gives a plain (unquoted, untagged) scalar.
pub fn resolve_plain(text: &str) -> Tag {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Tag::Null,
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => return Tag::Bool,
        ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF"
        | "-.inf" | "-.Inf" | "-.INF" => return Tag::Float,
        _ => {}
    }
    let first = text.as_bytes()[0];
    match first {
        b'.' if parse_go_float(text).is_some() => {
            return Tag::Float;
        }
        b'0'..=b'9' | b'+' | b'-' => {
            if is_timestamp(text) {
                return Tag::Timestamp;
            }
            let plain = text.replace('_', "");
            if parse_go_int(&plain).is_some() || parse_go_uint(&plain).is_some() {
                return Tag::Int;
            }
            if FLOAT.is_match(&plain) && parse_go_float(&plain).is_some() {
                return Tag::Float;
            }
            let digits = plain.strip_prefix('-').unwrap_or(&plain);
            if let Some(b) = digits.strip_prefix("0b")
                && !b.is_empty()
                && b.bytes().all(|c| c == b'0' || c == b'1')
            {
                return Tag::Int;
            }
            if let Some(o) = digits.strip_prefix("0o")
                && !o.is_empty()
                && o.bytes().all(|c| (b'0'..=b'7').contains(&c))
            {
                return Tag::Int;
            }
        }
        _ => {}
    }
    Tag::Str
}

/// Go's `strconv.ParseInt(s, 0, 64)`.
pub fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let mag = parse_go_uint(body)?;
    if neg {
        if mag <= i64::MAX as u64 + 1 {
            Some((mag as i128).wrapping_neg() as i64)
        } else {
            None
        }
    } else if mag <= i64::MAX as u64 {
        Some(mag as i64)
    } else {
        None
    }
}

/// Go's `strconv.ParseUint(s, 0, 64)` (no sign accepted).
pub fn parse_go_uint(s: &str) -> Option<u64> {
    let (radix, digits) = if let Some(r) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        (16, r)
    } else if let Some(r) = s.strip_prefix("0o").or_else(|| s.strip_prefix("0O")) {
        (8, r)
    } else if let Some(r) = s.strip_prefix("0b").or_else(|| s.strip_prefix("0B")) {
        (2, r)
    } else if s.len() > 1 && s.starts_with('0') {
        (8, &s[1..])
    } else {
        (10, s)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// Go's `strconv.ParseFloat(s, 64)` for the decimal forms YAML produces.
pub fn parse_go_float(s: &str) -> Option<f64> {
    let lower = s.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    if body.is_empty() || body.starts_with("0x") || body.contains('_') {
        return None;
    }
    if matches!(body, "inf" | "infinity" | "nan") {
        return s.parse::<f64>().ok().or(Some(f64::NAN));
    }
    if !body
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'+' | b'-'))
    {
        return None;
    }
    s.parse::<f64>().ok()
}

/// go-yaml's timestamp check: `YYYY-M-D`, optionally with a time.
pub fn is_timestamp(s: &str) -> bool {
    static TS: LazyLock<Regex> = LazyLock::new(|| {
        // Constant pattern, cannot fail.
        Regex::new(
            r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:([Tt])|( ))(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?)?$",
        )
        .unwrap()
    });
    let Some(c) = TS.captures(s) else {
        return false;
    };
    let num = |i: usize| c.get(i).map(|m| m.as_str().parse::<u32>().unwrap_or(99));
    let (year, month, day) = (
        num(1).unwrap_or(0),
        num(2).unwrap_or(0),
        num(3).unwrap_or(0),
    );
    if !(1..=12).contains(&month) || day < 1 || day > days_in(month, year) {
        return false;
    }
    if c.get(6).is_some() {
        // The `T` form needs a zone; the space form takes none.
        if c.get(4).is_some() != c.get(9).is_some() {
            return false;
        }
        let (h, m, sec) = (
            num(6).unwrap_or(99),
            num(7).unwrap_or(99),
            num(8).unwrap_or(99),
        );
        if h > 23 || m > 59 || sec > 59 {
            return false;
        }
    }
    true
}

fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_like_go_yaml_v3() {
        assert_eq!(resolve_plain("on"), Tag::Str);
        assert_eq!(resolve_plain("yes"), Tag::Str);
        assert_eq!(resolve_plain("true"), Tag::Bool);
        assert_eq!(resolve_plain("012"), Tag::Int);
        assert_eq!(resolve_plain("0x1F"), Tag::Int);
        assert_eq!(resolve_plain("1e3"), Tag::Float);
        assert_eq!(resolve_plain("1.0"), Tag::Float);
        assert_eq!(resolve_plain("08"), Tag::Float);
        assert_eq!(resolve_plain("~"), Tag::Null);
        assert_eq!(resolve_plain("2020-01-02"), Tag::Timestamp);
        assert_eq!(resolve_plain("2020-13-02"), Tag::Str);
        assert_eq!(resolve_plain("1.2.3"), Tag::Str);
        assert_eq!(resolve_plain("-"), Tag::Str);
        assert_eq!(resolve_plain("v1"), Tag::Str);
    }
}
