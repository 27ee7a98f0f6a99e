//! Waivers: a resource annotation (`gitopsc.dev/waive: "POL012 until
//! 2027-01-31: legacy image, ticket OPS-42"`, several separated by `;` or
//! newlines) or a `policy.waivers` entry of gitopsc.yaml silences one
//! rule's findings on matching resources until a date. Applied after every
//! rule has run, to findings of any rule that name their resource. An
//! expired waiver is a WAV001 error, a malformed one WAV002, each at the
//! annotation or config line.

use super::builtin::config::{PolicyConfig, WaiverEntry};
use super::location::{locate, resource_key};
use crate::check::argocd::glob_match;
use crate::check::rules::{WaiverExpired, WaiverMalformed};
use crate::check::run::location;
use crate::check::{Diagnostic, Location, Rule, find_rule};
use crate::hydrate::targets::Hydrated;
use crate::load::yaml::json::node_at;
use crate::load::yaml::{Node, parse_single};
use crate::resolve::Config;
use crate::resolve::config::FILE_NAME;
use std::path::Path;

/// The annotation that carries waivers.
pub const ANNOTATION: &str = "gitopsc.dev/waive";

/// A calendar date (proleptic Gregorian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Date {
    /// `YYYY-MM-DD`, a day that exists.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year: i32 = s[0..4].parse().ok()?;
        let month: u32 = s[5..7].parse().ok()?;
        let day: u32 = s[8..10].parse().ok()?;
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// The civil date `days` days after 1970-01-01.
    pub fn from_unix_days(days: i64) -> Date {
        // Howard Hinnant's days-to-civil algorithm.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Today in UTC, or `GITOPSC_TODAY` (`YYYY-MM-DD`) when set and valid.
    pub fn today() -> Date {
        if let Some(d) = std::env::var("GITOPSC_TODAY")
            .ok()
            .and_then(|s| Date::parse(s.trim()))
        {
            return d;
        }
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Date::from_unix_days((secs / 86_400) as i64)
    }
}

/// Which findings a waiver covers.
#[derive(Clone, Debug)]
enum Scope {
    /// The annotated resource in one target.
    Resource { target: String, resource: String },
    /// Config entry: globs over `Kind/namespace/name` and `app/env`.
    Globs {
        resource: String,
        target: Option<String>,
    },
}

#[derive(Clone, Debug)]
struct Waiver {
    rule: &'static str,
    until: Date,
    scope: Scope,
}

impl Waiver {
    fn covers(&self, d: &Diagnostic) -> bool {
        if d.rule != self.rule {
            return false;
        }
        let (Some(res), target) = (d.resource.as_deref(), d.target.as_deref()) else {
            return false;
        };
        match &self.scope {
            Scope::Resource {
                target: t,
                resource,
            } => res == resource && target == Some(t.as_str()),
            Scope::Globs {
                resource,
                target: t,
            } => {
                glob_match(resource, res, false)
                    && t.as_ref()
                        .is_none_or(|t| target.is_some_and(|x| glob_match(t, x, false)))
            }
        }
    }
}

/// One waiver of an annotation: `RULE until YYYY-MM-DD: reason`.
fn parse_entry(text: &str) -> Result<(&'static str, Date), String> {
    const SHAPE: &str = "expected `RULE until YYYY-MM-DD: reason`";
    let Some((head, reason)) = text.split_once(':') else {
        return Err(format!("waiver {text:?} has no reason ({SHAPE})"));
    };
    let words: Vec<&str> = head.split_whitespace().collect();
    let [rule, until, date] = words[..] else {
        return Err(format!("waiver {text:?} does not parse ({SHAPE})"));
    };
    if !until.eq_ignore_ascii_case("until") {
        return Err(format!("waiver {text:?} does not parse ({SHAPE})"));
    }
    let rule = known_rule(rule)?;
    let date = Date::parse(date)
        .ok_or_else(|| format!("waiver {text:?}: {date:?} is not a date (YYYY-MM-DD)"))?;
    if reason.trim().is_empty() {
        return Err(format!("waiver {text:?} has an empty reason ({SHAPE})"));
    }
    Ok((rule, date))
}

fn known_rule(rule: &str) -> Result<&'static str, String> {
    match find_rule(rule) {
        Some(r) if r.domain() == "waiver" => {
            Err(format!("waiver names {rule}: waivers cannot be waived"))
        }
        Some(r) => Ok(r.id()),
        None => Err(format!(
            "waiver names an unknown rule {rule:?} (see `gitopsc rules`)"
        )),
    }
}

