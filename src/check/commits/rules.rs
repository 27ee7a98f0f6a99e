//! commitlint's rules, one function each, under commitlint's names. A
//! rule returns whether the commit passes and the message shown when it
//! does not (commitlint's wording, so messages carry over for users).

use super::case::ensure_case;
use crate::load::commit::{Commit, Preset, js, parse_header};
use crate::resolve::commitlint::RuleSetting;
use serde_json::Value;

pub type Outcome = (bool, String);

/// `message([...])`: the non-empty parts joined by spaces.
fn msg(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

fn num(v: &Value) -> usize {
    v.as_f64().map_or(0, |n| n.max(0.0) as usize)
}

fn list(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(String::from)
                    .unwrap_or_else(|| x.to_string())
            })
            .collect(),
        Value::String(s) => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn opt_len(s: &Option<String>) -> String {
    s.as_deref()
        .map_or("undefined".to_string(), |h| js::len(h).to_string())
}

/// `maxLineLength`: every line short enough or holding an http(s) URL.
fn max_line_length(s: &str, max: usize) -> bool {
    js::split_lines(s)
        .iter()
        .all(|l| js::has_loose_url(l) || js::len(l) <= max)
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.is_empty())
}

/// The case checks of `*-case` rules: each entry a case name (or an
/// object `{when, case}`), the rule passing when any check holds.
fn case_rule(what: &str, input: &str, always: bool, value: &Value) -> Result<Outcome, String> {
    let checks: Vec<(bool, String)> = match value {
        Value::Array(a) => a.iter().map(case_check).collect(),
        v => vec![case_check(v)],
    };
    let mut result = false;
    for (check_always, case) in &checks {
        let r = ensure_case(input, case)
            .ok_or_else(|| format!("to-case: Unknown target case \"{case}\""))?;
        if if *check_always { r } else { !r } {
            result = true;
        }
    }
    let names: Vec<&str> = checks.iter().map(|(_, c)| c.as_str()).collect();
    let be = format!("be {}", names.join(", "));
    Ok((
        if always { result } else { !result },
        msg(&[
            &format!("{what} must"),
            if always { "" } else { "not" },
            &be,
        ]),
    ))
}

fn case_check(v: &Value) -> (bool, String) {
    match v {
        Value::String(s) => (true, s.clone()),
        Value::Object(o) => (
            o.get("when").and_then(Value::as_str) != Some("never"),
            o.get("case")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        ),
        other => (true, other.to_string()),
    }
}

/// The scope split at the configured delimiters (`/`, `\`, `, ?` by
/// default).
fn scope_segments<'a>(scope: &'a str, delimiters: &[String]) -> Vec<&'a str> {
    let mut segs = vec![scope];
    for d in delimiters {
        let mut next = Vec::new();
        for s in segs {
            if d == "," {
                for part in s.split(',') {
                    next.push(part);
                }
            } else {
                next.extend(s.split(d.as_str()));
            }
        }
        segs = next;
    }
    if delimiters.iter().any(|d| d == ",") {
        // `, ?` also eats one space after a comma.
        let mut out = Vec::with_capacity(segs.len());
        for (i, s) in segs.iter().enumerate() {
            out.push(if i > 0 {
                s.strip_prefix(' ').unwrap_or(s)
            } else {
                s
            });
        }
        // Only segments that followed a comma lose the space; good enough
        // for the common `a, b` form.
        return out;
    }
    segs
}

