//! go-yaml v2's mapping key order: a "natural" order where runs of digits
//! compare by value (`a9` < `a10`), letters compare by code point, and any
//! non-letter sorts before any letter (`_x` < `A` < `a`).

/// Go's `unicode.IsLetter` (category L). `char::is_alphabetic` also admits
/// a few non-letter alphabetic marks; ASCII, which keys are in practice,
/// is exact.
fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        c.is_alphabetic()
    }
}

/// Go's `unicode.IsDigit` (category Nd), approximated outside ASCII.
fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        c.is_numeric()
    }
}

/// The value of a digit run as go-yaml computes it (Go's wrapping int64
/// arithmetic on `rune - '0'`); returns the run's end.
fn digit_run(s: &[char], from: usize, mut acc: i64) -> (i64, usize) {
    let mut i = from;
    while i < s.len() && is_digit(s[i]) {
        acc = acc
            .wrapping_mul(10)
            .wrapping_add(i64::from(s[i] as u32) - i64::from(b'0'));
        i += 1;
    }
    (acc, i)
}

/// go-yaml v2's `keyList.Less` for two string keys.
#[cfg(test)]
pub fn key_less(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    chars_less(&a, &b)
}

fn chars_less(a: &[char], b: &[char]) -> bool {
    for i in 0..a.len().min(b.len()) {
        if a[i] == b[i] {
            continue;
        }
        let (al, bl) = (is_letter(a[i]), is_letter(b[i]));
        if al && bl {
            return a[i] < b[i];
        }
        if al || bl {
            return bl;
        }
        // Both non-letters: compare the digit runs starting here. A run
        // that starts with `0` inside a longer number (`10` vs `1`) is
        // seeded so its value still counts as non-zero.
        let mut seed = 0;
        if a[i] == '0' || b[i] == '0' {
            let nonzero_before = a[..i]
                .iter()
                .rev()
                .take_while(|c| is_digit(**c))
                .any(|c| *c != '0');
            if nonzero_before {
                seed = 1;
            }
        }
        let (an, ai) = digit_run(a, i, seed);
        let (bn, bi) = digit_run(b, i, seed);
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return a[i] < b[i];
    }
    a.len() < b.len()
}

/// Sorts keyed items in go-yaml v2 order.
pub fn sort_by_key<T>(items: Vec<(String, T)>) -> Vec<(String, T)> {
    let keyed: Vec<(Vec<char>, (String, T))> = items
        .into_iter()
        .map(|item| (item.0.chars().collect(), item))
        .collect();
    merge_sort(keyed)
        .into_iter()
        .map(|(_, item)| item)
        .collect()
}

/// A stable merge sort: it terminates and never panics whatever the
/// comparator does (go-yaml's order is not transitive for some exotic
/// keys, where Go's own output depends on map iteration order).
fn merge_sort<T>(mut items: Vec<(Vec<char>, T)>) -> Vec<(Vec<char>, T)> {
    if items.len() < 2 {
        return items;
    }
    let right = merge_sort(items.split_off(items.len() / 2));
    let left = merge_sort(items);
    let mut out = Vec::with_capacity(left.len() + right.len());
    let mut l = left.into_iter().peekable();
    let mut r = right.into_iter().peekable();
    loop {
        let take_right = match (l.peek(), r.peek()) {
            (Some(a), Some(b)) => chars_less(&b.0, &a.0),
            (Some(_), None) => false,
            (None, Some(_)) => true,
            (None, None) => return out,
        };
        out.extend(if take_right { r.next() } else { l.next() });
    }
}
