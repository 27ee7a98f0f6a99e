//! What semantic-release would release: its core's message handling
//! (trim, `[skip release]`), the default commit analyzer
//! (`@semantic-release/commit-analyzer` 13 with its default release
//! rules), reverted-commit filtering, and `semver.inc`.

use super::semver::{ReleaseType, Version};
use crate::load::commit::{self, Commit, ParserOptions, Preset, js};

/// One commit as git gives it.
#[derive(Clone, Debug)]
pub struct RawCommit<'a> {
    pub message: &'a str,
    pub hash: Option<&'a str>,
}

/// `/\[skip\s+release]|\[release\s+skip]/i`.
fn skips_release(m: &str) -> bool {
    m.match_indices('[').any(|(i, _)| {
        let r = &m[i + 1..];
        for (a, b) in [("skip", "release"), ("release", "skip")] {
            if js::starts_with_ci(r, 0, a) {
                let rest = &r[a.len()..];
                let t = rest.trim_start_matches(js::is_space);
                if t.len() < rest.len()
                    && js::starts_with_ci(t, 0, b)
                    && t[b.len()..].starts_with(']')
                {
                    return true;
                }
            }
        }
        false
    })
}

struct Parsed<'a> {
    commit: Commit,
    hash: Option<&'a str>,
}

impl Parsed<'_> {
    /// The commit's value for `key`, as the JavaScript object would hold it.
    fn get(&self, key: &str) -> Option<&str> {
        match key {
            "header" => self.commit.header.as_deref(),
            "hash" => self.commit.field("hash").or(self.hash),
            _ => self.commit.field(key),
        }
    }

    fn is_revert(&self) -> bool {
        self.commit.revert.is_some() || self.commit.field("revert").is_some()
    }

    /// Whether this commit is the one `revert` names (`isMatch`, trimmed).
    fn matches(&self, revert: &Parsed) -> bool {
        let Some(r) = &revert.commit.revert else {
            return false;
        };
        let eq = |a: Option<&str>, b: Option<&str>| a.map(js::trim) == b.map(js::trim);
        eq(self.get("header"), r.header.as_deref()) && eq(self.get("hash"), r.hash.as_deref())
    }

    /// The highest release of the default release rules matching.
    fn release(&self) -> Option<ReleaseType> {
        let c = &self.commit;
        let mut best = None;
        let mut bump = |t: ReleaseType| best = best.max(Some(t));
        if c.is_breaking() {
            bump(ReleaseType::Major);
        }
        if self.is_revert() {
            bump(ReleaseType::Patch);
        }
        match c.r#type.as_deref() {
            Some("feat" | "FEAT") => bump(ReleaseType::Minor),
            Some("fix" | "perf" | "FIX") => bump(ReleaseType::Patch),
            _ => {}
        }
        // Keys only a `-field-` meta line can set.
        if let Some(":racehorse:" | ":bug:" | ":penguin:" | ":apple:" | ":checkered_flag:") =
            c.field("emoji")
        {
            bump(ReleaseType::Patch)
        }
        match c.field("tag") {
            Some("BUGFIX" | "SECURITY" | "Fix") => bump(ReleaseType::Patch),
            Some("FEATURE" | "Update" | "New") => bump(ReleaseType::Minor),
            Some("Breaking") => bump(ReleaseType::Major),
            _ => {}
        }
        if let Some("perf" | "deps") = c.field("component") {
            bump(ReleaseType::Patch);
        }
        best
    }
}

/// The release type semantic-release would choose for `commits` (newest
/// first, as `git log` lists them), with the given parser preset.
pub fn analyze(commits: &[RawCommit], preset: Preset) -> Option<ReleaseType> {
    let opts = ParserOptions::release(preset);
    let parsed: Vec<Parsed> = commits
        .iter()
        .filter_map(|rc| {
            let m = js::trim(rc.message);
            if skips_release(m) || m.is_empty() {
                return None;
            }
            commit::parse(m, &opts).map(|commit| Parsed {
                commit,
                hash: rc.hash,
            })
        })
        .collect();
    // RevertedCommitsFilter: a revert waits in `hold` until the commit it
    // names arrives; both then vanish.
    let mut hold: Vec<usize> = Vec::new();
    let mut pending_reverts = 0usize;
    let mut kept: Vec<usize> = Vec::new();
    for (i, p) in parsed.iter().enumerate() {
        if let Some(pos) = hold
            .iter()
            .position(|&h| parsed[h].is_revert() && p.matches(&parsed[h]))
        {
            hold.remove(pos);
            pending_reverts = pending_reverts.saturating_sub(1);
            continue;
        }
        if p.is_revert() {
            hold.push(i);
            pending_reverts += 1;
            continue;
        }
        if pending_reverts > 0 {
            hold.push(i);
        } else {
            kept.append(&mut hold);
            kept.push(i);
        }
    }
    kept.append(&mut hold);
    kept.iter().filter_map(|&i| parsed[i].release()).max()
}

/// The version semantic-release would publish: `semver.inc(last, type)`,
/// or 1.0.0 for a first release. `None` without a release or for an
/// unparsable `last`.
pub fn next_version(last: Option<&str>, release: Option<ReleaseType>) -> Option<String> {
    let release = release?;
    match last {
        None => Some("1.0.0".to_string()),
        Some(l) => Version::parse(l).map(|v| v.inc(release).to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rt(msgs: &[&str], preset: Preset) -> Option<&'static str> {
        let cs: Vec<RawCommit> = msgs
            .iter()
            .map(|m| RawCommit {
                message: m,
                hash: None,
            })
            .collect();
        analyze(&cs, preset).map(ReleaseType::as_str)
    }

    #[test]
    fn default_rules() {
        assert_eq!(rt(&["fix: a", "feat!: b"], Preset::Angular), Some("patch"));
        assert_eq!(
            rt(&["fix: a", "feat!: b"], Preset::ConventionalCommits),
            Some("major")
        );
        assert_eq!(
            rt(&["Update readme\n\nBREAKING CHANGE: x"], Preset::Angular),
            Some("major")
        );
        assert_eq!(rt(&["docs: x", "chore: y"], Preset::Angular), None);
        assert_eq!(rt(&["FEAT: x"], Preset::Angular), Some("minor"));
        assert_eq!(rt(&["feat: x [skip release]"], Preset::Angular), None);
    }

    #[test]
    fn reverted_pairs_cancel() {
        let h = "0123456789abcdef0123456789abcdef01234567";
        let revert = format!("Revert \"feat: x\"\n\nThis reverts commit {h}.");
        let cs = [
            RawCommit {
                message: &revert,
                hash: Some("ffffffffffffffffffffffffffffffffffffffff"),
            },
            RawCommit {
                message: "feat: x",
                hash: Some(h),
            },
        ];
        assert_eq!(analyze(&cs, Preset::Angular), None);
        assert_eq!(
            next_version(Some("1.2.3"), Some(ReleaseType::Minor)).as_deref(),
            Some("1.3.0")
        );
        assert_eq!(
            next_version(None, Some(ReleaseType::Patch)).as_deref(),
            Some("1.0.0")
        );
    }
}
