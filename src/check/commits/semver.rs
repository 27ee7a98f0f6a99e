//! Just enough of node-semver (7.x, strict mode): `valid` and `inc`.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub prerelease: Vec<String>,
}

const MAX_LENGTH: usize = 256;
/// `Number.MAX_SAFE_INTEGER`.
const MAX_SAFE: u64 = 9_007_199_254_740_991;

fn numeric(s: &str) -> Option<u64> {
    let ok =
        s == "0" || (!s.is_empty() && !s.starts_with('0') && s.bytes().all(|b| b.is_ascii_digit()));
    if !ok {
        return None;
    }
    s.parse().ok().filter(|&n| n <= MAX_SAFE)
}

fn prerelease_id(s: &str) -> bool {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return false;
    }
    // numeric without leading zero, or containing a letter or dash
    s.bytes().any(|b| !b.is_ascii_digit()) || s == "0" || !s.starts_with('0')
}

impl Version {
    /// `semver.parse(v)` in strict mode: `v?MAJOR.MINOR.PATCH[-pre][+build]`
    /// after JavaScript `trim()`.
    pub fn parse(v: &str) -> Option<Version> {
        let v = crate::load::commit::js::trim(v);
        if v.len() > MAX_LENGTH {
            return None;
        }
        let v = v.strip_prefix('v').unwrap_or(v);
        let (v, build) = match v.split_once('+') {
            Some((a, b)) => (a, Some(b)),
            None => (v, None),
        };
        let bad_id =
            |id: &str| id.is_empty() || !id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-');
        if build.is_some_and(|b| b.split('.').any(bad_id)) {
            return None;
        }
        let (main, pre) = match v.split_once('-') {
            Some((a, b)) => (a, Some(b)),
            None => (v, None),
        };
        let mut parts = main.split('.');
        let major = numeric(parts.next()?)?;
        let minor = numeric(parts.next()?)?;
        let patch = numeric(parts.next()?)?;
        if parts.next().is_some() {
            return None;
        }
        let prerelease = match pre {
            Some(p) => {
                let ids: Vec<String> = p.split('.').map(str::to_string).collect();
                if !ids.iter().all(|i| prerelease_id(i)) {
                    return None;
                }
                ids
            }
            None => Vec::new(),
        };
        Some(Version {
            major,
            minor,
            patch,
            prerelease,
        })
    }

    /// `semver.inc(v, type)` for major, minor and patch.
    pub fn inc(&self, kind: ReleaseType) -> Version {
        let mut v = self.clone();
        let pre = !v.prerelease.is_empty();
        match kind {
            ReleaseType::Major => {
                if v.minor != 0 || v.patch != 0 || !pre {
                    v.major += 1;
                }
                v.minor = 0;
                v.patch = 0;
            }
            ReleaseType::Minor => {
                if v.patch != 0 || !pre {
                    v.minor += 1;
                }
                v.patch = 0;
            }
            ReleaseType::Patch => {
                if !pre {
                    v.patch += 1;
                }
            }
        }
        v.prerelease.clear();
        v
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.prerelease.is_empty() {
            write!(f, "-{}", self.prerelease.join("."))?;
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ReleaseType {
    Patch,
    Minor,
    Major,
}

impl ReleaseType {
    pub fn as_str(self) -> &'static str {
        match self {
            ReleaseType::Major => "major",
            ReleaseType::Minor => "minor",
            ReleaseType::Patch => "patch",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_versions() {
        for ok in ["1.2.3", "v1.2.3", "2.0.0-beta.1", "1.2.3+build.5", "0.0.0"] {
            assert!(Version::parse(ok).is_some(), "{ok}");
        }
        for bad in [
            "=1.2.3",
            "1.2",
            "01.2.3",
            "1.2.3-01",
            "1.2.3-",
            "Release 1.2.3",
        ] {
            assert!(Version::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn increments() {
        let inc = |v: &str, k| Version::parse(v).unwrap().inc(k).to_string();
        assert_eq!(inc("1.0.0-beta.2", ReleaseType::Major), "1.0.0");
        assert_eq!(inc("1.2.0-rc.1", ReleaseType::Minor), "1.2.0");
        assert_eq!(inc("1.2.3-rc.1", ReleaseType::Minor), "1.3.0");
        assert_eq!(inc("0.9.12", ReleaseType::Major), "1.0.0");
        assert_eq!(inc("1.2.3+build.5", ReleaseType::Patch), "1.2.4");
    }
}
