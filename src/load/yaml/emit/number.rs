//! Numbers as Go prints and parses them along kustomize's output chain:
//! `encoding/json` writes floats in plain decimal unless tiny or huge,
//! go-yaml v2 reads the JSON number back (int when it fits, else float) and
//! writes floats with `strconv.FormatFloat(f, 'g', -1, 64)`.

use crate::load::yaml::resolve::{parse_go_int, parse_go_uint};

/// A number after go-yaml v2 read it from kustomize's JSON.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    Int(i64),
    Uint(u64),
    Float(f64),
}

impl Number {
    /// The text go-yaml v2 writes for this number.
    pub fn to_yaml(self) -> String {
        match self {
            Number::Int(i) => i.to_string(),
            Number::Uint(u) => u.to_string(),
            Number::Float(f) => format_g(f),
        }
    }
}

/// Shortest round-trip digits of a finite float: the digit string (no
/// leading or trailing zeros, "0" for zero) and the decimal point position
/// (value = 0.DIGITS × 10^point).
fn shortest_digits(f: f64) -> (String, i32) {
    let text = format!("{:e}", f.abs());
    // `{:e}` prints `d[.ddd]e[-]x`; both halves are always present.
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let digits = digits.trim_end_matches('0');
    if digits.is_empty() {
        return ("0".to_string(), 1);
    }
    (digits.to_string(), exp + 1)
}

/// Go's `%e` layout with `nd-1` decimals: `d.ddde±XX` (two exponent digits
/// at least).
fn layout_exponent(neg: bool, digits: &str, point: i32) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push_str(&digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    let exp = if digits == "0" { 0 } else { point - 1 };
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let mag = exp.unsigned_abs();
    if mag < 10 {
        out.push('0');
    }
    out.push_str(&mag.to_string());
    out
}

/// Go's `%f` layout with exactly as many decimals as the digits need.
fn layout_fixed(neg: bool, digits: &str, point: i32) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    let digit_at = |i: i32| -> char {
        if i >= 0 && (i as usize) < digits.len() {
            digits.as_bytes()[i as usize] as char
        } else {
            '0'
        }
    };
    if point > 0 {
        for i in 0..point {
            out.push(digit_at(i));
        }
    } else {
        out.push('0');
    }
    let decimals = (digits.len() as i32 - point).max(0);
    if decimals > 0 {
        out.push('.');
        for i in 0..decimals {
            out.push(digit_at(point + i));
        }
    }
    out
}

/// `strconv.FormatFloat(f, 'g', -1, 64)` with go-yaml's names for the
/// non-finite values.
pub fn format_g(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        };
    }
    let neg = f.is_sign_negative();
    let (digits, point) = shortest_digits(f);
    let exp = point - 1;
    // With the shortest digits Go switches to exponent form outside
    // [1e-4, 1e6).
    if digits != "0" && !(-4..6).contains(&exp) {
        layout_exponent(neg, &digits, point)
    } else {
        layout_fixed(neg, &digits, point)
    }
}

/// How `encoding/json` writes a finite float64.
pub fn format_json(f: f64) -> String {
    let neg = f.is_sign_negative();
    let (digits, point) = shortest_digits(f);
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = layout_exponent(neg, &digits, point);
        // json turns `e-07` into `e-7` (but keeps `e+21`).
        match s.find("e-0") {
            Some(i) if s.len() == i + 4 => format!("{}e-{}", &s[..i], &s[i + 3..]),
            _ => s,
        }
    } else {
        layout_fixed(neg, &digits, point)
    }
}

/// A JSON number as go-yaml v2 reads it back: int when Go's ParseInt (or
/// ParseUint) accepts it, float otherwise.
pub fn read_json_number(text: &str) -> Number {
    if let Some(i) = parse_go_int(text) {
        return Number::Int(i);
    }
    if let Some(u) = parse_go_uint(text) {
        return Number::Uint(u);
    }
    Number::Float(text.parse().unwrap_or(0.0))
}

/// A float value on its way through `encoding/json` and go-yaml v2.
/// NaN and infinities make json.Marshal fail in kustomize; we print them
/// as go-yaml would instead of failing the whole build.
pub fn float_through_json(f: f64) -> Number {
    if !f.is_finite() {
        return Number::Float(f);
    }
    read_json_number(&format_json(f))
}

/// Go's `strconv.ParseFloat(s, 64)`: decimal forms, `inf`/`infinity`/`nan`
/// in any case, and out-of-range values rejected.
pub fn parse_go_float(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = body.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "infinity") {
        return Some(if s.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if lower == "nan" {
        return Some(f64::NAN);
    }
    let bytes = body.as_bytes();
    let mut i = 0;
    let mut mantissa_digits = 0;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
        mantissa_digits += 1;
    }
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
            mantissa_digits += 1;
        }
    }
    if mantissa_digits == 0 {
        return None;
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        i += 1;
        if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    if i != bytes.len() {
        return None;
    }
    let v: f64 = s.parse().ok()?;
    // Go reports overflow as an error; the resolvers then keep the text.
    v.is_finite().then_some(v)
}

/// go-yaml's `yamlStyleFloat`: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
pub fn is_yaml_style_float(s: &str) -> bool {
    let b = s.strip_prefix(['+', '-']).unwrap_or(s).as_bytes();
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut i;
    if b.first() == Some(&b'.') {
        let n = digits(1);
        if n == 0 {
            return false;
        }
        i = 1 + n;
    } else {
        let n = digits(0);
        if n == 0 {
            return false;
        }
        i = n;
        if b.get(i) == Some(&b'.') {
            i += 1 + digits(i + 1);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let n = digits(i);
        if n == 0 {
            return false;
        }
        i += n;
    }
    i == b.len()
}

/// Go's `strconv.ParseInt(s, base, 64)` for an explicit base (sign allowed).
pub fn parse_int_radix(s: &str, radix: u32) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let mag = parse_uint_radix(body, radix)?;
    if neg {
        (mag <= i64::MAX as u64 + 1).then(|| (mag as i64).wrapping_neg())
    } else {
        i64::try_from(mag).ok()
    }
}

/// Go's `strconv.ParseUint(s, base, 64)` for an explicit base.
pub fn parse_uint_radix(s: &str, radix: u32) -> Option<u64> {
    if s.is_empty() || !s.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(s, radix).ok()
}