/// The waivers of one annotation value, each parsed or an error.
fn parse_annotation(value: &str) -> Vec<Result<(&'static str, Date), String>> {
    value
        .split([';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(parse_entry)
        .collect()
}

fn parse_config_entry(e: &WaiverEntry) -> Result<(&'static str, Date), String> {
    let rule = known_rule(e.rule.trim())?;
    let until = Date::parse(e.until.trim()).ok_or_else(|| {
        format!(
            "waiver for {}: {:?} is not a date (YYYY-MM-DD)",
            e.rule, e.until
        )
    })?;
    if e.reason.trim().is_empty() {
        return Err(format!(
            "waiver for {} on {} has no reason",
            e.rule, e.resource
        ));
    }
    if e.resource.trim().is_empty() {
        return Err(format!("waiver for {} names no resource", e.rule));
    }
    Ok((rule, until))
}

/// Removes the findings that a valid, unexpired waiver covers and adds a
/// finding per expired or malformed waiver. `today` decides expiry (a
/// waiver holds through its `until` day).
pub fn apply(
    root: &Path,
    cfg: &Config,
    hydrated: &[Hydrated],
    diags: &mut Vec<Diagnostic>,
    today: Date,
) {
    let mut waivers = Vec::new();
    let mut problems = Vec::new();
    let mut problem = |rule: &'static dyn Rule,
                       env: &str,
                       msg: String,
                       loc: Location,
                       target: Option<String>,
                       resource: Option<String>| {
        let Some(sev) = cfg.severity_for(rule, env, rule.default_severity()) else {
            return;
        };
        let mut d = Diagnostic::new(rule, sev, msg, loc);
        if let Some(t) = target {
            d = d.with_target(t);
        }
        if let Some(r) = resource {
            d = d.with_resource(r);
        }
        problems.push(d);
    };

    let policy = PolicyConfig::from_config(cfg);
    if !policy.waivers.is_empty() {
        let file = root.join(FILE_NAME);
        let cfg_node = std::fs::read_to_string(&file)
            .ok()
            .and_then(|t| parse_single(&file.to_string_lossy(), &t).ok());
        for (i, e) in policy.waivers.iter().enumerate() {
            let span = cfg_node
                .as_ref()
                .and_then(|n| node_at(n, &format!("/policy/waivers/{i}")))
                .and_then(|n| n.span.clone());
            let loc = location(span.as_ref(), root, FILE_NAME);
            match parse_config_entry(e) {
                Err(msg) => problem(&WaiverMalformed, "", msg, loc, None, None),
                Ok((rule, until)) if until < today => problem(
                    &WaiverExpired,
                    "",
                    format!(
                        "waiver for {rule} on {} expired on {until} ({})",
                        e.resource,
                        e.reason.trim()
                    ),
                    loc,
                    None,
                    None,
                ),
                Ok((rule, until)) => waivers.push(Waiver {
                    rule,
                    until,
                    scope: Scope::Globs {
                        resource: e.resource.trim().to_string(),
                        target: e.target.clone(),
                    },
                }),
            }
        }
    }

    for h in hydrated {
        let Ok(r) = &h.result else { continue };
        let target = h.target.id();
        let fallback = format!("{}/kustomization.yaml", h.target.source);
        for res in r.resources.iter() {
            let Some(value) = annotation(&res.node) else {
                continue;
            };
            let key = resource_key(&res.node);
            let path = format!("metadata.annotations[\"{ANNOTATION}\"]");
            let loc = || locate(root, &res.node, Some(&path), &fallback);
            for parsed in parse_annotation(value) {
                match parsed {
                    Err(msg) => problem(
                        &WaiverMalformed,
                        &h.target.env,
                        format!("{key}: {msg}"),
                        loc(),
                        Some(target.clone()),
                        Some(key.clone()),
                    ),
                    Ok((rule, until)) if until < today => problem(
                        &WaiverExpired,
                        &h.target.env,
                        format!(
                            "{key}: waiver for {rule} expired on {until}: fix the finding or renew the waiver"
                        ),
                        loc(),
                        Some(target.clone()),
                        Some(key.clone()),
                    ),
                    Ok((rule, until)) => waivers.push(Waiver {
                        rule,
                        until,
                        scope: Scope::Resource {
                            target: target.clone(),
                            resource: key.clone(),
                        },
                    }),
                }
            }
        }
    }

    if !waivers.is_empty() {
        diags.retain(|d| !waivers.iter().any(|w| w.until >= today && w.covers(d)));
    }
    diags.extend(problems);
}

fn annotation(node: &Node) -> Option<&str> {
    node.get_path(&["metadata", "annotations", ANNOTATION])
        .and_then(Node::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_count_from_the_epoch() {
        assert_eq!(Date::parse("2027-01-31").unwrap().to_string(), "2027-01-31");
        assert!(Date::parse("2027-02-29").is_none());
        assert!(Date::parse("2028-02-29").is_some());
        assert!(Date::parse("2027-13-01").is_none());
        assert!(Date::parse("27-01-31").is_none());
        assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_days(20_779).to_string(), "2026-11-22");
        assert_eq!(Date::from_unix_days(11_016).to_string(), "2000-02-29");
    }

    #[test]
    fn annotations_hold_several_waivers() {
        let got = parse_annotation(
            "POL012 until 2027-01-31: legacy image, ticket OPS-42; pol001 until 2026-12-01: vendor\nrun-as-non-root until 2026-12-02: x",
        );
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].as_ref().unwrap().0, "POL012");
        assert_eq!(got[1].as_ref().unwrap().0, "POL001");
        assert_eq!(got[2].as_ref().unwrap().0, "POL001");
    }

    #[test]
    fn malformed_waivers_say_why() {
        for (text, want) in [
            ("POL001 until 2027-01-31", "no reason"),
            ("POL001 until 2027-01-31:  ", "empty reason"),
            ("POL001 2027-01-31: x", "does not parse"),
            ("POL001 until 2027-02-30: x", "not a date"),
            ("NOPE01 until 2027-01-31: x", "unknown rule"),
            ("WAV001 until 2027-01-31: x", "cannot be waived"),
        ] {
            let err = parse_entry(text).unwrap_err();
            assert!(err.contains(want), "{text}: {err}");
        }
    }
}