/// Runs rule `name`. `Err` for an unknown rule or bad value.
pub fn run(name: &str, c: &Commit, s: &RuleSetting) -> Result<Outcome, String> {
    let always = s.always;
    let v = &s.value;
    let neg = |b: bool| if always { b } else { !b };
    let may = if always { "must" } else { "may not" };
    Ok(match name {
        "body-leading-blank" => {
            if nonempty(&c.body).is_none() {
                return Ok((true, String::new()));
            }
            let second = js::split_lines(&c.raw).get(1).copied();
            (
                neg(second == Some("")),
                msg(&["body", may, "have leading blank line"]),
            )
        }
        "footer-leading-blank" => {
            let Some(footer) = nonempty(&c.footer) else {
                return Ok((true, String::new()));
            };
            let raw = js::split_lines(&c.raw);
            let first = js::split_lines(footer)[0];
            let offset = raw
                .iter()
                .position(|l| *l == first)
                .map_or(-1, |i| i as isize);
            // `rawLines.slice(offset - 1)[0]`: negative offsets count from the end.
            let from = offset - 1;
            let idx = if from < 0 {
                (raw.len() as isize + from).max(0) as usize
            } else {
                from as usize
            };
            (
                neg(raw.get(idx) == Some(&"")),
                msg(&["footer", may, "have leading blank line"]),
            )
        }
        "body-max-line-length" | "footer-max-line-length" => {
            let (what, input) = if name.starts_with("body") {
                ("body", &c.body)
            } else {
                ("footer", &c.footer)
            };
            let Some(input) = nonempty(input) else {
                return Ok((true, String::new()));
            };
            (
                max_line_length(input, num(v)),
                format!(
                    "{what}'s lines must not be longer than {} characters",
                    num(v)
                ),
            )
        }
        "body-max-length" | "footer-max-length" | "subject-max-length" | "scope-max-length"
        | "type-max-length" => {
            let (what, input) = field(name, c);
            let Some(input) = nonempty(input) else {
                return Ok((true, String::new()));
            };
            (
                js::len(input) <= num(v),
                format!("{what} must not be longer than {} characters", num(v)),
            )
        }
        "body-min-length" | "footer-min-length" | "subject-min-length" | "scope-min-length"
        | "type-min-length" => {
            let (what, input) = field(name, c);
            let Some(input) = nonempty(input) else {
                return Ok((true, String::new()));
            };
            (
                js::len(input) >= num(v),
                format!("{what} must not be shorter than {} characters", num(v)),
            )
        }
        "header-max-length" => (
            c.header.as_deref().is_some_and(|h| js::len(h) <= num(v)),
            format!(
                "header must not be longer than {} characters, current length is {}",
                num(v),
                opt_len(&c.header)
            ),
        ),
        "header-min-length" => (
            c.header.as_deref().is_some_and(|h| js::len(h) >= num(v)),
            format!(
                "header must not be shorter than {} characters, current length is {}",
                num(v),
                opt_len(&c.header)
            ),
        ),
        "header-trim" => {
            let Some(h) = nonempty(&c.header) else {
                return Ok((true, String::new()));
            };
            let start = h.starts_with(js::is_space);
            let end = h.ends_with(js::is_space);
            match (start, end) {
                (true, true) => (false, "header must not be surrounded by whitespace".into()),
                (true, false) => (false, "header must not start with whitespace".into()),
                (false, true) => (false, "header must not end with whitespace".into()),
                (false, false) => (true, String::new()),
            }
        }
        "subject-empty" | "type-empty" | "body-empty" | "footer-empty" => {
            let (what, input) = field(name, c);
            let not_empty = nonempty(input).is_some();
            (
                if always { !not_empty } else { not_empty },
                msg(&[what, if always { "must" } else { "may not" }, "be empty"]),
            )
        }
        "scope-empty" => {
            let not_empty = nonempty(&c.scope).is_some();
            (
                if always { !not_empty } else { not_empty },
                msg(&["scope", if always { "must" } else { "may not" }, "be empty"]),
            )
        }
        "references-empty" => {
            let not_empty = !c.references.is_empty();
            (
                if always { !not_empty } else { not_empty },
                msg(&[
                    "references",
                    if always { "must" } else { "may not" },
                    "be empty",
                ]),
            )
        }
        "subject-full-stop" => {
            let stop = v.as_str().unwrap_or(".");
            let header = c.header.as_deref();
            if let Some(h) = header {
                let colon = h.find(':').map(|i| js::len(&h[..i]));
                if colon.is_some_and(|i| i > 0 && i + 1 == js::len(h)) {
                    return Ok((true, String::new()));
                }
            }
            let has = header.is_some_and(|h| ends_with_unit(h, stop) && !h.ends_with("..."));
            (neg(has), msg(&["subject", may, "end with full stop"]))
        }
        "header-full-stop" => {
            let stop = v.as_str().unwrap_or(".");
            let has = c.header.as_deref().is_some_and(|h| ends_with_unit(h, stop));
            (neg(has), msg(&["header", may, "end with full stop"]))
        }
        "body-full-stop" => {
            let Some(b) = nonempty(&c.body) else {
                return Ok((true, String::new()));
            };
            let stop = v.as_str().unwrap_or(".");
            (
                neg(ends_with_unit(b, stop)),
                msg(&["body", may, "end with full stop"]),
            )
        }
        "type-enum" => {
            let Some(t) = nonempty(&c.r#type) else {
                return Ok((true, String::new()));
            };
            let values = list(v);
            let ok = values.iter().any(|x| x == t);
            (
                neg(ok),
                msg(&[
                    "type must",
                    if always { "" } else { "not" },
                    &format!("be one of [{}]", values.join(", ")),
                ]),
            )
        }
        "scope-enum" => {
            let (scopes, delims) = match v {
                Value::Object(o) => (
                    list(o.get("scopes").unwrap_or(&Value::Null)),
                    o.get("delimiters").map(list).filter(|d| !d.is_empty()),
                ),
                other => (list(other), None),
            };
            let Some(scope) = nonempty(&c.scope) else {
                return Ok((true, String::new()));
            };
            if scopes.is_empty() {
                return Ok((true, String::new()));
            }
            let delims = delims.unwrap_or_else(|| vec!["/".into(), "\\".into(), ",".into()]);
            let segs = scope_segments(scope, &delims);
            let in_enum = |s: &str| scopes.iter().any(|x| x == s);
            let ok = if always {
                segs.iter().all(|s| in_enum(s)) || in_enum(scope)
            } else {
                !segs.iter().any(|s| in_enum(s)) && !in_enum(scope)
            };
            (
                ok,
                msg(&[
                    "scope must",
                    if always { "" } else { "not" },
                    &format!("be one of [{}]", scopes.join(", ")),
                ]),
            )
        }
        "type-case" => {
            let Some(t) = nonempty(&c.r#type) else {
                return Ok((true, String::new()));
            };
            case_rule("type", t, always, v)?
        }
        "scope-case" => {
            let Some(scope) = nonempty(&c.scope) else {
                return Ok((true, String::new()));
            };
            let (cases, delims) = match v {
                Value::Object(o) => (
                    o.get("cases").cloned().unwrap_or(Value::Null),
                    o.get("delimiters").map(list).filter(|d| !d.is_empty()),
                ),
                other => (other.clone(), None),
            };
            let delims = delims.unwrap_or_else(|| vec!["/".into(), "\\".into(), ",".into()]);
            let segs = scope_segments(scope, &delims);
            let checks: Vec<(bool, String)> = match &cases {
                Value::Array(a) => a.iter().map(case_check).collect(),
                other => vec![case_check(other)],
            };
            let mut result = false;
            for (check_always, case) in &checks {
                let mut r = true;
                for seg in &segs {
                    r &= ensure_case(seg, case)
                        .ok_or_else(|| format!("to-case: Unknown target case \"{case}\""))?;
                }
                if if *check_always { r } else { !r } {
                    result = true;
                }
            }
            let names: Vec<&str> = checks.iter().map(|(_, c)| c.as_str()).collect();
            (
                neg(result),
                msg(&[
                    "scope must",
                    if always { "" } else { "not" },
                    &format!("be {}", names.join(", ")),
                ]),
            )
        }
        "subject-case" => {
            let Some(subject) = c.subject.as_deref() else {
                return Ok((true, String::new()));
            };
            if !starts_with_cased_letter(subject) {
                return Ok((true, String::new()));
            }
            case_rule("subject", subject, always, v)?
        }
        "header-case" => {
            let Some(h) = c.header.as_deref() else {
                return Ok((true, String::new()));
            };
            if !h.starts_with(|ch: char| ch.is_ascii_alphabetic()) {
                return Ok((true, String::new()));
            }
            case_rule("header", h, always, v)?
        }
        "body-case" => {
            let Some(b) = nonempty(&c.body) else {
                return Ok((true, String::new()));
            };
            case_rule("body", b, always, v)?
        }
        "subject-exclamation-mark" => {
            let Some(h) = nonempty(&c.header) else {
                return Ok((true, String::new()));
            };
            let has =
                parse_header(h, Preset::ConventionalCommits).is_some_and(|(_, _, _, bang)| bang);
            (
                neg(has),
                msg(&[
                    "subject",
                    if always { "must" } else { "must not" },
                    "have an exclamation mark in the subject to identify a breaking change",
                ]),
            )
        }
        "breaking-change-exclamation-mark" => {
            let header = nonempty(&c.header);
            let footer = nonempty(&c.footer);
            if header.is_none() && footer.is_none() {
                return Ok((true, String::new()));
            }
            let bang = header.is_some_and(|h| {
                parse_header(h, Preset::ConventionalCommits).is_some_and(|(_, _, _, b)| b)
            });
            let note = footer.is_some_and(|f| {
                f.split(['\n', '\r', '\u{2028}', '\u{2029}'])
                    .any(|l| l.starts_with("BREAKING CHANGE:") || l.starts_with("BREAKING-CHANGE:"))
            });
            (
                neg(bang == note),
                msg(&[
                    "breaking changes",
                    if always { "must" } else { "must not" },
                    "have both an exclamation mark in the header and BREAKING CHANGE in the footer to identify a breaking change",
                ]),
            )
        }
        "signed-off-by" => {
            let prefix = v.as_str().unwrap_or("");
            let last = js::split_lines(&c.raw)
                .into_iter()
                .rfind(|l| !l.starts_with('#') && !l.is_empty() && !is_cherry_pick(js::trim(l)));
            let has = last.is_some_and(|l| l.starts_with(prefix));
            (
                neg(has),
                msg(&[
                    "message",
                    if always { "must" } else { "must not" },
                    "be signed off",
                ]),
            )
        }
        "trailer-exists" => {
            let prefix = v.as_str().unwrap_or("");
            let has = trailers(&c.raw).iter().any(|l| l.starts_with(prefix));
            (
                neg(has),
                msg(&[
                    "message",
                    if always { "must" } else { "must not" },
                    &format!("have `{prefix}` trailer"),
                ]),
            )
        }
        "scope-delimiter-style" => {
            let Some(scope) = nonempty(&c.scope) else {
                return Ok((true, String::new()));
            };
            let mut allowed = list(v);
            if allowed.is_empty() {
                allowed = vec!["/".into(), "\\".into(), ",".into()];
            }
            let mut ok = true;
            for d in scope
                .split(|ch: char| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
                .filter(|d| !d.is_empty())
            {
                let d = if js::trim(d) == "," { "," } else { d };
                ok &= allowed.iter().any(|a| a == d);
            }
            let not = if always { "" } else { "not " };
            (
                neg(ok),
                format!(
                    "scope delimiters must {not}be one of [{}]",
                    allowed.join(", ")
                ),
            )
        }
        other => return Err(format!("unknown rule `{other}`")),
    })
}

/// `s[s.length - 1] === stop`: only a one-unit `stop` can be equal.
fn ends_with_unit(s: &str, stop: &str) -> bool {
    js::len(stop) == 1 && s.ends_with(stop)
}

fn field<'a>(name: &str, c: &'a Commit) -> (&'static str, &'a Option<String>) {
    match name.split('-').next().unwrap_or("") {
        "body" => ("body", &c.body),
        "footer" => ("footer", &c.footer),
        "subject" => ("subject", &c.subject),
        "scope" => ("scope", &c.scope),
        _ => ("type", &c.r#type),
    }
}

fn is_cherry_pick(l: &str) -> bool {
    let Some(rest) = l
        .strip_prefix("(cherry picked from commit ")
        .or_else(|| l.strip_prefix("(Cherry picked from commit "))
    else {
        return false;
    };
    let Some(hash) = rest.strip_suffix(')') else {
        return false;
    };
    (7..=64).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Trailer lines of the message's last paragraph (`Key: value`), the
/// gist of `git interpret-trailers --parse`.
fn trailers(raw: &str) -> Vec<String> {
    let lines: Vec<&str> = js::split_lines(raw)
        .into_iter()
        .filter(|l| !l.starts_with('#'))
        .collect();
    let mut end = lines.len();
    while end > 0 && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    let mut start = end;
    while start > 1 && !lines[start - 1].trim().is_empty() {
        start -= 1;
    }
    if start == 0 {
        return Vec::new();
    }
    let para = &lines[start..end];
    let is_trailer = |l: &&str| {
        l.split_once(':').is_some_and(|(k, _)| {
            !k.is_empty() && k.chars().all(|ch| ch.is_alphanumeric() || ch == '-')
        })
    };
    if para.iter().all(is_trailer) {
        para.iter().map(|l| l.to_string()).collect()
    } else {
        Vec::new()
    }
}

/// `/^[\p{Ll}\p{Lu}\p{Lt}]/iu`.
fn starts_with_cased_letter(s: &str) -> bool {
    let Some(c) = s.chars().next() else {
        return false;
    };
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    static CASED: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    CASED
        .get_or_init(|| regex::Regex::new(r"^[\p{Ll}\p{Lu}\p{Lt}\u{345}]").ok())
        .as_ref()
        .is_some_and(|r| r.is_match(s))
}

/// Every rule name commitlint knows.
pub const NAMES: &[&str] = &[
    "body-case",
    "body-empty",
    "body-full-stop",
    "body-leading-blank",
    "body-max-length",
    "body-max-line-length",
    "body-min-length",
    "breaking-change-exclamation-mark",
    "footer-empty",
    "footer-leading-blank",
    "footer-max-length",
    "footer-max-line-length",
    "footer-min-length",
    "header-case",
    "header-full-stop",
    "header-max-length",
    "header-min-length",
    "header-trim",
    "references-empty",
    "scope-case",
    "scope-delimiter-style",
    "scope-empty",
    "scope-enum",
    "scope-max-length",
    "scope-min-length",
    "signed-off-by",
    "subject-case",
    "subject-empty",
    "subject-exclamation-mark",
    "subject-full-stop",
    "subject-max-length",
    "subject-min-length",
    "trailer-exists",
    "type-case",
    "type-empty",
    "type-enum",
    "type-max-length",
    "type-min-length",
];
