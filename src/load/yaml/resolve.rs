//! Tag resolution of plain scalars, following go-yaml v3 (what kustomize's
//! kyaml uses when it reads a file): YAML 1.2 core booleans and nulls, Go's
//! integer syntax (`0x`, `0o`, `0b`, legacy `0777`), floats, timestamps.

use super::node::Tag;
use std::borrow::Cow;

/// go-yaml's `yamlStyleFloat`: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`,
/// matched by hand: every plain scalar goes through here, and compiling a
/// regular expression costs more than most builds.
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

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
            let plain: Cow<str> = if text.contains('_') {
                Cow::Owned(text.replace('_', ""))
            } else {
                Cow::Borrowed(text)
            };
            if parse_go_int(&plain).is_some() || parse_go_uint(&plain).is_some() {
                return Tag::Int;
            }
            if is_yaml_style_float(&plain) && parse_go_float(&plain).is_some() {
                return Tag::Float;
            }
            let digits = plain.strip_prefix('-').unwrap_or(&plain[..]);
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

/// go-yaml's timestamp check: `YYYY-M-D`, optionally followed by
/// `[Tt ]h:m:s[.fraction][Z|±hh:mm]` (the `T` form needs a zone, the space
/// form takes none), with a real calendar date and time. ASCII digits only,
/// as Go's `\d`.
pub fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let sep = |c: u8, i: &mut usize| {
        let ok = b.get(*i) == Some(&c);
        *i += 1;
        ok
    };
    let date = (|| {
        let year = number_at(b, &mut i, 4, 4)?;
        sep(b'-', &mut i).then_some(())?;
        let month = number_at(b, &mut i, 1, 2)?;
        sep(b'-', &mut i).then_some(())?;
        let day = number_at(b, &mut i, 1, 2)?;
        Some((year, month, day))
    })();
    let Some((year, month, day)) = date else {
        return false;
    };
    if !(1..=12).contains(&month) || day < 1 || day > days_in(month, year) {
        return false;
    }
    if i == b.len() {
        return true;
    }
    let t_form = match b[i] {
        b'T' | b't' => true,
        b' ' => false,
        _ => return false,
    };
    i += 1;
    let time = (|| {
        let h = number_at(b, &mut i, 1, 2)?;
        sep(b':', &mut i).then_some(())?;
        let m = number_at(b, &mut i, 1, 2)?;
        sep(b':', &mut i).then_some(())?;
        let sec = number_at(b, &mut i, 1, 2)?;
        if b.get(i) == Some(&b'.') {
            i += 1;
            number_at(b, &mut i, 1, 9)?;
        }
        let zoned = match b.get(i) {
            None => false,
            Some(b'Z') => {
                i += 1;
                true
            }
            Some(b'+' | b'-') => {
                i += 1;
                number_at(b, &mut i, 2, 2)?;
                sep(b':', &mut i).then_some(())?;
                number_at(b, &mut i, 2, 2)?;
                true
            }
            Some(_) => return None,
        };
        (i == b.len()).then_some((h, m, sec, zoned))
    })();
    match time {
        Some((h, m, sec, zoned)) => zoned == t_form && h <= 23 && m <= 59 && sec <= 59,
        None => false,
    }
}

/// The digits at `*i` (between `min` and `max` of them, not followed by
/// another digit), as a number; advances `*i` past them. Every separator
/// after a number is a non-digit, so taking digits greedily decides the
/// match as the regular expression would.
fn number_at(b: &[u8], i: &mut usize, min: usize, max: usize) -> Option<u32> {
    let start = *i;
    while *i - start < max && b.get(*i).is_some_and(u8::is_ascii_digit) {
        *i += 1;
    }
    if *i - start < min || b.get(*i).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    // At most 9 ASCII digits: always fits in a u32.
    std::str::from_utf8(&b[start..*i]).ok()?.parse().ok()
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

    #[test]
    fn timestamps_and_floats_match_go_yaml_forms() {
        for ts in [
            "2001-12-14",
            "2001-1-2",
            "2001-12-14t21:59:43.10-05:00",
            "2001-12-14T21:59:43Z",
            "2001-12-14 21:59:43.10",
            "2000-02-29",
        ] {
            assert!(is_timestamp(ts), "{ts}");
        }
        for not in [
            "2001-12-14T21:59:43",
            "2001-12-14 21:59:43Z",
            "2001-02-29",
            "2001-12-14x",
            "20011-12-14",
            "2001-123-14",
            "2001-12-14T25:00:00Z",
            "2001-12-14T1:2:3.1234567890Z",
            "2001-12-14T1:2:3+0500",
            "2001-12",
        ] {
            assert!(!is_timestamp(not), "{not}");
        }
        for f in ["1.5", ".5", "-1.", "+1e3", "1E-3", "12"] {
            assert!(is_yaml_style_float(f), "{f}");
        }
        for not in [".", "1e", "e3", "1.5.2", "--1", "1e+", "+"] {
            assert!(!is_yaml_style_float(not), "{not}");
        }
    }
}
