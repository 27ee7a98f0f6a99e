//! go-yaml v2's plain-scalar resolution (YAML 1.1 flavoured), which decides
//! whether the writer must quote a string so it reads back as a string:
//! `yes`, `on`, `n`, `~`, `012`, `0x1F`, `1e3`, `2020-01-02`, `1:20` and
//! the like all get double quotes.

use super::number::{is_yaml_style_float, parse_go_float, parse_int_radix, parse_uint_radix};
use super::timestamp;
use crate::load::yaml::resolve::{parse_go_int, parse_go_uint};

/// Words go-yaml v2 reads as booleans, nulls or special floats. (Its table
/// also lists the merge key `<<`, but the lookup is skipped for text that
/// does not start with a sign, digit, dot or one of `yYnNtTfFoO~`, so `<<`
/// stays a plain string.)
const SPECIAL_WORDS: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", //
    "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", //
    "", "~", "null", "Null", "NULL", //
    ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", //
    "-.inf", "-.Inf", "-.INF",
];

/// True when go-yaml v2 would write `s` in double quotes because, plain, it
/// would read back as something other than a string.
pub fn needs_quotes(s: &str) -> bool {
    !resolves_to_str(s) || is_base60_float(s)
}

fn resolves_to_str(s: &str) -> bool {
    if SPECIAL_WORDS.contains(&s) {
        return false;
    }
    match s.as_bytes()[0] {
        b'.' => parse_go_float(s).is_none(),
        b'0'..=b'9' | b'+' | b'-' => !looks_numeric_or_time(s),
        _ => true,
    }
}

/// The digit/sign branch of the resolver: timestamp, int, uint, float,
/// then the `0b` forms.
fn looks_numeric_or_time(s: &str) -> bool {
    if timestamp::parse(s).is_some() {
        return true;
    }
    let plain = s.replace('_', "");
    if parse_go_int(&plain).is_some() || parse_go_uint(&plain).is_some() {
        return true;
    }
    if is_yaml_style_float(&plain) && parse_go_float(&plain).is_some() {
        return true;
    }
    if let Some(rest) = plain.strip_prefix("0b") {
        return parse_int_radix(rest, 2).is_some() || parse_uint_radix(rest, 2).is_some();
    }
    if let Some(rest) = plain.strip_prefix("-0b") {
        return parse_int_radix(&format!("-{rest}"), 2).is_some();
    }
    false
}

/// YAML 1.1 base-60 floats (`1:20`, `-3:25:45.5`), which go-yaml v2 still
/// quotes for the sake of other parsers:
/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
pub fn is_base60_float(s: &str) -> bool {
    let b = s.strip_prefix(['+', '-']).unwrap_or(s).as_bytes();
    if !b.first().is_some_and(u8::is_ascii_digit) || !b.contains(&b':') {
        return false;
    }
    let mut i = 1;
    while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        // `[0-5]?[0-9]`: one digit, or two with the first in 0..=5.
        let d0 = b.get(i).copied().filter(u8::is_ascii_digit);
        let d1 = b.get(i + 1).copied().filter(u8::is_ascii_digit);
        match (d0, d1) {
            (Some(a), Some(_)) if a <= b'5' => i += 2,
            (Some(_), _) => i += 1,
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}
