//! YAML timestamps as go-yaml reads them (Go's `time.Parse` with four
//! layouts) and as `encoding/json` writes a `time.Time` (RFC 3339 with
//! nanoseconds). go-yaml v3 turns an unquoted `2020-01-02` into a
//! `time.Time`, so kustomize prints it as `"2020-01-02T00:00:00Z"`.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timestamp {
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
    /// Zone offset east of UTC, in seconds.
    offset: i32,
}

/// Which time part follows the date in a layout.
#[derive(Clone, Copy, PartialEq)]
enum Layout {
    /// `2006-1-2T15:4:5.999999999Z07:00` (and the lower-case `t` variant).
    Zoned(u8),
    /// `2006-1-2 15:4:5.999999999`.
    Spaced,
    /// `2006-1-2`.
    DateOnly,
}

/// Parses `s` with go-yaml's timestamp layouts, in go-yaml's order.
pub fn parse(s: &str) -> Option<Timestamp> {
    // go-yaml's quick check: exactly four digits, then `-`.
    let b = s.as_bytes();
    let lead = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if lead != 4 || b.get(4) != Some(&b'-') {
        return None;
    }
    [
        Layout::Zoned(b'T'),
        Layout::Zoned(b't'),
        Layout::Spaced,
        Layout::DateOnly,
    ]
    .into_iter()
    .find_map(|layout| parse_layout(b, layout))
}

/// Go's `getnum` for a non-fixed field: one digit, or two when present.
fn number(b: &[u8], i: &mut usize) -> Option<u32> {
    let d0 = *b.get(*i)?;
    if !d0.is_ascii_digit() {
        return None;
    }
    *i += 1;
    let mut n = u32::from(d0 - b'0');
    if let Some(d1) = b.get(*i).filter(|c| c.is_ascii_digit()) {
        n = n * 10 + u32::from(d1 - b'0');
        *i += 1;
    }
    Some(n)
}

fn literal(b: &[u8], i: &mut usize, c: u8) -> Option<()> {
    (b.get(*i) == Some(&c)).then(|| *i += 1)
}

fn parse_layout(b: &[u8], layout: Layout) -> Option<Timestamp> {
    let mut i = 4;
    let year = std::str::from_utf8(&b[..4]).ok()?.parse().ok()?;
    literal(b, &mut i, b'-')?;
    let month = number(b, &mut i)?;
    literal(b, &mut i, b'-')?;
    let day = number(b, &mut i)?;
    let mut t = Timestamp {
        year,
        month,
        day,
        hour: 0,
        minute: 0,
        second: 0,
        nanos: 0,
        offset: 0,
    };
    if !(1..=12).contains(&month) {
        return None;
    }
    if layout != Layout::DateOnly {
        literal(
            b,
            &mut i,
            if let Layout::Zoned(c) = layout {
                c
            } else {
                b' '
            },
        )?;
        t.hour = number(b, &mut i).filter(|h| *h < 24)?;
        literal(b, &mut i, b':')?;
        t.minute = number(b, &mut i).filter(|m| *m < 60)?;
        literal(b, &mut i, b':')?;
        t.second = number(b, &mut i).filter(|s| *s < 60)?;
        t.nanos = fraction(b, &mut i);
        if matches!(layout, Layout::Zoned(_)) {
            t.offset = zone(b, &mut i)?;
        }
    }
    if i != b.len() || day < 1 || day > days_in(month, year) {
        return None;
    }
    Some(t)
}

/// An optional `.ddd` (or `,ddd`) fraction; Go takes any number of digits
/// and keeps nanosecond precision.
fn fraction(b: &[u8], i: &mut usize) -> u32 {
    let sep = b.get(*i).is_some_and(|c| *c == b'.' || *c == b',');
    if !sep || !b.get(*i + 1).is_some_and(u8::is_ascii_digit) {
        return 0;
    }
    *i += 1;
    let start = *i;
    while b.get(*i).is_some_and(u8::is_ascii_digit) {
        *i += 1;
    }
    let mut nanos = 0u32;
    for k in 0..9 {
        let d = b
            .get(start + k)
            .filter(|_| start + k < *i)
            .map_or(0, |c| c - b'0');
        nanos = nanos * 10 + u32::from(d);
    }
    nanos
}

/// `Z` or `±hh:mm`, as Go's `Z07:00` accepts it.
fn zone(b: &[u8], i: &mut usize) -> Option<i32> {
    if b.get(*i) == Some(&b'Z') {
        *i += 1;
        return Some(0);
    }
    let z = b.get(*i..*i + 6)?;
    if z[3] != b':' || !z[1..3].iter().chain(&z[4..6]).all(u8::is_ascii_digit) {
        return None;
    }
    let hours = i32::from(z[1] - b'0') * 10 + i32::from(z[2] - b'0');
    let minutes = i32::from(z[4] - b'0') * 10 + i32::from(z[5] - b'0');
    if hours > 24 || minutes > 60 {
        return None;
    }
    let offset = (hours * 60 + minutes) * 60;
    *i += 6;
    match z[0] {
        b'+' => Some(offset),
        b'-' => Some(-offset),
        _ => None,
    }
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

impl Timestamp {
    /// Go's `time.RFC3339Nano` layout, which `encoding/json` uses.
    pub fn to_rfc3339_nano(self) -> String {
        let mut out = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        );
        if self.nanos != 0 {
            let frac = format!("{:09}", self.nanos);
            out.push('.');
            out.push_str(frac.trim_end_matches('0'));
        }
        if self.offset == 0 {
            out.push('Z');
        } else {
            let sign = if self.offset < 0 { '-' } else { '+' };
            let mins = self.offset.unsigned_abs() / 60;
            out.push_str(&format!("{sign}{:02}:{:02}", mins / 60, mins % 60));
        }
        out
    }
}
